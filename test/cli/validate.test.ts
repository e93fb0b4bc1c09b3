// `eventstudy validate`: the spec, then what can be checked without reading the data's
// rows: each data file's columns, and the event and windows against a declared coverage.
// It used to say "valid" of specs that `run` then refused (a misspelt column, an event
// outside coverage).
import { beforeAll, describe, expect, it } from "vitest";
import { basicSpec } from "../helpers/study-fixture.js";
import { buildCli, makeTempDir, runCli, writeTree } from "./run-cli.js";

const CSV = "date,amount,name,actor\n2024-01-02,500,x,a\n2024-01-14,900,y,b\n";

function validate(specs: Record<string, string>): ReturnType<typeof runCli> {
  const dir = makeTempDir("eventstudy-validate-");
  writeTree(dir, { "data.csv": CSV, "other.csv": CSV.replace("actor", "attribution"), ...specs });
  return runCli(["validate", ...Object.keys(specs)], { cwd: dir });
}

describe("validate", () => {
  beforeAll(() => buildCli(), 300_000);

  it("says valid, and nothing else, of a spec whose columns are in its data and whose event and windows are inside its declared coverage", () => {
    const result = validate({ "ok.yaml": basicSpec() });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, "ok.yaml: valid\n", ""]);
  });

  it("refuses a column the data does not have (exit 3, at its line, with the closest name)", () => {
    const result = validate({ "typo.yaml": basicSpec({ groups: "groups:\n  - name: A\n    where: {actr: a}\n  - name: Rest\n    otherwise: true" }) });
    expect(result.status).toBe(3);
    expect(result.stderr).toBe('error: typo.yaml:8:13 groups[0].where.actr: the group "A" column "actr" is not in data.csv; its columns are date, amount, name, actor. Did you mean "actor"?\n');
  });

  it("refuses an event outside the declared coverage, and a window with no covered day (exit 3)", () => {
    const event = validate({ "late.yaml": basicSpec({ event: "event: {date: 2024-03-01, label: late}" }) });
    expect(event.status).toBe(3);
    expect(event.stderr).toContain("late.yaml:11:15 event.date: the event (2024-03-01) is outside the data's coverage 2024-01-01..2024-01-20.");
    const window = validate({ "gap.yaml": basicSpec({ windows: "windows:\n  pre: {days: 10}\n  post: {days: 10}\n  gap: {after: 15}" }) });
    expect(window.status).toBe(3);
    expect(window.stderr).toContain("windows.post: the post window 2024-01-26..2024-02-04 has no day inside the data's coverage 2024-01-01..2024-01-20.");
  });

  it("names the variant whose data lacks a column", () => {
    const variants = "variants:\n  - name: Main\n  - name: Other file\n    data: {file: other.csv}\n";
    const result = validate({ "two.yaml": basicSpec({ extra: variants }) });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/the group "A" column "actor" is not in other\.csv; .* \(in the event "the event", variant "Other file", one of the 2 events and variants of this spec\)\n$/);
  });

  it("checks every variant's groups against its data, a variant that keeps the main data file too", () => {
    const variants = "variants:\n  - name: Main\n  - name: Typo\n    groups:\n      - name: A\n        where: {actr: a}\n      - name: Rest\n        otherwise: true\n";
    const result = validate({ "same-file.yaml": basicSpec({ extra: variants }) });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/the group "A" column "actr" is not in data\.csv; .*Did you mean "actor"\? \(in the event "the event", variant "Typo", one of the 2 events and variants of this spec\)\n$/);
  });

  it("says that an inferred coverage is checked only by run", () => {
    const result = validate({ "inferred.yaml": basicSpec({ coverage: "" }) });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      "inferred.yaml: valid\n  coverage is inferred from the data's dates, which only run reads: whether the event and windows fall inside it is checked then (declare coverage: {start, end} to have validate check it).\n",
    );
  });
});

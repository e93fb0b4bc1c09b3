// Several questions per spec: `extends:` chains, several events, variants. Each cell is a
// complete one-event spec, and a mistake anywhere is reported at the line that wrote it,
// in whichever file that is.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../src/errors.js";
import { loadStudySpec, slug } from "../../src/spec/load-spec.js";
import { parseIsoDay } from "../../src/util/days.js";

const BASE = `title: Shared defaults
data:
  file: ../data.csv
  columns: {date: date, amount: amount_usd, name: name}
groups:
  - name: Lazarus
    where: {actor: lazarus}
  - name: Other
    otherwise: true
windows:
  pre: {days: 10}
  post: {days: 10}
tests: {permutations: 999}
`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "eventstudy-cells-"));
  mkdirSync(join(dir, "shared"));
  writeFileSync(join(dir, "data.csv"), "date,amount_usd,name,actor\n2024-01-03,1,A,lazarus\n");
  writeFileSync(join(dir, "other.csv"), "date,amount_usd,name,actor\n2024-01-03,1,A,lazarus\n");
  writeFileSync(join(dir, "shared", "base.yaml"), BASE);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function specError(dir: string, file: string): string {
  try {
    loadStudySpec(join(dir, file), dir);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as Error).message.replaceAll(`${dir}/`, "");
  }
  throw new Error("expected a SpecError");
}

describe("extends:", () => {
  it("starts from the inherited keys, overrides scalars, merges mappings and resolves paths beside the file that wrote them", () => {
    const dir = project({ "s.yaml": "extends: shared/base.yaml\ntitle: Mine\nevent: {date: 2024-01-15, label: e}\ntests: {seed: 7}\n" });
    const study = loadStudySpec(join(dir, "s.yaml"), dir);
    const spec = study.cells[0]!;
    expect(spec.title).toBe("Mine");
    expect(spec.data.path).toBe(join(dir, "data.csv"));
    expect(spec.tests.seed).toBe(7);
    expect(spec.tests.permutations).toBe(999);
    expect(spec.groups.map((group) => group.name)).toEqual(["Lazarus", "Other"]);
    expect(study.specFiles).toEqual([join(dir, "s.yaml"), join(dir, "shared/base.yaml")]);
  });

  it("reports a mistake in the inherited file at its own line", () => {
    const dir = project({ "s.yaml": "extends: shared/base.yaml\nevent: {date: 2024-01-15, label: e}\n" });
    writeFileSync(join(dir, "shared", "base.yaml"), BASE.replace("pre: {days: 10}", "pre: {days: 0}"));
    expect(specError(dir, "s.yaml")).toBe("shared/base.yaml:11:15 windows.pre.days: 0 is out of range: it must be at least 1.");
  });

  it("refuses a spec that inherits from itself, directly or through another", () => {
    const dir = project({ "s.yaml": "extends: s.yaml\ntitle: t\n", "a.yaml": "extends: b.yaml\n", "b.yaml": "extends: a.yaml\n" });
    expect(specError(dir, "s.yaml")).toMatch(/^s\.yaml:1:10 extends: the specs inherit from each other in a circle \(.*s\.yaml -> .*s\.yaml\)\. Remove one of these extends: keys\.$/);
    expect(specError(dir, "a.yaml")).toMatch(/^b\.yaml:1:10 extends: the specs inherit from each other in a circle \(.*a\.yaml -> .*b\.yaml -> .*a\.yaml\)/);
  });

  it("names a missing inherited file at the extends: line", () => {
    const dir = project({ "s.yaml": "title: t\nextends: shared/nope.yaml\n" });
    expect(specError(dir, "s.yaml")).toMatch(/^s\.yaml:2:10 extends: the inherited spec .*shared\/nope\.yaml does not exist\./);
  });
});

describe("events:", () => {
  const twoEvents = `extends: shared/base.yaml
events:
  - {date: 2024-01-15, label: First event}
  - id: second
    date: 2024-02-15
    label: Second event
    windows:
      pre: {days: 20}
      post: {days: 5}
`;

  it("makes one cell per event, each with its own windows (or the shared ones)", () => {
    const dir = project({ "s.yaml": twoEvents });
    const study = loadStudySpec(join(dir, "s.yaml"), dir);
    expect(study.cells.map((cell) => cell.cell.id)).toEqual(["first-event", "second"]);
    const [first, second] = study.cells;
    expect(first!.event.day).toBe(parseIsoDay("2024-01-15"));
    expect(first!.windows.pre.end - first!.windows.pre.start + 1).toBe(10);
    expect(second!.windows.pre.end - second!.windows.pre.start + 1).toBe(20);
    expect(second!.windows.post.end - second!.windows.post.start + 1).toBe(5);
  });

  it("merges an event's windows into the shared ones key by key, as extends: does (gap key by key, pre and post whole)", () => {
    const spec = `extends: shared/base.yaml
windows:
  pre: {days: 10}
  post: {days: 10}
  gap: {before: 2}
events:
  - {date: 2024-01-15, label: first event}
  - date: 2024-02-15
    label: second
    windows:
      pre: {days: 10}
      post: {days: 5}
      gap: {after: 3}
`;
    const dir = project({ "s.yaml": spec });
    const [first, second] = loadStudySpec(join(dir, "s.yaml"), dir).cells;
    // first: pre ends 2 days before the event (gap.before 2), post starts on the event day.
    expect(first!.windows.pre.end).toBe(parseIsoDay("2024-01-12"));
    expect(first!.windows.post.start).toBe(parseIsoDay("2024-01-15"));
    // second: the shared gap.before 2 stays and its own gap.after 3 is added (a shallow merge lost gap.before).
    expect(second!.windows.pre).toEqual({ start: parseIsoDay("2024-02-03"), end: parseIsoDay("2024-02-12") });
    expect(second!.windows.post).toEqual({ start: parseIsoDay("2024-02-18"), end: parseIsoDay("2024-02-22") });
  });

  it("reports a mistake in one event's windows at that event's line", () => {
    const dir = project({ "s.yaml": twoEvents.replace("post: {days: 5}", "post: {start: 2024-02-01, end: 2024-02-20}") });
    expect(specError(dir, "s.yaml")).toBe(
      "s.yaml:9:21 events[1].windows.post.start: the post window starts on 2024-02-01, before the event. Start it on 2024-02-15 or later.",
    );
  });

  it("refuses event: and events: together, and two events with the same id", () => {
    const dir = project({
      "both.yaml": `${twoEvents}event: {date: 2024-01-15, label: e}\n`,
      "same.yaml": "extends: shared/base.yaml\nevents:\n  - {date: 2024-01-15, label: Treaty}\n  - {date: 2024-02-15, label: treaty}\n",
    });
    expect(specError(dir, "both.yaml")).toBe("both.yaml:3:3 events: write event: (one event) or events: (a list), not both.");
    expect(specError(dir, "same.yaml")).toBe(
      'same.yaml:4:31 events[1].label: two events have the identifier "treaty" (from their labels or id:). Give each event its own id: (lowercase letters, digits and dashes).',
    );
  });
});

describe("variants:", () => {
  const variants = `extends: shared/base.yaml
event: {date: 2024-01-15, label: e}
variants:
  - name: Main source
  - name: Other source
    data:
      file: other.csv
      filters: {exclude: {name: A}}
  - name: Strict
    groups:
      - name: Lazarus
        where: {actor: [lazarus], name: A}
      - name: Other
        otherwise: true
`;

  it("changes only what each variant writes", () => {
    const dir = project({ "s.yaml": variants });
    const study = loadStudySpec(join(dir, "s.yaml"), dir);
    expect(study.cells.map((cell) => cell.cell.id)).toEqual(["main-source", "other-source", "strict"]);
    const [main, other, strict] = study.cells;
    expect(main!.data.path).toBe(join(dir, "data.csv"));
    expect(other!.data.path).toBe(join(dir, "other.csv"));
    expect(other!.data.columns.amount).toBe("amount_usd");
    expect(other!.data.exclude.map((condition) => condition.column)).toEqual(["name"]);
    expect(main!.data.exclude).toEqual([]);
    expect(strict!.groups[0]!.rule).toMatchObject({ kind: "match", conditions: [{ column: "actor" }, { column: "name" }] });
    expect(study.variants).toBe(3);
  });

  it("reports a variant's mistake at the variant's line", () => {
    const dir = project({ "s.yaml": variants.replace("file: other.csv", "file: missing.csv") });
    expect(() => loadStudySpec(join(dir, "s.yaml"), dir)).toThrow(/s\.yaml:7:13 variants\[1\]\.data\.file: /);
    const typo = project({ "s.yaml": variants.replace("file: other.csv", "fiel: other.csv") });
    expect(specError(typo, "s.yaml")).toMatch(/^s\.yaml:7:7 variants\[1\]\.data\.fiel: unknown key "fiel"\. Did you mean "file"\?/);
  });
});

describe("a variant's data.duplicates", () => {
  const telemetry = `extends: shared/base.yaml
event: {date: 2024-01-15, label: e}
variants:
  - name: Checked
  - name: Every row
    data:
      duplicates: unchecked
`;

  it("changes only that variant: the main one keeps the default, drop", () => {
    const dir = project({ "s.yaml": telemetry });
    const study = loadStudySpec(join(dir, "s.yaml"), dir);
    expect(study.cells.map((cell) => [cell.cell.id, cell.data.duplicates])).toEqual([
      ["checked", "drop"],
      ["every-row", "unchecked"],
    ]);
  });

  it("is refused at the variant's line when it is not drop, keep or unchecked", () => {
    const dir = project({ "s.yaml": telemetry.replace("duplicates: unchecked", "duplicates: skip") });
    expect(specError(dir, "s.yaml")).toBe('s.yaml:7:19 variants[1].data.duplicates: "skip" is not allowed. Use one of: "drop", "keep", "unchecked".');
  });
});

describe("slug", () => {
  it("makes folder-safe identifiers", () => {
    expect(slug("Russia–DPRK treaty signed")).toBe("russia-dprk-treaty-signed");
    expect(slug("<script>")).toBe("script");
    expect(slug("!!!")).toBe("x");
  });
});

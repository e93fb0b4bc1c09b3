// The input limits (issue 7; src/spec/limits.ts, README "Limits"): the schema's maxima are
// the limits, each limit is accepted at its value and refused one past it with its
// message, and the README lists every one.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../src/errors.js";
import { formatCount, LIMITS } from "../../src/spec/limits.js";
import { loadStudySpec } from "../../src/spec/load-spec.js";
import { PROJECT_ROOT } from "../cli/run-cli.js";

type Node = { properties?: Record<string, Node>; items?: Node; maxItems?: number; maximum?: number; $ref?: string; anyOf?: Node[] };
const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, "schema", "analysis.schema.json"), "utf8")) as { definitions: Record<string, Node> };
const definition = (name: string): Node => schema.definitions[name] ?? {};
const property = (name: string, key: string): Node => definition(name).properties?.[key] ?? {};

const DATA = "date,amount,actor\n2024-01-03,100,a\n";
const spec = (body: string): string => `title: t
data: {file: data.csv, columns: {date: date, amount: amount}}
groups: [{name: A, otherwise: true}]
${body}`;
const EVENT = "event: {date: 2024-06-19, label: e}\nwindows: {pre: {days: 10}, post: {days: 10}}\n";

/** Loads `files` (spec.yaml and friends) from a fresh folder; returns the error message, or "ok". */
function load(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "eventstudy-limits-"));
  for (const [name, text] of Object.entries({ "data.csv": DATA, ...files })) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  try {
    loadStudySpec(join(dir, "spec.yaml"), dir);
    return "ok";
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as Error).message.replaceAll(dir, "<dir>");
  }
}

describe("input limits", () => {
  it("the schema's maxima are the limits in src/spec/limits.ts", () => {
    expect(property("InputSpec", "groups").maxItems).toBe(LIMITS.groups);
    expect(property("VariantSpec", "groups").maxItems).toBe(LIMITS.groups);
    expect(property("InputSpec", "events").maxItems).toBe(LIMITS.events);
    expect(property("InputSpec", "variants").maxItems).toBe(LIMITS.variants);
    expect(property("WindowByDays", "days").maximum).toBe(LIMITS.windowDays);
    expect(definition("DayCount").maximum).toBe(LIMITS.windowDays);
    expect(property("GapSpec", "before").maximum).toBe(LIMITS.windowDays);
    expect(property("GapSpec", "after").maximum).toBe(LIMITS.windowDays);
    expect(property("TestsSpec", "permutations").maximum).toBe(LIMITS.permutations);
    expect(property("BootstrapSpec", "resamples").maximum).toBe(LIMITS.resamples);
    expect(property("RobustnessSpec", "sensitivity_days").maxItems).toBe(LIMITS.sensitivityLengths);
    expect(property("RobustnessSpec", "influence_top_k").maximum).toBe(LIMITS.influenceTopK);
  });

  it(`a spec file of ${formatCount(LIMITS.specBytes)} bytes loads; one byte more is refused before it is parsed`, () => {
    const base = spec(EVENT);
    const padded = (size: number): string => `${base}description: "${"x".repeat(size - base.length - 'description: ""\n'.length)}"\n`;
    expect(Buffer.byteLength(padded(LIMITS.specBytes))).toBe(LIMITS.specBytes);
    expect(load({ "spec.yaml": padded(LIMITS.specBytes) })).toBe("ok");
    expect(load({ "spec.yaml": padded(LIMITS.specBytes + 1) })).toBe(
      "<dir>/spec.yaml: the spec is 1,048,577 bytes, over the limit of 1,048,576 bytes. A spec holds settings, not data: put long lists in the data file.",
    );
  });

  it("an inherited file over the size limit, a device or a folder is refused at the extends: line, without reading it", () => {
    const big = `title: t\ndescription: "${"x".repeat(LIMITS.specBytes)}"\n`;
    expect(load({ "spec.yaml": `extends: big.yaml\n${spec(EVENT)}`, "big.yaml": big })).toMatch(/^<dir>\/spec\.yaml:1:10 extends: <dir>\/big\.yaml: the spec is 1,048,\d{3} bytes, over the limit of 1,048,576 bytes\./);
    expect(load({ "spec.yaml": `extends: /dev/zero\n${spec(EVENT)}` })).toBe(
      "<dir>/spec.yaml:1:10 extends: /dev/zero: not a regular file (a device, pipe or socket). A spec must be a YAML file on disk.",
    );
    expect(load({ "spec.yaml": `extends: shared\n${spec(EVENT)}`, "shared/x.yaml": "title: t\n" })).toMatch(/^<dir>\/spec\.yaml:1:10 extends: .*shared: is a folder, not a spec file\./);
  });

  // The parser counts the anchored value itself: 99 aliases make 100 copies.
  it(`YAML aliases: ${LIMITS.yamlAliases} copies of a value (the anchor and ${LIMITS.yamlAliases - 1} aliases) load, one more is refused`, () => {
    const aliases = (count: number): string => `x-anchor: &a [1]\n${spec(EVENT)}x-list: [${Array.from({ length: count }, () => "*a").join(", ")}]\n`;
    // Unknown keys are refused after parsing; what matters here is which error comes first.
    expect(load({ "spec.yaml": aliases(LIMITS.yamlAliases - 1) })).toMatch(/unknown key "x-anchor"/);
    expect(load({ "spec.yaml": aliases(LIMITS.yamlAliases) })).toMatch(/the YAML aliases \(\*name\) expand to more than 100 copies/);
  });

  it(`extends: ${LIMITS.extendsDepth} inherited files load, ${LIMITS.extendsDepth + 1} are refused`, () => {
    const chain = (depth: number): Record<string, string> => {
      const files: Record<string, string> = { "spec.yaml": `extends: f1.yaml\n${spec(EVENT)}` };
      for (let level = 1; level <= depth; level += 1) files[`f${level}.yaml`] = level < depth ? `extends: f${level + 1}.yaml\n` : "title: last\n";
      return files;
    };
    expect(load(chain(LIMITS.extendsDepth))).toBe("ok");
    expect(load(chain(LIMITS.extendsDepth + 1))).toBe(`<dir>/f${LIMITS.extendsDepth}.yaml:1:10 extends: more than 8 specs inherit from one another. Flatten the chain of extends: keys.`);
  });

  it(`events x variants: ${LIMITS.cells} studies load, more are refused`, () => {
    const events = (count: number): string => `windows: {pre: {days: 10}, post: {days: 10}}\nevents:\n${Array.from({ length: count }, (_, index) => `  - {date: 2024-06-${String(index + 1).padStart(2, "0")}, label: e${index}}\n`).join("")}`;
    const variants = (count: number): string => `variants:\n${Array.from({ length: count }, (_, index) => `  - {name: v${index}}\n`).join("")}`;
    expect(load({ "spec.yaml": spec(events(20) + variants(5)) })).toBe("ok");
    expect(load({ "spec.yaml": spec(events(17) + variants(6)) })).toMatch(/variants: 17 events x 6 variants make 102 studies to run, more than the limit of 100\./);
  });

  it(`groups: ${LIMITS.groups} load, ${LIMITS.groups + 1} are refused`, () => {
    const groups = (count: number): string => `${EVENT}groups:\n${Array.from({ length: count }, (_, index) => `  - {name: g${index}, where: {actor: a${index}}}\n`).join("")}`;
    const text = (count: number): string => `title: t\ndata: {file: data.csv, columns: {date: date, amount: amount}}\n${groups(count)}`;
    expect(load({ "spec.yaml": text(LIMITS.groups) })).toBe("ok");
    expect(load({ "spec.yaml": text(LIMITS.groups + 1) })).toMatch(/groups: has 101 items, more than the limit of 100\./);
  });

  it(`window and coverage lengths: ${formatCount(LIMITS.windowDays)} days load, one more is refused (in days or as dates)`, () => {
    // 1930-01-01..2030-03-16 is 36,600 days (python3 -c 'from datetime import date; print((date(2030,3,16) - date(1930,1,1)).days + 1)' -> 36600).
    const withCoverage = (end: string): string => spec(`coverage: {start: 1930-01-01, end: ${end}}\n${EVENT}`);
    expect(load({ "spec.yaml": withCoverage("2030-03-16") })).toBe("ok");
    expect(load({ "spec.yaml": withCoverage("2030-03-17") })).toMatch(/coverage\.end: coverage 1930-01-01\.\.2030-03-17 is 36,601 days, more than the limit of 36,600 \(100 years\)\./);
    const dated = (start: string): string => spec(`event: {date: 2030-03-17, label: e}\nwindows: {pre: {start: ${start}, end: 2030-03-16}, post: {days: 10}}\n`);
    expect(load({ "spec.yaml": dated("1930-01-01") })).toBe("ok");
    expect(load({ "spec.yaml": dated("1929-12-31") })).toMatch(/windows\.pre\.end: the pre window 1929-12-31\.\.2030-03-16 is 36,601 days, more than the limit of 36,600 \(100 years\)\. Shorten it\./);
    expect(load({ "spec.yaml": spec("event: {date: 2024-06-19, label: e}\nwindows: {pre: {days: 10}, post: {days: 10}, gap: {after: 36601}}\n") })).toMatch(
      /windows\.gap\.after: 36601 is out of range: it must be at most 36600\./,
    );
  });

  it("the README's Limits section states every limit", () => {
    const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
    const section = /\n## Limits\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? "";
    expect(section, "README.md has a ## Limits section").not.toBe("");
    // Each limit in its own table row, by the row's label: a bare number would match anywhere ("8" is in "1,048,576").
    const rows: Record<keyof typeof LIMITS, string> = {
      specBytes: "| a spec file | 1,048,576 bytes",
      yamlAliases: "| YAML aliases (`*name`) | 100 copies",
      extendsDepth: "| `extends:` | 8 inherited files",
      groups: "| `groups` (and a variant's `groups`) | 100 |",
      events: "| `events`, `variants` | 20 each",
      variants: "| `events`, `variants` | 20 each",
      cells: "and at most 100 studies (events x variants)",
      windowDays: "a sensitivity length | 36,600 days",
      coverageDays: "| declared `coverage` | 36,600 days |",
      sensitivityLengths: "| `robustness.sensitivity_days` | 20 window lengths |",
      permutations: "| `tests.permutations`, `tests.bootstrap.resamples` | 1,000,000 each |",
      resamples: "| `tests.permutations`, `tests.bootstrap.resamples` | 1,000,000 each |",
      influenceTopK: "| `robustness.influence_top_k` | 50 |",
    };
    for (const [name, value] of Object.entries(LIMITS) as Array<[keyof typeof LIMITS, number]>) {
      expect(rows[name], `README Limits: ${name} names its value`).toContain(formatCount(value));
      expect(section, `README Limits: ${name}`).toContain(rows[name]);
    }
  });
});

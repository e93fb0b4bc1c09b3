// Spec validation messages: file:line:col, the path, the bad value and the fix (STYLE.md, 3).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataError, SpecError } from "../../src/errors.js";
import { loadSpec } from "../../src/spec/load-spec.js";
import { closestMatch } from "../../src/util/did-you-mean.js";

function specError(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "eventstudy-spec-"));
  writeFileSync(join(dir, "data.csv"), "date,amount\n2024-01-01,1\n");
  const file = join(dir, "s.yaml");
  writeFileSync(file, yaml);
  try {
    loadSpec(file, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return (error as Error).message.replaceAll(file, "s.yaml");
  }
  throw new Error("expected a SpecError");
}

const valid = `title: t
data:
  file: data.csv
  columns: {date: date, amount: amount}
groups:
  - name: A
    otherwise: true
event: {date: 2024-06-19, label: e}
windows:
  pre: {days: 30}
  post: {days: 30}
`;

describe("spec validation", () => {
  it("accepts the minimal spec", () => {
    const dir = mkdtempSync(join(tmpdir(), "eventstudy-spec-"));
    writeFileSync(join(dir, "data.csv"), "date,amount\n");
    writeFileSync(join(dir, "s.yaml"), valid);
    const spec = loadSpec(join(dir, "s.yaml"), dir);
    // 2024-06-19 is day 19893 since 1970-01-01 (python: (date(2024,6,19) - date(1970,1,1)).days)
    expect(spec.windows.pre).toEqual({ start: 19893 - 30, end: 19892 });
    expect(spec.windows.post).toEqual({ start: 19893, end: 19893 + 29 });
    expect(spec.totalGroup).toBe("All");
    expect(spec.tests).toEqual({
      alpha: 0.05,
      methods: ["block_permutation", "permutation", "welch_t", "mann_whitney_u", "rate_ratio_exact", "rate_ratio_quasi_poisson", "segmented_regression"],
      primary: { daily_loss: "block_permutation", daily_incidents: "block_permutation" },
      seed: 20240619,
      permutations: 10000,
      bootstrap: { resamples: 2000, confidence: 0.95, blockLength: null, interval: "percentile" },
      hacMaxLags: null,
      multipleTesting: "holm",
    });
    expect(spec.did).toBeNull();
    expect(spec.robustness).toEqual({ placebo: true, sensitivityDays: [30, 60, 90, 120, 180], influenceTopK: 5 });
  });

  it("points at the window value that is out of range", () => {
    expect(specError(valid.replace("pre: {days: 30}", "pre: {days: -30}"))).toBe(
      "s.yaml:10:15 windows.pre.days: -30 is out of range: it must be at least 1.",
    );
  });

  it("names an unknown key, suggests the closest one, and lists the allowed keys (once, not again as missing)", () => {
    expect(specError(valid.replace("windows:", "windws:"))).toBe(
      's.yaml:9:1 windws: unknown key "windws". Did you mean "windows"? Allowed here: $schema, extends, title, description, data, coverage, groups, total, event, events, windows, variants, metrics, tests, difference_in_differences, robustness, output.',
    );
  });

  it("reports a missing required key that no unknown key explains", () => {
    expect(specError(valid.replace(/^title: .*\n/m, ""))).toBe(
      's.yaml:1:1 missing required key "title" (The study\'s title, shown at the top of the report). Add it.',
    );
  });

  it("reports a window written with neither days nor dates against the branch it resembles", () => {
    expect(specError(valid.replace("post: {days: 30}", "post: {start: 2024-07-01}"))).toBe(
      's.yaml:11:9 windows.post: missing required key "end" (Last day of the window (inclusive)). Add it.',
    );
  });

  it("checks dates are real calendar days", () => {
    expect(specError(valid.replace("date: 2024-06-19", "date: 2024-02-30"))).toBe(
      's.yaml:8:15 event.date: "2024-02-30" is not a real calendar date. Check the month and day.',
    );
  });
});

describe("data.duplicates", () => {
  const withDuplicates = (value: string): string => valid.replace("  columns: {date: date, amount: amount}\n", `  columns: {date: date, amount: amount}\n  duplicates: ${value}\n`);

  it("accepts drop, keep and unchecked, and defaults to drop", () => {
    const dir = mkdtempSync(join(tmpdir(), "eventstudy-spec-"));
    writeFileSync(join(dir, "data.csv"), "date,amount\n");
    const load = (yaml: string): string => {
      writeFileSync(join(dir, "s.yaml"), yaml);
      return loadSpec(join(dir, "s.yaml"), dir).data.duplicates;
    };
    expect([load(valid), load(withDuplicates("drop")), load(withDuplicates("keep")), load(withDuplicates("unchecked"))]).toEqual(["drop", "drop", "keep", "unchecked"]);
  });

  it("refuses another value at its place, listing drop, keep and unchecked", () => {
    expect(specError(withDuplicates("none"))).toBe('s.yaml:5:15 data.duplicates: "none" is not allowed. Use one of: "drop", "keep", "unchecked".');
    expect(specError(withDuplicates("uncheked"))).toBe(
      's.yaml:5:15 data.duplicates: "uncheked" is not allowed. Did you mean "unchecked"? Use one of: "drop", "keep", "unchecked".',
    );
  });
});

describe("the data file itself", () => {
  // Not in the CLI bad-input corpus: its harness reads every file of a case's folder, and
  // opening a pipe with no writer blocks. The spec check only stats the path, never opens it.
  it("refuses a named pipe (FIFO) as the data file, naming the spec line and the fix", () => {
    const dir = mkdtempSync(join(tmpdir(), "eventstudy-spec-"));
    execFileSync("mkfifo", [join(dir, "data.csv")]);
    const file = join(dir, "s.yaml");
    writeFileSync(file, valid);
    try {
      const error = (() => {
        try {
          loadSpec(file, dir);
        } catch (caught) {
          return caught;
        }
        throw new Error("expected the FIFO to be refused");
      })();
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).toBe(`${file}:3:9 data.file: "data.csv" is not a regular file (a device, pipe or socket). Name a data file on disk.`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("tests and difference-in-differences settings", () => {
  const twoGroups = valid.replace("  - name: A\n    otherwise: true", "  - name: A\n    where: {actor: a}\n  - name: B\n    otherwise: true");
  it("an explicit primary test must be among the methods", () => {
    expect(specError(`${twoGroups}tests:\n  methods: [welch_t]\n  primary: {daily_loss: permutation}\n`)).toBe(
      's.yaml:16:25 tests.primary.daily_loss: "permutation" is not among tests.methods (welch_t). Add it to tests.methods or choose one of those.',
    );
  });
  it("a count test cannot be the primary test of losses", () => {
    expect(specError(`${twoGroups}tests:\n  primary: {daily_loss: rate_ratio_exact}\n`)).toBe(
      's.yaml:15:25 tests.primary.daily_loss: "rate_ratio_exact" tests incident counts and cannot be the primary test of daily_loss. Use block_permutation or permutation.',
    );
  });
  it("the treated group must be a group, with a suggestion", () => {
    expect(specError(`${twoGroups}difference_in_differences:\n  treated: AA\n  controls: [B]\n`)).toBe(
      's.yaml:15:12 difference_in_differences.treated: "AA" is not one of the groups (A, B). Did you mean "A"?',
    );
  });
  it("a group cannot be its own control", () => {
    expect(specError(`${twoGroups}difference_in_differences:\n  treated: A\n  controls: [B, A]\n`)).toBe(
      's.yaml:16:17 difference_in_differences.controls[1]: "A" is the treated group; a group cannot be its own control. Remove it from controls.',
    );
  });
});

describe("column values in groups and filters", () => {
  const withWhere = (where: string): string => valid.replace("  - name: A\n    otherwise: true", `  - name: A\n    where: ${where}\n  - name: B\n    otherwise: true`);
  // Before: validate accepted an empty list, and run failed with a SQL syntax error blamed on the data file (exit 3).
  it("an empty list of values in a group's where is refused at the list", () => {
    expect(specError(withWhere("{actor: []}"))).toBe("s.yaml:7:20 groups[0].where.actor: has 0 item(s); list at least 1.");
  });
  it("an empty list of values in data.filters.include or exclude is refused at the list", () => {
    const filtered = (filters: string): string => valid.replace("  columns: {date: date, amount: amount}", `  columns: {date: date, amount: amount}\n  filters: ${filters}`);
    expect(specError(filtered("{include: {actor: []}}"))).toBe("s.yaml:5:30 data.filters.include.actor: has 0 item(s); list at least 1.");
    expect(specError(filtered("{exclude: {actor: []}}"))).toBe("s.yaml:5:30 data.filters.exclude.actor: has 0 item(s); list at least 1.");
  });
  it("a value with spaces at either end (which the trimmed data never equals) is refused at the value", () => {
    expect(specError(withWhere('{actor: [a, "lazarus "]}'))).toBe(
      's.yaml:7:24 groups[0].where.actor[1]: "lazarus " has spaces at the start or end. Column values are compared with the data\'s spaces at both ends removed, so it would match no row. Write "lazarus".',
    );
    expect(specError(withWhere('{actor: " a"}'))).toBe(
      's.yaml:7:20 groups[0].where.actor: " a" has spaces at the start or end. Column values are compared with the data\'s spaces at both ends removed, so it would match no row. Write "a".',
    );
  });
});

describe("closestMatch", () => {
  it("suggests near typos and contained names, not unrelated words", () => {
    expect(closestMatch("amount", ["date", "name", "amount_usd"])).toBe("amount_usd");
    expect(closestMatch("windws", ["windows", "metrics"])).toBe("windows");
    expect(closestMatch("zzz", ["windows", "metrics"])).toBeUndefined();
  });
});

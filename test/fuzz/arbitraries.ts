/**
 * fast-check generators for the spec fuzzer: a valid spec and a small valid data file,
 * then mutations of both. Each case starts valid so that mutations reach every stage (a
 * random string would stop at the YAML parser), and is described by the list of what was
 * done to it, so a failing case can be read.
 *
 * Mutations of the spec: drop a key, rename it (a typo), give a value the wrong type, an
 * extreme number, a hostile string or a broken date, add an unknown key, point `extends:`
 * somewhere odd; then random edits of the YAML text (a tab, a quote, an anchor, a stray
 * colon, a deleted span, a truncation). Mutations of the data: hostile cells (NaN, "$5M",
 * 1e300, broken dates, <script>, quotes, newlines), ragged rows, duplicate rows, no header,
 * a byte-order mark, CRLF, Latin-1 bytes, an empty file.
 *
 * `cheap: true` keeps the numbers that set the amount of work (permutations, resamples,
 * window and coverage lengths) small, for the tier that runs whole studies: the extreme
 * values are the spec tier's business, where they only have to be refused or accepted.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import type { FuzzCase } from "./fuzz-case.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ACTORS = ["lazarus", "apt38", "kimsuky", "unknown", ""];
const COUNTRIES = ["kp", "ru", "cn", ""];

export const HOSTILE_STRINGS = [
  "",
  " ",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "../../outside",
  "..",
  ".",
  "/",
  "/etc/passwd",
  "/dev/zero",
  "/dev/null",
  "/proc/self/status",
  "C:\\Windows\\win.ini",
  "line one\nline two",
  "tab\there",
  "nul\u0000byte",
  "\u202eright-to-left",
  "😀 emoji",
  "名前",
  "x".repeat(5000),
  "${HOME}",
  "%s%n%x",
  "' OR 1=1 --",
  '"; DROP TABLE incidents; --',
  "*",
  "data*.csv",
  "[a-z]",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "__proto__",
  "constructor",
  "toString",
  "https://example.com/x.csv",
  "s3://bucket/x.parquet",
  "data.csv",
  "base.yaml",
  "spec.yaml",
  "data.csv/",
  "no-such-file.csv",
  "data.tsv",
  "data.parquet",
];

export const BROKEN_DATES = ["2024-02-30", "2024-13-01", "2024-00-10", "0000-00-00", "0001-01-01", "0099-12-31", "9999-12-31", "2024-1-1", "24-01-01", "2024/01/15", "15.01.2024", "2024-01-15T00:00:00Z", "2024-01-15 ", "", "tomorrow", "1970-01-01", "2100-02-29", "2000-02-29"];

export const EXTREME_NUMBERS = [0, -1, -0, 1, 0.5, 1.5, 2, 98, 99, 198, 199, 365, 366, 36600, 36601, 1_000_000, 1_000_001, 2 ** 31, 2 ** 32, 4294967295, 4294967296, 2 ** 53, 2 ** 53 + 2, 1e21, 1e308, -1e308, 5e-324, -(2 ** 31)];

/** Keys named like JavaScript's own properties: no spec key is, so each must be refused as unknown. */
export const JS_PROPERTY_NAMES = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

const WRONG_TYPES: Json[] = [null, true, false, [], {}, [1, 2], { a: 1 }, "a string", 42, [[]], [{}], { where: { actor: "x" } }];

/** Text dropped into the YAML at a random place. */
const YAML_TOKENS = ["\t", ":", ": ", "'", '"', "&a ", "*a", "*nope", "!!binary aGk=", "!!str ", "!!int ", "!!float ", "!!set ", "!!map ", "{", "}", "[", "]", "- ", "\n", "\n  ", "#", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "<<: *a\n", "? ", ".nan", ".inf", "-.inf", "~", "\u0000", "\ufeff", "\r", "@", "`", "&a [*a]", "x: &a [*a]\n"];

/** A cell value written into the CSV (raw: quoting is part of the test). */
const HOSTILE_CELLS = ["", "NaN", "nan", "inf", "-inf", "-1", "-0", "0", "1,000", '"1,000"', "$5M", "5 million", "1e300", "1e-300", "1e309", "0x10", " 42 ", "2024-02-30", "03/01/2024", "Jan 8 2024", "2024-01-15T23:30:00-05:00", "2024-01-15T25:00:00Z", "2024-01-15 12:00", "<script>alert(1)</script>", '"unclosed', '"a ""quoted"" name"', '"multi\nline"', "a,b", "\u00e9", "\u0000", "lazarus", "kp", "x".repeat(3000), "NULL", "null", "true"];

export interface CaseOptions {
  /**
   * Keep the settings that decide the amount of work small, and mutate the spec less and
   * the data more (the whole-study tier: a spec the schema refuses never reaches the data).
   */
  cheap: boolean;
}

function isoDay(day: number): string {
  return new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
}

/** A small valid data file: rows in 2024-01-01..2024-04-29 with the columns the specs use. */
function dataRows(): fc.Arbitrary<string[][]> {
  const row = fc.tuple(fc.integer({ min: 0, max: 119 }), fc.oneof(fc.integer({ min: 0, max: 5_000_000 }).map(String), fc.constant("")), fc.integer({ min: 0, max: 9999 }), fc.constantFrom(...ACTORS), fc.constantFrom(...COUNTRIES));
  return fc
    .array(row, { minLength: 1, maxLength: 40 })
    .map((rows) => rows.map(([day, amount, id, actor, country]) => [isoDay(day), amount, `Incident ${id}`, actor, country, id % 3 === 0 ? `https://example.com/${id}` : ""]));
}

const HEADER = ["date", "amount_usd", "name", "actor", "country", "url"];

/** A valid spec for that data. */
function validSpec(options: CaseOptions): fc.Arbitrary<JsonObject> {
  const windowSpec = fc.oneof(
    fc.integer({ min: 1, max: options.cheap ? 60 : 400 }).map((days): Json => ({ days })),
    fc.constant<Json>(null), // replaced below by dates that fit the event
  );
  const groups = fc.oneof(
    fc.constant<Json>([{ name: "Lazarus", where: { actor: "lazarus" } }, { name: "Other", otherwise: true }]),
    fc.constant<Json>([{ name: "DPRK", where: { country: "kp" } }, { name: "Lazarus", where: { actor: ["lazarus", "apt38"] } }, { name: "Rest", otherwise: true }]),
    fc.constant<Json>([{ name: "Kimsuky", where: { actor: "kimsuky", country: "kp" } }]),
  );
  return fc
    .record({
      title: fc.oneof(fc.constant("Fuzzed study"), fc.string({ maxLength: 40 })),
      file: fc.constantFrom("data.csv"),
      withName: fc.boolean(),
      withUrl: fc.boolean(),
      timezone: fc.constantFrom<Json>(undefined as unknown as Json, "UTC", "Asia/Seoul", "America/New_York", "Pacific/Chatham"),
      missingAmount: fc.constantFrom<Json>(undefined as unknown as Json, "unknown", "drop"),
      zeroUnknown: fc.boolean(),
      duplicates: fc.constantFrom<Json>(undefined as unknown as Json, "drop", "keep", "unchecked"),
      filters: fc.constantFrom<Json>(undefined as unknown as Json, { min_amount: 1000 }, { exclude: { actor: "unknown" } }, { include: { country: ["kp", "ru"] } }),
      coverage: fc.constantFrom<Json>(undefined as unknown as Json, { start: "2024-01-01", end: "2024-04-29" }, { start: "2024-01-01" }, { end: "2024-04-29" }),
      groups,
      total: fc.constantFrom<Json>(undefined as unknown as Json, false, "Everyone", true),
      eventDay: fc.integer({ min: 20, max: 100 }),
      events: fc.integer({ min: 0, max: 3 }),
      pre: windowSpec,
      post: windowSpec,
      gap: fc.constantFrom<Json>(undefined as unknown as Json, { before: 1 }, { after: 2 }, { before: 0, after: 0 }),
      variants: fc.integer({ min: 0, max: 2 }),
      metrics: fc.constantFrom<Json>(undefined as unknown as Json, ["daily_loss"], ["daily_incidents"], ["daily_loss", "daily_incidents"]),
      methods: fc.constantFrom<Json>(undefined as unknown as Json, ["block_permutation", "welch_t"], ["block_permutation", "rate_ratio_exact", "segmented_regression", "mann_whitney_u"], ["permutation", "block_permutation"]),
      permutations: fc.integer({ min: 99, max: options.cheap ? 299 : 5000 }),
      resamples: fc.integer({ min: 199, max: options.cheap ? 299 : 5000 }),
      interval: fc.constantFrom<Json>(undefined as unknown as Json, "bca", "percentile"),
      hac: fc.constantFrom<Json>(undefined as unknown as Json, "auto", 0, 3),
      multiple: fc.constantFrom<Json>(undefined as unknown as Json, "holm", "bh", "none"),
      did: fc.boolean(),
      placebo: options.cheap ? fc.constant(false) : fc.boolean(),
      sensitivity: fc.constantFrom<Json>(undefined as unknown as Json, [10, 20], [5], []),
      influence: fc.integer({ min: 0, max: 5 }),
      formats: fc.constantFrom<Json>(undefined as unknown as Json, ["json"], ["html", "json"]),
    })
    .map((choice) => {
      const event = isoDay(choice.eventDay);
      // Several events share the windows: only windows in days fit them all.
      const pre = choice.pre ?? (choice.events > 1 ? { days: 10 } : null);
      const post = choice.post ?? (choice.events > 1 ? { days: 10 } : null);
      const windows: JsonObject = {
        pre: pre ?? { start: isoDay(Math.max(0, choice.eventDay - 15)), end: isoDay(choice.eventDay - 1 - ((choice.gap as { before?: number } | undefined)?.before ?? 0)) },
        post: post ?? { start: isoDay(choice.eventDay + ((choice.gap as { after?: number } | undefined)?.after ?? 0)), end: isoDay(choice.eventDay + 20) },
      };
      if (choice.gap !== undefined) windows.gap = choice.gap;
      const groupNames = (choice.groups as Array<{ name: string }>).map((group) => group.name);
      const spec: JsonObject = {
        title: choice.title,
        data: clean({
          file: choice.file,
          columns: clean({ date: "date", amount: "amount_usd", name: choice.withName ? "name" : undefined, url: choice.withUrl ? "url" : undefined }),
          timezone: choice.timezone,
          missing_amount: choice.missingAmount,
          zero_amount_is_unknown: choice.zeroUnknown,
          duplicates: choice.duplicates,
          filters: choice.filters,
        }),
        coverage: choice.coverage,
        groups: choice.groups,
        total: choice.total,
        windows,
        metrics: choice.metrics,
        tests: clean({ methods: choice.methods, permutations: choice.permutations, bootstrap: clean({ resamples: choice.resamples, interval: choice.interval }), hac_max_lags: choice.hac, multiple_testing: choice.multiple }),
        difference_in_differences: choice.did && groupNames.length > 1 ? { treated: groupNames[0] as string, controls: groupNames.slice(1) } : undefined,
        robustness: clean({ placebo: choice.placebo, sensitivity_days: choice.sensitivity, influence_top_k: choice.influence }),
        output: choice.formats === undefined ? undefined : { formats: choice.formats },
      } as JsonObject;
      if (choice.events === 0) spec.event = { date: event, label: "the event" };
      else spec.events = Array.from({ length: choice.events }, (_, index): Json => ({ date: isoDay(choice.eventDay + index * 3), label: `event ${index + 1}`, id: `e${index + 1}` }));
      if (choice.variants > 0) {
        spec.variants = Array.from({ length: choice.variants }, (_, index): Json => (index === 0 ? { name: "Main" } : { name: `Variant ${index}`, data: { filters: { min_amount: 10_000 } } }));
      }
      return clean(spec);
    });
}

/** Drops keys whose value is undefined (fast-check's constantFrom stands in for "not written"). */
function clean(object: Record<string, Json | undefined>): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as JsonObject;
}

/** Every path to a value in `value` (keys and list indexes), the root excluded. */
function pathsOf(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  return [];
}

function parentOf(root: Json, path: Array<string | number>): Json | undefined {
  let node: Json | undefined = root;
  for (const segment of path.slice(0, -1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, Json>)[segment];
  }
  return node;
}

type SpecMutation = { kind: "drop" | "rename" | "set" | "add"; at: number; value: Json; text: string };

function specMutation(options: CaseOptions): fc.Arbitrary<SpecMutation> {
  const numbers = options.cheap ? EXTREME_NUMBERS.filter((number) => Math.abs(number) <= 400) : EXTREME_NUMBERS;
  const value = fc.oneof(
    fc.constantFrom(...WRONG_TYPES),
    fc.constantFrom(...numbers),
    fc.constantFrom(...HOSTILE_STRINGS),
    fc.constantFrom(...BROKEN_DATES),
    fc.string({ maxLength: 12 }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
  );
  return fc.record({
    kind: fc.constantFrom<SpecMutation["kind"]>("drop", "rename", "set", "set", "set", "add"),
    at: fc.nat(),
    value,
    // Key names too: JavaScript's own property names are the dangerous ones.
    text: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom(...JS_PROPERTY_NAMES)),
  });
}

/** Applies a mutation at the `at`-th path (modulo how many there are); returns its description. */
function applySpecMutation(spec: JsonObject, mutation: SpecMutation): string {
  const paths = pathsOf(spec);
  const path = paths[mutation.at % Math.max(paths.length, 1)] ?? ["title"];
  const parent = parentOf(spec, path);
  const key = path[path.length - 1] as string | number;
  const shown = path.join(".");
  if (parent === null || typeof parent !== "object" || parent === undefined) return `no-op at ${shown}`;
  const container = parent as Record<string | number, Json>;
  switch (mutation.kind) {
    case "drop":
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete container[key];
      return `drop ${shown}`;
    case "rename": {
      if (Array.isArray(parent)) return `no-op rename of ${shown}`;
      const name = String(key);
      const typo = mutation.text.length % 3 === 0 ? name.slice(0, -1) : mutation.text.length % 3 === 1 ? `${name}${mutation.text}` : `${mutation.text}${name.slice(1)}`;
      container[typo] = container[key] ?? null;
      delete container[key];
      return `rename ${shown} -> ${JSON.stringify(typo)}`;
    }
    case "set":
      // A copy: the constants are shared between cases, and a later "add" must not change them.
      container[key] = structuredClone(mutation.value);
      return `set ${shown} = ${JSON.stringify(mutation.value)?.slice(0, 60)}`;
    case "add": {
      const target = container[key];
      // An own property even for "__proto__" (a plain assignment would set the prototype and write nothing).
      const addTo = (object: JsonObject, where: string): string => {
        Object.defineProperty(object, mutation.text, { value: structuredClone(mutation.value), enumerable: true, writable: true, configurable: true });
        return `add ${where === "" ? "" : `${where}.`}${JSON.stringify(mutation.text)} = ${JSON.stringify(mutation.value)?.slice(0, 60)}`;
      };
      if (target !== null && typeof target === "object" && !Array.isArray(target)) return addTo(target as JsonObject, shown);
      return addTo(spec, "");
    }
  }
}

type TextEdit = { kind: "insert" | "delete" | "duplicate-line" | "swap-lines" | "truncate" | "tab-indent"; at: number; length: number; token: string };

const textEdit: fc.Arbitrary<TextEdit> = fc.record({
  kind: fc.constantFrom<TextEdit["kind"]>("insert", "insert", "delete", "duplicate-line", "swap-lines", "truncate", "tab-indent"),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.integer({ min: 1, max: 20 }),
  token: fc.oneof(fc.constantFrom(...YAML_TOKENS), fc.string({ minLength: 1, maxLength: 4 })),
});

function applyTextEdit(text: string, edit: TextEdit): { text: string; description: string } {
  const position = Math.floor(edit.at * text.length);
  const lines = text.split("\n");
  const line = Math.floor(edit.at * lines.length);
  switch (edit.kind) {
    case "insert":
      return { text: text.slice(0, position) + edit.token + text.slice(position), description: `insert ${JSON.stringify(edit.token)} at ${position}` };
    case "delete":
      return { text: text.slice(0, position) + text.slice(position + edit.length), description: `delete ${edit.length} chars at ${position}` };
    case "duplicate-line":
      lines.splice(line, 0, lines[line] ?? "");
      return { text: lines.join("\n"), description: `duplicate line ${line + 1}` };
    case "swap-lines": {
      const other = (line + edit.length) % Math.max(lines.length, 1);
      [lines[line], lines[other]] = [lines[other] ?? "", lines[line] ?? ""];
      return { text: lines.join("\n"), description: `swap lines ${line + 1} and ${other + 1}` };
    }
    case "truncate":
      return { text: text.slice(0, position), description: `truncate at ${position}` };
    case "tab-indent":
      lines[line] = (lines[line] ?? "").replace(/^ +/, "\t");
      return { text: lines.join("\n"), description: `tab-indent line ${line + 1}` };
  }
}

type DataEdit = { kind: "cell" | "drop-cell" | "extra-cell" | "duplicate-row" | "no-header" | "quote"; row: number; column: number; value: string };

const dataEdit: fc.Arbitrary<DataEdit> = fc.record({
  kind: fc.constantFrom<DataEdit["kind"]>("cell", "cell", "cell", "drop-cell", "extra-cell", "duplicate-row", "no-header", "quote"),
  row: fc.nat(),
  column: fc.nat(),
  value: fc.oneof(fc.constantFrom(...HOSTILE_CELLS), fc.string({ maxLength: 8 })),
});

/** Edits the table (header first) in place; returns what it did. */
function applyDataEdit(rows: string[][], edit: DataEdit): string {
  if (rows.length === 0) return "no-op (no rows left)";
  const index = edit.row % rows.length;
  const row = rows[index] as string[];
  const column = edit.column % HEADER.length;
  switch (edit.kind) {
    case "cell":
      row[column] = edit.value;
      return `data row ${index} column ${HEADER[column]} = ${JSON.stringify(edit.value).slice(0, 40)}`;
    case "drop-cell":
      row.splice(column, 1);
      return `data row ${index}: drop column ${column}`;
    case "extra-cell":
      row.push(edit.value);
      return `data row ${index}: extra field`;
    case "duplicate-row":
      rows.splice(index, 0, [...row]);
      return `data row ${index} duplicated`;
    case "no-header":
      if (index === 0) rows.shift();
      return index === 0 ? "no header" : "no-op";
    case "quote":
      row[column] = `"${row[column] ?? ""}`;
      return `data row ${index} column ${column}: an opening quote`;
  }
}

/** Where the spec is split over two files: the keys `base.yaml` holds. */
const INHERITED_KEYS = ["data", "groups", "tests", "robustness", "metrics", "output", "total", "coverage", "difference_in_differences"];

export function fuzzCase(options: CaseOptions): fc.Arbitrary<FuzzCase> {
  return fc
    .record({
      spec: validSpec(options),
      rows: dataRows(),
      specMutations: options.cheap ? fc.oneof(fc.constant([]), fc.constant([]), fc.array(specMutation(options), { maxLength: 1 })) : fc.array(specMutation(options), { maxLength: 4 }),
      split: fc.boolean(),
      extendsValue: fc.oneof(fc.constant("base.yaml"), fc.constant("base.yaml"), fc.constant("base.yaml"), fc.constant("base.yaml"), fc.constantFrom("spec.yaml", "missing.yaml", "/dev/zero", "/dev/null", ".", "data.csv", "../base.yaml", "")),
      textEdits: options.cheap ? fc.oneof(fc.constant([]), fc.constant([]), fc.constant([]), fc.array(textEdit, { maxLength: 1 })) : fc.array(textEdit, { maxLength: 3 }),
      baseTextEdits: options.cheap ? fc.constant([]) : fc.array(textEdit, { maxLength: 1 }),
      dataEdits: fc.array(dataEdit, { maxLength: options.cheap ? 6 : 4 }),
      encoding: fc.constantFrom("plain", "plain", "plain", "plain", "bom", "crlf", "latin1", "empty"),
      mutateAtAll: fc.integer({ min: 0, max: 9 }),
    })
    .map((choice): FuzzCase => {
      const mutations: string[] = [];
      const spec = structuredClone(choice.spec);
      // One case in ten stays valid, so that the success path is checked too.
      const mutate = choice.mutateAtAll > 0;
      if (mutate) for (const mutation of choice.specMutations) mutations.push(applySpecMutation(spec, mutation));
      const files: FuzzCase["files"] = {};
      let specText: string;
      if (choice.split) {
        const base = Object.fromEntries(Object.entries(spec).filter(([key]) => INHERITED_KEYS.includes(key)));
        const own = Object.fromEntries(Object.entries(spec).filter(([key]) => !INHERITED_KEYS.includes(key)));
        if (mutate && choice.extendsValue !== "base.yaml") mutations.push(`extends: ${JSON.stringify(choice.extendsValue)}`);
        specText = stringify({ extends: mutate ? choice.extendsValue : "base.yaml", ...own });
        let baseText = stringify(base);
        if (mutate) {
          for (const edit of choice.baseTextEdits) {
            const applied = applyTextEdit(baseText, edit);
            baseText = applied.text;
            mutations.push(`base.yaml: ${applied.description}`);
          }
        }
        files["base.yaml"] = baseText;
      } else {
        specText = stringify(spec);
      }
      if (mutate) {
        for (const edit of choice.textEdits) {
          const applied = applyTextEdit(specText, edit);
          specText = applied.text;
          mutations.push(`spec.yaml: ${applied.description}`);
        }
      }
      files["spec.yaml"] = specText;

      const rows = [[...HEADER], ...choice.rows.map((row) => [...row])];
      if (mutate) for (const edit of choice.dataEdits) mutations.push(applyDataEdit(rows, edit));
      const lineEnd = mutate && choice.encoding === "crlf" ? "\r\n" : "\n";
      let csv = rows.map((row) => row.join(",")).join(lineEnd) + lineEnd;
      if (mutate && choice.encoding !== "plain") mutations.push(`data encoding: ${choice.encoding}`);
      if (mutate && choice.encoding === "bom") csv = `\ufeff${csv}`;
      if (mutate && choice.encoding === "empty") csv = "";
      files["data.csv"] = mutate && choice.encoding === "latin1" ? { base64: Buffer.from(csv.replace(/Incident/g, "Incidént"), "latin1").toString("base64") } : csv;
      return { files, spec: "spec.yaml", mutations };
    });
}

/**
 * The spec after normalization: every default filled in, every path resolved, every
 * window turned into day numbers. No later stage sees an optional field.
 */
import type { MetricName, TestName } from "./input-spec.js";
import type { DayNumber, DayRange } from "../util/days.js";
import type { YamlSource } from "./yaml-source.js";

export type DataFormat = "csv" | "tsv" | "json" | "ndjson" | "parquet";

export interface ColumnCondition {
  column: string;
  values: Array<string | number | boolean>;
  /** Where the condition was written, for messages about it. */
  specPath: ReadonlyArray<string | number>;
}

export type GroupRule =
  | { kind: "match"; conditions: ColumnCondition[] }
  | { kind: "otherwise" };

export interface NormalizedGroup {
  name: string;
  rule: GroupRule;
  specPath: ReadonlyArray<string | number>;
}

export type { DayRange };

/** Which event and which variant of a spec one cell asks about. */
export interface StudyCell {
  /** Folder-safe identifier: `main` for a one-question spec, else `<event>--<variant>` (each part only when there are several). */
  id: string;
  /** Position among the spec's cells; cell 0 is the main one (the report's front page). */
  index: number;
  event: { id: string; label: string };
  /** null when the spec names no variants. */
  variant: { id: string; name: string; description: string } | null;
}

/** A spec file with every cell it asks about (one per event x variant). */
export interface StudySpec {
  specFile: string;
  /** `reports/<name>/`: the spec file's base name. */
  name: string;
  /** At least one; cells[0] is the main one. */
  cells: NormalizedSpec[];
  /** The spec and every file it inherits from (`extends:`), nearest first. */
  specFiles: string[];
  events: number;
  variants: number;
}

export interface NormalizedSpec {
  /** The spec file as the user named it (for messages). */
  specFile: string;
  /** The study's name: the spec file's base name, used for `reports/<name>/`. */
  name: string;
  title: string;
  description: string;
  data: {
    /** Absolute path of the data file ("" for a ClickHouse source). */
    path: string;
    /** The data file relative to the project root (for messages and provenance). */
    displayPath: string;
    /** The file's format (unused for a ClickHouse source). */
    format: DataFormat;
    /** Set when the incidents come from ClickHouse; then `path` is empty. */
    clickhouse: { table: string | null; query: string | null; connectionFile: string | null; timeoutMs: number } | null;
    columns: { date: string; amount: string; name: string | null; url: string | null };
    timezone: string;
    missingAmount: "unknown" | "drop";
    zeroAmountIsUnknown: boolean;
    /** `unchecked`: duplicates are not looked for (no row hash, no sort), so every row counts. */
    duplicates: "drop" | "keep" | "unchecked";
    include: ColumnCondition[];
    exclude: ColumnCondition[];
    minAmount: number | null;
  };
  /** Declared coverage bounds; null where the data decides (with a warning). */
  coverage: { start: DayNumber | null; end: DayNumber | null };
  groups: NormalizedGroup[];
  /** Name of the automatic all-rows group, or null for none. */
  totalGroup: string | null;
  event: { day: DayNumber; label: string };
  /** Windows as written, before coverage clips them. */
  windows: { pre: DayRange; post: DayRange };
  gap: { before: number; after: number };
  metrics: MetricName[];
  tests: {
    alpha: number;
    methods: TestName[];
    primary: Record<MetricName, TestName>;
    seed: number;
    permutations: number;
    bootstrap: { resamples: number; confidence: number; blockLength: number | null; interval: "bca" | "percentile" };
    /** null: the automatic rule. */
    hacMaxLags: number | null;
    multipleTesting: "holm" | "bh" | "none";
  };
  did: { treated: string; controls: string[] } | null;
  robustness: { placebo: boolean; sensitivityDays: number[]; influenceTopK: number };
  output: { title: string; formats: Array<"html" | "json"> };
  /** Which event x variant of the spec this is. */
  cell: StudyCell;
  /** The YAML the spec came from, to point later messages at the right line. */
  source: YamlSource;
}

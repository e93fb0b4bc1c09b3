/**
 * The analysis spec as a user writes it in YAML.
 *
 * The JSON Schema in `schema/analysis.schema.json` is generated from this type
 * (`npm run schema`); a test fails when the committed schema is stale. The JSDoc on each
 * field becomes the schema's description, so editors show it while the spec is typed.
 * Every optional field gets its default in `normalize.ts`, and no later stage sees an
 * optional field.
 */

/** A calendar day written as YYYY-MM-DD. @pattern ^\d{4}-\d{2}-\d{2}$ */
export type DateString = string;

/**
 * One value, or a list of values, that a column must equal. A value is compared with the
 * column's text with spaces at both ends removed (` lazarus ` in the data matches
 * `lazarus`), so a value written with spaces at either end could never match and is refused.
 */
export type ColumnValues = string | number | boolean | ColumnValueList;

/**
 * Values a column may equal (any one of them). An empty list would match no row.
 * @minItems 1
 */
export type ColumnValueList = Array<string | number | boolean>;

/** Column conditions, all of which must hold: `{column: value-or-list}`. */
export type ColumnMatch = Record<string, ColumnValues>;

export interface InputSpec {
  /** Machine-readable reference to the schema, ignored by the engine. */
  $schema?: string;
  /**
   * Another spec file (a path relative to this one) whose keys this spec starts from, so
   * several studies can share their data, groups and tests. Keys written here replace the
   * inherited ones; mappings merge key by key; lists are replaced whole. The inherited
   * file may itself extend another (at most 8 deep), but never this one.
   */
  extends?: string;
  /** The study's title, shown at the top of the report. */
  title: string;
  /** What question the study asks, and why the windows and groups were chosen. */
  description?: string;
  /** The incident data and how to read it. */
  data: DataSpec;
  /**
   * The first and last calendar day the data is complete for. A day outside coverage is
   * not a zero-loss day, so no window runs past it. When omitted, coverage is inferred
   * from the first and last incident date, with a warning.
   */
  coverage?: CoverageSpec;
  /**
   * Named actor groups. A row belongs to the first group whose rule matches it.
   * @minItems 1
   * @maxItems 100
   */
  groups: GroupSpec[];
  /**
   * The automatic group holding every row that passed the filters: its name, `true` for
   * the name "All", or `false` for no such group.
   * @default "All"
   */
  total?: string | boolean;
  /** The dated event whose effect is studied. Write `event` or `events`, not both. */
  event?: EventSpec;
  /**
   * Several dated events, each studied on its own and reported side by side. Each may
   * have its own windows; those it does not set come from `windows`.
   * @minItems 1
   * @maxItems 20
   */
  events?: NamedEventSpec[];
  /** The pre and post windows around the event (or around each event without its own). */
  windows?: WindowsSpec;
  /**
   * The same question asked of alternative data or definitions (another data source, a
   * strict vs a broad attribution list, the data without its largest incident). Each
   * variant changes only the keys it writes (mappings merge key by key, lists are
   * replaced whole); the report shows the headline numbers of
   * every variant in one table and chart. The first variant is the main one: its full
   * report is the study's front page (a variant that changes nothing is the spec as
   * written).
   * @minItems 1
   * @maxItems 20
   */
  variants?: VariantSpec[];
  /**
   * Which daily series to compare.
   * - `daily_loss`: sum of known amounts per calendar day (0 on days without incidents).
   * - `daily_incidents`: number of incidents per calendar day (the attack rate).
   * @default ["daily_loss", "daily_incidents"]
   * @minItems 1
   */
  metrics?: MetricName[];
  /** Which significance tests to run on the pre and post daily values, and how. */
  tests?: TestsSpec;
  /**
   * Difference-in-differences: did the treated group change more than the control
   * groups did? (E.g. "DPRK halved while others rose".)
   */
  difference_in_differences?: DidSpec;
  /** Checks of how much the answer depends on the dates, the windows and single incidents. */
  robustness?: RobustnessSpec;
  /** What to write, and where. */
  output?: OutputSpec;
}

export interface DataSpec {
  /**
   * The data file: CSV, TSV, JSON (an array of objects), NDJSON or Parquet, each possibly
   * gzip-compressed (`.csv.gz`). A glob (`feed/*.parquet`; `**` matches any number of folders) reads every
   * file it matches as one table, in sorted order. A relative path is looked up beside the
   * spec first, then from the project root. Write `file` or `clickhouse`, not both.
   */
  file?: string;
  /**
   * Read the incidents from a ClickHouse server instead of a file: the parsing, grouping
   * and daily aggregation run on the server (a Distributed table works like a local one).
   */
  clickhouse?: ClickHouseSourceSpec;
  /** The file format; inferred from the file name's extension when omitted. */
  format?: "csv" | "tsv" | "json" | "ndjson" | "parquet";
  /** Which columns hold what. */
  columns: ColumnsSpec;
  /**
   * IANA time zone in which a timestamp becomes a calendar day, e.g. `America/New_York`.
   * A value that is already a plain date (YYYY-MM-DD) is taken as that day. A timestamp
   * with no offset is read as UTC.
   * @default "UTC"
   */
  timezone?: string;
  /**
   * What an empty amount means. `unknown` (the default): the incident counts as an
   * incident but adds nothing to the day's loss, and the number of such incidents is
   * reported. `drop`: the row is left out entirely (and counted in a warning).
   * @default "unknown"
   */
  missing_amount?: "unknown" | "drop";
  /**
   * Treat an amount of exactly 0 as unknown (some lists write 0 when the loss was not
   * published, e.g. SlowMist).
   * @default false
   */
  zero_amount_is_unknown?: boolean;
  /**
   * Exact duplicate rows (every column equal): `drop` keeps the first and warns;
   * `keep` keeps them all and warns; `unchecked` does not look for them at all: every
   * row counts as an incident, nothing warns, and the report says duplicates were not
   * looked for. Use `unchecked` for telemetry, where identical rows are real repeated
   * events: it skips the costliest step of loading, comparing every row with the others.
   * @default "drop"
   */
  duplicates?: "drop" | "keep" | "unchecked";
  /** Which rows to keep before groups are assigned. */
  filters?: FiltersSpec;
}

export interface ClickHouseSourceSpec {
  /** The table, as `database.table` or `table`. Write `table` or `query`, not both. */
  table?: string;
  /** A SELECT whose rows are the incidents (no FORMAT clause). */
  query?: string;
  /**
   * A JSON file with the connection, `{"url": ..., "user": ..., "password": ...}`, kept
   * outside the spec (and out of version control): never put credentials in a spec. The
   * environment variables EVENTSTUDY_CLICKHOUSE_URL, EVENTSTUDY_CLICKHOUSE_USER and
   * EVENTSTUDY_CLICKHOUSE_PASSWORD override it. A relative path is read beside the spec.
   */
  connection?: string;
  /**
   * How long one query may take.
   * @minimum 1
   * @maximum 3600
   * @default 60
   */
  timeout_seconds?: number;
}

export interface ColumnsSpec {
  /** The column with the incident's date or timestamp. */
  date: string;
  /** The column with the loss amount (a plain number; no currency signs or commas). */
  amount: string;
  /** A column naming the incident, used in warnings and the report. */
  name?: string;
  /**
   * A column with a link about the incident (news, post-mortem). The report links it
   * only when it is an http(s) URL.
   */
  url?: string;
}

export interface FiltersSpec {
  /** Keep only rows matching every condition. */
  include?: ColumnMatch;
  /** Leave out rows matching any condition. */
  exclude?: ColumnMatch;
  /**
   * Leave out incidents with a known amount below this. Unknown amounts are kept.
   * @minimum 0
   */
  min_amount?: number;
}

export interface CoverageSpec {
  /** First day the data is complete for. Inferred from the data when omitted. */
  start?: DateString;
  /** Last day the data is complete for. Inferred from the data when omitted. */
  end?: DateString;
}

export interface GroupSpec {
  /** The group's name, as shown in the report. @minLength 1 */
  name: string;
  /** Rows whose columns match every condition belong to this group. */
  where?: ColumnMatch;
  /** `true`: this group holds every row no earlier group claimed ("everyone else"). */
  otherwise?: boolean;
}

export interface EventSpec {
  /** The day of the event. It is the first day of the post window unless a gap is set. */
  date: DateString;
  /** A short label for charts and the report. */
  label: string;
}

export interface NamedEventSpec extends EventSpec {
  /**
   * A short identifier for file and folder names, e.g. `treaty`; made from the label
   * when omitted.
   * @pattern ^[a-z0-9][a-z0-9-]*$
   */
  id?: string;
  /** This event's windows; `windows` when omitted. */
  windows?: WindowsSpec;
}

export interface VariantSpec {
  /** The variant's name, as shown in the report (e.g. `SlowMist`). @minLength 1 */
  name: string;
  /**
   * A short identifier for file and folder names; made from the name when omitted.
   * @pattern ^[a-z0-9][a-z0-9-]*$
   */
  id?: string;
  /** What this variant changes, and why it is worth asking. */
  description?: string;
  /** Changes to `data`: only the keys written here replace the spec's. */
  data?: DataOverrideSpec;
  /** Other coverage for this variant (e.g. another source's first and last day). */
  coverage?: CoverageSpec;
  /**
   * Other group definitions (e.g. a strict attribution list); replaces the list whole.
   * @minItems 1
   * @maxItems 100
   */
  groups?: GroupSpec[];
}

/** Keys of `data` a variant may change. */
export interface DataOverrideSpec {
  /** The variant's data file. */
  file?: string;
  /** The file format; inferred from the file name's extension when omitted. */
  format?: "csv" | "tsv" | "json" | "ndjson" | "parquet";
  /** Which columns hold what; only the roles written here change. */
  columns?: Partial<ColumnsSpec>;
  /** See `data.timezone`. */
  timezone?: string;
  /** See `data.missing_amount`. */
  missing_amount?: "unknown" | "drop";
  /** See `data.zero_amount_is_unknown`. */
  zero_amount_is_unknown?: boolean;
  /** See `data.duplicates`. */
  duplicates?: "drop" | "keep" | "unchecked";
  /** See `data.filters`; merged key by key, so a variant can add an exclusion. */
  filters?: FiltersSpec;
}

export interface WindowsSpec {
  /** The window before the event. */
  pre: WindowSpec;
  /** The window from the event on. */
  post: WindowSpec;
  /**
   * Days left out around the event (anticipation before it, announcement lag after it).
   * They apply to windows given in days; windows given as dates must not reach into
   * them.
   */
  gap?: GapSpec;
}

/** A window as a number of days, or as explicit first and last days (inclusive). */
export type WindowSpec = WindowByDays | WindowByDates;

export interface WindowByDays {
  /** Length of the window in days. @minimum 1 @maximum 36600 @asType integer */
  days: number;
}

export interface WindowByDates {
  /** First day of the window (inclusive). */
  start: DateString;
  /** Last day of the window (inclusive). */
  end: DateString;
}

export interface GapSpec {
  /** Days left out just before the event. @minimum 0 @maximum 36600 @asType integer @default 0 */
  before?: number;
  /** Days left out from the event day on; the post window starts after them. @minimum 0 @maximum 36600 @asType integer @default 0 */
  after?: number;
}

export type MetricName = "daily_loss" | "daily_incidents";

/**
 * Two-sided tests of "no change between the pre and post windows":
 * - `block_permutation`: permutation test of the difference of means that moves blocks of
 *   consecutive days, so clustered incidents stay together (holds its level on
 *   autocorrelated data; see the calibration table in the README).
 * - `permutation`: permutation test of the difference of means, days exchangeable.
 * - `welch_t`: Welch's t-test (assumes independent days and a normal mean).
 * - `mann_whitney_u`: Mann–Whitney U on the daily values (ranks).
 * - `rate_ratio_exact`: exact conditional test of the ratio of two Poisson rates (incident counts only).
 * - `rate_ratio_quasi_poisson`: Poisson regression rate ratio with quasi-Poisson
 *   (overdispersion-corrected) standard errors (incident counts only).
 * - `segmented_regression`: interrupted time series, level change at the event, with
 *   Newey–West (HAC) standard errors.
 */
export type TestName =
  | "block_permutation"
  | "permutation"
  | "welch_t"
  | "mann_whitney_u"
  | "rate_ratio_exact"
  | "rate_ratio_quasi_poisson"
  | "segmented_regression";

export interface TestsSpec {
  /**
   * Significance level for the verdicts.
   * @exclusiveMinimum 0
   * @exclusiveMaximum 1
   * @default 0.05
   */
  alpha?: number;
  /**
   * Which tests to run on the pre and post daily values (two-sided). Tests for counts
   * run on `daily_incidents` only.
   * @default ["block_permutation", "permutation", "welch_t", "mann_whitney_u", "rate_ratio_exact", "rate_ratio_quasi_poisson", "segmented_regression"]
   */
  methods?: TestName[];
  /**
   * The test each metric's verdict rests on; it must be among `methods`.
   * @default {"daily_loss": "block_permutation", "daily_incidents": "block_permutation"}
   */
  primary?: PrimaryTests;
  /**
   * Seed of the random generator for every resampling method: the same seed reproduces
   * the same numbers bit for bit.
   * @asType integer
   * @minimum 0
   * @maximum 4294967295
   * @default 20240619
   */
  seed?: number;
  /**
   * Number of random permutations (when exact enumeration is not smaller).
   * @asType integer
   * @minimum 99
   * @maximum 1000000
   * @default 10000
   */
  permutations?: number;
  /** Bootstrap confidence intervals for the change in means. */
  bootstrap?: BootstrapSpec;
  /**
   * Newey–West lags for the segmented regression: a number, or `auto` for
   * floor(4 (n/100)^(2/9)).
   * @default "auto"
   */
  hac_max_lags?: LagCount | "auto";
  /**
   * Adjustment across every p-value the study reports: Holm (family-wise error),
   * Benjamini–Hochberg (false discovery rate), or none.
   * @default "holm"
   */
  multiple_testing?: "holm" | "bh" | "none";
}

/** A whole number of days. @asType integer @minimum 1 @maximum 36600 */
export type DayCount = number;

/** A number of Newey–West lags. @asType integer @minimum 0 @maximum 365 */
export type LagCount = number;

export interface PrimaryTests {
  daily_loss?: TestName;
  daily_incidents?: TestName;
}

export interface BootstrapSpec {
  /**
   * Number of bootstrap resamples.
   * @asType integer
   * @minimum 199
   * @maximum 1000000
   * @default 2000
   */
  resamples?: number;
  /**
   * Confidence level of the intervals.
   * @exclusiveMinimum 0
   * @exclusiveMaximum 1
   * @default 0.95
   */
  confidence?: number;
  /**
   * Mean block length in days for the stationary bootstrap, or `auto` (n^(1/3), rounded).
   * 1 is the ordinary bootstrap of independent days.
   * @default "auto"
   */
  block_length?: DayCount | "auto";
  /**
   * Which interval the report shows: percentile, or BCa (bias-corrected and accelerated).
   * Percentile is the default because on heavy-tailed daily losses BCa's jackknife
   * acceleration follows the single largest day and covers far less than its nominal
   * level (docs/calibration.md).
   * @default "percentile"
   */
  interval?: "bca" | "percentile";
}

export interface DidSpec {
  /** The group whose change is studied (a group name from `groups`). */
  treated: string;
  /**
   * The groups it is compared with (names from `groups`); their daily values are summed.
   * @minItems 1
   */
  controls: string[];
}

export interface RobustnessSpec {
  /**
   * Recompute the effect at every eligible fake event date in coverage.
   * @default true
   */
  placebo?: boolean;
  /**
   * Window lengths (days each side of the event) for the sensitivity analysis.
   * @default [30, 60, 90, 120, 180]
   * @maxItems 20
   */
  sensitivity_days?: DayCount[];
  /**
   * How many of the largest incidents in the windows to leave out one at a time.
   * @asType integer
   * @minimum 0
   * @maximum 50
   * @default 5
   */
  influence_top_k?: number;
}

export interface OutputSpec {
  /** The report's title; the study's title when omitted. */
  title?: string;
  /**
   * Which files to write into `reports/<spec-name>/`.
   * @default ["html", "json"]
   * @minItems 1
   */
  formats?: Array<"html" | "json">;
}

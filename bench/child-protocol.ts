/** What `bench/study-child.ts` prints for `bench/scale.ts`: one prefixed JSON line. */
export const RESULT_PREFIX = "BENCH-RESULT ";

export interface ChildResult {
  /** Pipeline stages in order, then the report stage. */
  timings: Array<{ stage: string; ms: number }>;
  /** Loading DuckDB, vega and the engine's modules: paid once per process, not per row. */
  moduleLoadMs: number;
  /** Spec to report folder written. */
  studyMs: number;
  rowsRead: number;
  rowsUsed: number;
  /** CPU time of the study (user + system, all threads), ms: steadier than wall time on a shared machine. */
  studyCpuMs: number;
  /** The child's peak resident set size, bytes. */
  peakRssBytes: number;
  /** SHA-256 of the comparisons and row counts: equal across formats of the same data. */
  resultsDigest: string;
}

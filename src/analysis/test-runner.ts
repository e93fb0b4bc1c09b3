/**
 * Runs one named test on a pre/post pair of daily series and returns it in the one shape
 * results.json uses for every test. Each test's own kernel lives in src/stats/; this file
 * only dispatches, names the variant, and turns "too few days" into a recorded note
 * rather than a failed study.
 */
import { EventStudyError } from "../errors.js";
import type { MetricName, TestName } from "../spec/input-spec.js";
import { COUNT_ONLY_TESTS } from "../spec/normalize.js";
import { defaultBlockLength } from "../stats/block-bootstrap.js";
import { sum } from "../stats/descriptive.js";
import { mannWhitneyU, MANN_WHITNEY_VARIANT } from "../stats/mann-whitney-u.js";
import { quasiPoissonRateRatio, QUASI_POISSON_VARIANT } from "../stats/overdispersed-rate-ratio.js";
import { blockPermutationTest, permutationTestMeans } from "../stats/permutation-test.js";
import { poissonRateTest, POISSON_RATE_TEST_VARIANT } from "../stats/poisson-rate-test.js";
import type { Rng } from "../stats/random.js";
import { poissonSegmentedRegression, segmentedRegression } from "../stats/segmented-regression.js";
import { welchTTest } from "../stats/welch-t-test.js";

/** An effect estimate some tests produce alongside their p-value (a rate ratio, a level change). */
export interface TestEffect {
  name: string;
  estimate: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface TestOutcome {
  method: TestName;
  statistic: number | null;
  /** Degrees of freedom, for tests that have them. */
  df: number | null;
  pValue: number | null;
  /** Filled in after every test of the study is known (multiple-testing adjustment). */
  adjustedPValue: number | null;
  variant: string;
  effect: TestEffect | null;
  /** Why a value is missing, or a caveat on it. */
  note: string | null;
}

export interface TestSettings {
  permutations: number;
  /** null: the default rule, max(1, round(m^(1/3))) for the shorter window's m days. */
  blockLength: number | null;
  /** null: the Newey–West default lag rule. */
  hacMaxLags: number | null;
  confidence: number;
  /** Days between the pre window's last day and the post window's first day. */
  gapDays: number;
}

/** Tests that apply to a metric: the count tests only to incident counts. */
export function appliesTo(method: TestName, metric: MetricName | "difference"): boolean {
  return !COUNT_ONLY_TESTS.has(method) || metric === "daily_incidents";
}

/**
 * A test as a study runs it. Nothing on any day of either window (a group with no incident
 * in either): a permutation test would say p = 1 and a rate test compare 0 with 0, which
 * reads as "tested, no change" and would count in the study's multiple-testing family.
 * There is nothing to test. (A series alike on every day but not 0, one incident a day, is
 * tested: the rate tests compare its counts.)
 */
export function runTest(method: TestName, metric: MetricName | "difference", post: Float64Array, pre: Float64Array, settings: TestSettings, rng: Rng): TestOutcome {
  if (allZero(pre) && allZero(post)) {
    return { method, statistic: null, df: null, pValue: null, adjustedPValue: null, effect: null, variant: variantOf(method, metric, settings, pre, post), note: `not computed: ${nothingToCompare(metric)}` };
  }
  return runKernel(method, metric, post, pre, settings, rng);
}

/**
 * The test itself, on any windows: what calibration measures (src/calibration), where an
 * all-zero draw is one more draw of the null model, not a study with nothing to compare.
 */
export function runKernel(method: TestName, metric: MetricName | "difference", post: Float64Array, pre: Float64Array, settings: TestSettings, rng: Rng): TestOutcome {
  const blank = { method, statistic: null, df: null, pValue: null, adjustedPValue: null, effect: null, note: null };
  try {
    return withoutNaN({ ...blank, ...dispatch(method, metric, post, pre, settings, rng) });
  } catch (error) {
    // Too few days (or similar) for this test: record why instead of failing the whole study.
    if (error instanceof EventStudyError) return { ...blank, variant: variantOf(method, metric, settings, pre, post), note: `not computed: ${error.message}` };
    throw error;
  }
}

type Dispatched = Partial<TestOutcome> & { variant: string };

/**
 * The contract of results.json: never NaN or Infinity. Kernels refuse degenerate data
 * themselves (with a reason); this is the last line for a case none of them foresaw.
 */
function withoutNaN(outcome: TestOutcome): TestOutcome {
  const undefinedValue = (value: number | null): boolean => value !== null && !Number.isFinite(value);
  if (!undefinedValue(outcome.statistic) && !undefinedValue(outcome.pValue)) return outcome;
  return {
    ...outcome,
    statistic: null,
    df: null,
    pValue: null,
    note: outcome.note ?? "the test's statistic is undefined on these data (0/0), so it is not reported",
  };
}

function dispatch(method: TestName, metric: MetricName | "difference", post: Float64Array, pre: Float64Array, settings: TestSettings, rng: Rng): Dispatched {
  const variant = variantOf(method, metric, settings, pre, post);
  switch (method) {
    case "welch_t": {
      const result = welchTTest(post, pre);
      return { statistic: result.statistic, df: result.df, pValue: result.pValue, note: result.note, variant };
    }
    case "mann_whitney_u": {
      const result = mannWhitneyU(post, pre);
      return { statistic: result.statistic, pValue: result.pValue, variant };
    }
    case "permutation": {
      const result = permutationTestMeans(post, pre, { resamples: settings.permutations, rng, statistic: "difference" });
      return { statistic: result.observed, pValue: result.pValue, note: result.note, variant: `${variant}${result.exact ? "; all splits enumerated (exact)" : ""}` };
    }
    case "block_permutation": {
      const result = blockPermutationTest(post, pre, { resamples: settings.permutations, rng, statistic: "difference", blockLength: blockLengthFor(settings, pre, post) });
      return { statistic: result.observed, pValue: result.pValue, note: result.note, variant: `${variant}${result.exact ? "; all splits enumerated (exact)" : ""}` };
    }
    case "rate_ratio_exact": {
      const result = poissonRateTest({ count: sum(post), days: post.length }, { count: sum(pre), days: pre.length }, settings.confidence);
      return { statistic: result.rateRatio, pValue: result.pValue, note: result.note, effect: { name: "rate ratio (post/pre)", estimate: result.rateRatio, ciLow: result.ciLow, ciHigh: result.ciHigh }, variant };
    }
    case "rate_ratio_quasi_poisson": {
      const result = quasiPoissonRateRatio(post, pre, { confidenceLevel: settings.confidence });
      const note = result.note ?? (result.dispersion === null ? null : `dispersion ${result.dispersion.toFixed(3)} (1 = Poisson)`);
      return {
        statistic: result.logRateRatio?.statistic ?? null,
        pValue: result.logRateRatio?.pValue ?? null,
        note,
        effect: { name: "rate ratio (post/pre)", estimate: result.rateRatio, ciLow: result.ciLow, ciHigh: result.ciHigh },
        variant,
      };
    }
    case "segmented_regression": {
      if (metric === "daily_incidents") {
        const result = poissonSegmentedRegression(pre, post, { maxLags: settings.hacMaxLags, gapDays: settings.gapDays, confidenceLevel: settings.confidence });
        return {
          statistic: result.levelChange?.statistic ?? null,
          pValue: result.levelChange?.pValue ?? null,
          note: result.note,
          effect: {
            name: "rate ratio at the event (level change)",
            estimate: result.levelRateRatio?.estimate ?? null,
            ciLow: result.levelRateRatio?.ciLow ?? null,
            ciHigh: result.levelRateRatio?.ciHigh ?? null,
          },
          variant: `${variant}; ${result.maxLags ?? "no"} lag(s)`,
        };
      }
      const result = segmentedRegression(pre, post, { maxLags: settings.hacMaxLags, gapDays: settings.gapDays, confidenceLevel: settings.confidence });
      return {
        statistic: result.levelChange.statistic,
        pValue: result.levelChange.pValue,
        effect: { name: "level change at the event (per day)", estimate: result.levelChange.estimate, ciLow: result.levelChange.ciLow, ciHigh: result.levelChange.ciHigh },
        variant: `${variant}; ${result.maxLags} lag(s)`,
      };
    }
  }
}

export function blockLengthFor(settings: TestSettings, pre: ArrayLike<number>, post: ArrayLike<number>): number {
  return settings.blockLength ?? defaultBlockLength(post.length, pre.length);
}

/** Exactly which version of each test ran, in words, for results.json and the report. */
function variantOf(method: TestName, metric: MetricName | "difference", settings: TestSettings, pre: Float64Array, post: Float64Array): string {
  switch (method) {
    case "welch_t":
      return "two-sided Welch t-test (unequal variances) on daily values; t > 0 when the post mean is higher";
    case "mann_whitney_u":
      return `${MANN_WHITNEY_VARIANT}; U counts post > pre pairs`;
    case "permutation":
      return `two-sided permutation test of the difference of means (|T*| >= |T|), days exchangeable; ${settings.permutations} random splits with p = (b+1)/(R+1), or every split when there are fewer`;
    case "block_permutation":
      return `two-sided permutation test of the difference of means exchanging non-overlapping blocks of ${blockLengthFor(settings, pre, post)} consecutive days aligned on the event; ${settings.permutations} random splits with p = (b+1)/(R+1), or every split when there are fewer`;
    case "rate_ratio_exact":
      return POISSON_RATE_TEST_VARIANT;
    case "rate_ratio_quasi_poisson":
      return QUASI_POISSON_VARIANT;
    case "segmented_regression":
      return metric === "daily_incidents"
        ? "segmented Poisson regression (log link) y ~ 1 + t + post + (t - t0) post, Newey–West HAC covariance; level change as a rate ratio"
        : "segmented OLS regression y ~ 1 + t + post + (t - t0) post, Newey–West HAC standard errors (Bartlett kernel), normal reference";
  }
}

/** Whether every day of a window is 0. */
export function allZero(values: Float64Array): boolean {
  for (const value of values) if (value !== 0) return false;
  return true;
}

/** Why a series that is 0 on every day of both windows cannot be tested. */
function nothingToCompare(metric: MetricName | "difference"): string {
  if (metric === "daily_incidents") return "no incidents in either window, so there is nothing to compare";
  if (metric === "daily_loss") return "no loss in either window (no incident of known amount above 0), so there is nothing to compare";
  return "the difference is 0 on every day of both windows, so there is nothing to compare";
}

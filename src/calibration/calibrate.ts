/**
 * Calibration of every test and bootstrap interval on simulated null data: daily series
 * with no event effect, shaped like real hack data (src/calibration/null-model.ts). The
 * question for a test: when nothing changed, how often is p < alpha? A test that "holds
 * its level" rejects about alpha of the time; one that rejects more often calls noise a
 * change. For an interval: how often does it contain the true change, 0?
 *
 * Each simulation draws one series of preDays + postDays days from the same model
 * throughout (no effect: the post window's distribution is the pre window's), splits it
 * into a pre window (the first preDays days) and a post window (the rest, with no gap, as
 * the sample studies do), and runs on both metrics exactly what a study runs:
 *  - every test in `methods` that applies to the metric (appliesTo: the rate-ratio tests
 *    only on daily_incidents), through the engine's own test kernels (runKernel), with the default block
 *    length and Newey–West lag rules;
 *  - the stationary block bootstrap interval for the difference of means (post − pre),
 *    percentile and BCa, through changeInterval (the relative change is not calibrated).
 * daily_loss is the sum of the day's amounts, daily_incidents the day's count.
 *
 * Rejection: pValue < alpha, the engine's definition of `significant`. A test that is not
 * computed (pValue null: e.g. constant data) neither rejects nor counts in the rate's
 * denominator; `computed` says how many simulations it answered.
 *
 * Monte Carlo error: a rate p over n simulations has standard error sqrt(p (1 − p) / n)
 * (0.0049 at p = 0.05, n = 2,000). "Holds its level" means a rate within [0.03, 0.07]: the
 * band allows for Monte Carlo error at 2,000 simulations (about ±4 SE) and for the
 * discreteness of some tests (the exact conditional Poisson test is conservative by
 * construction), and flags a test whose real level is far from nominal.
 *
 * Resampling sizes: permutation tests with R random splits give p = (b + 1) / (R + 1),
 * which is a valid p-value for any R (P(p <= u) <= u exactly under exchangeability;
 * Phipson and Smyth 2010): R only changes the power and the Monte Carlo noise of a single
 * p-value, not the false-positive rate measured here. So R = 999 (or 499) inside the
 * calibration measures the same level as the 10,000 of a study. The bootstrap interval's
 * endpoints are quantiles of B resamples, and fewer resamples make them noisier, which
 * moves coverage a little (by a fraction of a percentage point between B = 999 and 2,000);
 * `npm run calibrate` therefore uses a study's default B = 2,000.
 *
 * What "coverage" means: the interval covers when low <= 0 <= high. With a tail index
 * alpha > 1 the daily loss has a finite mean, both windows have the same mean, and 0 is
 * the true difference of means: this is ordinary coverage. With alpha <= 1 (as fitted to
 * the hack data) the mean of a Pareto amount is infinite, and "post mean − pre mean" of
 * the population is ∞ − ∞, undefined: there is no parameter to cover. Coverage of 0 is
 * then still the right null check, read as a test: the report reads an interval that
 * excludes 0 as evidence of a change, so 1 − coverage is the false-positive rate of that
 * reading. Because the two windows are identically distributed (and, for unequal lengths,
 * nearly symmetric around each other), a well-behaved procedure excludes 0 about 5% of
 * the time, split evenly between the two sides. Do not expect the bootstrap to achieve it:
 * with infinite variance (alpha < 2) the bootstrap of a mean is not consistent (Athreya
 * 1987), and with alpha <= 1 the window means are dominated by their single largest
 * incident, so the coverage measured here is an empirical property of the procedure on
 * data like these, not an approximation that improves with more days. `missesAbove`
 * (interval entirely above 0) and `missesBelow` (entirely below) give the two sides of
 * the misses, and `missesTowardLargestDay` how many of them point toward the window that
 * holds the largest single day (on heavy-tailed losses, nearly all: the interval follows
 * the biggest hack).
 *
 * Reproducibility: every random draw comes from labelledRng(seed, label), one stream per
 * simulation and use: `sim|i|series`, `sim|i|<metric>|<method>`,
 * `sim|i|<metric>|bootstrap|difference`. The same settings give the same result bit for
 * bit, and simulation i does not depend on how many simulations run.
 *
 * References: Phipson and Smyth (2010), "Permutation p-values should never be zero",
 * Stat. Appl. Genet. Mol. Biol. 9(1); Athreya (1987), "Bootstrap of the mean in the
 * infinite variance case", Annals of Statistics 15, 724–731.
 */
import { changeInterval } from "../analysis/change-interval.js";
import { labelledRng } from "../analysis/labelled-rng.js";
import { appliesTo, runKernel, type TestSettings } from "../analysis/test-runner.js";
import type { MetricName, TestName } from "../spec/input-spec.js";
import { defaultBlockLength } from "../stats/block-bootstrap.js";
import { simulateNullSeries, type NullModel } from "./null-model.js";

export const METRICS: readonly MetricName[] = ["daily_loss", "daily_incidents"];
export const INTERVAL_KINDS = ["percentile", "bca"] as const;
export type IntervalKind = (typeof INTERVAL_KINDS)[number];
/** A rate in this band "holds its level" at alpha = 0.05. */
export const LEVEL_BAND: readonly [number, number] = [0.03, 0.07];

/**
 * The window lengths `npm run calibrate` measures, shortest first: equal pre and post
 * windows of 7, 14, 30 and 90 days, and the sample studies' 170 pre / 196 post. A spec may
 * use windows as short as 2 days, and tests that lean on large-sample approximations
 * (Newey–West HAC standard errors above all) behave very differently on a few days than
 * on half a year, so the report quotes the calibration nearest a study's own windows
 * (src/calibration/window-match.ts) and says when the study's are shorter than all of these.
 */
export const CALIBRATION_WINDOWS: readonly { preDays: number; postDays: number }[] = [
  { preDays: 7, postDays: 7 },
  { preDays: 14, postDays: 14 },
  { preDays: 30, postDays: 30 },
  { preDays: 90, postDays: 90 },
  { preDays: 170, postDays: 196 },
];

export interface CalibrationOptions {
  model: NullModel;
  preDays: number;
  postDays: number;
  simulations: number;
  /** Random splits per permutation test (p = (b+1)/(R+1) is valid for any R). */
  permutations: number;
  /** Bootstrap resamples per interval. */
  bootstrapResamples: number;
  /** Significance level: a test rejects when p < alpha. */
  alpha: number;
  seed: number;
  methods: readonly TestName[];
  /** Confidence level of the intervals; default 0.95. */
  confidence?: number;
  /** Band for "holds its level"; default [0.03, 0.07] (meant for alpha = 0.05). */
  levelBand?: readonly [number, number];
  /** Called after each simulation (for progress output). */
  onProgress?: (done: number, total: number) => void;
}

export interface TestCalibration {
  metric: MetricName;
  method: TestName;
  simulations: number;
  /** Simulations in which the test returned a p-value. */
  computed: number;
  /** Simulations with p < alpha. */
  rejections: number;
  /** rejections / computed; null when never computed. */
  rate: number | null;
  /** Monte Carlo standard error sqrt(rate (1 − rate) / computed). */
  standardError: number | null;
  /** rate within levelBand. */
  holdsLevel: boolean | null;
  /** The test's variant as runTest names it (first simulation). */
  variant: string;
}

export interface IntervalCalibration {
  metric: MetricName;
  kind: IntervalKind;
  simulations: number;
  /** Simulations in which this interval was defined. */
  computed: number;
  /** Intervals with low <= 0 <= high. */
  covered: number;
  /** covered / computed; null when never computed. */
  coverage: number | null;
  standardError: number | null;
  /** Intervals entirely above 0 (0 < low): a spurious increase. */
  missesAbove: number;
  /** Intervals entirely below 0 (high < 0): a spurious decrease. */
  missesBelow: number;
  /**
   * Misses on the side of the window that holds the single largest day (above 0 when the
   * post window's largest day is larger than the pre window's, below 0 when smaller; ties
   * count in neither): how often a miss just follows the biggest day.
   */
  missesTowardLargestDay: number;
  /** Median of high − low over the computed intervals. */
  medianWidth: number | null;
}

/** The settings it ran with (defaults filled in), and what it measured. */
export interface CalibrationResult extends Omit<CalibrationOptions, "methods" | "confidence" | "levelBand" | "onProgress"> {
  confidence: number;
  /** Block length used by the block permutation test and the bootstrap (default rule). */
  blockLength: number;
  levelBand: [number, number];
  tests: TestCalibration[];
  intervals: IntervalCalibration[];
}

export function calibrate(options: CalibrationOptions): CalibrationResult {
  const { model, preDays, postDays, simulations, permutations, bootstrapResamples, alpha, seed, methods } = options;
  const confidence = options.confidence ?? 0.95;
  const levelBand: [number, number] = [...(options.levelBand ?? LEVEL_BAND)] as [number, number];
  for (const [name, value] of [
    ["preDays", preDays],
    ["postDays", postDays],
    ["simulations", simulations],
    ["permutations", permutations],
    ["bootstrapResamples", bootstrapResamples],
  ] as const) {
    if (!(Number.isSafeInteger(value) && value >= 1)) throw new RangeError(`calibrate: ${name} ${value} must be a positive whole number`);
  }
  if (preDays < 2 || postDays < 2) throw new RangeError("calibrate: each window needs at least 2 days");
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`calibrate: alpha ${alpha} must lie strictly between 0 and 1`);

  const blockLength = defaultBlockLength(postDays, preDays);
  const testSettings: TestSettings = { permutations, blockLength: null, hacMaxLags: null, confidence, gapDays: 0 };
  const intervalSettings = { resamples: bootstrapResamples, confidence, blockLength, interval: "bca" as const };

  const testTallies = METRICS.flatMap((metric) =>
    methods.filter((method) => appliesTo(method, metric)).map((method) => ({ metric, method, computed: 0, rejections: 0, variant: "" })),
  );
  const intervalTallies = METRICS.flatMap((metric) =>
    INTERVAL_KINDS.map((kind) => ({ metric, kind, computed: 0, covered: 0, missesAbove: 0, missesBelow: 0, missesTowardLargestDay: 0, widths: [] as number[] })),
  );

  for (let i = 0; i < simulations; i += 1) {
    const series = simulateNullSeries(model, preDays + postDays, labelledRng(seed, `sim|${i}|series`));
    for (const metric of METRICS) {
      const values = metric === "daily_loss" ? series.losses : series.counts;
      const pre = values.subarray(0, preDays);
      const post = values.subarray(preDays);
      for (const tally of testTallies) {
        if (tally.metric !== metric) continue;
        // The kernel, not the study's runTest: a draw with no incident in either window is a
        // draw of the null model like any other (a study would decline to test it).
        const outcome = runKernel(tally.method, metric, post, pre, testSettings, labelledRng(seed, `sim|${i}|${metric}|${tally.method}`));
        if (i === 0) tally.variant = outcome.variant;
        if (outcome.pValue === null) continue;
        tally.computed += 1;
        if (outcome.pValue < alpha) tally.rejections += 1;
      }
      const largestPost = maxOf(post);
      const largestPre = maxOf(pre);
      const interval = changeInterval(post, pre, intervalSettings, (statistic) => labelledRng(seed, `sim|${i}|${metric}|bootstrap|${statistic}`), false);
      for (const tally of intervalTallies) {
        if (tally.metric !== metric) continue;
        const pair = interval.difference[tally.kind];
        if (pair === null) continue;
        const [low, high] = pair;
        tally.computed += 1;
        tally.widths.push(high - low);
        if (low > 0) {
          tally.missesAbove += 1;
          if (largestPost > largestPre) tally.missesTowardLargestDay += 1;
        } else if (high < 0) {
          tally.missesBelow += 1;
          if (largestPre > largestPost) tally.missesTowardLargestDay += 1;
        } else tally.covered += 1;
      }
    }
    options.onProgress?.(i + 1, simulations);
  }

  return {
    model: { ...model },
    preDays,
    postDays,
    simulations,
    permutations,
    bootstrapResamples,
    alpha,
    confidence,
    seed,
    blockLength,
    levelBand,
    tests: testTallies.map(({ metric, method, computed, rejections, variant }) => {
      const rate = computed === 0 ? null : rejections / computed;
      return {
        metric,
        method,
        simulations,
        computed,
        rejections,
        rate,
        standardError: rate === null ? null : monteCarloError(rate, computed),
        holdsLevel: rate === null ? null : rate >= levelBand[0] && rate <= levelBand[1],
        variant,
      };
    }),
    intervals: intervalTallies.map(({ metric, kind, computed, covered, missesAbove, missesBelow, missesTowardLargestDay, widths }) => {
      const coverage = computed === 0 ? null : covered / computed;
      return {
        metric,
        kind,
        simulations,
        computed,
        covered,
        coverage,
        standardError: coverage === null ? null : monteCarloError(coverage, computed),
        missesAbove,
        missesBelow,
        missesTowardLargestDay,
        medianWidth: widths.length === 0 ? null : medianOf(widths),
      };
    }),
  };
}

/** sqrt(p (1 − p) / n): the standard error of a proportion over n simulations. */
export function monteCarloError(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}

function maxOf(values: Float64Array): number {
  let largest = -Infinity;
  for (let index = 0; index < values.length; index += 1) largest = Math.max(largest, values[index] as number);
  return largest;
}

function medianOf(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

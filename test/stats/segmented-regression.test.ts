// Expected numbers: statsmodels 0.13.5 (Debian python3-statsmodels; numpy 1.24.2, scipy
// 1.10.1), printed by
//   cd test/reference && /usr/bin/python3 segmented_regression.py
// with X = [1, t, post, (t - t0) post] (t = 0.. over pre days, n0 + gap + i over post days):
//   OLS:     sm.OLS(y, X).fit(cov_type='HAC', cov_kwds={'maxlags': L})
//   Poisson: sm.GLM(y, X, family=sm.families.Poisson()).fit(cov_type='HAC', cov_kwds={'maxlags': L[, 'use_correction': True]})
//   quasi:   sm.GLM(y, X, family=sm.families.Poisson()).fit(scale='X2')
// params, bse, tvalues, pvalues, conf_int(). The script also refits the GLMs with
// tol=1e-13 and finds them unchanged to < 1e-14, so 1e-8 relative holds for the IRLS fits.
import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../src/errors.js";
import type { Coefficient } from "../../src/stats/hac-ols.js";
import { POISSON_GLM_DIVERGED } from "../../src/stats/overdispersed-rate-ratio.js";
import { poissonSegmentedRegression, segmentedDesign, segmentedRegression } from "../../src/stats/segmented-regression.js";
import { counts120, losses120 } from "./reference-series.js";
import { expectClose as close, expectCoefficients, type StatsmodelsTable } from "../helpers/reference-match.js";


type Reference = StatsmodelsTable;
const matches = (coefficients: Coefficient[] | null, reference: Reference): void => {
  expect(coefficients?.map((c) => c.name)).toEqual(["intercept", "trend", "level_change", "trend_change"]);
  expectCoefficients(coefficients, reference);
};

describe("segmentedDesign", () => {
  it("numbers post days after the gap and measures the trend change from the first post day", () => {
    const { y, design, eventIndex } = segmentedDesign([5, 6, 7], [1, 2], 2);
    expect(eventIndex).toBe(5);
    expect(Array.from(y)).toEqual([5, 6, 7, 1, 2]);
    expect(design.map((column) => [column.name, Array.from(column.values)])).toEqual([
      ["intercept", [1, 1, 1, 1, 1]],
      ["trend", [0, 1, 2, 5, 6]],
      ["level_change", [0, 0, 0, 1, 1]],
      ["trend_change", [0, 0, 0, 0, 1]],
    ]);
  });
});

describe("segmentedRegression (OLS + HAC) against statsmodels 0.13.5", () => {
  it("daily USD losses, 60 + 60 days, rule lags (4)", () => {
    const result = segmentedRegression(losses120.pre, losses120.post);
    expect([result.maxLags, result.maxLagsSource, result.eventIndex, result.nobs, result.distribution]).toEqual([4, "rule", 60, 120, "normal"]);
    matches(result.coefficients, {
      params: [-217125.02021858044, 20906.265657127005, -858468.1126516624, -24713.03537093638],
      bse: [432529.19697603263, 21362.54584399142, 906316.903970291, 21544.907498891087],
      tvalues: [-0.5019892801146828, 0.9786411137419396, -0.9472052312949057, -1.147047643263651],
      pvalues: [0.6156750616396902, 0.32775733733368184, 0.3435342102025486, 0.2513619307806786],
      confInt: [
        [-1064866.6685536352, 630616.6281164745],
        [-20963.55481518199, 62776.086129436],
        [-2634816.60301328, 917880.3777099547],
        [-66940.27811900985, 17514.20737713708],
      ],
    });
    expect(result.levelChange).toEqual(result.coefficients[2]);
    expect(result.trendChange).toEqual(result.coefficients[3]);
  });
  it("daily counts with a 3-day gap and maxlags 7", () => {
    const result = segmentedRegression(counts120.pre, counts120.post, { gapDays: 3, maxLags: 7 });
    expect(result.eventIndex).toBe(63);
    matches(result.coefficients, {
      params: [0.05956284153005423, 0.000805779383162006, 0.3049736037788272, -0.005279244234509629],
      bse: [0.06372945452435455, 0.0015276211979641633, 0.15291459831407475, 0.003776533267248412],
      tvalues: [0.9346202940948125, 0.5274732926172113, 1.9944047667210623, -1.3979075148876141],
      pvalues: [0.34998401660692735, 0.597864958232506, 0.04610783801884406, 0.1621408417048057],
      confInt: [
        [-0.06534459409206389, 0.18447027715217235],
        [-0.0021883031468676864, 0.0037998619131916983],
        [0.005266498372831441, 0.604680709184823],
        [-0.012681113424733895, 0.002122624955714637],
      ],
    });
  });
  it("needs 2 days in each window and 5 in all", () => {
    expect(() => segmentedRegression([1, 2], [3])).toThrow(new InsufficientDataError("segmented regression", "at least 2 days in each window and 5 days in all"));
    expect(() => segmentedRegression([1, 2], [3, 4])).toThrow(new InsufficientDataError("segmented regression", "at least 2 days in each window and 5 days in all"));
  });
});

describe("poissonSegmentedRegression against statsmodels 0.13.5 GLM(Poisson)", () => {
  const hacReference: Reference = {
    params: [-2.7859071601197307, 0.009724093878808026, 1.3759900479893437, -0.025754712726290208],
    bse: [0.8684153924275183, 0.018402159108288706, 0.7197888955620682, 0.022800901852733934],
    tvalues: [-3.2080352149587843, 0.5284213565150677, 1.9116577881003036, -1.129547984225988],
    pvalues: [0.0013364513323695698, 0.5972069178280619, 0.05592010193888964, 0.2586667395103155],
    confInt: [
      [-4.487970052897884, -1.0838442673415773],
      [-0.026343475211213555, 0.04579166296882961],
      [-0.03477026378417225, 2.7867503597628596],
      [-0.0704436591726813, 0.018934233720100897],
    ],
  };
  it("HAC (default), rule lags (4), 120 mostly-zero days", () => {
    const result = poissonSegmentedRegression(counts120.pre, counts120.post);
    expect([result.covarianceType, result.maxLags, result.maxLagsSource, result.distribution, result.note]).toEqual(["hac", 4, "rule", "normal", null]);
    matches(result.coefficients, hacReference);
    close(result.dispersion, 1.8547756757495626);
    close(result.levelRateRatio?.estimate, Math.exp(1.3759900479893437));
    close(result.levelRateRatio?.ciLow, Math.exp(-0.03477026378417225));
    close(result.levelRateRatio?.ciHigh, Math.exp(2.7867503597628596));
  });
  it("HAC with a 3-day gap, maxlags 7 and use_correction=True", () => {
    const result = poissonSegmentedRegression(counts120.pre, counts120.post, { gapDays: 3, maxLags: 7, useCorrection: true });
    matches(result.coefficients, {
      params: [-2.7859071601197356, 0.009724093878808515, 1.3468177663529317, -0.025754712726292164],
      bse: [0.9564867354524393, 0.01979931907401198, 0.8096747025913822, 0.024013617017357228],
      tvalues: [-2.9126458913222044, 0.4911327426190168, 1.6634060098980628, -1.0725045172360523],
      pvalues: [0.003583807478658746, 0.6233325647121486, 0.09623119091615405, 0.28349348609781133],
      confInt: [
        [-4.660586713296807, -0.9112276069426639],
        [-0.029081858424671897, 0.04853004618228893],
        [-0.24011548991935694, 2.9337510226252204],
        [-0.07282053721885048, 0.021311111766266155],
      ],
    });
  });
  it("quasi-Poisson covariance", () => {
    const result = poissonSegmentedRegression(counts120.pre, counts120.post, { covariance: "quasi-poisson" });
    expect([result.covarianceType, result.maxLags]).toEqual(["quasi-poisson", null]);
    close(result.dispersion, 1.8547756757495701);
    matches(result.coefficients, {
      params: [-2.785907160119744, 0.00972409387880822, 1.3759900479893374, -0.0257547127262902],
      bse: [1.3005941520174542, 0.03546818737253298, 1.293009329384277, 0.04048168231111435],
      tvalues: [-2.142026515956806, 0.27416382395506017, 1.0641764268201956, -0.6362065817412726],
      pvalues: [0.03219134835869249, 0.7839587276170272, 0.2872487837933919, 0.5246417838379712],
      confInt: [
        [-5.335024856577366, -0.2367894636621215],
        [-0.059792275968274744, 0.07924046372589119],
        [-1.1582616692781336, 3.910241765256808],
        [-0.1050973520896665, 0.05358792663708609],
      ],
    });
    expect(() => poissonSegmentedRegression(counts120.pre, counts120.post, { covariance: "quasi-poisson", maxLags: 3 })).toThrow(
      "Poisson segmented regression: maxLags, useT and useCorrection apply to the HAC covariance only",
    );
  });
  it("no post incidents: a note instead of a fit", () => {
    const result = poissonSegmentedRegression(counts120.pre, new Float64Array(60));
    expect([result.levelChange, result.trendChange, result.levelRateRatio, result.coefficients]).toEqual([null, null, null, null]);
    expect(result.note).toBe("no incidents in the post window, so its log rate is -infinity and the level change has no finite estimate; use the exact Poisson rate test");
  });
  it("post incidents only on the last day: no finite trend (statsmodels: converged=False after 100 iterations, level change -89.4, p = 0.018)", () => {
    const lastDayOnly = new Float64Array(60);
    lastDayOnly[59] = 2;
    const result = poissonSegmentedRegression(counts120.pre, lastDayOnly);
    expect(result.coefficients).toBeNull();
    expect(result.note).toBe(POISSON_GLM_DIVERGED);
  });
});

const EXACT_FIT = new InsufficientDataError("segmented regression", "daily values that the two lines do not fit exactly (every residual here is 0 up to rounding, e.g. every day has the same value)");

describe("segmentedRegression on data it fits exactly", () => {
  it("refuses, naming the reason, instead of returning 0/0 statistics (statsmodels returns nan here)", () => {
    expect(() => segmentedRegression(new Float64Array(10), new Float64Array(10))).toThrow(EXACT_FIT);
  });
});

// Degenerate inputs, printed by
//   cd test/reference && /usr/bin/python3 degenerate_fits.py
// The engine's rule: the fit is exact up to rounding when sqrt(RSS) <= n k eps ||y||_2
// (n days, k = 4 columns); the script prints sqrt(ssr) next to that bound.
describe("segmentedRegression on data it fits exactly up to rounding", () => {
  it("a constant non-zero series is refused like the exact case, whatever the constant and the length (statsmodels prints a pseudo-result: 100 every day, 60 + 60 days -> level change 2.66e-14, z 0.280, p 0.779, sqrt(ssr) 1.09e-12 against the bound 1.17e-10)", () => {
    for (const value of [100, 1, 7, 0.1, 1234.5678, 3.05e8, 1e-9, -42.5]) {
      for (const days of [3, 10, 60, 180, 730]) {
        for (const gapDays of [0, 5]) {
          const series = new Float64Array(days).fill(value);
          expect(() => segmentedRegression(series, series, { gapDays }), `${value} on ${days} + ${days} days, gap ${gapDays}`).toThrow(EXACT_FIT);
        }
      }
    }
  });
  it("an exactly linear series with a level and trend change is refused too", () => {
    const pre = Float64Array.from({ length: 90 }, (_, t) => 1e6 + 1234.5 * t);
    const post = Float64Array.from({ length: 90 }, (_, i) => 3e5 - 77.25 * (90 + i));
    expect(() => segmentedRegression(pre, post)).toThrow(EXACT_FIT);
  });

  // y = 100 + amp * noise_t, noise_t = ((7 t) mod 13) - 6 on days t = 0..124, pre t < 60,
  // post t = 65..124 (gap 5). statsmodels fits the centred y - 100 to get the accurate answer.
  const noisy = (amp: number): { pre: Float64Array; post: Float64Array } => {
    const series = Float64Array.from({ length: 125 }, (_, t) => 100 + amp * (((7 * t) % 13) - 6));
    return { pre: series.slice(0, 60), post: series.slice(65) };
  };
  it("a real but tiny variation (100 + 1e-6 noise) is computed normally and matches statsmodels", () => {
    const { pre, post } = noisy(1e-6);
    const result = segmentedRegression(pre, post, { gapDays: 5 });
    // degenerate_fits.py, ols_100_plus_1e-06_noise.centred: sm.OLS(y - 100, X).fit(cov_type='HAC', cov_kwds={'maxlags': 4})
    //   params[2] -6.863017505500964e-07, bse[2] 1.2188195556961973e-06, z -0.5630872489226484,
    //   p 0.5733754738075625, conf_int[2] [-3.0751441833677536e-06, 1.7025406822675605e-06]
    //   (sqrt(ssr) 4.1e-5, 3.5e5 x the bound). Tolerance 1e-7: fitting the raw y, any fit loses ~eps 100 / 1e-6
    //   = 2e-8 relative (statsmodels' raw fit: z -0.5630872511438382, 4e-9 off; the engine's 1.9e-8).
    close(result.levelChange.estimate, -6.863017505500964e-7, 1e-7);
    close(result.levelChange.standardError, 1.2188195556961973e-6, 1e-7);
    close(result.levelChange.statistic, -0.5630872489226484, 1e-7);
    close(result.levelChange.pValue, 0.5733754738075625, 1e-7);
    close(result.levelChange.ciLow, -3.0751441833677536e-6, 1e-7);
    close(result.levelChange.ciHigh, 1.7025406822675605e-6, 1e-7);
  });
  it("the threshold: variation 3.5 x the rounding bound is computed, 0.35 x is refused", () => {
    // degenerate_fits.py, ols_100_plus_1e-11_noise: sqrt(ssr) 4.10e-10 vs bound 1.17e-10;
    //   centred z -0.5630853170644163 (statsmodels' raw fit: -0.5627559723322229, 6e-4 off; this close
    //   to the bound rounding costs the raw fit a few digits, so 1% here).
    const above = noisy(1e-11);
    close(segmentedRegression(above.pre, above.post, { gapDays: 5 }).levelChange.statistic, -0.5630853170644163, 1e-2);
    // degenerate_fits.py, ols_100_plus_1e-12_noise: sqrt(ssr) 4.10e-11 vs bound 1.17e-10 (a variation
    //   of ~40 ulps of 100); by 1e-13 statsmodels' raw z is 10% off, by 1e-14 of the wrong sign.
    for (const amp of [1e-12, 1e-13, 1e-14]) {
      const below = noisy(amp);
      expect(() => segmentedRegression(below.pre, below.post, { gapDays: 5 }), String(amp)).toThrow(EXACT_FIT);
    }
  });
});

const EXACT_POISSON_NOTE =
  "every day's count equals its fitted mean (up to rounding; e.g. the same count every day), so the Pearson dispersion and the standard errors are 0 and there is no test statistic, interval or p-value; only the rate-ratio estimate is reported";

describe("poissonSegmentedRegression on counts it fits exactly", () => {
  // degenerate_fits.py: statsmodels refuses these fits, poisson_hac_ones and
  // poisson_hac_ones_then_threes -> PerfectSeparationError "results not available"
  // (np.allclose(mu - y, 0)); with scale='X2' -> ValueError (nan deviance) or PerfectSeparationError.
  const ones = new Float64Array(60).fill(1);
  const threes = new Float64Array(60).fill(3);
  for (const covariance of ["hac", "quasi-poisson"] as const) {
    it(`${covariance}: the same count every day has a rate ratio of 1 but no interval and no test`, () => {
      const result = poissonSegmentedRegression(ones, ones, { covariance });
      expect([result.levelChange, result.trendChange, result.coefficients, result.covariance]).toEqual([null, null, null, null]);
      expect(result.levelRateRatio).toEqual({ estimate: expect.closeTo(1, 12) as number, ciLow: null, ciHigh: null });
      expect(result.dispersion).toBe(0);
      expect(result.note).toBe(EXACT_POISSON_NOTE);
    });
    it(`${covariance}: 1 every pre day and 3 every post day: rate ratio 3, no interval and no test (not z = 1e15, p = 0)`, () => {
      const result = poissonSegmentedRegression(ones, threes, { covariance });
      expect(result.levelChange).toBeNull();
      expect(result.levelRateRatio).toEqual({ estimate: expect.closeTo(3, 12) as number, ciLow: null, ciHigh: null });
      expect(result.note).toBe(EXACT_POISSON_NOTE);
    });
  }
  it("one day off the line is computed normally and matches statsmodels", () => {
    const post = new Float64Array(60).fill(1);
    post[29] = 2;
    const result = poissonSegmentedRegression(ones, post);
    // degenerate_fits.py, poisson_hac_ones_one_two: sm.GLM(y, X, family=sm.families.Poisson()).fit(cov_type='HAC', cov_kwds={'maxlags': 4})
    //   params[2] 0.01733542486368199, bse[2] 0.0182141233748934, z 0.9517572988210555, p 0.34122008263212344,
    //   exp(conf_int()[2]) [0.9818039825787569, 1.0544659715722762], dispersion 0.008337813303734613.
    //   (The pre window alone is fitted exactly, so statsmodels' bse of the intercept and trend are nan.)
    expect(result.note).toBeNull();
    close(result.levelChange?.estimate, 0.01733542486368199, 1e-6);
    close(result.levelChange?.standardError, 0.0182141233748934, 1e-6);
    close(result.levelChange?.statistic, 0.9517572988210555, 1e-6);
    close(result.levelChange?.pValue, 0.34122008263212344, 1e-6);
    close(result.levelRateRatio?.ciLow ?? null, 0.9818039825787569, 1e-8);
    close(result.levelRateRatio?.ciHigh ?? null, 1.0544659715722762, 1e-8);
    close(result.dispersion, 0.008337813303734613, 1e-8);
  });
});

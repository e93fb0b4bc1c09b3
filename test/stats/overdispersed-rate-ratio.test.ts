// Expected numbers: statsmodels 0.13.5 (Debian python3-statsmodels; numpy 1.24.2, scipy
// 1.10.1), printed by
//   cd test/reference && /usr/bin/python3 overdispersed_rate_ratio.py
// = sm.GLM(y, X, family=sm.families.Poisson()).fit(scale='X2') with y = pre days then post
// days, X = [1, post] (or the segmented design): params, bse, tvalues (z), pvalues,
// conf_int(), scale, pearson_chi2, exp(params[1]) and exp(conf_int()[1]).
// statsmodels' IRLS stops on a deviance change < 1e-8; the script shows its b1 is within
// 2e-15 of the closed form (window means), so 1e-8 relative holds.
// Negative binomial: sm.NegativeBinomial(y, X).fit(method='newton', maxiter=100, tol=1e-14)
// (params b0, b1, alpha; bse; tvalues; pvalues; conf_int()), printed by the same script.
import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../src/errors.js";
import {
  fitPoissonGlm,
  negativeBinomialRateRatio,
  POISSON_GLM_DIVERGED,
  quasiPoissonGlm,
  quasiPoissonRateRatio,
  type QuasiPoissonRateRatioResult,
} from "../../src/stats/overdispersed-rate-ratio.js";
import { segmentedDesign } from "../../src/stats/segmented-regression.js";
import { counts120 } from "./reference-series.js";
import { expectClose as close, expectCoefficients } from "../helpers/reference-match.js";


interface Reference {
  b1: number;
  bse1: number;
  z: number;
  p: number;
  ci: [number, number];
  scale: number;
  pearsonChi2: number;
  rateRatio: number;
  rateRatioCi: [number, number];
}
const matches = (result: QuasiPoissonRateRatioResult, reference: Reference): void => {
  expect(result.note).toBeNull();
  close(result.logRateRatio?.estimate, reference.b1);
  close(result.logRateRatio?.standardError, reference.bse1);
  close(result.logRateRatio?.statistic, reference.z);
  close(result.logRateRatio?.pValue, reference.p);
  close(result.logRateRatio?.ciLow, reference.ci[0]);
  close(result.logRateRatio?.ciHigh, reference.ci[1]);
  close(result.dispersion, reference.scale);
  close(result.pearsonChi2, reference.pearsonChi2);
  close(result.rateRatio, reference.rateRatio);
  close(result.ciLow, reference.rateRatioCi[0]);
  close(result.ciHigh, reference.rateRatioCi[1]);
};

describe("quasiPoissonRateRatio against statsmodels 0.13.5 GLM(Poisson).fit(scale='X2')", () => {
  it("120 mostly-zero days, overdispersed (phi 1.81)", () => {
    const result = quasiPoissonRateRatio(counts120.post, counts120.pre);
    expect([result.nobs, result.dfResid]).toEqual([120, 118]);
    matches(result, {
      b1: 1.2237754316221139,
      bse1: 0.6847450078415203,
      z: 1.7871987639307458,
      p: 0.07390536903563472,
      ci: [-0.11830012234086262, 2.56585098558509],
      scale: 1.8115653040877358,
      pearsonChi2: 213.76470588235327,
      rateRatio: 3.3999999999999937,
      rateRatioCi: [0.8884293750949337, 13.011726451260916],
    });
  });
  it("small windows you can check by hand: pre 4 in 10 days, post 5 in 12 days", () => {
    const result = quasiPoissonRateRatio([0, 0, 3, 0, 1, 0, 0, 0, 0, 0, 1, 0], [0, 1, 0, 0, 2, 0, 0, 0, 1, 0]);
    matches(result, {
      b1: 0.04082199452025534,
      bse1: 0.8538149682454624,
      z: 0.04781128937589609,
      p: 0.9618666392262162,
      ci: [-1.632624592702061, 1.7142685817425716],
      scale: 1.6200000000000006,
      pearsonChi2: 32.400000000000006,
      rateRatio: 1.041666666666667,
      rateRatioCi: [0.19541601303568884, 5.552612744413522],
    });
    // By hand: rate ratio (5/12) / (4/10) = 1.0416...; Var(b1) = phi (1/5 + 1/4).
    close(result.logRateRatio?.standardError, Math.sqrt(1.62 * (1 / 5 + 1 / 4)));
  });
  it("underdispersed counts narrow the interval (phi 0.23 is not floored at 1)", () => {
    matches(quasiPoissonRateRatio([2, 1, 2, 2, 1, 2, 2, 1], [1, 1, 1, 0, 1, 1, 1, 0]), {
      b1: 0.7731898882334818,
      bse1: 0.2342533085506377,
      z: 3.3006572800073988,
      p: 0.000964586318696688,
      ci: [0.3140618402148832, 1.2323179362520804],
      scale: 0.2252747252747253,
      pearsonChi2: 3.153846153846154,
      rateRatio: 2.1666666666666665,
      rateRatioCi: [1.3689743916003514, 3.42916892620363],
    });
  });
});

describe("quasiPoissonRateRatio with a zero-count window", () => {
  it("no post incidents: ratio 0 and a note (statsmodels prints b1 = -21.4 with se 9777)", () => {
    const result = quasiPoissonRateRatio(new Float64Array(60), counts120.pre);
    expect(result.rateRatio).toBe(0);
    expect([result.logRateRatio, result.ciLow, result.ciHigh]).toEqual([null, null, null]);
    // Pearson X2 from the pre window only: 79 / 118; statsmodels' diverged fit gives 0.6694915254455625.
    expect(result.pearsonChi2).toBeCloseTo(79, 12);
    close(result.dispersion, 79 / 118);
    expect(result.note).toBe(
      "no incidents in the post window: the rate ratio estimate is 0 and its logarithm is -infinity, so there is no Wald standard error, interval or p-value; use the exact Poisson rate test",
    );
  });
  it("no pre incidents: ratio unbounded (null) and a note", () => {
    const result = quasiPoissonRateRatio(counts120.post, new Float64Array(60));
    expect(result.rateRatio).toBeNull();
    expect(result.logRateRatio).toBeNull();
    expect(result.note).toBe(
      "no incidents in the pre window: the rate ratio is unbounded and its logarithm is +infinity, so there is no Wald standard error, interval or p-value; use the exact Poisson rate test",
    );
  });
  it("no incidents at all", () => {
    const result = quasiPoissonRateRatio([0, 0], [0, 0]);
    expect(result).toEqual({
      rateRatio: null,
      logRateRatio: null,
      ciLow: null,
      ciHigh: null,
      dispersion: null,
      pearsonChi2: null,
      nobs: 4,
      dfResid: 2,
      confidenceLevel: 0.95,
      note: "no incidents in either window, so the rate ratio is undefined",
    });
  });
  it("refuses too few days and negative counts", () => {
    expect(() => quasiPoissonRateRatio([1], [2])).toThrow(new InsufficientDataError("the quasi-Poisson rate ratio", "at least 1 day in each window and 3 days in all"));
    expect(() => quasiPoissonRateRatio([1, -1], [2])).toThrow("quasi-Poisson rate ratio: post-window day 2 has count -1; counts must be finite and >= 0");
  });
});

const EXACT_POISSON_NOTE =
  "every day's count equals its fitted mean (up to rounding; e.g. the same count every day), so the Pearson dispersion and the standard errors are 0 and there is no test statistic, interval or p-value; only the rate-ratio estimate is reported";

// Printed by `cd test/reference && /usr/bin/python3 degenerate_fits.py`.
describe("quasiPoissonRateRatio on counts equal to their window mean every day (dispersion 0)", () => {
  // degenerate_fits.py: statsmodels refuses both fits, quasi_rate_ratio_ones -> ValueError (nan
  // deviance: its first scale estimate is 0), quasi_rate_ratio_ones_then_threes ->
  // PerfectSeparationError "results not available".
  it("1 incident every day: rate ratio 1, and neither a p-value nor an interval (not [1, 1])", () => {
    const ones = new Float64Array(60).fill(1);
    expect(quasiPoissonRateRatio(ones, ones)).toEqual({
      rateRatio: 1,
      logRateRatio: null,
      ciLow: null,
      ciHigh: null,
      dispersion: 0,
      pearsonChi2: 0,
      nobs: 120,
      dfResid: 118,
      confidenceLevel: 0.95,
      note: EXACT_POISSON_NOTE,
    });
  });
  it("1 every pre day, 3 every post day: rate ratio 3, no interval (not [3, 3] with p = 0)", () => {
    const result = quasiPoissonRateRatio(new Float64Array(60).fill(3), new Float64Array(60).fill(1));
    expect([result.rateRatio, result.logRateRatio, result.ciLow, result.ciHigh, result.dispersion, result.note]).toEqual([3, null, null, null, 0, EXACT_POISSON_NOTE]);
  });
  it("non-integer constant rates (0.1 a day: the window mean is 0.1 only up to rounding) are treated the same", () => {
    const result = quasiPoissonRateRatio(new Float64Array(50).fill(0.1), new Float64Array(70).fill(0.1));
    expect([result.logRateRatio, result.ciLow, result.ciHigh, result.dispersion, result.note]).toEqual([null, null, null, 0, EXACT_POISSON_NOTE]);
    expect(result.rateRatio).toBeCloseTo(1, 12);
  });
  it("one day off its window mean is computed normally and matches statsmodels", () => {
    const post = new Float64Array(60).fill(1);
    post[29] = 2;
    // degenerate_fits.py, quasi_rate_ratio_ones_one_two: sm.GLM(y, [1, post], family=sm.families.Poisson()).fit(scale='X2')
    //   params[1] 0.01652930195121048, bse[1] 0.01646160691955416, z 1.0041122979054924, p 0.31532448840961524,
    //   exp(conf_int()[1]) [0.9843882913467655, 1.050003459201046], scale 0.008196721311475412
    const result = quasiPoissonRateRatio(post, new Float64Array(60).fill(1));
    expect(result.note).toBeNull();
    close(result.logRateRatio?.estimate, 0.01652930195121048);
    close(result.logRateRatio?.standardError, 0.01646160691955416);
    close(result.logRateRatio?.statistic, 1.0041122979054924);
    close(result.logRateRatio?.pValue, 0.31532448840961524);
    close(result.ciLow, 0.9843882913467655);
    close(result.ciHigh, 1.050003459201046);
    close(result.dispersion, 0.008196721311475412);
  });
});

describe("quasiPoissonGlm on counts it fits exactly", () => {
  it("no coefficients and a note, not rounding-noise standard errors", () => {
    const { y, design } = segmentedDesign(new Float64Array(60).fill(2), new Float64Array(60).fill(2));
    const result = quasiPoissonGlm(y, design);
    expect([result.coefficients, result.covariance, result.dispersion, result.pearsonChi2, result.note]).toEqual([null, null, 0, 0, EXACT_POISSON_NOTE]);
  });
});

describe("quasiPoissonGlm (general design, IRLS) against statsmodels 0.13.5", () => {
  const { y, design } = segmentedDesign(counts120.pre, counts120.post);
  it("segmented design [1, t, post, (t - 60) post] on the 120-day counts", () => {
    const result = quasiPoissonGlm(y, design);
    const reference = {
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
    };
    close(result.dispersion, 1.8547756757495681);
    close(result.pearsonChi2, 215.15397838695014);
    expectCoefficients(result.coefficients, reference);
  });
  it("the two-window design by IRLS equals the closed form", () => {
    const post = Float64Array.from({ length: 120 }, (_, t) => (t >= 60 ? 1 : 0));
    const result = quasiPoissonGlm(y, [
      { name: "const", values: new Float64Array(120).fill(1) },
      { name: "post", values: post },
    ]);
    close(result.coefficients?.[1]?.estimate, Math.log(17 / 5));
    close(result.coefficients?.[1]?.standardError, 0.6847450078415203);
  });
  it("a window without incidents does not converge: a note, not a huge coefficient", () => {
    const zeroPost = segmentedDesign(counts120.pre, new Float64Array(60));
    expect(fitPoissonGlm(zeroPost.y, zeroPost.design)).toEqual({ fit: null, note: POISSON_GLM_DIVERGED });
  });
});

describe("negativeBinomialRateRatio against statsmodels 0.13.5 NegativeBinomial(y, X).fit(method='newton', tol=1e-14)", () => {
  it("120 mostly-zero days (statsmodels' default BFGS fit stops at alpha 4.70177, 3e-4 away)", () => {
    const result = negativeBinomialRateRatio(counts120.post, counts120.pre);
    expect(result.note).toBeNull();
    close(result.alpha, 4.70015765670364);
    close(result.alphaStandardError, 2.6004633953073637);
    close(result.rateRatio, Math.exp(1.2237754316221159));
    close(result.logRateRatio?.estimate, 1.2237754316221159);
    close(result.logRateRatio?.standardError, 0.6445893664201156);
    close(result.logRateRatio?.statistic, 1.8985349361542396);
    close(result.logRateRatio?.pValue, 0.05762565012071556);
    close(result.logRateRatio?.ciLow, -0.0395965113788026);
    close(result.logRateRatio?.ciHigh, 2.487147374623034);
    close(result.ciLow, 0.9611771849786418);
    close(result.ciHigh, 12.026918845620411);
  });
  it("small windows", () => {
    const result = negativeBinomialRateRatio([0, 0, 3, 0, 1, 0, 0, 0, 0, 0, 1, 0], [0, 1, 0, 0, 2, 0, 0, 0, 1, 0]);
    close(result.alpha, 1.4365846443343189);
    close(result.alphaStandardError, 1.6751207249446594);
    close(result.logRateRatio?.standardError, 0.8446146171250483);
    close(result.logRateRatio?.pValue, 0.9614515757505505);
    close(result.ciLow, 0.19897178746100355);
    close(result.ciHigh, 5.453383408223671);
  });
  it("no overdispersion: alpha = 0 and the Poisson standard error (statsmodels' Newton fit diverges to alpha 1.2e6 and se 549)", () => {
    const result = negativeBinomialRateRatio([2, 1, 2, 2, 1, 2, 2, 1], [1, 1, 1, 0, 1, 1, 1, 0]);
    expect([result.alpha, result.alphaStandardError]).toEqual([0, null]);
    close(result.logRateRatio?.estimate, 0.7731898882334818);
    close(result.logRateRatio?.standardError, Math.sqrt(1 / 13 + 1 / 6));
    expect(result.note).toBe("the counts show no overdispersion, so the negative binomial likelihood is largest at alpha = 0 and the result is the Poisson one");
  });
  it("zero-count windows and non-integer counts", () => {
    expect(negativeBinomialRateRatio(new Float64Array(60), counts120.pre)).toMatchObject({
      rateRatio: 0,
      logRateRatio: null,
      note: "no incidents in the post window: the rate ratio is 0 and its logarithm infinite, so there is no Wald standard error, interval or p-value; use the exact Poisson rate test",
    });
    expect(negativeBinomialRateRatio(counts120.post, new Float64Array(60))).toMatchObject({ rateRatio: null, logRateRatio: null });
    expect(() => negativeBinomialRateRatio([0.5, 1], [1, 2])).toThrow(
      "negative binomial rate ratio: post-window day 1 has count 0.5; counts must be whole numbers >= 0",
    );
  });
});

// Expected numbers: statsmodels 0.13.5 (Debian python3-statsmodels; numpy 1.24.2, scipy
// 1.10.1), printed by
//   cd test/reference && /usr/bin/python3 hac_ols.py
// = sm.OLS(y, X).fit(cov_type='HAC', cov_kwds={'maxlags': L[, 'use_correction': True]}[, use_t=True]):
// params, bse, tvalues, pvalues, conf_int(), cov_params(). Defaults there: Bartlett kernel,
// no small-sample correction, normal reference distribution.
// Every value agrees to < 1e-11 relative except the use_t interval limits: scipy's t.ppf is
// itself only good to ~1e-10 (scipy t.cdf(t.ppf(0.975, 78), 78) - 0.975 = -1.4e-11, a
// relative error of 1.3e-10 in the quantile; ours inverts the accurate studentTCdf), which
// is still well inside 1e-8.
import { describe, expect, it } from "vitest";
import { DataError, InsufficientDataError } from "../../src/errors.js";
import { normalQuantile, standardNormalCdf, studentTQuantile } from "../../src/stats/distributions.js";
import { defaultHacMaxLags, hacOls, type HacOlsResult } from "../../src/stats/hac-ols.js";
import { ar1, losses120 } from "./reference-series.js";
import { expectClose as close, expectCoefficients, type StatsmodelsTable } from "../helpers/reference-match.js";


interface Reference extends StatsmodelsTable {
  cov: number[][];
}
const matches = (result: HacOlsResult, reference: Reference): void => {
  expectCoefficients(result.coefficients, reference);
  reference.cov.forEach((row, i) => row.forEach((value, j) => close(result.covariance[i]?.[j], value)));
};

const ones = (n: number): Float64Array => new Float64Array(n).fill(1);
const ar1Design = [
  { name: "const", values: ones(80) },
  { name: "x", values: ar1.x },
];

describe("hacOls against statsmodels 0.13.5 OLS(cov_type='HAC')", () => {
  it("AR(1) errors, maxlags 3 (the rule's value for n = 80)", () => {
    const result = hacOls(ar1.y, ar1Design, { maxLags: 3 });
    expect([result.maxLags, result.maxLagsSource, result.distribution, result.dfResid]).toEqual([3, "explicit", "normal", 78]);
    matches(result, {
      params: [2.08541783283858, 0.4293062408289946],
      bse: [0.13886798587342133, 0.1316503253496978],
      tvalues: [15.017268521050243, 3.2609584495035966],
      pvalues: [5.659211571881782e-51, 0.0011103630984207495],
      confInt: [
        [1.8132415819210572, 2.3575940837561027],
        [0.17127634459060642, 0.6873361370673827],
      ],
      cov: [
        [0.019284317500540746, -0.0052178475848061266],
        [-0.0052178475848061266, 0.017331808164681287],
      ],
    });
    // The automatic rule gives the same L = floor(4 * 0.8^(2/9)) = 3 here.
    const automatic = hacOls(ar1.y, ar1Design);
    expect([automatic.maxLags, automatic.maxLagsSource]).toEqual([3, "rule"]);
    expect(automatic.coefficients).toEqual(result.coefficients);
  });
  it("maxlags 0 is White's HC0", () => {
    matches(hacOls(ar1.y, ar1Design, { maxLags: 0 }), {
      params: [2.08541783283858, 0.4293062408289946],
      bse: [0.11413557451569208, 0.13198938221694761],
      tvalues: [18.27140960815739, 3.2525816366300946],
      pvalues: [1.3979266462782157e-74, 0.0011436173948181244],
      confInt: [
        [1.861716217433036, 2.309119448244124],
        [0.1706118053420858, 0.6880006763159034],
      ],
      cov: [
        [0.013026929370027097, -0.0033394084867203588],
        [-0.0033394084867203583, 0.017421197018011488],
      ],
    });
  });
  it("maxlags 8 with use_correction=True and use_t=True", () => {
    const result = hacOls(ar1.y, ar1Design, { maxLags: 8, useCorrection: true, useT: true });
    expect(result.distribution).toBe("t");
    matches(result, {
      params: [2.08541783283858, 0.4293062408289946],
      bse: [0.13223845189088082, 0.11565918754158727],
      tvalues: [15.770131932271891, 3.7118213429834968],
      pvalues: [5.650371806977769e-26, 0.00038420506074169264],
      confInt: [
        [1.8221512985413617, 2.348684367135798],
        [0.1990464863603666, 0.6595659952976226],
      ],
      cov: [
        [0.017487008158496804, -0.006970488133284566],
        [-0.006970488133284567, 0.013377047662780058],
      ],
    });
  });
  it("mostly-zero daily USD losses, post-window indicator, rule lags (4 for n = 120)", () => {
    const y = Float64Array.from([...losses120.pre, ...losses120.post]);
    const post = Float64Array.from(y, (_, t) => (t >= 60 ? 1 : 0));
    const result = hacOls(y, [
      { name: "const", values: ones(120) },
      { name: "post", values: post },
    ]);
    expect(result.maxLags).toBe(4);
    matches(result, {
      params: [399609.8166666669, -333126.71666666656],
      bse: [286486.72767482436, 291661.22651179665],
      tvalues: [1.3948632800896887, -1.1421700465666553],
      pvalues: [0.16305707202622044, 0.25338334397769013],
      confInt: [
        [-161893.8516247233, 961113.4849580571],
        [-904772.2163165668, 238518.7829832337],
      ],
      cov: [
        [82074645133.82896, -82302366317.86119],
        [-82302366317.8612, 85066271050.36554],
      ],
    });
  });
});

describe("hacOls contract", () => {
  it("lag rule floor(4 (n/100)^(2/9)): statsmodels S_hac_simple gives 3, 4, 4, 5 for n = 80, 100, 120, 365", () => {
    expect([80, 100, 120, 365].map(defaultHacMaxLags)).toEqual([3, 4, 4, 5]);
  });
  it("needs more observations than coefficients", () => {
    expect(() => hacOls([1, 2], ar1Design.map((column) => ({ ...column, values: [1, 2] })))).toThrow(
      new InsufficientDataError("OLS with Newey–West HAC standard errors", "at least 3 observations for 2 coefficients (got 2)"),
    );
  });
  it("names a column that duplicates the others", () => {
    expect(() =>
      hacOls(ar1.y, [
        { name: "const", values: ones(80) },
        { name: "post", values: ones(80) },
      ]),
    ).toThrow(
      new DataError(
        'OLS with Newey–West HAC standard errors: column "post" is a linear combination of the columns before it (for example constant over the data); drop it or change the windows',
      ),
    );
  });
  it("refuses a negative or fractional maxLags", () => {
    expect(() => hacOls(ar1.y, ar1Design, { maxLags: 1.5 })).toThrow("HAC covariance: maxLags must be a whole number of days >= 0, got 1.5");
  });
  it("normal CDF in both tails: scipy 1.10.1 stats.norm.cdf(z) (jStat's is 0 beyond |z| ~ 9.5)", () => {
    const reference: [number, number][] = [
      [-0.5, 0.3085375387259869],
      [0.3, 0.6179114221889526],
      [-1.2, 0.11506967022170822],
      [1.7, 0.955434537241457],
      [-2.5, 0.006209665325776132],
      [-5, 2.866515718791933e-7],
      [-8, 6.22096057427174e-16],
      [-10, 7.61985302416047e-24],
      [-18.27140960815739, 6.989633231391078e-75],
      [-30, 4.906713927147908e-198],
      [6, 0.9999999990134123],
    ];
    for (const [z, expected] of reference) close(standardNormalCdf(z), expected);
    expect(standardNormalCdf(0)).toBe(0.5);
  });
  it("quantiles: scipy 1.10.1 norm.ppf(0.975) = 1.959963984540054, t.ppf(0.975, 78) = 1.990847068555052, t.ppf(0.005, 3) = -5.840909299756432", () => {
    close(normalQuantile(0.975), 1.959963984540054);
    close(studentTQuantile(0.975, 78), 1.990847068555052);
    close(studentTQuantile(0.005, 3), -5.840909299756432);
  });
});

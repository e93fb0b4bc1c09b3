"""Reference values for test/stats/poisson-rate-test.test.ts.

Run with Debian's python3-statsmodels 0.13.5 / python3-scipy 1.10.1:
    /usr/bin/python3 test/reference/poisson_rate_test.py

For each case (post count k1 over n1 days, pre count k0 over n0 days) it prints
  p    statsmodels.stats.rates.test_poisson_2indep(k1, n1, k0, n0, method='exact-cond',
       alternative='two-sided').pvalue
       (statsmodels 0.13.5 delegates to scipy.stats.binomtest(k1, k1 + k0, p=n1/(n1+n0)),
       whose two-sided p-value is the "minlike" one: the sum of the probabilities of all
       outcomes no more likely than the observed one, with a 1 + 1e-7 relative tolerance);
  ratio  the same result's .ratio, (k1/n1) / (k0/n0);
  ci   the exact conditional interval for the ratio. statsmodels 0.13.5 has no
       confint_poisson_2indep, so this is the Clopper-Pearson interval for the binomial
       proportion pi = k1 / (k1 + k0) mapped through ratio = pi / (1 - pi) * n0 / n1:
         lower = scipy.stats.beta.ppf(a/2, k1, k0 + 1)          (pi_low)
         upper from 1 - pi_upp = scipy.stats.beta.ppf(a/2, k0, k1 + 1)
       (the same numbers as statsmodels proportion_confint(k1, k1 + k0, 0.05, method='beta'),
       which the script also prints as a cross-check, but without the cancellation in
       1 - pi_upp when pi_upp is close to 1).
"""
import json
import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import test_poisson_2indep

from hack_series import counts_120

np.seterr(divide="ignore")  # the zero-pre case divides by zero on purpose (ratio inf)

pre, post = counts_120()
CASES = {
    "counts_120": (int(post.sum()), 60, int(pre.sum()), 60),
    "unequal_exposure": (10, 30, 3, 90),
    "symmetric_tie": (3, 60, 7, 60),
    "at_expectation": (4, 60, 4, 60),
    "zero_post": (0, 60, 5, 60),
    "zero_pre": (6, 45, 0, 90),
    "large_counts": (250, 365, 180, 365),
    "tiny_p": (60, 100, 5, 200),
    "ninety_ten": (1, 90, 9, 10),
    # A telemetry study's counts: millions of incidents per window (the engine keeps only
    # the outcomes whose probability is not 0 in floating point).
    "telemetry_counts": (2_501_200, 180, 2_498_000, 180),
    "telemetry_shift": (2_520_000, 180, 2_480_000, 181),
}
ALPHA = 0.05

print("statsmodels", statsmodels.__version__, "scipy", scipy.__version__)
for name, (k1, n1, k0, n0) in CASES.items():
    # numpy floats, so a zero pre count gives ratio inf instead of ZeroDivisionError.
    res = test_poisson_2indep(np.float64(k1), np.float64(n1), np.float64(k0), np.float64(n0),
                              method="exact-cond", alternative="two-sided")
    total = k1 + k0
    scale = n0 / n1
    pi_low = stats.beta.ppf(ALPHA / 2, k1, k0 + 1) if k1 > 0 else 0.0
    one_minus_pi_upp = stats.beta.ppf(ALPHA / 2, k0, k1 + 1) if k0 > 0 else 0.0
    lower = pi_low / (1 - pi_low) * scale
    upper = (1 - one_minus_pi_upp) / one_minus_pi_upp * scale if k0 > 0 else None
    sm_low, sm_upp = proportion_confint(k1, total, ALPHA, method="beta")
    print(name, json.dumps({
        "k1": k1, "n1": n1, "k0": k0, "n0": n0,
        "p": float(res.pvalue),
        "ratio": str(float(res.ratio)),
        "ci": [float(lower), None if upper is None else float(upper)],
        "pi_ci_statsmodels_beta": [float(sm_low), float(sm_upp)],
    }))

try:
    test_poisson_2indep(np.float64(0), np.float64(60), np.float64(0), np.float64(60), method="exact-cond")
except ValueError as error:
    print("both_zero raises ValueError:", error)

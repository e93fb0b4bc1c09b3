"""Reference values for the degenerate-input tests in test/stats/segmented-regression.test.ts
and test/stats/overdispersed-rate-ratio.test.ts ("exactly fitted up to rounding").

Run with Debian's python3-statsmodels 0.13.5 (numpy 1.24.2, scipy 1.10.1):
    cd test/reference && /usr/bin/python3 degenerate_fits.py
Design as in segmented_regression.py: X = [1, t, post, (t - t0) post], 60 + 60 days, rule
lags L = floor(4 (n / 100)^(2/9)) = 4.

1. OLS + HAC on a constant series (100 every day): statsmodels does not notice that the
   lines fit exactly; its level change is rounding noise with a finite z and p (printed),
   which is the pseudo-result the engine refuses. ssr is printed with the engine's bound
   (n k eps)^2 sum(y^2) (see segmented-regression.ts) to show it is far below it.
2. OLS + HAC on 100 + amp * noise_t, noise_t = ((7 t) mod 13) - 6 over the 125 days
   t = 0..124 (pre: t < 60; post: t = 65..124), for amp from 1e-6 down to 1e-14. For each:
   the level-change z on the raw y, the same fit on y - 100 (centred: the intercept absorbs
   the shift and the fit is exact to ~1e-16 of the variation, so it is the accurate answer
   for the stored y), sqrt(ssr) and the engine's bound. Shows where rounding takes over:
   with sqrt(ssr) above the bound the raw fit still agrees with the centred one (~4e-9 at
   amp 1e-6, ~6e-4 at 1e-11); below it the raw z drifts off (0.8% at 1e-12, 10% at 1e-13)
   and has the wrong sign at 1e-14 (the figures test/stats/segmented-regression.test.ts quotes).
3. Poisson GLM on counts equal every day: sm.GLM(y, X, Poisson()).fit(cov_type='HAC', ...)
   and .fit(scale='X2'), for 1 every day, and 1 every pre day / 3 every post day; and the
   two-window quasi-Poisson rate ratio (X = [1, post], scale='X2') for the same series.
   statsmodels refuses every one of them: its IRLS raises PerfectSeparationError
   ("results not available") when np.allclose(mu - y, 0), i.e. |mu_t - y_t| <= 1e-8 on
   every day (generalized_linear_model.py, _fit_irls), and with scale='X2' it stops even
   earlier with a ValueError (its first scale estimate is 0, so the scaled deviance is nan). The engine likewise reports no
   test and no interval (only the rate-ratio estimate, with a note).
4. The legitimate side for counts: 1 every day except one post day with 2. statsmodels'
   results for the segmented HAC fit and the two-window quasi-Poisson rate ratio.
"""
import json
import warnings
import numpy as np
import statsmodels
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import PerfectSeparationError

warnings.simplefilter("ignore")
EPS = np.finfo(float).eps


from segmented_design import design, rule  # noqa: E402  (the same design for every script)


def ols(y, X):
    return sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": rule(len(y))})


def level(res):
    return {"estimate": float(res.params[2]), "bse": float(res.bse[2]), "z": float(res.tvalues[2]),
            "p": float(res.pvalues[2]), "conf_int": res.conf_int()[2].tolist()}


def bound(y, k=4):
    return len(y) * k * EPS * float(np.sqrt(np.sum(y ** 2)))


print("statsmodels", statsmodels.__version__, "numpy", np.__version__)

# 1. constant series
y, X = design(np.full(60, 100.0), np.full(60, 100.0))
res = ols(y, X)
print("ols_constant_100", json.dumps({**level(res), "sqrt_ssr": float(np.sqrt(res.ssr)), "engine_bound": bound(y)}))

# 2. 100 + amp * noise
noise = ((7 * np.arange(125)) % 13 - 6).astype(float)
for amp in [1e-6, 1e-9, 1e-11, 1e-12, 1e-13, 1e-14]:
    series = 100 + amp * noise
    y, X = design(series[:60], series[65:], gap=5)
    raw, centred = ols(y, X), ols(y - 100, X)
    print(f"ols_100_plus_{amp:.0e}_noise", json.dumps({"raw": level(raw), "centred": level(centred),
                                                     "sqrt_ssr": float(np.sqrt(raw.ssr)), "engine_bound": bound(y)}))


def glm(y, X, **kwargs):
    try:
        res = sm.GLM(y, X, family=sm.families.Poisson()).fit(**kwargs)
    except (PerfectSeparationError, ValueError) as error:
        return {"error": f"{type(error).__name__}: {error}"}
    return {"params": res.params.tolist(), "bse": res.bse.tolist(), "tvalues": res.tvalues.tolist(),
            "pvalues": res.pvalues.tolist(), "conf_int": res.conf_int().tolist(),
            "rate_ratio_ci": np.exp(res.conf_int()[-1 if X.shape[1] == 2 else 2]).tolist(),
            "dispersion": float(res.pearson_chi2 / res.df_resid)}


# 3. equal counts every day
for name, pre, post in [("ones", np.ones(60), np.ones(60)), ("ones_then_threes", np.ones(60), np.full(60, 3.0))]:
    y, X = design(pre, post)
    print(f"poisson_hac_{name}", json.dumps(glm(y, X, cov_type="HAC", cov_kwds={"maxlags": rule(120)})))
    print(f"poisson_quasi_segmented_{name}", json.dumps(glm(y, X, scale="X2")))
    print(f"quasi_rate_ratio_{name}", json.dumps(glm(y, X[:, [0, 2]], scale="X2")))

# 4. one day differs
post = np.ones(60)
post[29] = 2
y, X = design(np.ones(60), post)
print("poisson_hac_ones_one_two", json.dumps(glm(y, X, cov_type="HAC", cov_kwds={"maxlags": rule(120)})))
print("quasi_rate_ratio_ones_one_two", json.dumps(glm(y, X[:, [0, 2]], scale="X2")))

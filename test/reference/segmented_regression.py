"""Reference values for test/stats/segmented-regression.test.ts.

Run with Debian's python3-statsmodels 0.13.5 (numpy 1.24.2, scipy 1.10.1):
    /usr/bin/python3 test/reference/segmented_regression.py
Design: pre days then post days, t = 0 .. n0 - 1 for pre and n0 + gap + i for post,
t0 = n0 + gap, X = [1, t, post, (t - t0) post]. Prints
    OLS:     sm.OLS(y, X).fit(cov_type='HAC', cov_kwds={'maxlags': L})
    Poisson: sm.GLM(y, X, family=sm.families.Poisson()).fit(cov_type='HAC', cov_kwds={'maxlags': L[, 'use_correction': True]})
    quasi:   sm.GLM(y, X, family=sm.families.Poisson()).fit(scale='X2')
params, bse, tvalues, pvalues, conf_int() (95%), and for the GLMs the Pearson dispersion
pearson_chi2 / df_resid. L = floor(4 (n / 100)^(2/9)) unless stated. statsmodels'
defaults: no small-sample correction, normal reference distribution. statsmodels' GLM
IRLS stops on a deviance change < 1e-8; the script refits with tol=1e-13 and prints the
largest relative change of params and bse to show the default fit is converged to
machine precision (so the 1e-8 test tolerance holds).
"""
import json
import warnings
import numpy as np
import statsmodels
import statsmodels.api as sm

from hack_series import counts_120, losses_120

warnings.simplefilter("ignore")


from segmented_design import design, rule  # noqa: E402  (the same design for every script)


def table(res):
    return {"params": res.params.tolist(), "bse": res.bse.tolist(), "tvalues": res.tvalues.tolist(),
            "pvalues": res.pvalues.tolist(), "conf_int": res.conf_int().tolist()}


def glm(y, X, **fit_kwargs):
    res = sm.GLM(y, X, family=sm.families.Poisson()).fit(**fit_kwargs)
    tight = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-13, **fit_kwargs)
    out = table(res)
    out["dispersion"] = float(res.pearson_chi2 / res.df_resid)
    out["iterations"] = res.fit_history["iteration"]
    out["converged"] = bool(res.converged)
    out["max_rel_change_with_tol_1e-13"] = float(max(np.max(np.abs(res.params / tight.params - 1)),
                                                     np.max(np.abs(res.bse / tight.bse - 1))))
    return out


print("statsmodels", statsmodels.__version__, "numpy", np.__version__)
lpre, lpost = losses_120()
y, X = design(lpre, lpost)
print("ols_losses_rule", json.dumps({"maxlags": rule(120), **table(sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": rule(120)}))}))

pre, post = counts_120()
y, X = design(pre, post, gap=3)
print("ols_counts_gap3_lags7", json.dumps(table(sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": 7}))))

y, X = design(pre, post)
print("poisson_hac_counts_rule", json.dumps({"maxlags": rule(120), **glm(y, X, cov_type="HAC", cov_kwds={"maxlags": rule(120)})}))
print("poisson_quasi_counts", json.dumps(glm(y, X, scale="X2")))

y, X = design(pre, post, gap=3)
print("poisson_hac_counts_gap3_lags7_corrected", json.dumps(glm(y, X, cov_type="HAC", cov_kwds={"maxlags": 7, "use_correction": True})))

# Post incidents only on the last post day: the post trend has no finite estimate.
edge = np.zeros(60)
edge[59] = 2
y, X = design(pre, edge)
res = sm.GLM(y, X, family=sm.families.Poisson()).fit(cov_type="HAC", cov_kwds={"maxlags": rule(120)})
print("poisson_last_day_only_statsmodels", json.dumps({**table(res), "converged": bool(res.converged), "iterations": res.fit_history["iteration"]}))

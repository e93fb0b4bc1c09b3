"""Reference values for test/stats/hac-ols.test.ts.

Run with Debian's python3-statsmodels 0.13.5 (numpy 1.24.2, scipy 1.10.1):
    /usr/bin/python3 test/reference/hac_ols.py
For each case it prints statsmodels
    res = sm.OLS(y, X).fit(cov_type='HAC', cov_kwds={'maxlags': L, ...}, use_t=...)
params, bse, tvalues, pvalues, conf_int() (95%) and cov_params(). statsmodels 0.13.5
defaults for OLS HAC: Bartlett kernel, use_correction=False (no n/(n-k) factor), use_t
False (normal z and p-values). The default lag rule is S_hac_simple's
L = floor(4 (n / 100)^(2/9)); OLS itself requires maxlags, so the script passes the rule's
value explicitly.
"""
import json
import numpy as np
import statsmodels
import statsmodels.api as sm

from hack_series import ar1_regression, losses_120


def rule(n):
    return int(np.floor(4 * (n / 100.0) ** (2.0 / 9.0)))


def report(name, y, X, maxlags, **kwargs):
    use_t = kwargs.pop("use_t", None)
    res = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds=dict(maxlags=maxlags, **kwargs), use_t=use_t)
    print(name, json.dumps({
        "maxlags": maxlags, "use_t": bool(res.use_t), "cov_kwds": {k: v for k, v in kwargs.items()},
        "params": res.params.tolist(), "bse": res.bse.tolist(), "tvalues": res.tvalues.tolist(),
        "pvalues": res.pvalues.tolist(), "conf_int": res.conf_int().tolist(),
        "cov_params": res.cov_params().tolist(), "df_resid": res.df_resid,
    }))


print("statsmodels", statsmodels.__version__, "numpy", np.__version__)
x, y = ar1_regression()
X = sm.add_constant(x)
print("rule(80) =", rule(80), "rule(120) =", rule(120), "rule(100) =", rule(100), "rule(365) =", rule(365))
report("ar1_lags3", y, X, 3)
report("ar1_lags0", y, X, 0)
report("ar1_lags8_corrected_t", y, X, 8, use_correction=True, use_t=True)

pre, post = losses_120()
yl = np.concatenate([pre, post])
Xl = np.column_stack([np.ones(120), np.r_[np.zeros(60), np.ones(60)]])
report("losses_mean_shift_rule", yl, Xl, rule(120))

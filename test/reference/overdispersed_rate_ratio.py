"""Reference values for test/stats/overdispersed-rate-ratio.test.ts.

Run with Debian's python3-statsmodels 0.13.5 (numpy 1.24.2, scipy 1.10.1):
    /usr/bin/python3 test/reference/overdispersed_rate_ratio.py
For each case: y = pre days then post days, X = [1, post indicator], and
    res = sm.GLM(y, X, family=sm.families.Poisson()).fit(scale='X2')
prints params, bse, tvalues (z), pvalues, conf_int() (95%, log scale), scale (Pearson
X2 / (n - 2)), pearson_chi2, the rate ratio exp(params[1]) and exp(conf_int()[1]).
statsmodels' IRLS stops when the deviance changes by < 1e-8; the script also prints the
fit history and the closed-form estimates (window means) to show the fit is converged to
machine precision, so the 1e-8 test tolerance holds.

The general-design case fits X = [1, t, post, (t - 60) post] on counts_120 the same way.
The negative binomial cases print sm.NegativeBinomial(y, X).fit(method='newton',
maxiter=100, tol=1e-14, disp=0): params (b0, b1, alpha), bse, tvalues, pvalues,
conf_int(); and, to show why the tight fit is the reference, the default fit's alpha
(BFGS on log alpha, maxiter 35, gtol 1e-5), which stops ~3e-4 away.

The zero-count case shows what statsmodels does when a window has no incidents (a
diverging coefficient with a huge standard error): the TypeScript kernel returns a note
instead.
"""
import json
import warnings
import numpy as np
import statsmodels
import statsmodels.api as sm

from hack_series import counts_120

warnings.simplefilter("ignore")


def fit(y, X):
    res = sm.GLM(y, X, family=sm.families.Poisson()).fit(scale="X2")
    return res, {
        "params": res.params.tolist(), "bse": res.bse.tolist(), "tvalues": res.tvalues.tolist(),
        "pvalues": res.pvalues.tolist(), "conf_int": res.conf_int().tolist(), "scale": float(res.scale),
        "pearson_chi2": float(res.pearson_chi2), "iterations": res.fit_history["iteration"],
        "converged": bool(res.converged),
    }


def two_window(name, pre, post):
    pre, post = np.asarray(pre, float), np.asarray(post, float)
    y = np.concatenate([pre, post])
    X = np.column_stack([np.ones(len(y)), np.r_[np.zeros(len(pre)), np.ones(len(post))]])
    res, out = fit(y, X)
    out["rate_ratio"] = float(np.exp(res.params[1]))
    out["rate_ratio_ci"] = np.exp(res.conf_int()[1]).tolist()
    k1, k0 = post.sum(), pre.sum()
    if k1 > 0 and k0 > 0:
        exact = np.log(k1 / len(post) / (k0 / len(pre)))
        out["closed_form_minus_statsmodels_b1"] = float(exact - res.params[1])
    print(name, json.dumps(out))


print("statsmodels", statsmodels.__version__, "numpy", np.__version__)
pre, post = counts_120()
two_window("counts_120", pre, post)
two_window("small", [0, 1, 0, 0, 2, 0, 0, 0, 1, 0], [0, 0, 3, 0, 1, 0, 0, 0, 0, 0, 1, 0])
two_window("underdispersed", [1, 1, 1, 0, 1, 1, 1, 0], [2, 1, 2, 2, 1, 2, 2, 1])
two_window("zero_post_statsmodels_diverges", pre, np.zeros(60))

y = np.concatenate([pre, post])
t = np.arange(120.0)
p = (t >= 60).astype(float)
res, out = fit(y, np.column_stack([np.ones(120), t, p, (t - 60) * p]))
print("segmented_design_counts_120", json.dumps(out))


def negative_binomial(name, pre, post):
    pre, post = np.asarray(pre, float), np.asarray(post, float)
    y = np.concatenate([pre, post])
    X = np.column_stack([np.ones(len(y)), np.r_[np.zeros(len(pre)), np.ones(len(post))]])
    res = sm.NegativeBinomial(y, X).fit(method="newton", maxiter=100, tol=1e-14, disp=0)
    default = sm.NegativeBinomial(y, X).fit(disp=0)
    out = {"params": res.params.tolist(), "bse": res.bse.tolist(), "tvalues": res.tvalues.tolist(),
           "pvalues": res.pvalues.tolist(), "conf_int": res.conf_int().tolist(),
           "converged": bool(res.mle_retvals["converged"]), "rate_ratio_ci": np.exp(res.conf_int()[1]).tolist(),
           "default_fit_alpha": float(default.params[2]),
           "sum_y_y_minus_1": float((y * (y - 1)).sum()),
           "sum_n_mean_squared": float(len(pre) * pre.mean() ** 2 + len(post) * post.mean() ** 2)}
    print(name, json.dumps(out))


negative_binomial("nb_counts_120", pre, post)
negative_binomial("nb_small", [0, 1, 0, 0, 2, 0, 0, 0, 1, 0], [0, 0, 3, 0, 1, 0, 0, 0, 0, 0, 1, 0])
negative_binomial("nb_underdispersed_boundary", [1, 1, 1, 0, 1, 1, 1, 0], [2, 1, 2, 2, 1, 2, 2, 1])

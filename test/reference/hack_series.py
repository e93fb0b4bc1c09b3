"""Deterministic daily series shared by the reference scripts for test/stats.

Imported by poisson_rate_test.py, overdispersed_rate_ratio.py, hac_ols.py and
segmented_regression.py; `/usr/bin/python3 test/reference/hack_series.py` prints every
series so it can be pasted into test/stats/reference-series.ts (and checked against it).

The count series look like real hack data: 120 days split 60 pre / 60 post, mostly zero
days, a few days with 2-4 incidents (negative binomial draws, so overdispersed). The loss
series is mostly zero with a few lognormal USD amounts.
"""
import numpy as np


def _negative_binomial(rs, mean, size, n):
    # NB2 with variance mean + mean^2 / size.
    return rs.negative_binomial(size, size / (size + mean), n).astype(float)


def counts_120():
    """(pre, post): 60 + 60 days of incident counts, about 7% / 17% nonzero days."""
    rs = np.random.RandomState(20240601)
    pre = _negative_binomial(rs, 0.12, 0.5, 60)
    post = _negative_binomial(rs, 0.3, 0.5, 60)
    return pre, post


def losses_120():
    """(pre, post): 60 + 60 days of USD losses, about 10% nonzero days, whole dollars."""
    rs = np.random.RandomState(7)
    nonzero = rs.uniform(size=120) < 0.1
    amounts = np.round(np.exp(rs.normal(14.0, 2.0, size=120)))
    losses = np.where(nonzero, amounts, 0.0)
    return losses[:60], losses[60:]


def ar1_regression():
    """(x, y): 80 observations, y = 2 + 0.5 x + AR(1) errors with rho = 0.6."""
    rs = np.random.RandomState(11)
    x = np.round(rs.normal(0.0, 1.0, size=80), 3)
    errors = np.zeros(80)
    shocks = np.round(rs.normal(0.0, 1.0, size=80), 3)
    for t in range(80):
        errors[t] = (0.6 * errors[t - 1] if t > 0 else 0.0) + shocks[t]
    y = np.round(2.0 + 0.5 * x + errors, 6)
    return x, y


def digits(values):
    return "".join(str(int(v)) for v in values)


if __name__ == "__main__":
    pre, post = counts_120()
    print("counts_120 pre ", digits(pre), "sum", pre.sum())
    print("counts_120 post", digits(post), "sum", post.sum())
    lpre, lpost = losses_120()
    print("losses_120 pre  nonzero", {int(i): float(v) for i, v in enumerate(lpre) if v})
    print("losses_120 post nonzero", {int(i): float(v) for i, v in enumerate(lpost) if v})
    x, y = ar1_regression()
    print("ar1 x", [float(v) for v in x])
    print("ar1 y", [float(v) for v in y])

"""Reference values for test/stats/permutation-test.test.ts and block-bootstrap.test.ts.

Run with Debian's python3-scipy (1.10.1, numpy 1.24.2):
    /usr/bin/python3 test/reference/resampling.py
Takes about a minute. Prints one line per expected number; the numbers are pasted into the
tests beside this command.

Permutation tests. The engine's two-sided p-value is the share of splits with |T*| >= |T|.
scipy computes exactly that as permutation_test(statistic=|T|, alternative="greater"),
which is what is printed as p_abs. scipy's own alternative="two-sided" (2 * min of the
one-sided p-values) is printed too, as p_scipy_two_sided: it equals p_abs for equal window
lengths (a symmetric permutation distribution) and differs otherwise.

Bootstrap. scipy.stats.bootstrap is the iid bootstrap, i.e. the engine's block bootstrap
with blockLength 1. Three kinds of reference:
  * interval arithmetic: scipy's percentile and BCa intervals from a fixed, given bootstrap
    distribution (bootstrap_result=..., n_resamples=0), and scipy's jackknife acceleration
    a_hat (from the private _bca_interval, which returns it) -- deterministic, to 1e-12;
  * Monte Carlo: scipy's intervals with B = 200,000 resamples (close to the B -> infinity
    limit) and the standard deviation of each endpoint over 100 scipy runs with B = 20,000,
    the Monte Carlo error the engine's own B = 20,000 run has;
  * the stationary bootstrap with L > 1 (no scipy routine): the exact bootstrap variance
    of the resampled mean, from Politis and Romano (1994): the resampled indices form a
    stationary Markov chain that continues the block with probability 1 - 1/L, so
    Var*(mean*) = (1/n) [C(0) + 2 sum_{h=1}^{n-1} (1 - h/n) (1 - 1/L)^h C(h)],
    with C(h) the circular autocovariance (1/n) sum_i (x_i - m)(x_{(i+h) mod n} - m).
    A plain numpy simulation of the stationary bootstrap is printed beside it as a check
    of the formula.
"""
import math
from types import SimpleNamespace

import numpy as np
import scipy
from scipy import stats
from scipy.stats._resampling import _bca_interval

print("scipy", scipy.__version__, "numpy", np.__version__)


def diff(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def abs_diff(x, y, axis=-1):
    return np.abs(np.mean(x, axis=axis) - np.mean(y, axis=axis))


def ratio(x, y, axis=-1):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.mean(x, axis=axis) / np.mean(y, axis=axis)


def abs_log_ratio(x, y, axis=-1):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.abs(np.log(np.mean(x, axis=axis) / np.mean(y, axis=axis)))


def exact(x, y, statistic, alternative="greater"):
    res = stats.permutation_test((x, y), statistic, permutation_type="independent", alternative=alternative,
                                 n_resamples=np.inf, vectorized=True, batch=50_000)
    return res.pvalue, len(res.null_distribution)


# ---------------------------------------------------------------- permutation tests
SMALL = ([0, 0, 2.5, 0, 7, 2.5], [0, 1, 0, 0, 2.5])                # n1=6, n2=5, ties and zeros
EQUAL = ([0, 4, 0, 0, 1, 6], [0, 0, 1, 0, 0, 2])                    # n1=n2=6
ZERO_PRE = ([0, 3, 0, 1, 0, 0], [0, 0, 0, 0, 0])                    # pre mean 0: infinite ratio
LARGE = ([0, 0, 3.5, 0, 0, 12, 0, 0.5, 0, 0, 40, 0], [0, 1.5, 0, 0, 0, 0, 2, 0, 0, 0])  # C(22,12)=646646

for name, (x, y) in {"SMALL": SMALL, "EQUAL": EQUAL}.items():
    p, count = exact(x, y, abs_diff)
    print(name, "difference p_abs", repr(p), "splits", count)
    p2, _ = exact(x, y, diff, alternative="two-sided")
    print(name, "difference p_scipy_two_sided", repr(p2))
    p3, _ = exact(x, y, abs_log_ratio)
    print(name, "ratio p_abs", repr(p3), "observed ratio", repr(float(ratio(np.array(x), np.array(y)))))

# Infinite observed log ratio: scipy's tolerance is inf there, so use the bounded monotone
# transform arctan(|log ratio|), whose maximum pi/2 marks the splits with an all-zero window.
x, y = ZERO_PRE
p, count = exact(x, y, lambda a, b, axis: np.arctan(abs_log_ratio(a, b, axis)))
print("ZERO_PRE ratio p_abs (arctan|log ratio|)", repr(p), "splits", count,
      "by hand (C(9,6)+C(9,5))/C(11,6) =", repr((math.comb(9, 6) + math.comb(9, 5)) / math.comb(11, 6)))

x, y = LARGE
p, count = exact(x, y, abs_diff)
print("LARGE difference p_abs", repr(p), "splits", count)

DENSE = ([3, 1, 4, 1, 5, 9, 2, 6], [5, 3, 5, 8, 9, 7, 9, 3])        # no zero days: C(16,8)=12870
x, y = DENSE
p, count = exact(x, y, abs_diff)
print("DENSE difference p_abs", repr(p), "splits", count)

# Block permutation, L = 3. Even: post 12 days = 4 blocks, pre 9 days = 3 blocks, so the test
# is the ordinary one on the 7 block sums with the statistic scaled to day means.
BLOCK_EVEN = ([0, 2, 0, 0, 0, 5, 1, 0, 0, 9, 0, 0], [0, 0, 1, 0, 0, 0, 3, 0, 0])
x, y = (np.array(v, dtype=float) for v in BLOCK_EVEN)
bx, by = x.reshape(-1, 3).sum(axis=1), y.reshape(-1, 3).sum(axis=1)
p, count = exact(bx, by, lambda a, b, axis: np.abs(np.sum(a, axis=axis) / 12 - np.sum(b, axis=axis) / 9))
print("BLOCK_EVEN L=3 difference p_abs", repr(p), "splits", count)

# Leftovers: post 13 days = 4 blocks (days 0..11) + day 12 fixed; pre 11 days = days 0..1
# fixed + 3 blocks (days 2..10, ending at the event).
BLOCK_LEFTOVER = ([0, 2, 0, 0, 0, 5, 1, 0, 0, 9, 0, 0, 4], [6, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0])
x, y = (np.array(v, dtype=float) for v in BLOCK_LEFTOVER)
bx, fx = x[:12].reshape(-1, 3).sum(axis=1), x[12:].sum()
by, fy = y[2:].reshape(-1, 3).sum(axis=1), y[:2].sum()
p, count = exact(bx, by, lambda a, b, axis: np.abs((np.sum(a, axis=axis) + fx) / 13 - (np.sum(b, axis=axis) + fy) / 11))
print("BLOCK_LEFTOVER L=3 difference p_abs", repr(p), "splits", count)
with np.errstate(divide="ignore"):
    p, count = exact(bx, by, lambda a, b, axis: np.abs(np.log(((np.sum(a, axis=axis) + fx) / 13) / ((np.sum(b, axis=axis) + fy) / 11))))
print("BLOCK_LEFTOVER L=3 ratio p_abs", repr(p), "splits", count)

# ---------------------------------------------------------------- bootstrap
# Interval arithmetic from a given distribution.
IV_DATA = ([0, 3, 0, 0, 7.5, 1, 0, 2], [0, 0, 1.5, 0, 0, 4, 0.5])
IV_DIST_DIFF = [-1.2, 0.4, 1.1, 0.9, 2.5, -0.3, 0.9, 1.7, 3.2, 0.1, 1.4, 0.6, 2.2, -0.8, 1.0,
                0.7, 1.9, 0.2, 4.1, 1.3, 0.5, 1.6, 0.8, 2.8, 1.1]
IV_DIST_RATIO = [0.6, 1.4, 2.3, 1.9, 3.7, 0.9, 1.8, 2.6, 5.2, 1.1, 2.4, 1.5, 3.1, 0.8, 2.0,
                 1.7, 2.9, 1.2, 7.4, 2.2, 1.3, 2.5, 1.6, 4.4, math.inf]
x, y = (np.array(v, dtype=float) for v in IV_DATA)
for name, statistic, dist in (("difference", diff, IV_DIST_DIFF), ("ratio", ratio, IV_DIST_RATIO)):
    given = SimpleNamespace(bootstrap_distribution=np.array(dist))
    for method in ("percentile", "BCa"):
        for level in (0.95, 0.8):
            res = stats.bootstrap((x, y), statistic, vectorized=True, n_resamples=0, bootstrap_result=given,
                                  method=method, confidence_level=level)
            ci = res.confidence_interval
            print("IV", name, method, level, repr(float(ci.low)), repr(float(ci.high)))
    a_hat = _bca_interval((x, y), statistic, axis=-1, alpha=0.025, theta_hat_b=np.array(dist)[None, :], batch=None)[2]
    print("IV", name, "a_hat", repr(float(np.squeeze(a_hat))), "estimate", repr(float(statistic(x, y))))

# Monte Carlo agreement.
MC_POST = [1.8, 0.0, 0.0, 4.9, 0.0, 3.0, 0.0, 1.6, 0.0, 0.0, 0.0, 0.2, 0.0, 0.0, 0.0, 2.6, 0.0, 0.0, 0.0,
           0.4, 195.5, 0.0, 0.0, 0.0, 0.0, 0.0, 1.8, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 11.9, 0.0, 0.0, 2.1, 0.0,
           0.2, 0.0, 2.9, 0.0, 0.0, 0.0, 0.5]
MC_PRE = [0.0, 0.0, 1.7, 0.0, 0.6, 0.0, 1.2, 2.3, 0.0, 89.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
          2.4, 9.2, 0.3, 0.0, 0.0, 8.6, 0.0, 0.0, 70.3, 4.9, 0.0, 0.0, 38.3, 0.0, 0.0, 0.0, 0.0, 9.9, 0.0,
          0.0, 0.0]
x, y = np.array(MC_POST), np.array(MC_PRE)


def intervals(statistic, n_resamples, seed):
    res = stats.bootstrap((x, y), statistic, vectorized=True, n_resamples=n_resamples, batch=20_000,
                          method="percentile", random_state=np.random.default_rng(seed))
    bca = stats.bootstrap((x, y), statistic, vectorized=True, n_resamples=0, bootstrap_result=res, method="BCa")
    return [res.confidence_interval.low, res.confidence_interval.high, bca.confidence_interval.low,
            bca.confidence_interval.high]


for name, statistic in (("difference", diff), ("ratio", ratio)):
    big = intervals(statistic, 200_000, 1)
    runs = np.array([intervals(statistic, 20_000, 100 + k) for k in range(100)])
    sd = runs.std(axis=0, ddof=1)
    print("MC", name, "estimate", repr(float(statistic(x, y))))
    for label, value, spread in zip(("percentile_lo", "percentile_hi", "bca_lo", "bca_hi"), big, sd):
        print("MC", name, label, "B=200000", repr(float(value)), "sd(B=20000)", repr(float(spread)))

# Stationary bootstrap variance of the mean.
SB_SERIES = [0, 11, 8, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 3, 2,
             1, 1, 0, 0, 0, 0, 2, 0, 2, 2, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]
z = np.array(SB_SERIES, dtype=float)
n = len(z)
centred = z - z.mean()
circular = np.array([np.mean(centred * np.roll(centred, -h)) for h in range(n)])


def sb_variance(L):
    q = 1 - 1 / L
    return (circular[0] + 2 * sum((1 - h / n) * q ** h * circular[h] for h in range(1, n))) / n


def sb_simulate(L, B, seed):
    rng = np.random.default_rng(seed)
    means = np.empty(B)
    for b in range(B):
        idx = np.empty(n, dtype=int)
        idx[0] = rng.integers(n)
        for t in range(1, n):
            idx[t] = rng.integers(n) if rng.random() < 1 / L else (idx[t - 1] + 1) % n
        means[b] = z[idx].mean()
    return means.var(ddof=1)


for L in (1, 4, 2.5):
    print("SB L", L, "variance", repr(sb_variance(L)), "numpy simulation B=40000", repr(sb_simulate(L, 40_000, 7)))

# No zero days, L = 1: the iid bootstrap variance of the mean, var(x, ddof=0) / n.
SB_DENSE = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]
print("SB_DENSE L 1 variance", repr(float(np.var(SB_DENSE) / len(SB_DENSE))))

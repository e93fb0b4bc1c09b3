"""The segmented-regression design and the Newey-West lag rule the engine uses
(src/stats/segmented-regression.ts, hac-ols.ts), shared by the reference scripts beside this file."""
import numpy as np


def rule(n):
    return int(np.floor(4 * (n / 100.0) ** (2.0 / 9.0)))


def design(pre, post, gap=0):
    n0, n1 = len(pre), len(post)
    t = np.r_[np.arange(n0), n0 + gap + np.arange(n1)].astype(float)
    p = np.r_[np.zeros(n0), np.ones(n1)]
    t0 = n0 + gap
    return np.concatenate([pre, post]).astype(float), np.column_stack([np.ones(n0 + n1), t, p, (t - t0) * p])

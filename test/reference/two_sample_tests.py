"""Reference values for test/stats/two-sample-tests.test.ts.

Run with Debian's python3-scipy:  /usr/bin/python3 test/reference/two_sample_tests.py
Prints, for each case, scipy's Welch t-test and Mann-Whitney U results; the numbers are
pasted into the test beside this command.
"""
import json
import scipy
from scipy import stats

CASES = {
    "small": ([1.5, 2.0, 9.0, 4.0, 3.5], [0.5, 1.0, 1.0, 2.5]),
    # Mostly-zero daily losses with one large day, like hack data; many tied zeros.
    "tied_zeros": ([0, 0, 0, 0, 0, 0, 0, 305e6, 0, 0, 0, 1.2e6, 0, 0],
                   [0, 0, 4.5e6, 0, 0, 0, 0, 0, 0, 235e6, 0, 0, 0, 0, 0, 0, 50e6, 0]),
    "counts": ([0, 1, 0, 2, 0, 0, 1, 0, 3, 0, 0, 1], [0, 0, 1, 0, 0, 0, 0, 1, 0, 0]),
    "all_tied": ([0, 0, 0], [0, 0, 0, 0]),
}

print("scipy", scipy.__version__)
for name, (x, y) in CASES.items():
    out = {}
    w = stats.ttest_ind(x, y, equal_var=False)
    out["welch"] = {"t": float(w.statistic), "p": float(w.pvalue)}
    # df as scipy computes it internally (Welch-Satterthwaite)
    import numpy as np
    vx, vy = np.var(x, ddof=1) / len(x), np.var(y, ddof=1) / len(y)
    out["welch"]["df"] = float((vx + vy) ** 2 / (vx ** 2 / (len(x) - 1) + vy ** 2 / (len(y) - 1))) if vx + vy > 0 else None
    m = stats.mannwhitneyu(x, y, alternative="two-sided", use_continuity=True, method="asymptotic")
    out["mannwhitney"] = {"U": float(m.statistic), "p": float(m.pvalue)}
    print(name, json.dumps(out))

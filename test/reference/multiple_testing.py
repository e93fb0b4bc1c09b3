"""Reference values for test/stats/multiple-testing.test.ts.

Run with Debian's python3-statsmodels 0.13.5:
    /usr/bin/python3 test/reference/multiple_testing.py
Prints statsmodels.stats.multitest.multipletests(p, method=m)[1] (the adjusted p-values)
for m in 'holm' and 'fdr_bh'. Missing tests (None) are dropped before the call and put
back as None, which is the contract of src/stats/multiple-testing.ts.
"""
import json
import statsmodels
from statsmodels.stats.multitest import multipletests

CASES = {
    "mixed": [0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.049],
    "ties": [0.02, 0.02, 0.001, 0.02, 0.9, 0.9],
    "with_nulls": [0.012, None, 0.3, 0.0004, None, 0.047, 0.051],
    "capped": [0.6, 0.8, 0.7, 0.95],
    "single": [0.03],
    "tiny": [1e-12, 2.674551700341948e-23, 0.01690053939819336, 0.00012612342834472656, 0.34375],
}

print("statsmodels", statsmodels.__version__)
for name, ps in CASES.items():
    present = [p for p in ps if p is not None]
    out = {}
    for method in ["holm", "fdr_bh"]:
        adjusted = iter(multipletests(present, method=method)[1].tolist())
        out[method] = [None if p is None else next(adjusted) for p in ps]
    print(name, json.dumps(out))

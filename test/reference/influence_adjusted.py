"""Holm adjustment of the influence-adjusted fixture's family with X's primary p-value
replaced by its p-value without BigHack (test/analysis/influence-adjusted.test.ts).

The family (engine outputs, asserted in the test): X block permutation p, X placebo p,
Y block permutation p, Y placebo p. Run: /usr/bin/python3 test/reference/influence_adjusted.py
"""
from statsmodels.stats.multitest import multipletests

with_all = [0.0064993500649935, 0.0010893246187363835, 0.3748625137486251, 0.4324618736383442]
without_bighack = [0.021397860213978603] + with_all[1:]
print("with every incident, X adjusted:", repr(multipletests(with_all, method="holm")[1][0]))
print("without BigHack, X adjusted:", repr(multipletests(without_bighack, method="holm")[1][0]))

"""Independent reference for test/cases/golden-basic (spec.yaml + data.csv).

Run with Debian's python3-scipy:  /usr/bin/python3 test/reference/golden_case.py
Rebuilds the daily series from data.csv by the rules stated in the spec and README
(Asia/Tokyo days, exclude category=test, drop exact duplicates and unparseable amounts,
empty amount = unknown: an incident with no loss, coverage 2024-03-01..2024-03-20,
pre 2024-03-01..03-10, post 2024-03-11..03-20 after clipping) and prints the means,
scipy's tests and statsmodels' (0.13.5) count and regression tests. With --check it also
compares them with expected/results.json. (The resampling tests have no closed-form
reference; their kernels are checked in test/reference/resampling.py, and the golden
file pins them bit for bit under the spec's seed.)
"""
import csv, datetime, json, sys
from zoneinfo import ZoneInfo
import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.rates import test_poisson_2indep

HERE = "test/cases/golden-basic/"
TOKYO = ZoneInfo("Asia/Tokyo")

def day_of(text):
    if len(text) == 10:
        return datetime.date.fromisoformat(text)
    instant = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=datetime.timezone.utc)
    return instant.astimezone(TOKYO).date()

rows, seen = [], set()
with open(HERE + "data.csv", newline="") as handle:
    for record in csv.DictReader(handle):
        key = tuple(record.values())
        if key in seen:
            continue
        seen.add(key)
        try:
            amount = None if record["amount_usd"] == "" else float(record["amount_usd"])
        except ValueError:
            continue
        if record["category"] == "test":
            continue
        group = "Lazarus" if record["attribution"] in ("lazarus", "unclear") else "Other"
        rows.append((day_of(record["date"]), amount, group))

def series(group, start, end, metric):
    days = (end - start).days + 1
    values = [0.0] * days
    for day, amount, row_group in rows:
        if group != "All" and row_group != group:
            continue
        if start <= day <= end:
            values[(day - start).days] += 1 if metric == "daily_incidents" else (amount or 0.0)
    return values

pre = (datetime.date(2024, 3, 1), datetime.date(2024, 3, 10))
post = (datetime.date(2024, 3, 11), datetime.date(2024, 3, 20))
out = {}
print("scipy", scipy.__version__, "statsmodels", statsmodels.__version__)
for group in ("Lazarus", "Other", "All"):
    for metric in ("daily_loss", "daily_incidents"):
        x, y = series(group, *post, metric), series(group, *pre, metric)
        w = stats.ttest_ind(x, y, equal_var=False)
        m = stats.mannwhitneyu(x, y, alternative="two-sided", use_continuity=True, method="asymptotic")
        out[(group, metric)] = {"pre_mean": sum(y) / len(y), "post_mean": sum(x) / len(x),
                                "welch_t": float(w.statistic), "welch_p": float(w.pvalue),
                                "mwu_u": float(m.statistic), "mwu_p": float(m.pvalue)}
        # Segmented regression y ~ 1 + t + post + (t - t0) post, Newey-West lags floor(4 (n/100)^(2/9)).
        n = len(y) + len(x)
        t = np.arange(n, dtype=float)
        post_flag = (t >= len(y)).astype(float)
        design = np.column_stack([np.ones(n), t, post_flag, (t - len(y)) * post_flag])
        lags = int(np.floor(4 * (n / 100) ** (2 / 9)))
        values = np.array(y + x)
        if metric == "daily_loss":
            seg = sm.OLS(values, design).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
        else:
            seg = sm.GLM(values, design, family=sm.families.Poisson()).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
        out[(group, metric)]["segmented_p"] = float(seg.pvalues[2])
        if metric == "daily_incidents":
            exact = test_poisson_2indep(sum(x), len(x), sum(y), len(y), method="exact-cond", alternative="two-sided")
            out[(group, metric)]["rate_exact_p"] = float(exact.pvalue)
            glm = sm.GLM(values, np.column_stack([np.ones(n), post_flag]), family=sm.families.Poisson()).fit(scale="X2")
            out[(group, metric)]["quasi_poisson_p"] = float(glm.pvalues[1])
            out[(group, metric)]["quasi_poisson_rate_ratio"] = float(np.exp(glm.params[1]))
        print(group, metric, json.dumps(out[(group, metric)]))

if "--check" in sys.argv:
    results = json.load(open(HERE + "expected/results.json"))
    for item in results["results"]:
        ref = out[(item["group"], item["metric"])]
        # Incidents of unknown amount per window (the counts the verdicts on losses quote).
        for window, (start, end) in (("pre", pre), ("post", post)):
            unknown = sum(1 for day, amount, group in rows if amount is None and start <= day <= end and item["group"] in (group, "All"))
            assert item[window]["unknownAmountIncidents"] == unknown, (item["group"], item["metric"], window, item[window]["unknownAmountIncidents"], unknown)
        tests = {t["method"]: t for t in item["tests"]}
        pairs = [(item["pre"]["mean"], ref["pre_mean"]), (item["post"]["mean"], ref["post_mean"]),
                 (tests["welch_t"]["statistic"], ref["welch_t"]), (tests["welch_t"]["pValue"], ref["welch_p"]),
                 (tests["mann_whitney_u"]["statistic"], ref["mwu_u"]), (tests["mann_whitney_u"]["pValue"], ref["mwu_p"])]
        if "segmented_p" in ref:
            pairs.append((tests["segmented_regression"]["pValue"], ref["segmented_p"]))
        if "rate_exact_p" in ref:
            pairs.append((tests["rate_ratio_exact"]["pValue"], ref["rate_exact_p"]))
            pairs.append((tests["rate_ratio_quasi_poisson"]["pValue"], ref["quasi_poisson_p"]))
            pairs.append((tests["rate_ratio_quasi_poisson"]["effect"]["estimate"], ref["quasi_poisson_rate_ratio"]))
        for engine, reference in pairs:
            assert abs(engine - reference) <= 1e-8 * max(1.0, abs(reference)), (item["group"], item["metric"], engine, reference)
    # Holm over the study's family (every test and placebo p-value, in results order).
    from statsmodels.stats.multitest import multipletests
    slots, primary_place = [], {}
    for item in results["results"] + results["differenceInDifferences"]:
        for t in item["tests"]:
            if t["pValue"] is None:
                continue
            if t["method"] == results["primary"][item["metric"]]:
                primary_place[id(item)] = len(slots)
            slots.append((t["pValue"], t["adjustedPValue"]))
        if item["placebo"] is not None and item["placebo"]["pValue"] is not None:
            slots.append((item["placebo"]["pValue"], item["placebo"]["adjustedPValue"]))
    holm = multipletests([raw for raw, _ in slots], method="holm")[1]
    assert len(slots) == results["multipleTesting"]["family"], (len(slots), results["multipleTesting"])
    for (raw, adjusted), reference in zip(slots, holm):
        assert abs(adjusted - reference) <= 1e-12, (raw, adjusted, reference)
    # An incident's removal is adjusted as the comparison's verdict is: its p-value takes the
    # place of the comparison's primary test in the same family, and Holm is read there.
    checked = 0
    for item in results["results"] + results["differenceInDifferences"]:
        for entry in item.get("influence") or []:
            if entry["pValue"] is None:
                continue
            place = primary_place[id(item)]
            family = [raw for raw, _ in slots]
            family[place] = entry["pValue"]
            reference = multipletests(family, method="holm")[1][place]
            assert abs(entry["adjustedPValue"] - reference) <= 1e-12, (item["group"], item["metric"], entry["name"], entry["adjustedPValue"], reference)
            checked += 1
    print("expected/results.json agrees with scipy and statsmodels (family of", len(slots), "p-values;", checked, "incident removals adjusted in it)")

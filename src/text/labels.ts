/** Names of metrics and tests as people read them in the report and the CLI. */
import type { MetricName, TestName } from "../spec/input-spec.js";

export const METRIC_LABEL: Record<MetricName, string> = { daily_loss: "daily loss", daily_incidents: "incidents per day" };

export const TEST_LABEL: Record<TestName, string> = {
  block_permutation: "block permutation test",
  permutation: "permutation test",
  welch_t: "Welch t-test",
  mann_whitney_u: "Mann–Whitney U test",
  rate_ratio_exact: "exact Poisson rate-ratio test",
  rate_ratio_quasi_poisson: "quasi-Poisson rate-ratio test",
  segmented_regression: "segmented regression (HAC)",
};

/**
 * Simulated daily hack data with no event effect, shaped like the real thing, for the
 * calibration of every test (`npm run calibrate`): how often does a test call a change
 * significant when there is none?
 *
 * Model, per day t:
 *   x_t = phi * x_{t-1} + sqrt(1 - phi^2) * sigma * e_t      (latent Gaussian AR(1), e_t ~ N(0,1))
 *   N_t ~ Poisson(rate * exp(x_t - sigma^2 / 2))             (incidents; mean rate, clustered when phi > 0)
 *   loss_t = sum of N_t amounts, each Pareto(alpha, xm)        (heavy tail: alpha near 1 as in the data)
 * With sigma = 0 the counts are independent Poisson; phi > 0 makes bad weeks follow bad
 * weeks (campaigns). xm is chosen so the median amount matches the data's median.
 */
import type { Rng } from "../stats/random.js";

export interface NullModel {
  /** Mean incidents per day. */
  rate: number;
  /** Pareto tail index of amounts (the mean is infinite when alpha <= 1). */
  tailIndex: number;
  /** Median incident amount (USD). */
  medianAmount: number;
  /** Lag-1 autocorrelation of the latent log-intensity. */
  phi: number;
  /** Standard deviation of the latent log-intensity (0: plain Poisson). */
  sigma: number;
}

export interface SimulatedSeries {
  counts: Float64Array;
  losses: Float64Array;
}

export function simulateNullSeries(model: NullModel, days: number, rng: Rng): SimulatedSeries {
  const counts = new Float64Array(days);
  const losses = new Float64Array(days);
  const scale = model.medianAmount / 2 ** (1 / model.tailIndex);
  const innovation = Math.sqrt(1 - model.phi * model.phi) * model.sigma;
  let latent = model.sigma * standardNormal(rng); // start in the stationary distribution
  for (let day = 0; day < days; day += 1) {
    if (day > 0) latent = model.phi * latent + innovation * standardNormal(rng);
    const intensity = model.rate * Math.exp(latent - (model.sigma * model.sigma) / 2);
    const incidents = poisson(intensity, rng);
    counts[day] = incidents;
    let loss = 0;
    for (let index = 0; index < incidents; index += 1) loss += scale * (1 - rng.next()) ** (-1 / model.tailIndex);
    losses[day] = loss;
  }
  return { counts, losses };
}

/** Box–Muller; one of the pair is discarded for simplicity (calibration is not hot enough to matter). */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Knuth's multiplication method: fine for the small daily rates here (< 30). */
export function poisson(mean: number, rng: Rng): number {
  const limit = Math.exp(-mean);
  let count = -1;
  let product = 1;
  do {
    count += 1;
    product *= rng.next();
  } while (product > limit);
  return count;
}

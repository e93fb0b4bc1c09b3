/**
 * Placebo in time: the same pre/post comparison recomputed at every eligible fake event
 * date, to see how unusual the real effect is among changes that happen without an event.
 *
 * For each candidate day d, windows of the real lengths (and the real gaps) are placed
 * around d; d is eligible when both windows lie inside the series (coverage) and neither
 * overlaps the real study's span (first pre day to last post day), so the real event's
 * own effect cannot leak into a placebo. The effect at each date is the difference of
 * the window means (post − pre), computed in O(1) from prefix sums.
 *
 * The empirical p-value is (1 + #{placebo effects with |e| ≥ |real|}) / (1 + N): the share
 * of dates at least as extreme, counting the real one. Neighbouring placebo dates share
 * most of their days, so the placebo effects are strongly dependent; the p-value says how
 * the real effect ranks among the changes this series shows anyway, and is conservative
 * rather than exact. When the data's level drifts over years (hack losses grew ~100x from
 * 2016 to 2022), absolute changes from other eras are not comparable: the relative-change
 * version (log of the ratio of means) is computed too, on dates where both means are > 0.
 *
 * Reference: Abadie, Diamond and Hainmueller (2015), "Comparative Politics and the
 * Synthetic Control Method", placebo studies in time.
 */

export interface PlaceboLayout {
  /** Index of the real event day in the series. */
  eventIndex: number;
  preDays: number;
  postDays: number;
  gapBefore: number;
  gapAfter: number;
}

export interface PlaceboResult {
  /** The real effect (post mean − pre mean). */
  observed: number;
  /** Index in the series of each eligible placebo event day. */
  eventIndices: Int32Array;
  /** The effect at each placebo date, aligned with eventIndices. */
  effects: Float64Array;
  /** Placebo dates with |effect| ≥ |observed| (relative tolerance 1e-12). */
  atLeastAsExtreme: number;
  /** (1 + atLeastAsExtreme) / (1 + N); null when there is no eligible date. */
  pValue: number | null;
  /** log(post mean / pre mean) at the real date and its placebo p-value, where defined. */
  relative: { observed: number | null; eligible: number; atLeastAsExtreme: number; pValue: number | null };
}

/** Running sums with a leading zero: sum of values[a..b] = prefix[b + 1] − prefix[a]. */
export function prefixSums(values: ArrayLike<number>): Float64Array {
  const prefix = new Float64Array(values.length + 1);
  for (let index = 0; index < values.length; index += 1) prefix[index + 1] = (prefix[index] as number) + (values[index] as number);
  return prefix;
}

export function placeboInTime(values: ArrayLike<number>, layout: PlaceboLayout): PlaceboResult {
  const prefix = prefixSums(values);
  const n = values.length;
  const { preDays, postDays, gapBefore, gapAfter } = layout;
  const windowMeans = (event: number): [number, number] => {
    const preStart = event - gapBefore - preDays;
    const postStart = event + gapAfter;
    const pre = ((prefix[preStart + preDays] as number) - (prefix[preStart] as number)) / preDays;
    const post = ((prefix[postStart + postDays] as number) - (prefix[postStart] as number)) / postDays;
    return [pre, post];
  };
  const realStart = layout.eventIndex - gapBefore - preDays;
  const realEnd = layout.eventIndex + gapAfter + postDays - 1;
  const [realPre, realPost] = windowMeans(layout.eventIndex);
  const observed = realPost - realPre;
  const observedLog = realPre > 0 && realPost > 0 ? Math.log(realPost / realPre) : null;

  const indices: number[] = [];
  const effects: number[] = [];
  let extreme = 0;
  let relativeEligible = 0;
  let relativeExtreme = 0;
  const tolerance = (value: number): number => 1e-12 * Math.max(1, Math.abs(value));
  for (let event = gapBefore + preDays; event + gapAfter + postDays - 1 <= n - 1; event += 1) {
    const start = event - gapBefore - preDays;
    const end = event + gapAfter + postDays - 1;
    if (end >= realStart && start <= realEnd) continue; // overlaps the real study
    const [pre, post] = windowMeans(event);
    const effect = post - pre;
    indices.push(event);
    effects.push(effect);
    if (Math.abs(effect) >= Math.abs(observed) - tolerance(observed)) extreme += 1;
    if (observedLog !== null && pre > 0 && post > 0) {
      relativeEligible += 1;
      if (Math.abs(Math.log(post / pre)) >= Math.abs(observedLog) - tolerance(observedLog)) relativeExtreme += 1;
    }
  }
  return {
    observed,
    eventIndices: Int32Array.from(indices),
    effects: Float64Array.from(effects),
    atLeastAsExtreme: extreme,
    pValue: effects.length === 0 ? null : (1 + extreme) / (1 + effects.length),
    relative: {
      observed: observedLog,
      eligible: relativeEligible,
      atLeastAsExtreme: relativeExtreme,
      pValue: observedLog === null || relativeEligible === 0 ? null : (1 + relativeExtreme) / (1 + relativeEligible),
    },
  };
}

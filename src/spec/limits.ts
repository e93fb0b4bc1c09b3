/**
 * Every limit the engine puts on its input, in one place. Each keeps a hand-written or
 * generated spec from turning into unbounded work or memory (an alias bomb, a spec that
 * extends itself, a thousand groups, a million-day window), and each has its own message
 * naming the value, the limit and the fix. README.md ("Limits") lists them;
 * test/bad-inputs/ has a case for each, and checks that the schema's maxima are these.
 *
 * The limits that are part of the spec's type (`@maximum`, `@maxItems` in input-spec.ts)
 * are enforced by the schema; the rest by the code named beside each.
 */
export const LIMITS = {
  /** Bytes in one spec file (each file of an `extends:` chain counts on its own). load-spec.ts */
  specBytes: 1_048_576,
  /** YAML alias expansions (`*name`), counted by the yaml parser's maxAliasCount. yaml-source.ts */
  yamlAliases: 100,
  /** Files a spec may inherit from through `extends:`, one after another. load-spec.ts */
  extendsDepth: 8,
  /** Actor groups (`groups`, and a variant's `groups`). Schema. */
  groups: 100,
  /** Events (`events`). Schema. */
  events: 20,
  /** Variants (`variants`). Schema. */
  variants: 20,
  /** Cells: events x variants, each a whole study run. load-spec.ts */
  cells: 100,
  /** Days in one window (`windows.*.days`), window lengths for the sensitivity grid, bootstrap block length. Schema. */
  windowDays: 36_600,
  /** Days of declared coverage (`coverage.start`..`coverage.end`): 100 years. normalize.ts */
  coverageDays: 36_600,
  /** Window lengths in `robustness.sensitivity_days`. Schema. */
  sensitivityLengths: 20,
  /** Random permutations (`tests.permutations`). Schema. */
  permutations: 1_000_000,
  /** Bootstrap resamples (`tests.bootstrap.resamples`). Schema. */
  resamples: 1_000_000,
  /** Incidents left out one at a time (`robustness.influence_top_k`). Schema. */
  influenceTopK: 50,
} as const;

/** `1048576` -> `1,048,576`: limits are printed the way the README writes them. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

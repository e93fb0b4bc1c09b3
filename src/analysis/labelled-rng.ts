/**
 * One random stream per (study seed, label), so each resampling method for each group
 * and metric draws its own numbers: adding a group or a test, or running them in another
 * order, leaves every other result bit for bit the same.
 */
import { createRng, type Rng } from "../stats/random.js";

export function labelledRng(seed: number, label: string): Rng {
  return createRng((seed ^ fnv1a(label)) >>> 0);
}

/** FNV-1a, 32 bits: a fast, stable string hash (not for security). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

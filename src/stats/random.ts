/**
 * A seeded pseudo-random generator for every resampling method, so that a study with the
 * same seed reproduces bit for bit on any machine (Math.random cannot be seeded).
 *
 * xoshiro128** (Blackman and Vigna, 2018) on 32-bit integers, seeded through splitmix32
 * so that nearby seeds give unrelated streams. Fast, small state, passes BigCrush; not
 * for cryptography.
 */
export interface Rng {
  /** A float uniform on [0, 1), with 32 random bits. */
  next(): number;
  /** An integer uniform on 0..n-1 (n <= 2^32), without modulo bias. */
  nextInt(n: number): number;
}

export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const state = new Uint32Array([splitmix(), splitmix(), splitmix(), splitmix()]);
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(state[1] as number, 5) >>> 0, 7), 9) >>> 0;
    const t = ((state[1] as number) << 9) >>> 0;
    state[2] = (state[2] as number) ^ (state[0] as number);
    state[3] = (state[3] as number) ^ (state[1] as number);
    state[1] = (state[1] as number) ^ (state[2] as number);
    state[0] = (state[0] as number) ^ (state[3] as number);
    state[2] = (state[2] as number) ^ t;
    state[3] = rotl(state[3] as number, 11);
    return result;
  };
  return {
    next: () => nextUint32() / 4294967296,
    nextInt: (n: number) => {
      // Rejection sampling: draw again when the draw falls in the incomplete last block.
      // `x % n` of an x of 2^31 or more is a call to fmod in V8, the costliest step of every
      // permutation and bootstrap (two per draw); x - n * floor(x / n) is the same whole
      // number at about half the cost, for every x <= 2^32 and n <= 2^32: when n does not
      // divide x, x / n lies at least 1/n from a whole number, and the division rounds it
      // by at most (x / n) * 2^-53 <= 2^-21 / n, so its floor is the true quotient. The
      // limit is the largest multiple of n up to 2^32 (2^32 minus 2^32 mod n).
      const limit = n * Math.floor(4294967296 / n);
      for (;;) {
        const draw = nextUint32();
        if (draw < limit) return draw - n * Math.floor(draw / n);
      }
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// Deterministic daily series shared by the test/stats reference tests, printed by
//   /usr/bin/python3 test/reference/hack_series.py   (numpy 1.24.2 RandomState seeds in that file)
// and pasted here. Not a test file itself.

/** "0010200" -> [0, 0, 1, 0, 2, 0, 0]: one digit per day, for count series checkable by eye. */
export function digits(text: string): Float64Array {
  return Float64Array.from(text, (character) => Number(character));
}

/** A series of `length` zero days with the given nonzero days (index -> value). */
export function sparse(length: number, nonzero: Record<number, number>): Float64Array {
  const series = new Float64Array(length);
  for (const [index, value] of Object.entries(nonzero)) series[Number(index)] = value;
  return series;
}

/** 60 pre + 60 post days of incident counts (negative binomial draws): 5 and 17 incidents. */
export const counts120 = {
  pre: digits("000000000000000000000100000200100000000000000000000000000100"),
  post: digits("100000100001000020010000410000000040001000000000000000000010"),
};

/** 60 pre + 60 post days of USD losses, about 10% nonzero days. */
export const losses120 = {
  pre: sparse(60, { 0: 2631571, 7: 481060, 13: 1733757, 19: 221495, 55: 5484576, 56: 13424130 }),
  post: sparse(60, { 2: 3117916, 32: 19826, 40: 67300, 48: 123714, 51: 660230 }),
};

/** 80 observations of y = 2 + 0.5 x + AR(1) errors (rho 0.6). */
export const ar1 = {
  x: [
    1.749, -0.286, -0.485, -2.653, -0.008, -0.32, -0.537, 0.315, 0.421, -1.066, -0.886, -0.476, 0.69, 0.561, -1.306, -1.119, 0.737, 1.575, -0.031, -0.683,
    1.096, -0.31, 0.726, 1.549, 0.63, 0.073, 0.732, -0.643, -0.178, -0.574, -0.204, -0.486, -0.186, -0.381, 0.089, 0.064, 0.296, 1.403, -1.547, 1.296,
    -0.237, -1.232, -0.172, 0.092, 1.068, -1.062, 0.217, 0.118, -1.684, -1.186, 0.6, 0.696, 1.088, 0.534, 0.395, 0.123, 1.209, -0.843, -0.142, 0.385,
    -1.577, 1.311, -0.793, -0.072, 2.157, -0.829, -0.529, 1.562, -1.08, -0.432, 0.516, 0.455, 0.594, 0.371, 1.345, 1.016, 0.595, -0.683, -0.714, -1.908,
  ],
  y: [
    3.5615, 0.4462, 1.79002, 2.539012, 2.053307, 1.190384, 0.865731, 2.468038, 1.533823, 0.929994, 0.711796, 1.003878, 3.181127, 1.818176, 1.141606,
    1.589263, 3.316758, 2.092455, 2.682473, 2.512284, 3.93427, 2.748762, 1.266257, 1.469454, 2.349973, 2.094484, 2.35179, 3.461974, 5.183084, 3.639251,
    4.98675, 1.61625, -0.22645, 1.39643, 1.534658, 2.305095, 2.828857, 3.021014, 2.100208, 3.323225, 0.754635, 0.926881, 1.825729, 3.826037, 2.473022,
    1.449413, 1.672748, 1.664549, 2.580329, 2.639398, 2.574439, 2.666663, 3.501198, 1.847319, 1.681691, 3.294015, 4.200009, 2.490805, 1.999383, 2.08073,
    -0.406562, 2.627663, 1.927798, 2.296579, 1.981047, 0.212028, 1.425417, 2.85295, 1.00617, 2.016702, 3.336621, 2.199673, 1.749304, 0.986882, 0.798329,
    2.180498, 2.610999, 2.185599, 0.787259, -0.513444,
  ],
};

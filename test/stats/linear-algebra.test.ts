// Hand-checkable systems, plus agreement with mathjs 15.2 inv() on a well-conditioned case.
import { inv } from "mathjs";
import { describe, expect, it } from "vitest";
import { fromColumns, get, leastSquares, multiply, RankDeficientError, sandwich, toRows } from "../../src/stats/linear-algebra.js";

describe("leastSquares (Householder QR)", () => {
  it("fits a line through three points: X'X = [[3,3],[3,5]], b = (5/6, 3/2)", () => {
    const x = fromColumns([
      [1, 1, 1],
      [0, 1, 2],
    ]);
    const solution = leastSquares(x, [1, 2, 4]);
    expect(solution.coefficients[0]).toBeCloseTo(5 / 6, 14);
    expect(solution.coefficients[1]).toBeCloseTo(3 / 2, 14);
    // (X'X)^-1 = [[5, -3], [-3, 3]] / 6
    const inverse = toRows(solution.inverseCrossProduct).flat();
    [5 / 6, -3 / 6, -3 / 6, 3 / 6].forEach((value, i) => expect(inverse[i]).toBeCloseTo(value, 14));
    // residuals y - X b = (1/6, -1/3, 1/6)
    [1 / 6, -1 / 3, 1 / 6].forEach((value, i) => expect(solution.residuals[i]).toBeCloseTo(value, 14));
  });
  it("weight 2 on a row is the same as the row twice", () => {
    const weighted = leastSquares(fromColumns([[1, 1, 1], [0, 1, 2]]), [1, 2, 4], [1, 2, 1]);
    const duplicated = leastSquares(fromColumns([[1, 1, 1, 1], [0, 1, 1, 2]]), [1, 2, 2, 4]);
    for (let j = 0; j < 2; j += 1) expect(weighted.coefficients[j]).toBeCloseTo(duplicated.coefficients[j] as number, 14);
    for (let i = 0; i < 4; i += 1) expect(weighted.inverseCrossProduct.data[i]).toBeCloseTo(duplicated.inverseCrossProduct.data[i] as number, 14);
  });
  it("solves an exactly determined system", () => {
    const solution = leastSquares(fromColumns([[2, 1], [1, 3]]), [5, 10]);
    expect(solution.coefficients[0]).toBeCloseTo(1, 14);
    expect(solution.coefficients[1]).toBeCloseTo(3, 14);
  });
  it("(X'X)^-1 agrees with mathjs inv of the normal matrix on a day-index design", () => {
    const n = 30;
    const t = Array.from({ length: n }, (_, i) => i);
    const post = t.map((i) => (i >= 15 ? 1 : 0));
    const x = fromColumns([t.map(() => 1), t, post, t.map((i) => (i >= 15 ? i - 15 : 0))]);
    const xtx: number[][] = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => t.reduce((s, _, r) => s + get(x, r, i) * get(x, r, j), 0)));
    const expected = inv(xtx) as number[][];
    const actual = toRows(leastSquares(x, t).inverseCrossProduct);
    expected.forEach((row, i) => row.forEach((value, j) => expect(Math.abs((actual[i]?.[j] as number) - value)).toBeLessThanOrEqual(1e-10 * Math.abs(value) + 1e-15)));
  });
  it("names the first dependent column (0-based index, 1-based in the message)", () => {
    const x = fromColumns([
      [1, 1, 1, 1],
      [1, 2, 3, 4],
      [2, 4, 6, 8],
    ]);
    expect(() => leastSquares(x, [1, 2, 3, 4])).toThrow(new RankDeficientError(2));
    expect(() => leastSquares(x, [1, 2, 3, 4])).toThrow("the design matrix is rank-deficient: column 3 is a linear combination of the columns before it");
  });
});

describe("matrix helpers", () => {
  it("multiply and sandwich", () => {
    const a = fromColumns([[1, 3], [2, 4]]); // [[1, 2], [3, 4]]
    expect(toRows(multiply(a, a))).toEqual([
      [7, 10],
      [15, 22],
    ]);
    const bread = fromColumns([[2, 1], [1, 3]]); // symmetric [[2, 1], [1, 3]]
    const meat = fromColumns([[1, 0], [0, 2]]);
    // B M B = [[2,1],[1,3]] [[1,0],[0,2]] [[2,1],[1,3]] = [[6, 8], [8, 19]]
    expect(toRows(sandwich(bread, meat))).toEqual([
      [6, 8],
      [8, 19],
    ]);
  });
  it("fromColumns refuses ragged columns", () => {
    expect(() => fromColumns([[1, 2], [1]])).toThrow("fromColumns: column 2 has 1 entries, column 1 has 2");
  });
});

/**
 * The little dense linear algebra the regression kernels need: row-major matrices,
 * (weighted) least squares by Householder QR, (X'WX)^-1 from the same factorization, and
 * the sandwich B M B.
 *
 * Why QR and not mathjs: the normal equations X'X b = X'y square the condition number
 * (a segmented-regression design with a day index up to a few hundred next to a 0/1
 * column is conditioned ~1e3-1e4, so ~1e7 after squaring, and mathjs' inv would lose
 * about that many ulps); Householder QR works on X itself and loses only ~cond(X) ulps.
 * statsmodels uses the SVD pseudo-inverse, which is as accurate; the two agree to ~1e-13.
 *
 * Rank deficiency: a column whose QR pivot |R_kk| is below 1e-10 times its own norm is a
 * numerical linear combination of the earlier columns; RankDeficientError names it (the
 * caller turns the index into a column name).
 *
 * Reference: Golub & Van Loan, Matrix Computations (4th ed.), 5.2 and 5.3.
 */
import { DataError } from "../errors.js";

/** A dense matrix stored row by row: entry (i, j) is data[i * cols + j]. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export class RankDeficientError extends DataError {
  constructor(readonly column: number) {
    super(`the design matrix is rank-deficient: column ${column + 1} is a linear combination of the columns before it`);
  }
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function get(matrix: Matrix, row: number, col: number): number {
  return matrix.data[row * matrix.cols + col] as number;
}

/** An n x p matrix from p columns of length n. */
export function fromColumns(columns: readonly ArrayLike<number>[]): Matrix {
  const cols = columns.length;
  const rows = cols === 0 ? 0 : (columns[0] as ArrayLike<number>).length;
  const matrix = zeros(rows, cols);
  columns.forEach((column, j) => {
    if (column.length !== rows) throw new RangeError(`fromColumns: column ${j + 1} has ${column.length} entries, column 1 has ${rows}`);
    for (let i = 0; i < rows; i += 1) matrix.data[i * cols + j] = column[i] as number;
  });
  return matrix;
}

/** Rows as plain arrays, for results and tests. */
export function toRows(matrix: Matrix): number[][] {
  return Array.from({ length: matrix.rows }, (_, i) => Array.from(matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols)));
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`multiply: ${a.rows}x${a.cols} times ${b.rows}x${b.cols}`);
  const product = zeros(a.rows, b.cols);
  for (let i = 0; i < a.rows; i += 1) {
    for (let k = 0; k < a.cols; k += 1) {
      const aik = a.data[i * a.cols + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < b.cols; j += 1) product.data[i * b.cols + j] = (product.data[i * b.cols + j] as number) + aik * (b.data[k * b.cols + j] as number);
    }
  }
  return product;
}

/** X b for a vector b. */
export function multiplyVector(x: Matrix, vector: ArrayLike<number>): Float64Array {
  const result = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i += 1) {
    let sum = 0;
    for (let j = 0; j < x.cols; j += 1) sum += (x.data[i * x.cols + j] as number) * (vector[j] as number);
    result[i] = sum;
  }
  return result;
}

/** The sandwich B M B' (B and M square and symmetric here, so B M B). */
export function sandwich(bread: Matrix, meat: Matrix): Matrix {
  const left = multiply(bread, meat);
  const result = zeros(bread.rows, bread.rows);
  for (let i = 0; i < bread.rows; i += 1) {
    for (let j = 0; j < bread.rows; j += 1) {
      let sum = 0;
      for (let k = 0; k < bread.cols; k += 1) sum += (left.data[i * left.cols + k] as number) * (bread.data[j * bread.cols + k] as number);
      result.data[i * bread.rows + j] = sum;
    }
  }
  return result;
}

export interface LeastSquaresSolution {
  /** b minimizing sum w_i (y_i - x_i b)^2. */
  coefficients: Float64Array;
  /** y - X b (unweighted). */
  residuals: Float64Array;
  /** (X' W X)^-1, the "normalized covariance" / bread. */
  inverseCrossProduct: Matrix;
}

/**
 * Weighted least squares by Householder QR of sqrt(W) X (weights default to 1).
 * Needs n >= p; throws RankDeficientError for a (numerically) rank-deficient design.
 */
export function leastSquares(x: Matrix, y: ArrayLike<number>, weights?: ArrayLike<number>): LeastSquaresSolution {
  const n = x.rows;
  const p = x.cols;
  if (y.length !== n) throw new RangeError(`leastSquares: y has ${y.length} entries, X has ${n} rows`);
  if (n < p) throw new RangeError(`leastSquares: ${n} rows cannot determine ${p} coefficients`);
  // Column-major working copy of sqrt(W) X, and sqrt(W) y.
  const a = new Float64Array(n * p);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const root = weights === undefined ? 1 : Math.sqrt(weights[i] as number);
    for (let j = 0; j < p; j += 1) a[j * n + i] = root * (x.data[i * p + j] as number);
    b[i] = root * (y[i] as number);
  }
  const rDiagonal = new Float64Array(p);
  for (let k = 0; k < p; k += 1) {
    const column = k * n;
    let columnNorm = 0;
    for (let i = 0; i < n; i += 1) columnNorm = Math.hypot(columnNorm, a[column + i] as number);
    let norm = 0;
    for (let i = k; i < n; i += 1) norm = Math.hypot(norm, a[column + i] as number);
    if (norm <= 1e-10 * columnNorm || norm === 0) throw new RankDeficientError(k);
    const alpha = (a[column + k] as number) > 0 ? -norm : norm;
    // v = x - alpha e1 stored in place; H = I - 2 v v' / (v'v), and v'v = 2 norm (norm + |x_k|).
    a[column + k] = (a[column + k] as number) - alpha;
    const vv = (a[column + k] as number) * (a[column + k] as number) + sumSquares(a, column + k + 1, column + n);
    const reflect = (target: Float64Array, offset: number): void => {
      let dot = 0;
      for (let i = k; i < n; i += 1) dot += (a[column + i] as number) * (target[offset + i] as number);
      const factor = (2 * dot) / vv;
      for (let i = k; i < n; i += 1) target[offset + i] = (target[offset + i] as number) - factor * (a[column + i] as number);
    };
    for (let j = k + 1; j < p; j += 1) reflect(a, j * n);
    reflect(b, 0);
    rDiagonal[k] = alpha;
  }
  const r = (i: number, j: number): number => (i === j ? (rDiagonal[i] as number) : (a[j * n + i] as number));
  // Back substitution R b = (Q'y)[0..p).
  const coefficients = new Float64Array(p);
  for (let i = p - 1; i >= 0; i -= 1) {
    let sum = b[i] as number;
    for (let j = i + 1; j < p; j += 1) sum -= r(i, j) * (coefficients[j] as number);
    coefficients[i] = sum / r(i, i);
  }
  // R^-1 (upper triangular), then (X'WX)^-1 = R^-1 R^-T.
  const rInverse = new Float64Array(p * p);
  for (let j = 0; j < p; j += 1) {
    rInverse[j * p + j] = 1 / r(j, j);
    for (let i = j - 1; i >= 0; i -= 1) {
      let sum = 0;
      for (let k = i + 1; k <= j; k += 1) sum += r(i, k) * (rInverse[k * p + j] as number);
      rInverse[i * p + j] = -sum / r(i, i);
    }
  }
  const inverseCrossProduct = zeros(p, p);
  for (let i = 0; i < p; i += 1) {
    for (let j = i; j < p; j += 1) {
      let sum = 0;
      for (let k = j; k < p; k += 1) sum += (rInverse[i * p + k] as number) * (rInverse[j * p + k] as number);
      inverseCrossProduct.data[i * p + j] = sum;
      inverseCrossProduct.data[j * p + i] = sum;
    }
  }
  const fitted = multiplyVector(x, coefficients);
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i += 1) residuals[i] = (y[i] as number) - (fitted[i] as number);
  return { coefficients, residuals, inverseCrossProduct };
}

/**
 * How much of y a least-squares fit can leave in its residuals through rounding alone, as a
 * fraction of ||y||_2: n k eps for n rows and k columns.
 *
 * Householder QR least squares is backward stable: the computed coefficients solve exactly
 * a problem whose y and columns are perturbed by up to ~n k u relative (Higham 2002,
 * Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm 20.3: gamma_{c n k} with
 * u = eps / 2). So when the model fits y exactly, the computed residuals y - X b are not
 * 0 but of norm up to about n k eps ||y||_2 (measured on constant series of 3 to 2000 days
 * a window, with and without a gap: at most ~0.07 of it), and any residual norm below that bound says nothing about
 * the data: it is what the arithmetic leaves behind, and a standard error built from it is
 * noise (a z of 0.2 or 1e15 alike). Callers treat "residual norm <= this * ||y||_2" as an
 * exact fit. For a daily series of 100 on 120 days the bound is a residual RMS of ~1e-11
 * (~750 ulps of 100); real variation is many orders of magnitude above it.
 */
export function leastSquaresRoundingTolerance(rows: number, cols: number): number {
  return rows * cols * Number.EPSILON;
}

function sumSquares(values: Float64Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i += 1) sum += (values[i] as number) * (values[i] as number);
  return sum;
}

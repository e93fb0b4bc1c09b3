// The parts of jStat (which ships no types) that the engine uses.
declare module "jstat" {
  interface ContinuousDistribution {
    cdf(x: number, ...parameters: number[]): number;
    pdf(x: number, ...parameters: number[]): number;
    inv(p: number, ...parameters: number[]): number;
  }
  export const jStat: {
    studentt: ContinuousDistribution;
    normal: ContinuousDistribution;
    chisquare: ContinuousDistribution;
    centralF: ContinuousDistribution;
    ibeta(x: number, a: number, b: number): number;
    erfc(x: number): number;
  };
}

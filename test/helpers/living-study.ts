/**
 * A small living study for the CLI tests: a spec reading `dataFile` (Lazarus against the
 * rest, ten-day windows around 2024-01-11, quick tests) and seven rows of data for it.
 */
export function livingSpec(title: string, dataFile: string): string {
  return `title: ${title}
data:
  file: ${dataFile}
  columns: {date: date, amount: amount, name: name}
coverage: {start: 2024-01-01, end: 2024-01-20}
groups:
  - name: Lazarus
    where: {actor: lazarus}
  - name: Other
    otherwise: true
event: {date: 2024-01-11, label: the event}
windows:
  pre: {days: 10}
  post: {days: 10}
tests: {permutations: 999, bootstrap: {resamples: 199}}
robustness: {placebo: false, sensitivity_days: [5], influence_top_k: 1}
`;
}

export const LIVING_CSV = `date,amount,name,actor
2024-01-02,1000,Alpha,lazarus
2024-01-04,200,Beta,
2024-01-06,3000,Gamma,lazarus
2024-01-09,50,Delta,
2024-01-12,700,Epsilon,lazarus
2024-01-15,90,Zeta,
2024-01-18,20,Eta,
`;

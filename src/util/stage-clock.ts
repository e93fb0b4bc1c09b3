/** Wall time per pipeline stage, for `npm run bench`: each lap is the time since the previous one. */
export class StageClock {
  readonly laps: Array<{ stage: string; ms: number }> = [];
  private last = performance.now();

  lap(stage: string): void {
    const now = performance.now();
    this.laps.push({ stage, ms: now - this.last });
    this.last = now;
  }
}

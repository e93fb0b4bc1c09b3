/**
 * Warnings collected during a run. A warning never stops the run; each is printed and
 * listed in the report and results.json, with a stable code for tools to filter on.
 */
export interface RunWarning {
  code: string;
  message: string;
}

export class WarningList {
  readonly items: RunWarning[] = [];

  add(code: string, message: string): void {
    this.items.push({ code, message });
  }
}

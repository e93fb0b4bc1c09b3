/**
 * A one-line progress indicator on stderr for long runs, only when stderr is a terminal:
 * piped or captured output (CI logs, `--json` consumers) stays clean.
 */
export interface Progress {
  update(message: string): void;
  /** Clears the line before ordinary output is printed. */
  clear(): void;
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY !== true) return { update: () => undefined, clear: () => undefined };
  const started = Date.now();
  let shown = false;
  return {
    update(message) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`\r\u001b[K${`${message} (${seconds} s)`.slice(0, width)}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write("\r\u001b[K");
      shown = false;
    },
  };
}

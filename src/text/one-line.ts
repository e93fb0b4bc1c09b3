/**
 * A group, event or incident name may hold a newline or a terminal escape (from the spec or
 * the data): written as `\n` (JSON's escapes), each printed line stays one line and cannot
 * restyle the terminal. Every line the CLI prints from such names goes through this.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (character) => (character === "\u007f" ? "\\u007f" : JSON.stringify(character).slice(1, -1)));
}

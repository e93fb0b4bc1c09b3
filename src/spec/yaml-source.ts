/**
 * Parses a spec's YAML and keeps the map from every value back to its line and column,
 * so that validation messages can point at the exact place in the file.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { SpecError } from "../errors.js";
import { messages } from "../messages.js";

export type SpecPath = ReadonlyArray<string | number>;

export interface Position {
  line: number;
  col: number;
}

export interface YamlSource {
  /** The file the YAML came from, as the user named it. */
  file: string;
  /** The parsed value, as plain JavaScript. */
  value: unknown;
  /** Where the value at `path` starts (or its key, with `key: true`). */
  locate(path: SpecPath, options?: { key?: boolean }): Position;
}

/** Caps how far YAML aliases may expand, so an alias bomb fails fast instead of eating memory. */
const MAX_ALIAS_COUNT = 100;

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    const at = lineCounter.linePos(firstError.pos[0]);
    throw new SpecError(messages.yamlSyntax(file, at.line, at.col, firstError.message));
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new SpecError(messages.yamlAliases(file, MAX_ALIAS_COUNT, (error as Error).message));
  }
  const locate = (path: SpecPath, options: { key?: boolean } = {}): Position => {
    const offset = findOffset(document, path, options.key === true);
    const at = lineCounter.linePos(offset);
    return { line: at.line, col: at.col };
  };
  return { file, value, locate };
}

/** The source offset of the deepest node along `path` that exists (the document start if none). */
function findOffset(document: Document, path: SpecPath, wantKey: boolean): number {
  let node: unknown = document.contents;
  let offset = rangeStart(node) ?? 0;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index];
    const isLast = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) return offset;
      if (isLast && wantKey) return rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (node !== null && typeof node === "object" && "items" in node && typeof segment === "number") {
      node = (node as { items: unknown[] }).items[segment];
    } else {
      return offset;
    }
    offset = rangeStart(node) ?? offset;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}

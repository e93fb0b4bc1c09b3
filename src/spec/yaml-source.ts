/**
 * Parses a spec's YAML and keeps the map from every value back to its line and column,
 * so that validation messages can point at the exact place in the file.
 */
import { isAlias, isMap, isScalar, LineCounter, parseDocument, visit, type Alias, type Document, type Node, type YAMLError } from "yaml";
import { SpecError } from "../errors.js";
import { messages } from "../messages.js";
import { LIMITS } from "./limits.js";

export type SpecPath = ReadonlyArray<string | number>;

export interface Position {
  line: number;
  col: number;
  /** The file the value was written in, when it is not the spec itself (`extends:`). */
  file?: string;
  /** The value's path in that file, when it differs (an event's or a variant's key). */
  path?: SpecPath;
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
const MAX_ALIAS_COUNT = LIMITS.yamlAliases;

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  // logLevel "error": the parser's warnings (e.g. a list used as a key) would go to stderr
  // as Node process warnings; what they warn about fails validation with a message anyway.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: "error" });
  const firstError = document.errors[0];
  if (firstError !== undefined) throw new SpecError(describeYamlError(file, text, lineCounter, firstError));
  const aliasProblem = checkAliases(document);
  if (aliasProblem !== undefined) {
    const at = lineCounter.linePos(aliasProblem.node.range?.[0] ?? 0);
    const describe = aliasProblem.insideItself ? messages.yamlAliasInsideItself : messages.yamlAliasWithoutAnchor;
    throw new SpecError(describe(file, at.line, at.col, aliasProblem.node.source));
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    // The parser says only "Excessive alias count": point at the first alias.
    const at = lineCounter.linePos(firstAliasOffset(document));
    throw new SpecError(messages.yamlAliases(file, at.line, at.col, MAX_ALIAS_COUNT));
  }
  const locate = (path: SpecPath, options: { key?: boolean } = {}): Position => {
    const offset = findOffset(document, path, options.key === true);
    const at = lineCounter.linePos(offset);
    return { line: at.line, col: at.col };
  };
  return { file, value, locate };
}

/**
 * A YAML parse error as a message that points where the mistake is, not where the parser
 * noticed it: an unclosed quote is reported where it opens (the parser only notices at the
 * end of the file), a duplicate key by name with the line of its first occurrence.
 */
function describeYamlError(file: string, text: string, lineCounter: LineCounter, error: YAMLError): string {
  const offset = error.pos[0];
  if (error.code === "MISSING_CHAR" && /closing ["']quote/.test(error.message)) {
    const quote = error.message.includes(`closing "quote`) ? '"' : "'";
    const opening = unmatchedQuoteOffset(text.slice(0, offset), quote);
    const at = lineCounter.linePos(opening ?? offset);
    return messages.yamlUnclosedQuote(file, at.line, at.col, quote);
  }
  if (error.code === "DUPLICATE_KEY") {
    const at = lineCounter.linePos(offset);
    const lineStart = offset - (at.col - 1);
    const key = /^\s*([^:#]+?)\s*:/.exec(text.slice(lineStart))?.[1] ?? "";
    const indent = at.col - 1;
    const lines = text.slice(0, lineStart).split("\n");
    const firstIndex = lines.findIndex((line) => line.startsWith(`${" ".repeat(indent)}${key}:`) && !line.startsWith(`${" ".repeat(indent + 1)}`));
    return messages.yamlDuplicateKey(file, at.line, at.col, key, firstIndex + 1);
  }
  const at = lineCounter.linePos(offset);
  return messages.yamlSyntax(file, at.line, at.col, error.message);
}

/**
 * Aliases the parser accepts but that cannot become a value: one with no anchor before it
 * (`*nope`), and one inside the very value it names (`a: &x [*x]`), which would make a
 * value that contains itself and send every later step round in circles.
 */
function checkAliases(document: Document): { node: Alias; insideItself: boolean } | undefined {
  let problem: { node: Alias; insideItself: boolean } | undefined;
  const anchors = new Set<string>();
  visit(document, (_key, node, path) => {
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (isAlias(node)) {
      if (!anchors.has(node.source)) problem = { node, insideItself: false };
      else if (path.some((ancestor) => (ancestor as { anchor?: string }).anchor === node.source)) problem = { node, insideItself: true };
      if (problem !== undefined) return visit.BREAK;
    }
    if (typeof anchor === "string") anchors.add(anchor);
    return undefined;
  });
  return problem;
}

function firstAliasOffset(document: Document): number {
  let offset = 0;
  visit(document, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/** The offset of the quote that opens a still-open quoted scalar in `before`, if any. */
function unmatchedQuoteOffset(before: string, quote: string): number | undefined {
  const offsets: number[] = [];
  for (let index = before.indexOf(quote); index !== -1; index = before.indexOf(quote, index + 1)) offsets.push(index);
  return offsets.length % 2 === 1 ? offsets[offsets.length - 1] : undefined;
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

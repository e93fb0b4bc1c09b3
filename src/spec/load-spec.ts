/**
 * Reads a spec file and returns it as a study: read -> parse YAML -> follow `extends:` ->
 * check against the schema -> expand into one cell per event x variant -> normalize each.
 * Every failure is a SpecError naming file:line:col of the value that is wrong, in
 * whichever file (spec or inherited) wrote it.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SpecError } from "../errors.js";
import { formatSpecPath, messages } from "../messages.js";
import type { EventSpec, InputSpec, NamedEventSpec, VariantSpec, WindowsSpec } from "./input-spec.js";
import { fileLayer, layeredSource, mergeSpecValues, nestedLayer, type SourceLayer } from "./layered-source.js";
import type { NormalizedSpec, StudyCell, StudySpec } from "./normalized-spec.js";
import { normalizeSpec } from "./normalize.js";
import { formatCount, LIMITS } from "./limits.js";
import { isPlainObject, validateAgainstSchema, type SchemaNode, type SchemaViolation } from "./schema-validate.js";
import { parseYamlSource, type SpecPath, type YamlSource } from "./yaml-source.js";

const schema = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../schema/analysis.schema.json", import.meta.url)), "utf8"),
) as SchemaNode;

/** How deep `extends:` may chain: deep enough for shared defaults, shallow enough to follow. */
export const MAX_EXTENDS_DEPTH = LIMITS.extendsDepth;

/** The main cell (first event, first variant) of a spec: what a one-question spec is. */
export function loadSpec(specFile: string, projectRoot: string): NormalizedSpec {
  return loadStudySpec(specFile, projectRoot).cells[0] as NormalizedSpec;
}

export function loadStudySpec(specFile: string, projectRoot: string): StudySpec {
  const top = readSpecSource(specFile);
  const chain = followExtends(top);
  const layers = chain.map(fileLayer);
  // Fold from the furthest ancestor down, so the spec itself has the last word.
  const merged = chain.reduceRight<unknown>((value, source) => mergeSpecValues(value, source.value), {}) as Record<string, unknown>;
  delete merged.extends;
  if (isPlainObject(top.value) && top.value.extends !== undefined) merged.extends = top.value.extends;
  const source = layeredSource(specFile, merged, layers);
  const violations = withoutEchoes(validateAgainstSchema(merged, schema));
  if (violations.length > 0) {
    throw new SpecError(violations.map((violation) => messages.located(source, violation.path, violation.text, violation.atKey)).join("\n"));
  }
  const input = merged as unknown as InputSpec;
  const cellCount = (input.events?.length ?? 1) * (input.variants?.length ?? 1);
  if (cellCount > LIMITS.cells) {
    throw new SpecError(messages.located(source, [input.variants !== undefined ? "variants" : "events"], messages.tooManyCells(input.events?.length ?? 1, input.variants?.length ?? 1, LIMITS.cells)));
  }
  const cells = expandCells(input, source).map((cell) => normalizeSpec(cell.input, cell.source, projectRoot, cell.cell));
  return {
    specFile,
    name: (cells[0] as NormalizedSpec).name,
    cells,
    specFiles: chain.map((item) => item.file),
    events: unique(cells.map((cell) => cell.cell.event.id)).length,
    variants: unique(cells.map((cell) => cell.cell.variant?.id ?? "")).length,
  };
}

function readSpecSource(specFile: string, extendedFrom?: { source: YamlSource }): YamlSource {
  const text = readSpecText(specFile, extendedFrom);
  const source = parseYamlSource(specFile, text);
  if (source.value === null || source.value === undefined) throw new SpecError(messages.specEmpty(specFile));
  if (!isPlainObject(source.value)) {
    throw new SpecError(messages.specNotMapping(specFile, Array.isArray(source.value) ? "a list" : `the single value ${JSON.stringify(source.value)}`));
  }
  return source;
}

/** The spec and every file it inherits from, nearest first. */
function followExtends(top: YamlSource): YamlSource[] {
  const chain = [top];
  const seen = [resolve(top.file)];
  for (let current = top; ; ) {
    const value = current.value as Record<string, unknown>;
    if (value.extends === undefined) return chain;
    const fail = (text: string): never => {
      throw new SpecError(messages.located(current, ["extends"], text));
    };
    if (typeof value.extends !== "string" || value.extends.trim() === "") fail(messages.extendsNotAPath(value.extends));
    const target = resolve(dirname(current.file), value.extends as string);
    // Shown the way the user named the spec: absolute if it was, else relative to here.
    const shown = isAbsolute(top.file) ? target : relative(process.cwd(), target) || target;
    if (seen.includes(target)) fail(messages.extendsCycle([...seen, target].map((file) => (isAbsolute(top.file) ? file : relative(process.cwd(), file) || file))));
    if (chain.length > MAX_EXTENDS_DEPTH) fail(messages.extendsTooDeep(MAX_EXTENDS_DEPTH));
    const next = readSpecSource(shown, { source: current });
    chain.push(next);
    seen.push(target);
    current = next;
  }
}

interface CellInput {
  input: InputSpec & { event: EventSpec; windows: WindowsSpec };
  source: YamlSource;
  cell: StudyCell;
}

/** One cell per event x variant, each a complete single-event spec with its own source map. */
function expandCells(input: InputSpec, source: YamlSource): CellInput[] {
  const fail = (path: SpecPath, text: string): never => {
    throw new SpecError(messages.located(source, path, text));
  };
  if (input.event !== undefined && input.events !== undefined) fail(["events"], messages.eventAndEvents());
  if (input.event === undefined && input.events === undefined) fail([], messages.noEvent());
  const events: Array<{ spec: NamedEventSpec; path: SpecPath | null }> =
    input.events === undefined ? [{ spec: input.event as EventSpec, path: null }] : input.events.map((spec, index) => ({ spec, path: ["events", index] }));
  const variants: Array<{ spec: VariantSpec; index: number } | null> = input.variants === undefined ? [null] : input.variants.map((spec, index) => ({ spec, index }));

  const eventIds = events.map(({ spec, path }) => {
    if (spec.windows === undefined && input.windows === undefined) fail(path ?? [], messages.eventWithoutWindows(spec.label));
    return spec.id ?? slug(spec.label);
  });
  // Point at the id: when written, else at what the id was made from.
  checkUnique(eventIds, (index) => fail([...(events[index]?.path ?? []), events[index]?.spec.id === undefined ? "label" : "id"], messages.duplicateId("event", eventIds[index] ?? "")));
  const variantIds = variants.map((variant) => (variant === null ? "" : variant.spec.id ?? slug(variant.spec.name)));
  checkUnique(variantIds, (index) => fail(["variants", index, variants[index]?.spec.id === undefined ? "name" : "id"], messages.duplicateId("variant", variantIds[index] ?? "")));

  const common: Record<string, unknown> = { ...(input as unknown as Record<string, unknown>) };
  for (const key of ["events", "variants", "extends", "event", "windows"]) delete common[key];
  const cells: CellInput[] = [];
  events.forEach((event, eventIndex) => {
    const eventId = eventIds[eventIndex] as string;
    // The same merge as extends: and variants: an event's `gap: {after: 3}` keeps the shared gap.before.
    const windows = mergeSpecValues(input.windows ?? {}, event.spec.windows, "windows") as WindowsSpec;
    const eventPart = { event: { date: event.spec.date, label: event.spec.label } };
    variants.forEach((variant, variantIndex) => {
      const variantId = variantIds[variantIndex] as string;
      const { name: _name, id: _id, description: _description, ...overrides } = variant?.spec ?? { name: "" };
      const cellValue = mergeSpecValues({ ...common, event: eventPart.event, windows }, overrides) as CellInput["input"];
      const layers: SourceLayer[] = [];
      if (variant !== null) layers.push(nestedLayer(overrides, source, (path) => ["variants", variant.index, ...path]));
      if (event.path !== null) {
        const eventPath = event.path;
        layers.push(nestedLayer({ event: eventPart.event, windows: event.spec.windows ?? {} }, source, (path) => (path[0] === "event" ? [...eventPath, ...path.slice(1)] : [...eventPath, ...path])));
      }
      layers.push({ value: source.value, locate: source.locate });
      cells.push({
        input: cellValue,
        source: layeredSource(source.file, cellValue, layers),
        cell: {
          id: [events.length > 1 ? eventId : "", variant === null ? "" : variantId].filter(Boolean).join("--") || "main",
          index: cells.length,
          event: { id: eventId, label: event.spec.label },
          variant: variant === null ? null : { id: variantId, name: variant.spec.name, description: variant.spec.description ?? "" },
        },
      });
    });
  });
  return cells;
}

function checkUnique(ids: readonly string[], onDuplicate: (index: number) => void): void {
  ids.forEach((id, index) => {
    if (ids.indexOf(id) !== index) onDuplicate(index);
  });
}

/** `Russia–DPRK treaty signed` -> `russia-dprk-treaty-signed`: safe in a folder name. */
export function slug(text: string): string {
  const made = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return made === "" ? "x" : made;
}

/**
 * A misspelled required key shows up twice: as an unknown key whose suggestion is the
 * missing key, and as the missing key. Keep the first, which says both.
 */
function withoutEchoes(violations: SchemaViolation[]): SchemaViolation[] {
  const suggested = new Set(violations.filter((violation) => violation.suggestion !== undefined).map((violation) => `${formatSpecPath(violation.path.slice(0, -1))}|${violation.suggestion}`));
  return violations.filter((violation) => violation.missingKey === undefined || !suggested.has(`${formatSpecPath(violation.path)}|${violation.missingKey}`));
}

/**
 * The spec's text. Only a regular file is read (a folder, a device such as /dev/zero or a
 * pipe is refused before it is opened), and never more than the size limit: a spec that
 * names a huge or endless file in `extends:` fails at once instead of filling memory.
 */
function readSpecText(specFile: string, extendedFrom?: { source: YamlSource }): string {
  // Problems with an inherited file are reported at the extends: line that names it.
  const fail = (text: string): never => {
    throw new SpecError(extendedFrom === undefined ? text : messages.located(extendedFrom.source, ["extends"], text));
  };
  let bytes: Buffer;
  try {
    const kind = statSync(specFile);
    if (kind.isDirectory()) return fail(messages.specIsFolder(specFile));
    if (!kind.isFile()) return fail(messages.specNotRegularFile(specFile));
    bytes = readAtMost(specFile, LIMITS.specBytes + 1) ?? fail(messages.specNotRegularFile(specFile));
  } catch (error) {
    if (error instanceof SpecError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      if (extendedFrom !== undefined) throw new SpecError(messages.located(extendedFrom.source, ["extends"], messages.extendsMissing(specFile)));
      throw new SpecError(messages.specFileMissing(specFile));
    }
    return fail(messages.specUnreadable(specFile, code ?? (error as Error).message));
  }
  if (bytes.length > LIMITS.specBytes) fail(messages.specTooLarge(specFile, Math.max(statSize(specFile) ?? 0, bytes.length), formatCount(LIMITS.specBytes)));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    return fail(messages.specNotUtf8(specFile, at.line, at.col, at.byte));
  }
}

/**
 * Up to `limit` bytes of a file (all of it when it is shorter), or undefined when the
 * opened file is not a regular file after all. Read in chunks rather than by its size:
 * files under /proc say 0 bytes and are not empty.
 */
function readAtMost(file: string, limit: number): Buffer | undefined {
  const fd = openSync(file, "r");
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const chunks: Buffer[] = [];
    let length = 0;
    while (length < limit) {
      const chunk = Buffer.alloc(Math.min(65_536, limit - length));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
    }
    return Buffer.concat(chunks, length);
  } finally {
    closeSync(fd);
  }
}

function statSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** Line, column (in characters, 1-based) and value of the first byte that is not UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): { line: number; col: number; byte: number } {
  let line = 1;
  let col = 1;
  for (let index = 0; index < bytes.length; ) {
    const lead = bytes[index] as number;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlong forms, surrogates or code points past U+10FFFF).
    const second = bytes[index + 1] ?? 0;
    const secondOk = lead === 0xe0 ? second >= 0xa0 : lead === 0xed ? second <= 0x9f : lead === 0xf0 ? second >= 0x90 : lead === 0xf4 ? second <= 0x8f : true;
    let valid = length > 0 && index + length <= bytes.length && (length === 1 || secondOk);
    for (let next = 1; valid && next < length; next += 1) valid = ((bytes[index + next] as number) & 0xc0) === 0x80;
    if (!valid) return { line, col, byte: lead };
    if (lead === 0x0a) {
      line += 1;
      col = 1;
    } else {
      col += 1;
    }
    index += length;
  }
  return { line, col, byte: 0 };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/**
 * Reads a spec file and returns it as a study: read -> parse YAML -> follow `extends:` ->
 * check against the schema -> expand into one cell per event x variant -> normalize each.
 * Every failure is a SpecError naming file:line:col of the value that is wrong, in
 * whichever file (spec or inherited) wrote it.
 */
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SpecError } from "../errors.js";
import { formatSpecPath, messages } from "../messages.js";
import type { EventSpec, InputSpec, NamedEventSpec, VariantSpec, WindowsSpec } from "./input-spec.js";
import { fileLayer, layeredSource, mergeSpecValues, nestedLayer, type SourceLayer } from "./layered-source.js";
import type { NormalizedSpec, StudyCell, StudySpec } from "./normalized-spec.js";
import { normalizeSpec } from "./normalize.js";
import { isPlainObject, validateAgainstSchema, type SchemaNode, type SchemaViolation } from "./schema-validate.js";
import { parseYamlSource, type SpecPath, type YamlSource } from "./yaml-source.js";

const schema = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../schema/analysis.schema.json", import.meta.url)), "utf8"),
) as SchemaNode;

/** How deep `extends:` may chain: deep enough for shared defaults, shallow enough to follow. */
export const MAX_EXTENDS_DEPTH = 8;

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
    const windows = { ...(input.windows ?? {}), ...(event.spec.windows ?? {}) } as WindowsSpec;
    const eventPart = { event: { date: event.spec.date, label: event.spec.label }, windows: event.spec.windows };
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

function readSpecText(specFile: string, extendedFrom?: { source: YamlSource }): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(specFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      if (extendedFrom !== undefined) throw new SpecError(messages.located(extendedFrom.source, ["extends"], messages.extendsMissing(specFile)));
      throw new SpecError(messages.specFileMissing(specFile));
    }
    throw new SpecError(messages.specUnreadable(specFile, code ?? (error as Error).message));
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new SpecError(messages.specNotUtf8(specFile));
  }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

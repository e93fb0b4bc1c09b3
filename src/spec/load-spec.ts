/**
 * Reads a spec file and returns it normalized: read -> parse YAML -> check against the
 * schema -> normalize. Every failure is a SpecError naming file:line:col.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SpecError } from "../errors.js";
import { formatSpecPath, messages } from "../messages.js";
import type { InputSpec } from "./input-spec.js";
import type { NormalizedSpec } from "./normalized-spec.js";
import { normalizeSpec } from "./normalize.js";
import { isPlainObject, validateAgainstSchema, type SchemaNode, type SchemaViolation } from "./schema-validate.js";
import { parseYamlSource } from "./yaml-source.js";

const schema = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../schema/analysis.schema.json", import.meta.url)), "utf8"),
) as SchemaNode;

export function loadSpec(specFile: string, projectRoot: string): NormalizedSpec {
  const text = readSpecText(specFile);
  const source = parseYamlSource(specFile, text);
  if (source.value === null || source.value === undefined) throw new SpecError(messages.specEmpty(specFile));
  if (!isPlainObject(source.value)) {
    throw new SpecError(messages.specNotMapping(specFile, Array.isArray(source.value) ? "a list" : `the single value ${JSON.stringify(source.value)}`));
  }
  const violations = withoutEchoes(validateAgainstSchema(source.value, schema));
  if (violations.length > 0) {
    throw new SpecError(violations.map((violation) => messages.located(source, violation.path, violation.text, violation.atKey)).join("\n"));
  }
  return normalizeSpec(source.value as unknown as InputSpec, source, projectRoot);
}

/**
 * A misspelled required key shows up twice: as an unknown key whose suggestion is the
 * missing key, and as the missing key. Keep the first, which says both.
 */
function withoutEchoes(violations: SchemaViolation[]): SchemaViolation[] {
  const suggested = new Set(violations.filter((violation) => violation.suggestion !== undefined).map((violation) => `${formatSpecPath(violation.path.slice(0, -1))}|${violation.suggestion}`));
  return violations.filter((violation) => violation.missingKey === undefined || !suggested.has(`${formatSpecPath(violation.path)}|${violation.missingKey}`));
}

function readSpecText(specFile: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(specFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new SpecError(messages.specFileMissing(specFile));
    throw new SpecError(messages.specUnreadable(specFile, code ?? (error as Error).message));
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new SpecError(messages.specNotUtf8(specFile));
  }
}

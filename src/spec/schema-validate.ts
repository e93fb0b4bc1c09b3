/**
 * Checks a parsed spec against the committed JSON Schema and turns every violation into a
 * message with file:line:col, the spec path, the bad value and the fix.
 *
 * It interprets the subset of JSON Schema that ts-json-schema-generator emits for
 * InputSpec ($ref, anyOf, type, enum, const, properties/required/additionalProperties,
 * items/minItems/maxItems, pattern/minLength, minimum/maximum and their exclusive forms). A small
 * walker of our own, rather than a general validator, because an `anyOf` (a window given
 * in days or in dates) must be reported against the branch the user meant, not as a list
 * of every branch's complaints.
 */
import { messages, type ValueDescription } from "../messages.js";
import { closestMatch } from "../util/did-you-mean.js";
import type { SpecPath } from "./yaml-source.js";

export interface SchemaNode {
  $ref?: string;
  anyOf?: SchemaNode[];
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  description?: string;
  definitions?: Record<string, SchemaNode>;
}

export interface SchemaViolation {
  path: SpecPath;
  /** Point at the key rather than its value (unknown keys). */
  atKey: boolean;
  /** What is wrong and how to fix it, without the location prefix. */
  text: string;
  /** For an unknown key: the known key it was probably meant to be. */
  suggestion?: string;
  /** For a missing required key: its name. */
  missingKey?: string;
}

export function validateAgainstSchema(value: unknown, root: SchemaNode): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  visit(value, root, [], root, violations);
  return violations;
}

function resolve(node: SchemaNode, root: SchemaNode): SchemaNode {
  let current = node;
  while (current.$ref !== undefined) {
    const name = current.$ref.replace("#/definitions/", "");
    const target = root.definitions?.[name];
    if (target === undefined) throw new Error(`schema: unresolved $ref ${current.$ref}`);
    // Keep the referring node's own description: it is the one that fits this place.
    current = { ...target, description: current.description ?? target.description };
  }
  return current;
}

function visit(value: unknown, rawNode: SchemaNode, path: SpecPath, root: SchemaNode, out: SchemaViolation[]): void {
  const node = resolve(rawNode, root);
  if (node.anyOf !== undefined) {
    visitAnyOf(value, node, path, root, out);
    return;
  }
  if (node.const !== undefined && value !== node.const) {
    out.push({ path, atKey: false, text: messages.notOneOf(describe(value), [node.const], undefined) });
    return;
  }
  if (node.enum !== undefined && !node.enum.includes(value)) {
    const suggestion = typeof value === "string" ? closestMatch(value, node.enum.map(String)) : undefined;
    out.push({ path, atKey: false, text: messages.notOneOf(describe(value), node.enum, suggestion) });
    return;
  }
  if (node.type !== undefined && !matchesType(value, node.type)) {
    out.push({ path, atKey: false, text: messages.wrongType(describe(value), typeNames(node.type)) });
    return;
  }
  if (typeof value === "string") checkString(value, node, path, out);
  if (typeof value === "number") checkNumber(value, node, path, out);
  if (Array.isArray(value)) checkArray(value, node, path, root, out);
  else if (isPlainObject(value) && (node.properties !== undefined || node.additionalProperties !== undefined)) {
    checkObject(value, node, path, root, out);
  }
}

function visitAnyOf(value: unknown, node: SchemaNode, path: SpecPath, root: SchemaNode, out: SchemaViolation[]): void {
  const branches = (node.anyOf ?? []).map((branch) => resolve(branch, root));
  const attempts = branches.map((branch) => {
    const found: SchemaViolation[] = [];
    visit(value, branch, path, root, found);
    return { branch, found };
  });
  if (attempts.some((attempt) => attempt.found.length === 0)) return;
  // Report against the branch the user evidently meant: one whose type fits and, for
  // objects, whose keys overlap the keys written.
  const fitting = attempts.filter((attempt) => branchTypeFits(value, attempt.branch));
  if (fitting.length === 0) {
    out.push({ path, atKey: false, text: messages.wrongType(describe(value), branches.map(describeBranch)) });
    return;
  }
  const best = fitting
    .map((attempt) => ({ ...attempt, overlap: keyOverlap(value, attempt.branch) }))
    .sort((a, b) => b.overlap - a.overlap || a.found.length - b.found.length)[0];
  if (best === undefined) return;
  if (isPlainObject(value) && best.overlap === 0 && fitting.length > 1) {
    out.push({ path, atKey: false, text: messages.noBranchMatches(fitting.map((attempt) => describeBranch(attempt.branch))) });
    return;
  }
  out.push(...best.found);
}

function checkString(value: string, node: SchemaNode, path: SpecPath, out: SchemaViolation[]): void {
  if (node.minLength !== undefined && value.length < node.minLength) {
    out.push({ path, atKey: false, text: messages.emptyString() });
  }
  if (node.pattern !== undefined && !new RegExp(node.pattern).test(value)) {
    out.push({ path, atKey: false, text: messages.badPattern(describe(value), node.pattern) });
  }
}

function checkNumber(value: number, node: SchemaNode, path: SpecPath, out: SchemaViolation[]): void {
  const bound = (ok: boolean, relation: string, limit: number): void => {
    if (!ok) out.push({ path, atKey: false, text: messages.outOfRange(value, relation, limit) });
  };
  if (node.minimum !== undefined) bound(value >= node.minimum, "at least", node.minimum);
  if (node.maximum !== undefined) bound(value <= node.maximum, "at most", node.maximum);
  if (node.exclusiveMinimum !== undefined) bound(value > node.exclusiveMinimum, "greater than", node.exclusiveMinimum);
  if (node.exclusiveMaximum !== undefined) bound(value < node.exclusiveMaximum, "less than", node.exclusiveMaximum);
}

function checkArray(value: unknown[], node: SchemaNode, path: SpecPath, root: SchemaNode, out: SchemaViolation[]): void {
  if (node.minItems !== undefined && value.length < node.minItems) {
    out.push({ path, atKey: false, text: messages.tooFewItems(value.length, node.minItems) });
  }
  if (node.maxItems !== undefined && value.length > node.maxItems) {
    // One message for the list, not one per item: a list over its limit may be long.
    out.push({ path, atKey: false, text: messages.tooManyItems(value.length, node.maxItems) });
    return;
  }
  if (node.items !== undefined) {
    value.forEach((item, index) => visit(item, node.items as SchemaNode, [...path, index], root, out));
  }
}

function checkObject(
  value: Record<string, unknown>,
  node: SchemaNode,
  path: SpecPath,
  root: SchemaNode,
  out: SchemaViolation[],
): void {
  const known = Object.keys(node.properties ?? {});
  for (const key of Object.keys(value)) {
    // Own properties only: `__proto__` or `constructor` written as a key is unknown, not Object.prototype's.
    const property = node.properties !== undefined && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined;
    if (property !== undefined) {
      visit(value[key], property, [...path, key], root, out);
    } else if (typeof node.additionalProperties === "object") {
      visit(value[key], node.additionalProperties, [...path, key], root, out);
    } else if (node.additionalProperties === false) {
      const suggestion = closestMatch(key, known);
      out.push({ path: [...path, key], atKey: true, text: messages.unknownKey(key, known, suggestion), ...(suggestion === undefined ? {} : { suggestion }) });
    }
  }
  for (const key of node.required ?? []) {
    if (!Object.hasOwn(value, key)) {
      const description = node.properties?.[key] === undefined ? undefined : resolve(node.properties[key] as SchemaNode, root).description;
      out.push({ path, atKey: false, text: messages.missingKey(key, description), missingKey: key });
    }
  }
}

function matchesType(value: unknown, type: string | string[]): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((name) => {
    switch (name) {
      case "string":
        return typeof value === "string";
      case "number":
        return typeof value === "number" && Number.isFinite(value);
      case "integer":
        return typeof value === "number" && Number.isInteger(value);
      case "boolean":
        return typeof value === "boolean";
      case "array":
        return Array.isArray(value);
      case "object":
        return isPlainObject(value);
      case "null":
        return value === null;
      default:
        return false;
    }
  });
}

function branchTypeFits(value: unknown, branch: SchemaNode): boolean {
  if (branch.type === undefined) return branch.enum === undefined || branch.enum.some((item) => typeof item === typeof value);
  return matchesType(value, branch.type) || (isPlainObject(value) && branch.type === "object");
}

function keyOverlap(value: unknown, branch: SchemaNode): number {
  if (!isPlainObject(value) || branch.properties === undefined) return 0;
  return Object.keys(value).filter((key) => key in (branch.properties ?? {})).length;
}

function typeNames(type: string | string[]): string[] {
  const words: Record<string, string> = { integer: "whole number", array: "a list", object: "a mapping", boolean: "true or false", null: "nothing" };
  return (Array.isArray(type) ? type : [type]).map((name) => words[name] ?? name);
}

function describeBranch(branch: SchemaNode): string {
  if (branch.type === "object" && branch.properties !== undefined) {
    return `a mapping with ${Object.keys(branch.properties).join(" and ")}`;
  }
  if (branch.type === "array") return "a list";
  if (branch.type !== undefined) return typeNames(branch.type).join(" or ");
  return "a value";
}

function describe(value: unknown): ValueDescription {
  if (value === null || value === undefined) return { text: "an empty value" };
  if (Array.isArray(value)) return { text: "a list" };
  if (isPlainObject(value)) return { text: "a mapping" };
  return { text: JSON.stringify(value) };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

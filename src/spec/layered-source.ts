/**
 * A spec assembled from several places (an `extends:` chain, an event's own windows, a
 * variant's overrides) still has to point each message at the line that wrote the value.
 * A layered source answers `locate(path)` from the top-most layer that holds the path.
 */
import { isPlainObject } from "./schema-validate.js";
import type { Position, SpecPath, YamlSource } from "./yaml-source.js";

export interface SourceLayer {
  /** The values this layer contributes, in the assembled spec's coordinates. */
  value: unknown;
  /** Where a path (in the assembled spec's coordinates) was written. */
  locate(path: SpecPath, options?: { key?: boolean }): Position;
}

/** A layer that is a whole YAML file: its paths are the assembled spec's paths. */
export function fileLayer(source: YamlSource): SourceLayer {
  return {
    value: source.value,
    locate: (path, options) => {
      const at = source.locate(path, options);
      return { ...at, file: at.file ?? source.file, path: at.path ?? path };
    },
  };
}

/** A layer whose values were written under `prefix` in another source (e.g. `variants[1]`). */
export function nestedLayer(value: unknown, underlying: { locate(path: SpecPath, options?: { key?: boolean }): Position }, toWrittenPath: (path: SpecPath) => SpecPath): SourceLayer {
  return { value, locate: (path, options) => underlying.locate(toWrittenPath(path), options) };
}

/**
 * Layers top first. A path is located in the layer that holds the longest part of it, the
 * top-most on a tie, so a missing key is reported at the mapping that should hold it.
 */
export function layeredSource(file: string, value: unknown, layers: readonly SourceLayer[]): YamlSource {
  const locate = (path: SpecPath, options?: { key?: boolean }): Position => {
    let best: SourceLayer | undefined;
    let bestDepth = -1;
    for (const layer of layers) {
      const depth = existingDepth(layer.value, path);
      if (depth > bestDepth) {
        best = layer;
        bestDepth = depth;
      }
    }
    return best === undefined ? { line: 1, col: 1 } : best.locate(path, options);
  };
  return { file, value, locate };
}

/** How many leading segments of `path` exist in `value`. */
function existingDepth(value: unknown, path: SpecPath): number {
  let node = value;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index] as string | number;
    if (Array.isArray(node) && typeof segment === "number" && segment < node.length) node = node[segment];
    else if (isPlainObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return index;
  }
  return path.length;
}

/**
 * Values that are one thing although written as a mapping: a window is either `{days}` or
 * `{start, end}`, and an event is a date with its label, so merging them key by key would
 * make a chimera. They are replaced whole.
 */
const REPLACED_WHOLE = new Set(["windows.pre", "windows.post", "event"]);

/**
 * Mappings merge key by key; anything else (a list, a scalar) in `over` replaces what is
 * in `base`. This is the one merge rule for `extends:`, events and variants.
 */
export function mergeSpecValues(base: unknown, over: unknown, path = ""): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over) || REPLACED_WHOLE.has(path)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    // Own properties, defined rather than assigned: a key written `__proto__` stays a key
    // (which validation refuses) and never becomes the merged value's prototype.
    const inBase = Object.hasOwn(base, key) ? base[key] : undefined;
    Object.defineProperty(merged, key, { value: mergeSpecValues(inBase, value, path === "" ? key : `${path}.${key}`), enumerable: true, writable: true, configurable: true });
  }
  return merged;
}

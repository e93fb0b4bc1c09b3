// The committed JSON Schema must be what the InputSpec type generates (STYLE.md, 1), and
// every shipped spec must declare it for editors and validate against it.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateInputSchema, SCHEMA_PATH } from "../../src/spec/schema-generator.js";
import { loadSpec } from "../../src/spec/load-spec.js";

describe("schema/analysis.schema.json", () => {
  it("is up to date with src/spec/input-spec.ts (run npm run schema if this fails)", () => {
    expect(readFileSync(SCHEMA_PATH, "utf8")).toBe(generateInputSchema());
  }, 60_000);
});

describe("specs in analyses/", () => {
  const specs = readdirSync("analyses").filter((file) => file.endsWith(".yaml"));
  it("exist", () => {
    expect(specs.length).toBeGreaterThan(0);
  });
  it.each(specs)("%s starts with the yaml-language-server schema line and validates", (file) => {
    const text = readFileSync(`analyses/${file}`, "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../schema/analysis.schema.json");
    expect(() => loadSpec(`analyses/${file}`, process.cwd())).not.toThrow();
  });
});

/**
 * Generates schema/analysis.schema.json from the InputSpec type (src/spec/input-spec.ts).
 * `npm run schema` writes it; test/spec/schema.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { generateInputSchema, SCHEMA_PATH } from "../src/spec/schema-generator.js";

const schemaText = generateInputSchema();
writeFileSync(SCHEMA_PATH, schemaText);
console.log(`wrote ${fileURLToPath(new URL("../schema/analysis.schema.json", import.meta.url))}`);

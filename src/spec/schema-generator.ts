/**
 * Builds the JSON Schema of the spec from its TypeScript type. Used by `npm run schema`
 * and by the staleness test; never at run time (the engine reads the committed file).
 */
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
export const SCHEMA_PATH = `${projectRoot}schema/analysis.schema.json`;

export function generateInputSchema(): string {
  const schema = createGenerator({
    path: `${projectRoot}src/spec/input-spec.ts`,
    tsconfig: `${projectRoot}tsconfig.json`,
    type: "InputSpec",
    additionalProperties: false,
    skipTypeCheck: true,
  }).createSchema("InputSpec");
  schema.$id = "https://eventstudy.local/schema/analysis.schema.json";
  schema.title = "Event-study analysis spec";
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * Connects a spec's ClickHouse source: settings from the environment or the connection
 * file the spec names (never from the spec itself), a client whose failures point at the
 * spec's data.clickhouse, and the incidents on it.
 */
import { messages } from "../../messages.js";
import type { NormalizedSpec } from "../../spec/normalized-spec.js";
import { ClickHouseClient } from "./http-client.js";
import { clickHouseFingerprint, ClickHouseIncidents } from "./clickhouse-store.js";
import { resolveClickHouseSettings } from "./settings.js";

type ClickHouseSource = NonNullable<NormalizedSpec["data"]["clickhouse"]>;

export async function openClickHouseIncidents(spec: NormalizedSpec, source: ClickHouseSource): Promise<ClickHouseIncidents> {
  return ClickHouseIncidents.open(clientFor(spec, source), spec, source);
}

/** The source's content fingerprint (row count and the sum of the rows' hashes), without opening its incidents. */
export async function clickHouseSourceFingerprint(spec: NormalizedSpec, source: ClickHouseSource): Promise<string> {
  return clickHouseFingerprint(clientFor(spec, source), source);
}

function clientFor(spec: NormalizedSpec, source: ClickHouseSource): ClickHouseClient {
  const settings = resolveClickHouseSettings({ ...(source.connectionFile === null ? {} : { connectionFile: source.connectionFile }), timeoutMs: source.timeoutMs });
  return new ClickHouseClient({
    ...settings,
    // The key, not its value: the value of a block mapping starts on the line after it.
    origin: { at: (text) => messages.located(spec.source, ["data", "clickhouse"], text, true), source: source.query !== null ? "query" : "table" },
  });
}

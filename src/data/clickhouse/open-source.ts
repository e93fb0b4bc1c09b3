/**
 * Connects a spec's ClickHouse source: settings from the environment or the connection
 * file the spec names (never from the spec itself), a client, and the incidents on it.
 */
import type { NormalizedSpec } from "../../spec/normalized-spec.js";
import { ClickHouseClient } from "./http-client.js";
import { ClickHouseIncidents } from "./clickhouse-store.js";
import { resolveClickHouseSettings } from "./settings.js";

type ClickHouseSource = NonNullable<NormalizedSpec["data"]["clickhouse"]>;

export async function openClickHouseIncidents(spec: NormalizedSpec, source: ClickHouseSource): Promise<ClickHouseIncidents> {
  const settings = resolveClickHouseSettings({ ...(source.connectionFile === null ? {} : { connectionFile: source.connectionFile }), timeoutMs: source.timeoutMs });
  return ClickHouseIncidents.open(new ClickHouseClient(settings), spec, source);
}

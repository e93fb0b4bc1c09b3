// The same incidents as CSV, TSV, JSON, NDJSON and Parquet give the same study. The
// non-CSV files are written from the CSV by DuckDB itself (COPY ... TO), so JSON and
// Parquet arrive with typed columns (DATE, DOUBLE, NULL amounts), not text.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DuckDbSession } from "../../src/data/duckdb-session.js";
import { runStudy } from "../../src/pipeline.js";
import { basicSpec, testContext, writeFixture } from "../helpers/study-fixture.js";

const csv = "date,amount,name,actor\n2024-01-02,100,x1,a\n2024-01-03,,x2,a\n2024-01-09,30,x3,b\n2024-01-12,400,x4,a\n2024-01-15,7.5,x5,b\n";

async function convert(dir: string): Promise<Record<string, string>> {
  const session = await DuckDbSession.open();
  const source = join(dir, "data.csv");
  try {
    await session.run(`CREATE TABLE t AS SELECT CAST(date AS DATE) AS date, CAST(amount AS DOUBLE) AS amount, name, actor FROM read_csv('${source}', all_varchar = true)`);
    const targets = {
      json: join(dir, "data.json"),
      ndjson: join(dir, "data.ndjson"),
      parquet: join(dir, "data.parquet"),
    };
    await session.run(`COPY t TO '${targets.json}' (FORMAT json, ARRAY true)`);
    await session.run(`COPY t TO '${targets.ndjson}' (FORMAT json)`);
    await session.run(`COPY t TO '${targets.parquet}' (FORMAT parquet)`);
    writeFileSync(join(dir, "data.tsv"), csv.replaceAll(",", "\t"));
    return { ...targets, tsv: join(dir, "data.tsv") };
  } finally {
    session.close();
  }
}

describe("input formats", () => {
  it("CSV, TSV, JSON, NDJSON and Parquet give identical comparisons", async () => {
    const fixture = writeFixture(basicSpec(), csv);
    const files = await convert(fixture.dir);
    const reference = await runStudy(fixture.specFile, testContext(fixture.dir));
    // Hand check on the CSV: A's pre total is x1 = 100 (x2 unknown), post total x4 = 400.
    const a = reference.comparisons.find((item) => item.group === "A" && item.metric === "daily_loss");
    expect([a?.pre.total, a?.post.total, a?.pre.incidents, a?.pre.unknownAmountIncidents]).toEqual([100, 400, 2, 1]);
    for (const [format, file] of Object.entries(files)) {
      const specFile = join(fixture.dir, `study-${format}.yaml`);
      writeFileSync(specFile, basicSpec().replace("file: data.csv", `file: ${file.split("/").pop()}`));
      const run = await runStudy(specFile, testContext(fixture.dir));
      expect(run.spec.data.format, format).toBe(format);
      expect(run.comparisons, format).toEqual(reference.comparisons);
      expect(run.warnings, format).toEqual(reference.warnings);
    }
  });
});

describe("gap around the event", () => {
  it("leaves out gap.before days before the event and gap.after days from it", async () => {
    const csvGap = "date,amount,name,actor\n2024-01-08,1,in-pre,a\n2024-01-09,10,gap-before,a\n2024-01-10,10,gap-before,a\n2024-01-11,100,gap-after,a\n2024-01-12,1000,in-post,a\n";
    const windows = "windows:\n  pre: {days: 5}\n  post: {days: 5}\n  gap: {before: 2, after: 1}";
    const fixture = writeFixture(basicSpec({ windows }), csvGap);
    const run = await runStudy(fixture.specFile, testContext(fixture.dir));
    const loss = run.comparisons.find((item) => item.group === "A" && item.metric === "daily_loss");
    // event 2024-01-11: pre = 01-04..01-08, post = 01-12..01-16
    expect(loss?.pre).toMatchObject({ start: "2024-01-04", end: "2024-01-08", total: 1 });
    expect(loss?.post).toMatchObject({ start: "2024-01-12", end: "2024-01-16", total: 1000 });
  });
});

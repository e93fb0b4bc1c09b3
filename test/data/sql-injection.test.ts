// Spec values and column names become bound parameters and quoted identifiers in DuckDB:
// a value written as SQL matches the row that holds exactly that text, and runs nothing.
// (The same on ClickHouse: test/data/clickhouse/study.server.test.ts.)
import { describe, expect, it } from "vitest";
import { basicSpec, runFixture } from "../helpers/study-fixture.js";

const HOSTILE = "x'); DROP TABLE incidents; --";

describe("SQL injection through the spec (DuckDB)", () => {
  it("a group value, a filter value and a column name written as SQL are data", async () => {
    const csv = [
      'date,amount,name,"act""or"',
      `2024-01-02,10,one,"${HOSTILE}"`,
      "2024-01-05,20,two,b",
      `2024-01-12,30,three,"${HOSTILE}"`,
      "2024-01-15,40,four,b",
      "2024-01-16,50,five,c",
    ].join("\n");
    const spec = basicSpec({
      groups: `groups:\n  - name: "${HOSTILE}"\n    where: {'act"or': "${HOSTILE}"}\n  - name: Rest\n    otherwise: true`,
      data: `data:\n  file: data.csv\n  columns: {date: date, amount: amount, name: name}\n  filters: {exclude: {name: ["'; DELETE FROM source; --", five]}}`,
    });
    const run = await runFixture(spec, csv);
    const hostile = run.comparisons.find((item) => item.group === HOSTILE && item.metric === "daily_incidents");
    expect(hostile?.pre.incidents).toBe(1);
    expect(hostile?.post.incidents).toBe(1);
    // The filter left out exactly the row named "five"; nothing else was touched.
    expect(run.provenance.rowsRead).toBe(5);
    expect(run.provenance.rowsFilteredOut).toBe(1);
    expect(run.provenance.rowsUsed).toBe(4);
  });
});

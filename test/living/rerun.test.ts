// Rerunning skips a study whose spec, data and engine are unchanged, and reruns it when
// any input changes or --force is given.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAndWrite } from "../../src/run-studies.js";
import { basicSpec, testContext, writeFixture } from "../helpers/study-fixture.js";

describe("rerun", () => {
  it("skips an unchanged study, reruns after a data or spec change, and always with force", async () => {
    const fixture = writeFixture(basicSpec(), "date,amount,name,actor\n2024-01-02,10,x,a\n2024-01-12,20,y,b\n");
    const context = testContext(fixture.dir);
    const reports = join(fixture.dir, "reports");
    const first = await runAndWrite(fixture.specFile, context, reports, { force: false });
    expect(first.unchanged).toBeUndefined();
    const written = readFileSync(join(reports, "study", "results.json"), "utf8");

    const second = await runAndWrite(fixture.specFile, context, reports, { force: false });
    expect(second.unchanged).toBe(true);
    expect(readFileSync(join(reports, "study", "results.json"), "utf8")).toBe(written);

    appendFileSync(join(fixture.dir, "data.csv"), "2024-01-13,30,z,a\n");
    const afterData = await runAndWrite(fixture.specFile, context, reports, { force: false });
    expect(afterData.unchanged).toBeUndefined();
    expect(afterData.run?.provenance.rowsRead).toBe(3);

    expect((await runAndWrite(fixture.specFile, context, reports, { force: false })).unchanged).toBe(true);
    writeFileSync(fixture.specFile, basicSpec().replace("title: Test study", "title: Renamed study"));
    expect((await runAndWrite(fixture.specFile, context, reports, { force: false })).unchanged).toBeUndefined();

    expect((await runAndWrite(fixture.specFile, context, reports, { force: true })).unchanged).toBeUndefined();
  });
});

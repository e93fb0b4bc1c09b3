// A data file that changes while a study reads it (a Parquet file is read at every
// question; a CSV twice when it has duplicate candidates) stops the study, and a Parquet
// file that breaks off halfway is the data's error (exit 3), not the engine's.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { openIncidentSource } from "../../src/data/incident-source.js";
import { DataError } from "../../src/errors.js";
import { runStudy } from "../../src/pipeline.js";
import { loadSpec } from "../../src/spec/load-spec.js";
import { basicSpec, csvToParquet, testContext, writeFixture } from "../helpers/study-fixture.js";

const csv = "date,amount,name,actor\n2024-01-02,100,x1,a\n2024-01-05,50,x2,b\n2024-01-12,400,x3,a\n2024-01-15,20,x4,b\n";
const changedMessage = (file: string): string =>
  `${file}: the data file changed while the study was reading it (its size, modification time or inode differ from the first read), so its numbers could mix two versions; nothing was written. Run the study again once the file is complete (write a new file under another name and rename it over the old one).`;

describe("a data file that changes during the study", () => {
  it("is found after the last read, appended to or renamed over, CSV and Parquet alike", async () => {
    const fixture = writeFixture(basicSpec(), csv);
    await csvToParquet(join(fixture.dir, "data.csv"), join(fixture.dir, "data.parquet"));
    for (const file of ["data.csv", "data.parquet"]) {
      const specFile = join(fixture.dir, `${file}.yaml`);
      writeFileSync(specFile, basicSpec().replace("file: data.csv", `file: ${file}`));
      const spec = loadSpec(specFile, fixture.dir);
      const path = join(fixture.dir, file);
      const original = readFileSync(path);
      for (const change of ["append", "rename over"] as const) {
        writeFileSync(path, original);
        const source = await openIncidentSource(spec);
        try {
          expect(() => source.checkUnchanged()).not.toThrow();
          if (change === "append") writeFileSync(path, Buffer.concat([original, Buffer.from(file.endsWith(".csv") ? "2024-01-16,5,x5,a\n" : "\0")]));
          else {
            // The same bytes under a new inode: a rewrite another program made meanwhile.
            writeFileSync(`${path}.new`, original);
            renameSync(`${path}.new`, path);
          }
          let thrown: unknown;
          try {
            source.checkUnchanged();
          } catch (error) {
            thrown = error;
          }
          expect(thrown, `${file}, ${change}`).toBeInstanceOf(DataError);
          expect((thrown as DataError).message).toBe(changedMessage(file));
        } finally {
          source.close();
        }
      }
    }
  });
});

describe("a file of a glob that changes during the study", () => {
  it("is named by its own path, not by the pattern, whether the glob matches one file or several", async () => {
    const fixture = writeFixture(basicSpec(), csv);
    const lines = csv.trim().split("\n");
    for (const pattern of ["part-*.csv", "part-2*.csv"]) {
      writeFileSync(join(fixture.dir, "part-1.csv"), `${lines.slice(0, 3).join("\n")}\n`);
      writeFileSync(join(fixture.dir, "part-2.csv"), `${[lines[0], ...lines.slice(3)].join("\n")}\n`);
      writeFileSync(fixture.specFile, basicSpec().replace("file: data.csv", `file: ${pattern}`));
      const source = await openIncidentSource(loadSpec(fixture.specFile, fixture.dir));
      try {
        writeFileSync(join(fixture.dir, "part-2.csv"), `${lines[0]}\n2024-01-16,5,x5,a\n`);
        expect(() => source.checkUnchanged(), pattern).toThrow(changedMessage(relative(process.cwd(), join(fixture.dir, "part-2.csv"))));
      } finally {
        source.close();
      }
    }
  });
});

describe("a Parquet file read in place that is corrupt past its first row group", () => {
  it("is a data error naming the file (exit 3), as a corrupt CSV is", async () => {
    // 200,000 rows in row groups of 10,000; a stretch in the middle overwritten, the footer
    // (which DuckDB reads first, for the columns and the row count) intact.
    const lines = ["date,amount,name,actor"];
    for (let row = 1; row <= 200_000; row += 1) lines.push(`2024-01-${String(1 + (row % 20)).padStart(2, "0")},${row},name ${row * 7919},${row % 3 === 0 ? "a" : "b"}`);
    const fixture = writeFixture(basicSpec().replace("file: data.csv", "file: data.parquet"), `${lines.join("\n")}\n`);
    const path = join(fixture.dir, "data.parquet");
    await csvToParquet(join(fixture.dir, "data.csv"), path, { rowGroupSize: 10_000 });
    const bytes = readFileSync(path);
    const middle = Math.floor(bytes.length / 2);
    for (let index = middle; index < middle + 4096; index += 1) bytes[index] = (index * 131) % 251;
    writeFileSync(path, bytes);
    let thrown: unknown;
    try {
      await runStudy(fixture.specFile, testContext(fixture.dir));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DataError);
    expect((thrown as DataError).exitCode).toBe(3);
    expect((thrown as DataError).message).toMatch(/^data\.parquet: cannot read it as parquet/);
  }, 60_000);
});

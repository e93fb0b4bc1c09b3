// The first-bytes checks of a text data file (src/data/text-checks.ts), on files written here.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { textFileProblem, utf16Kind } from "../../src/data/text-checks.js";

const CSV = "date,amount,name\n2024-01-02,10,x\n";

function file(name: string, bytes: Buffer | string): string {
  const path = join(mkdtempSync(join(tmpdir(), "eventstudy-text-")), name);
  writeFileSync(path, bytes);
  return path;
}

describe("utf16Kind", () => {
  it("tells UTF-16 with a BOM, without one (either byte order), and UTF-8 apart", () => {
    expect(utf16Kind(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, "utf16le")]))).toBe("utf-16");
    expect(utf16Kind(Buffer.from(CSV, "utf16le"))).toBe("utf-16le");
    expect(utf16Kind(Buffer.from(CSV, "utf16le").swap16())).toBe("utf-16be");
    expect(utf16Kind(Buffer.from(`\ufeff${CSV}Café,交易所`, "utf8"))).toBeUndefined();
  });

  it("does not call an empty file, or UTF-8 padded with NUL bytes, UTF-16", () => {
    // An empty shard in a glob (a day without incidents) was refused as "UTF-16 text".
    expect(utf16Kind(Buffer.alloc(0))).toBeUndefined();
    expect(utf16Kind(Buffer.from([0x00, 0x00]))).toBeUndefined();
    // NULs on both sides (an interrupted copy): not the one-sided pattern of UTF-16 text.
    expect(utf16Kind(Buffer.concat([Buffer.from(CSV, "utf8"), Buffer.alloc(64)]))).toBeUndefined();
  });
});

describe("textFileProblem", () => {
  it("names UTF-16 in any text format, a BOM in NDJSON, Excel's sep= line and semicolons", () => {
    expect(textFileProblem(file("a.csv", Buffer.from(CSV, "utf16le")), "csv", "a.csv")).toBe(
      'a.csv: is UTF-16 text, which the engine does not read: save it as UTF-8 (in Excel: "CSV UTF-8"), e.g. iconv -f utf-16le -t utf-8 in.csv > out.csv.',
    );
    expect(textFileProblem(file("a.json", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("[]", "utf16le").swap16()])), "json", "a.json")).toMatch(/^a\.json: is UTF-16 text/);
    expect(textFileProblem(file("a.ndjson", '\ufeff{"date": "2024-01-02"}\n'), "ndjson", "a.ndjson")).toMatch(/^a\.ndjson: line 1 starts with a UTF-8 byte-order mark/);
    expect(textFileProblem(file("a.csv", `sep=,\r\n${CSV}`), "csv", "a.csv")).toMatch(/^a\.csv: line 1 is "sep=,", the line Excel writes/);
    expect(textFileProblem(file("a.csv", CSV.replaceAll(",", ";")), "csv", "a.csv")).toMatch(/^a\.csv: line 1 \(the header\) has no commas and 2 semicolons/);
  });

  it("leaves alone what DuckDB reads: UTF-8 with or without a BOM (CSV, JSON), TSV, semicolons inside a comma-separated header, gzip, Parquet", () => {
    expect(textFileProblem(file("a.csv", `\ufeff${CSV}`), "csv", "a.csv")).toBeUndefined();
    expect(textFileProblem(file("a.json", '\ufeff[{"date": "2024-01-02"}]'), "json", "a.json")).toBeUndefined();
    expect(textFileProblem(file("a.tsv", "date\tamount;usd\n"), "tsv", "a.tsv")).toBeUndefined();
    expect(textFileProblem(file("a.csv", "date,amount;usd\n"), "csv", "a.csv")).toBeUndefined();
    expect(textFileProblem(file("a.csv.gz", Buffer.from([0x1f, 0x8b, 0, 0])), "csv", "a.csv.gz")).toBeUndefined();
    expect(textFileProblem(file("a.parquet", Buffer.from("PAR1\0\0\0\0")), "parquet", "a.parquet")).toBeUndefined();
    expect(textFileProblem(file("empty.ndjson", ""), "ndjson", "empty.ndjson")).toBeUndefined();
    expect(textFileProblem(file("empty.csv", ""), "csv", "empty.csv")).toBeUndefined();
  });
});

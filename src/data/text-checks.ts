/**
 * Checks of a text data file's first bytes for what DuckDB misreads without a useful
 * message: UTF-16 text (read as one garbled column), a UTF-8 byte-order mark in NDJSON
 * (DuckDB: "byte order mark (BOM) is not supported"), Excel's `sep=,` first line (read as
 * the header) and a CSV delimited by semicolons (read as one column named
 * `date;amount;...`). Each becomes one message naming the file and the fix. CSV and JSON
 * arrays with a UTF-8 BOM are read as they are, and need nothing here.
 *
 * Only the first 4 KiB of each plain file is read; gzip-compressed files are not checked.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { DataFormat } from "../spec/normalized-spec.js";

const HEAD_BYTES = 4096;

function head(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const read = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** "utf-16" with a byte-order mark, "utf-16le" / "utf-16be" without one (NUL bytes at odd / even offsets), else undefined. */
export function utf16Kind(bytes: Buffer): "utf-16" | "utf-16le" | "utf-16be" | undefined {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return "utf-16";
  let odd = 0;
  let even = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    if (bytes[index] !== 0) continue;
    if (index % 2 === 1) odd += 1;
    else even += 1;
  }
  // ASCII text as UTF-16 has a NUL beside every character, always on the same side (odd
  // bytes for little-endian); UTF-8 text has none. An empty file, or one padded with NULs
  // (NULs on both sides, as after an interrupted copy), is not UTF-16.
  if (bytes.length < 4) return undefined;
  if (odd >= bytes.length / 4 && even <= odd / 8) return "utf-16le";
  if (even >= bytes.length / 4 && odd <= even / 8) return "utf-16be";
  return undefined;
}

export const textCheckMessages = {
  utf16: (file: string, kind: string) =>
    `${file}: is UTF-16 text, which the engine does not read: save it as UTF-8 (in Excel: "CSV UTF-8"), e.g. iconv -f ${kind} -t utf-8 in.csv > out.csv.`,
  ndjsonBom: (file: string) =>
    `${file}: line 1 starts with a UTF-8 byte-order mark (bytes EF BB BF), which NDJSON does not allow. Save the file as UTF-8 without a BOM, e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' ${JSON.stringify(file)} (GNU sed).`,
  excelSepLine: (file: string, line: string) =>
    `${file}: line 1 is ${JSON.stringify(line)}, the line Excel writes to name the delimiter; the engine reads line 1 as the header. Delete that line.`,
  semicolons: (file: string, count: number) =>
    `${file}: line 1 (the header) has no commas and ${count} semicolons: the file looks delimited by ";" (Excel's CSV in many locales). The engine reads CSV with "," and TSV with tabs (data.format: csv or tsv; there is no other delimiter): save it comma-separated, or tab-separated as .tsv.`,
};

/** The first problem of the kinds above in `path`, as a message, or undefined. */
export function textFileProblem(path: string, format: DataFormat, shownFile: string): string | undefined {
  if (format === "parquet" || path.toLowerCase().endsWith(".gz")) return undefined;
  const bytes = head(path);
  const utf16 = utf16Kind(bytes);
  if (utf16 !== undefined) return textCheckMessages.utf16(shownFile, utf16);
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (format === "ndjson") return bom ? textCheckMessages.ndjsonBom(shownFile) : undefined;
  if (format !== "csv" && format !== "tsv") return undefined;
  const text = bytes.subarray(bom ? 3 : 0).toString("utf8");
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  if (/^sep=.?$/.test(firstLine) && /\r?\n/.test(text)) return textCheckMessages.excelSepLine(shownFile, firstLine);
  if (format === "csv" && !firstLine.includes(",") && !firstLine.includes("\t")) {
    const semicolons = firstLine.split(";").length - 1;
    if (semicolons > 0) return textCheckMessages.semicolons(shownFile, semicolons);
  }
  return undefined;
}

/**
 * The DuckDB table function that reads a data file in its format. CSV and TSV are read
 * with every column as text, so that a bad date or amount is seen and counted by the
 * engine rather than guessed at (or rejected wholesale) by the CSV sniffer.
 */
import type { DataFormat } from "../spec/normalized-spec.js";
import { quoteLiteral } from "./sql.js";

export function readFunctionSql(path: string, format: DataFormat): string {
  const file = quoteLiteral(path);
  switch (format) {
    case "csv":
      return `read_csv(${file}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', strict_mode = false, null_padding = true)`;
    case "tsv":
      return `read_csv(${file}, header = true, all_varchar = true, delim = '\t', strict_mode = false, null_padding = true)`;
    case "json":
      return `read_json_auto(${file}, format = 'array')`;
    case "ndjson":
      return `read_json_auto(${file}, format = 'newline_delimited')`;
    case "parquet":
      return `read_parquet(${file})`;
  }
}

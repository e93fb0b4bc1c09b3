// The ClickHouse quoting functions, character by character. The escapes are the ones
// clickhouse-server 18.16.1 reads back (checked there: sql.server.test.ts sends every
// string below to the server and compares what comes back).
import { describe, expect, it } from "vitest";
import { quoteClickHouseIdentifier, quoteClickHouseString } from "../../../src/data/clickhouse/sql.js";

describe("quoteClickHouseString", () => {
  it("wraps plain text in single quotes", () => {
    expect(quoteClickHouseString("Lazarus")).toBe("'Lazarus'");
    expect(quoteClickHouseString("")).toBe("''");
    expect(quoteClickHouseString("Ünïcode 交易所 🐉")).toBe("'Ünïcode 交易所 🐉'");
  });

  it("escapes the quote, so a spec value cannot end the literal", () => {
    expect(quoteClickHouseString("x'); DROP TABLE t; --")).toBe("'x\\'); DROP TABLE t; --'");
  });

  it("escapes a backslash first, so \\' cannot turn into an escaped quote", () => {
    expect(quoteClickHouseString("\\' OR 1=1 --")).toBe("'\\\\\\' OR 1=1 --'");
    expect(quoteClickHouseString("a\\b")).toBe("'a\\\\b'");
  });

  it("writes control characters as escapes", () => {
    expect(quoteClickHouseString("a\nb\tc\rd\0e")).toBe("'a\\nb\\tc\\rd\\0e'");
    expect(quoteClickHouseString("\b\f")).toBe("'\\b\\f'");
    expect(quoteClickHouseString("\x01\x1F\x7F")).toBe("'\\x01\\x1F\\x7F'");
  });

  it("leaves double quotes and backticks alone", () => {
    expect(quoteClickHouseString('say "hi" `x`')).toBe("'say \"hi\" `x`'");
  });
});

describe("quoteClickHouseIdentifier", () => {
  it("wraps names in backticks", () => {
    expect(quoteClickHouseIdentifier("amount_usd")).toBe("`amount_usd`");
    expect(quoteClickHouseIdentifier("amount usd")).toBe("`amount usd`");
  });

  it("escapes backticks and backslashes, and leaves single quotes alone", () => {
    expect(quoteClickHouseIdentifier("a`b")).toBe("`a\\`b`");
    expect(quoteClickHouseIdentifier("a\\`")).toBe("`a\\\\\\``");
    expect(quoteClickHouseIdentifier("it's")).toBe("`it's`");
    expect(quoteClickHouseIdentifier("x` FROM system.one; --")).toBe("`x\\` FROM system.one; --`");
  });

  it("writes control characters as escapes", () => {
    expect(quoteClickHouseIdentifier("a\nb\0")).toBe("`a\\nb\\0`");
  });

  it("refuses an empty name, which ClickHouse SQL cannot write", () => {
    expect(() => quoteClickHouseIdentifier("")).toThrow("quoteClickHouseIdentifier: an identifier cannot be empty");
  });
});

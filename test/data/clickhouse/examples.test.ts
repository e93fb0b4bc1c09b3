// Which rows a ClickHouse warning shows: the first three of the tally in ClickHouse's order
// (date text, amount text, name, content hash; NULLs last; text byte by byte). The day cube
// keeps the first row of each part and every row of a part of at most three; from those
// firstExamples settles the examples, or bounds the one follow-up query. Checked on
// hand-made parts, and against a full sort on 500 generated tallies (fast-check, seed 20241124).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareKeys,
  compareNullableText,
  compareText,
  firstExamples,
  followUpSql,
  outsideExamplesSql,
  toRowExample,
  type ExampleKey,
  type TallyPart,
} from "../../../src/data/clickhouse/examples.js";

/** A key from the texts as a row holds them (null: NULL) and its hash. */
function key(date: string | null, amount: string | null, name: string | null, row: number): ExampleKey {
  return [date === null ? 1 : 0, date ?? "", amount === null ? 1 : 0, amount ?? "", name === null ? 1 : 0, name ?? "", row];
}

/** A part as the cube returns it: every row when there are at most three, else the first. */
function part(...keys: ExampleKey[]): TallyPart {
  const sorted = [...keys].sort(compareKeys);
  return { count: keys.length, first: keys.length <= 3 ? [...keys].reverse() : sorted.slice(0, 1) };
}

describe("ClickHouse's order, in JavaScript", () => {
  it("texts compare byte by byte in UTF-8, as ClickHouse's ORDER BY does (not by UTF-16 code unit)", () => {
    // U+FF61 is EF BD A1 in UTF-8, U+1F409 is F0 9F 90 89: JavaScript's own < puts the dragon
    // (surrogate D83D) first. The server's order is checked in cube.server.test.ts.
    const texts = ["\u{1F409}", "z", "\uFF61", "", "a", "é", "B"];
    expect([...texts].sort(compareText)).toEqual(["", "B", "a", "z", "é", "\uFF61", "\u{1F409}"]);
    expect(["\u{1F409}", "\uFF61"].sort()).toEqual(["\u{1F409}", "\uFF61"]);
  });

  it("a NULL text comes after every text", () => {
    expect(["b", null, "", "a"].sort(compareNullableText)).toEqual(["", "a", "b", null]);
  });

  it("keys compare by date, amount, name, then hash; a NULL after any text", () => {
    const keys = [key(null, "1", "a", 1), key("2024-01-02", null, "a", 2), key("2024-01-02", "10", null, 3), key("2024-01-02", "10", "a", 5), key("2024-01-02", "10", "a", 4), key("", "9", "a", 6)];
    expect([...keys].sort(compareKeys).map((item) => item[6])).toEqual([6, 4, 5, 3, 2, 1]);
  });
});

describe("firstExamples: the first three rows of a tally from the cube's parts", () => {
  const a = key("2024-01-01", "1", "a", 11);
  const b = key("2024-01-01", "2", "b", 12);
  const c = key("2024-01-02", "1", "c", 13);
  const d = key("2024-01-03", "1", "d", 14);
  const e = key("2024-01-04", "1", "e", 15);
  const f = key("2024-01-05", "1", "f", 16);

  it("parts known in full give the first three of all their rows", () => {
    expect(firstExamples([part(d, a), part(c), part(b)])).toEqual({ examples: [a, b, c] });
    expect(firstExamples([part(b), part(a)])).toEqual({ examples: [a, b] });
  });

  it("a part of more than three rows that starts after the third candidate cannot change them", () => {
    expect(firstExamples([part(a, b), part(c), part(d, e, f, key("2024-01-06", "1", "g", 17))])).toEqual({ examples: [a, b, c] });
    // Its first row may itself be the third.
    expect(firstExamples([part(a, b), part(c, d, e, f)])).toEqual({ examples: [a, b, c] });
  });

  it("a part of more than three rows that starts before the third candidate: the third bounds the follow-up", () => {
    expect(firstExamples([part(a, c, e, f), part(b), part(d)])).toEqual({ bound: d });
  });

  it("fewer than three candidates with a part not known in full: no bound", () => {
    expect(firstExamples([part(a, b, c, d)])).toEqual({ bound: null });
  });

  it("a text that arrived with a replacement character (invalid UTF-8) is not compared: no bound", () => {
    expect(firstExamples([part(key("\uFFFD", "1", "x", 1)), part(b), part(c)])).toEqual({ bound: null });
  });

  it("on 500 generated tallies, the examples (or the follow-up within the bound) equal a full sort", () => {
    const text = (values: Array<string | null>) => fc.constantFrom(...values);
    const rowArbitrary = fc.record({
      date: text([null, "", "2024-01-01", "2024-01-02", "2024-01-02T10:00:00Z", "19/06/2024", "é"]),
      amount: text([null, "", "5", "10", "$5M"]),
      name: text([null, "a", "B"]),
      cell: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 40 }), (generated) => {
        const rows = generated.map((row, index) => ({ key: key(row.date, row.amount, row.name, 1000 + index), cell: row.cell }));
        const cells = [...new Set(rows.map((row) => row.cell))].map((cell) => part(...rows.filter((row) => row.cell === cell).map((row) => row.key)));
        const expected = rows.map((row) => row.key).sort(compareKeys).slice(0, 3);
        const choice = firstExamples(cells);
        // The follow-up: ClickHouse sorts the tally's rows at or below the bound and keeps three.
        const found =
          "examples" in choice
            ? choice.examples
            : rows
                .map((row) => row.key)
                .filter((item) => choice.bound === null || compareKeys(item, choice.bound) <= 0)
                .sort(compareKeys)
                .slice(0, 3);
        expect(found).toEqual(expected);
      }),
      { seed: 20241124, numRuns: 500 },
    );
  });
});

describe("the follow-up queries", () => {
  it("a bound's texts are escaped literals: a row's text never becomes SQL", () => {
    const bound = key("x'); DROP TABLE t; --", null, "back\\slash", 4503599627370497);
    expect(followUpSql("(incidents)", [{ tally: "bad_date", bound }, { tally: "unknown_amount", bound: null }])).toBe(`SELECT tally, key FROM (
    SELECT arrayJoin(arrayFilter(t -> t != '', [if(ifNull(excluded = 'bad_date', 0), 'bad_date', ''), if(excluded IS NULL AND NOT filtered_out AND amount IS NULL, 'unknown_amount', '')])) AS tally, tuple(isNull(raw_date), ifNull(raw_date, ''), isNull(raw_amount), ifNull(raw_amount, ''), isNull(name), ifNull(name, ''), row) AS key FROM (incidents)
    WHERE (ifNull(excluded = 'bad_date', 0)) OR (excluded IS NULL AND NOT filtered_out AND amount IS NULL))
  WHERE (tally = 'bad_date' AND key <= tuple(toUInt8(0), 'x\\'); DROP TABLE t; --', toUInt8(1), '', toUInt8(0), 'back\\\\slash', toFloat64(4503599627370497))) OR (tally = 'unknown_amount')
  ORDER BY tally, key LIMIT 3 BY tally`);
  });

  it("the rows outside coverage: ClickHouse keeps three while it sorts", () => {
    expect(outsideExamplesSql("(incidents)", 19723, 20088)).toBe(`SELECT tuple(isNull(raw_date), ifNull(raw_date, ''), isNull(raw_amount), ifNull(raw_amount, ''), isNull(name), ifNull(name, ''), row) AS key FROM (incidents)
  WHERE excluded IS NULL AND NOT filtered_out AND (day < 19723 OR day > 20088)
  ORDER BY key LIMIT 3`);
  });
});

describe("a ClickHouse row as a warning shows it", () => {
  it("its texts (NULL as null), and its hash marked as a content hash, not a line number", () => {
    expect(toRowExample(key(null, "12.5", "Orbit", 4641277466830535))).toEqual({
      row: 4641277466830535,
      name: "Orbit",
      date: null,
      amount: "12.5",
      identifiedBy: "content hash",
    });
  });
});

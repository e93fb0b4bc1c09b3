// The day cube's answers, from cells written out by hand (STYLE.md, 8): each question the
// pipeline asks a ClickHouse source, answered from the one cube query instead of a query of
// its own, with ClickHouse's order (day, then group name byte by byte, no group last).
import { describe, expect, it } from "vitest";
import {
  countOutside,
  countPositive,
  dailyFromCube,
  dayExtent,
  duplicateParts,
  exclusionParts,
  groupTotals,
  rowCounts,
  toCubeCell,
  unknownAmountParts,
  type CubeCell,
  type CubeRow,
} from "../../../src/data/clickhouse/day-cube.js";
import type { ExampleKey } from "../../../src/data/clickhouse/examples.js";

const k = (date: string, row: number): ExampleKey => [0, date, 0, "1", 0, "n", row];

/** A used cell unless told otherwise: one row, known amount. */
function cell(parts: Partial<CubeCell>): CubeCell {
  return {
    group: "A",
    day: 19723,
    excluded: null,
    filteredOut: false,
    rows: 1,
    copies: 1,
    unknownAmounts: 0,
    positiveAmounts: 1,
    copiedRows: 0,
    loss: 10,
    first: { all: [], unknown: [], copied: [] },
    ...parts,
  };
}

// 19723 = 2024-01-01, 19724 = 2024-01-02, 19725 = 2024-01-03.
const CUBE: CubeCell[] = [
  cell({ group: "b", day: 19724, rows: 2, copies: 2, positiveAmounts: 2, loss: 30 }),
  cell({ group: null, day: 19724, rows: 1, copies: 1, loss: 5 }),
  cell({ group: "B", day: 19724, rows: 3, copies: 5, unknownAmounts: 1, positiveAmounts: 1, copiedRows: 1, loss: 7, first: { all: [], unknown: [k("2024-01-02", 3)], copied: [k("2024-01-02", 4)] } }),
  cell({ group: "B", day: 19723, rows: 4, copies: 4, unknownAmounts: 4, positiveAmounts: 0, loss: 0, first: { all: [], unknown: [k("2024-01-01", 1)], copied: [] } }),
  cell({ group: "b", day: 19725, filteredOut: true, rows: 6, copies: 6, loss: 60 }),
  cell({ group: "b", day: 19725, excluded: "negative_amount", rows: 2, copies: 3, loss: 0, first: { all: [k("2024-01-03", 8), k("2024-01-03", 7)], unknown: [], copied: [] } }),
  cell({ group: "B", day: null, excluded: "bad_date", rows: 5, copies: 5, loss: 0, first: { all: [k("01/01/2024", 9)], unknown: [], copied: [] } }),
  cell({ group: null, day: null, excluded: "bad_date", rows: 1, copies: 1, loss: 0, first: { all: [k("yesterday", 10)], unknown: [], copied: [] } }),
];

describe("the day cube, from ClickHouse's answer", () => {
  it("a row of the cube query becomes a cell", () => {
    const row: CubeRow = {
      grp: "B",
      cell_day: 19724,
      excluded: null,
      filtered: 0,
      n_rows: 3,
      n_copies: 5,
      n_unknown: 1,
      n_positive: 1,
      n_copied: 1,
      loss: 7,
      first_all: [],
      first_unknown: [k("2024-01-02", 3)],
      first_copied: [k("2024-01-02", 4)],
    };
    expect(toCubeCell(row)).toEqual(CUBE[2]);
  });
});

describe("the questions answered from the day cube", () => {
  it("daily aggregates: used cells in the span, by day then group (B before b before no group)", () => {
    expect(dailyFromCube(CUBE, 19723, 19725)).toEqual([
      { group: "B", day: 19723, incidents: 4, loss: 0, unknownAmounts: 4 },
      { group: "B", day: 19724, incidents: 3, loss: 7, unknownAmounts: 1 },
      { group: "b", day: 19724, incidents: 2, loss: 30, unknownAmounts: 0 },
      { group: null, day: 19724, incidents: 1, loss: 5, unknownAmounts: 0 },
    ]);
    expect(dailyFromCube(CUBE, 19724, 19724).map((day) => day.group)).toEqual(["B", "b", null]);
  });

  it("rows used and filtered out; used rows per group, in all and in a span", () => {
    expect(rowCounts(CUBE)).toEqual({ used: 10, filteredOut: 6 });
    expect(groupTotals(CUBE)).toEqual([
      { group: "B", rows: 7 },
      { group: "b", rows: 2 },
      { group: null, rows: 1 },
    ]);
    expect(groupTotals(CUBE, { from: 19724, to: 19725 })).toEqual([
      { group: "B", rows: 3 },
      { group: "b", rows: 2 },
      { group: null, rows: 1 },
    ]);
  });

  it("the date extent covers filtered rows but not rows left out", () => {
    expect(dayExtent(CUBE)).toEqual({ first: 19723, last: 19725 });
    expect(dayExtent(CUBE.filter((item) => item.excluded !== null))).toBeUndefined();
  });

  it("used rows outside a span, and used rows with an amount above zero inside one", () => {
    expect(countOutside(CUBE, 19724, 19725)).toBe(4);
    expect(countOutside(CUBE, 19723, 19725)).toBe(0);
    expect(countPositive(CUBE, 19724, 19724)).toBe(4);
  });

  it("tallies for warnings: source rows counted (every copy), and the parts their examples come from", () => {
    expect(exclusionParts(CUBE)).toEqual(
      new Map([
        ["negative_amount", { count: 3, parts: [{ count: 2, first: [k("2024-01-03", 8), k("2024-01-03", 7)] }] }],
        ["bad_date", { count: 6, parts: [{ count: 5, first: [k("01/01/2024", 9)] }, { count: 1, first: [k("yesterday", 10)] }] }],
      ]),
    );
    expect(duplicateParts(CUBE)).toEqual({ count: 2, parts: [{ count: 1, first: [k("2024-01-02", 4)] }] });
    expect(unknownAmountParts(CUBE)).toEqual({
      count: 5,
      parts: [
        { count: 1, first: [k("2024-01-02", 3)] },
        { count: 4, first: [k("2024-01-01", 1)] },
      ],
    });
  });
});

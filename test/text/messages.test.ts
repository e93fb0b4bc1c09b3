// Warnings list example rows "(e.g. ...)" after their count, and leave the parentheses out
// when no example was found (ClickHouse cannot name the later copies `keep` kept; the other
// warnings have examples from the DuckDB reader, but must not break without them).
import { describe, expect, it } from "vitest";
import { messages } from "../../src/messages.js";

describe("warnings with and without examples", () => {
  it("say '(e.g. ...)' only when there is an example", () => {
    expect(messages.rowsDropped(2, "the date is empty", ["row 3", "row 9"])).toBe("2 row(s) left out: the date is empty (e.g. row 3; row 9).");
    expect(messages.rowsDropped(2, "the date is empty", [])).toBe("2 row(s) left out: the date is empty.");
    expect(messages.rowsKeptDuplicate(1, [])).toBe('1 exact duplicate row(s) kept because data.duplicates is "keep".');
    expect(messages.unknownAmounts(4, [], false)).toBe(
      "4 incident(s) have an unknown amount (empty): they count as incidents but add nothing to daily losses, so losses are a lower bound.",
    );
    // 19723 = 2024-01-01, 19742 = 2024-01-20 (days since 1970-01-01).
    expect(messages.rowsOutsideCoverage(3, 19723, 19742, [])).toBe(
      "3 row(s) are dated outside coverage 2024-01-01..2024-01-20 and are in no window, placebo date or chart. Widen coverage if the data is complete on those days.",
    );
  });
});

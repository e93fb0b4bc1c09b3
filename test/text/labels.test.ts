// How a spec with several questions is counted in the CLI's lines and the studies index:
// by what varies, never "events/variants" for a spec that has only one of the two.
import { describe, expect, it } from "vitest";
import { cellCountLabel } from "../../src/text/labels.js";

const cell = (event: string, variant: string | null) => ({ event: { id: event }, variant: variant === null ? null : { id: variant } });

describe("cellCountLabel", () => {
  it("counts variants, events, or both, as the spec has them", () => {
    expect(cellCountLabel([cell("treaty", "defillama"), cell("treaty", "slowmist"), cell("treaty", "broad"), cell("treaty", "no-dmm")])).toBe("4 variants");
    expect(cellCountLabel([cell("tornado", null), cell("treaty", null)])).toBe("2 events");
    expect(cellCountLabel([cell("a", "x"), cell("a", "y"), cell("b", "x"), cell("b", "y"), cell("c", "x"), cell("c", "y")])).toBe("6 events and variants");
  });
});

/**
 * Spec messages added with the value-trimming rule (the rest are in src/messages.ts, whose
 * conventions these follow: what is wrong, then the fix; `located` adds file:line:col).
 */
export const specMessages = {
  valueHasOuterSpaces: (value: string) =>
    `${JSON.stringify(value)} has spaces at the start or end. Column values are compared with the data's spaces at both ends removed, so it would match no row. Write ${JSON.stringify(value.replace(/^ +| +$/g, ""))}.`,
};

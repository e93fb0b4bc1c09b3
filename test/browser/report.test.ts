/// <reference lib="dom" />
// The report in a real browser (Debian's chromium through playwright-core): it loads with
// no console error and no request but the file itself, every chart's SVG has marks, it
// does not scroll sideways at 1280 px, and hostile strings from the data show as text
// with no script run. Screenshots are saved under reports/.browser-test/ to look at.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAndWrite } from "../../src/run-studies.js";
import { writeReportsIndex } from "../../src/report/reports-index.js";
import { basicSpec, testContext } from "../helpers/study-fixture.js";

const SCREENSHOTS = resolve("reports/.browser-test");
const HOSTILE = ["<script>window.__pwned = 1</script>", '"><img src=x onerror="window.__pwned = 2">', "javascript:window.__pwned = 3"];

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

async function inspect(file: string, screenshot: string): Promise<{ errors: string[]; requests: string[]; svgs: number; marks: number[]; scrollWidth: number; text: string; pwned: unknown }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("dialog", (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("request", (request) => requests.push(request.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url);
  const result = await page.evaluate(() => ({
    svgs: document.querySelectorAll("figure svg").length,
    marks: Array.from(document.querySelectorAll("figure svg")).map((svg) => svg.querySelectorAll("path, rect, circle, line").length),
    scrollWidth: document.documentElement.scrollWidth,
    text: document.body.innerText,
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
  }));
  await page.screenshot({ path: join(SCREENSHOTS, screenshot), fullPage: true });
  await page.close();
  return { errors, requests: requests.filter((request) => request !== url), ...result };
}

describe("report in headless Chromium", () => {
  it("a study whose data holds hostile strings renders them as text and runs no script", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eventstudy-browser-"));
    const csv = [
      "date,amount,name,actor",
      `2024-01-02,500,"${HOSTILE[0]}",a`,
      `2024-01-12,900,"${HOSTILE[1]?.replaceAll('"', '""')}",a`,
      `2024-01-13,100,${HOSTILE[2]},b`,
      "2024-01-05,50,plain,b",
    ].join("\n");
    writeFileSync(join(dir, "data.csv"), csv);
    writeFileSync(join(dir, "hostile.yaml"), basicSpec().replace("title: Test study", 'title: "Hostile <script>window.__pwned = 4</script>"'));
    const reports = join(dir, "reports");
    const outcome = await runAndWrite(join(dir, "hostile.yaml"), testContext(dir), reports);
    expect(outcome.error).toBeUndefined();
    writeReportsIndex(reports);
    const report = await inspect(join(reports, "hostile", "index.html"), "hostile-report.png");
    expect(report.errors).toEqual([]);
    expect(report.requests).toEqual([]);
    expect(report.pwned).toBeUndefined();
    for (const text of [...HOSTILE.slice(0, 2), "Hostile <script>window.__pwned = 4</script>"]) expect(report.text).toContain(text);
    // 7 charts: no DiD in this spec, and 20 days of coverage leave no placebo date.
    expect(report.svgs).toBe(7);
    const index = await inspect(join(reports, "index.html"), "hostile-index.png");
    expect(index.errors).toEqual([]);
    expect(index.pwned).toBeUndefined();
    expect(index.text).toContain("Hostile <script>window.__pwned = 4</script>");
  });

  it("a study of 3 events x 2 variants: its table scrolls in its own box and the chart's legend shows every name in full", async () => {
    const dir = mkdtempSync(join(tmpdir(), "eventstudy-browser-cells-"));
    // Long event labels whose only difference is the variant at the end: a legend beside the
    // panels cut them to "OFAC names Lazarus…" twice, and the table made the page 1368 px wide.
    const spec = [
      `extends: ${resolve("analyses/shared/dprk-defaults.yaml")}`,
      "title: Six cells",
      "windows: {pre: {days: 120}, post: {days: 120}}",
      "events:",
      "  - {id: ronin, date: 2022-04-14, label: OFAC names Lazarus wallet for Ronin}",
      "  - {id: tornado, date: 2022-08-08, label: Tornado Cash sanctions}",
      "  - {id: treaty, date: 2024-06-19, label: Treaty}",
      "variants:",
      "  - name: DeFiLlama",
      "  - name: SlowMist",
      `    data: {file: ${resolve("data/incidents_slowmist.csv")}, zero_amount_is_unknown: true}`,
      "    coverage: {start: 2012-01-06, end: 2026-05-19}",
      "tests: {permutations: 500, bootstrap: {resamples: 200}}",
      "",
    ].join("\n");
    writeFileSync(join(dir, "six.yaml"), spec);
    const outcome = await runAndWrite(join(dir, "six.yaml"), testContext(resolve(".")), join(dir, "reports"));
    expect(outcome.error).toBeUndefined();
    const report = await inspect(join(dir, "reports", "six", "index.html"), "six-cells.png");
    expect(report.errors).toEqual([]);
    expect(report.scrollWidth).toBeLessThanOrEqual(1280);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(join(dir, "reports", "six", "index.html")).href);
    const legend = await page.evaluate(() =>
      Array.from(document.querySelectorAll("figure svg .role-legend"))
        .filter((group) => group.querySelector(".role-legend-title text")?.textContent === "event / variant")
        .flatMap((group) => Array.from(group.querySelectorAll(".role-legend-label text")).map((text) => text.textContent)),
    );
    await page.close();
    // Sorted: a two-column legend holds its labels column by column.
    expect(legend.sort()).toEqual([
      "OFAC names Lazarus wallet for Ronin / DeFiLlama",
      "OFAC names Lazarus wallet for Ronin / SlowMist",
      "Tornado Cash sanctions / DeFiLlama",
      "Tornado Cash sanctions / SlowMist",
      "Treaty / DeFiLlama",
      "Treaty / SlowMist",
    ]);
  }, 120_000);

  // Every report npm start wrote: one per spec in analyses/, one more per further event or
  // variant (in a sub-folder), and the studies index.
  const studies = readdirSync("reports", { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith(".") && existsSync(join("reports", entry.name, "index.html")))
    .map((entry) => entry.name);
  const generated = studies.flatMap((study) => [
    study,
    ...readdirSync(join("reports", study), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join("reports", study, entry.name, "index.html")))
      .map((entry) => `${study}/${entry.name}`),
  ]);

  it("npm start wrote the sample reports, one per event and variant", () => {
    expect(generated).toEqual(
      expect.arrayContaining([
        "dprk-russia-treaty-2024",
        "dprk-russia-treaty-2024/slowmist",
        "dprk-russia-treaty-2024/broad-attribution",
        "dprk-russia-treaty-2024/without-dmm-bitcoin",
        "dprk-sanctions-events",
        "dprk-sanctions-events/russia-dprk-treaty",
      ]),
    );
  });

  it.each(generated)("%s: every chart drawn, offline, no errors, no sideways scrolling at 1280 px", async (name) => {
    const report = await inspect(resolve("reports", name, "index.html"), `${name.replaceAll("/", "--")}.png`);
    expect(report.errors).toEqual([]);
    expect(report.requests).toEqual([]);
    // The sample studies have a DiD and placebo dates: all 9 charts, plus the chart across
    // events and variants in each study's main report.
    expect(report.svgs).toBe(name.includes("/") ? 9 : 10);
    for (const marks of report.marks) expect(marks).toBeGreaterThan(10);
    expect(report.scrollWidth).toBeLessThanOrEqual(1280);
    expect(report.text).toContain("What the data say");
    if (name.includes("/")) expect(report.text).toContain("Back to the main report");
    else expect(report.text).toMatch(/The same question across (variants|events)/);
  });

  it("the studies index links every report", async () => {
    const index = await inspect(resolve("reports/index.html"), "index.png");
    expect(index.errors).toEqual([]);
    expect(index.requests).toEqual([]);
    expect(index.text).toContain("DPRK crypto theft before and after the 2024 Russia–DPRK treaty");
    expect(index.text).toContain("DPRK crypto theft around the Tornado Cash sanctions and the Russia–DPRK treaty");
    // Every study in reports/ is linked, and each link opens a report that loads cleanly.
    const page = await browser.newPage();
    await page.goto(pathToFileURL(resolve("reports/index.html")).href);
    const links = await page.evaluate(() => Array.from(document.querySelectorAll("h2 a")).map((link) => (link as HTMLAnchorElement).href));
    await page.close();
    const studies = readdirSync(resolve("reports"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(resolve("reports", entry.name, "results.json")))
      .map((entry) => pathToFileURL(resolve("reports", entry.name, "index.html")).href);
    expect(studies.length).toBeGreaterThanOrEqual(2);
    expect([...links].sort()).toEqual([...studies].sort());
    for (const link of links) {
      const report = await inspect(fileURLToPath(link), `index-link-${links.indexOf(link)}.png`);
      expect(report.errors, link).toEqual([]);
      expect(report.svgs, link).toBeGreaterThan(0);
    }
  });
});

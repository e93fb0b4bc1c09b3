/**
 * Screenshots of a report in headless Chromium (Debian's /usr/bin/chromium, through
 * playwright-core: no browser download). `npx tsx scripts/screenshot.ts <report.html> <out.png> [--full] [--section id]`
 * Used to look at reports as a reader would, and for the README's picture.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [input, output, ...flags] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  console.error("usage: tsx scripts/screenshot.ts <report.html> <out.png> [--full] [--section id] [--height px]");
  process.exit(64);
}
const section = flags.includes("--section") ? flags[flags.indexOf("--section") + 1] : undefined;
const height = flags.includes("--height") ? Number(flags[flags.indexOf("--height") + 1]) : 1400;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height } });
  await page.goto(pathToFileURL(resolve(input)).href);
  if (section !== undefined) await page.locator(`#${section}`).screenshot({ path: output });
  else await page.screenshot({ path: output, fullPage: flags.includes("--full") });
} finally {
  await browser.close();
}

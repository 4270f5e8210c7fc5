// Accessibility check of HTML reports: axe-core (WCAG 2.0/2.1 A and AA rules) in headless Chromium.
// Usage: node tools/a11y/check.mjs [--browser /usr/bin/chromium] REPORT.html [...]
// Prints one JSON object: {"axe": version, "reports": {path: [violation, ...]}}; each violation has id,
// impact (minor/moderate/serious/critical), help and the first CSS targets. Exit 0 when it ran, 3 when the
// browser cannot be started (the caller skips with that reason), 1 on any other failure.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const axeSource = readFileSync(axePath, "utf8");
const axeVersion = JSON.parse(readFileSync(resolve(axePath, "..", "package.json"), "utf8")).version;

const args = process.argv.slice(2);
let executablePath = "/usr/bin/chromium";
const reports = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--browser") executablePath = args[++i];
  else reports.push(args[i]);
}

let browser;
try {
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
} catch (err) {
  console.error(`cannot start the browser ${executablePath}: ${String(err.message).split("\n")[0]}`);
  process.exit(3);
}
const out = { axe: axeVersion, reports: {} };
try {
  for (const report of reports) {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(resolve(report)).href);
    await page.addScriptTag({ content: axeSource });
    const res = await page.evaluate(() =>
      axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      }),
    );
    out.reports[report] = res.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));

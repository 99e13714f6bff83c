// What the browser tests share: one Chromium, pages opened on the server that ci/browser/run
// started, and a record of console errors and requests to other origins.
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

export const BASE = process.env.BASE_URL ?? "http://127.0.0.1:18281";
export const SCREENSHOTS = process.env.SCREENSHOTS ?? "ci-artifacts/screenshots";
/** The seeded framework's page: what `/` was before each agreement had its own. */
export const FRAMEWORK_PAGE = "/agreements/us-china-trade-framework";
export const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let browser;
export const consoleErrors = [];
export const foreignRequests = [];

/**
 * Opens `path` in a fresh context (`options`: viewport, colorScheme, reducedMotion, …) and waits
 * until the script is ready, unless `options.ready` is false.
 */
export async function openPage(viewport, path = FRAMEWORK_PAGE, options = {}) {
  const { ready = true, beforeLoad, ...contextOptions } = options;
  const context = await browser.newContext({ viewport, bypassCSP: false, ...contextOptions });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${path}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${path}: ${error.message}`));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(BASE) && !url.startsWith("data:")) foreignRequests.push(url);
  });
  if (beforeLoad) await beforeLoad(page);
  await page.goto(BASE + path);
  if (ready) await page.waitForSelector("body.ready", { timeout: 15000 });
  return page;
}

/** Opens `path` as a reader without JavaScript sees it: the server's first paint only. */
export async function openWithoutScript(viewport, path = FRAMEWORK_PAGE) {
  const context = await browser.newContext({ viewport, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(BASE + path);
  return page;
}

export async function record(path) {
  const response = await fetch(BASE + path);
  assert.equal(response.status, 200, path);
  return response.json();
}

/** A curator's write, with the token ci/browser/run created. */
export async function write(method, path, body) {
  const response = await fetch(BASE + path, {
    method,
    headers: { Authorization: `Bearer ${process.env.TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

export async function axeViolations(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`);
}

/** Whether an element lies (at least partly) within the viewport. */
/** What Chromium's accessibility tree says of the element `selector` finds (ignored, live, …). */
export async function accessibility(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  const { root } = await cdp.send("DOM.getDocument");
  const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
  const { nodes: [node] } = await cdp.send("Accessibility.getPartialAXTree", { nodeId, fetchRelatives: false });
  await cdp.detach();
  const properties = Object.fromEntries((node.properties ?? []).map((p) => [p.name, p.value.value]));
  return { ignored: node.ignored, ...properties };
}

export async function inView(page, selector) {
  return page.locator(selector).first().evaluate((node) => {
    const box = node.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  });
}

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
});

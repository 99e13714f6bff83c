// The page at / in Debian's Chromium, driven by playwright-core, against a server started by
// ci/browser/run on 127.0.0.1 with a fresh database. Screenshots go to $SCREENSHOTS.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FRAMEWORK_PAGE, SCREENSHOTS, axeViolations, consoleErrors, foreignRequests, openPage, record, write } from "./browser.mjs";

describe("the page at /", () => {
  test("shows both parties with their representatives", async () => {
    const page = await openPage({ width: 1440, height: 900 });
    const parties = await page.locator("#parties article h3").allTextContents();
    assert.deepEqual(parties, ["China (CN)", "United States (US)"]);
    const people = await page.locator("#parties").textContent();
    for (const name of ["He Lifeng", "Scott Bessent", "Treasury Secretary", "Vice Premier"]) {
      assert.ok(people.includes(name), name);
    }
    await page.close();
  });

  test("shows both rounds in order, with the source's own words for when", async () => {
    const page = await openPage({ width: 1440, height: 900 });
    const rounds = await page.locator("#timeline .round h3").allTextContents();
    assert.deepEqual(rounds, ["Geneva talks", "London talks"]);
    const when = await page.locator("#timeline .round .when").allTextContents();
    assert.deepEqual(when, ["earlier this year", "more recently"]);
    await page.close();
  });

  test("says who reports each fact, what is inferred, temporary terms, expected effects, gaps and sectors", async () => {
    const page = await openPage({ width: 1440, height: 900 });
    const pair = await page.locator("#commitment-cn-approve-export-applications").textContent();
    assert.ok(pair.includes("Reported by China’s Ministry of Commerce"), pair);
    assert.ok(pair.includes("was not specified"), pair);
    const pause = await page.locator("#commitment-geneva-us-tariff-pause").textContent();
    for (const words of ["Temporary: 90 days", "starts unknown", "expires unknown", "Inferred by the record"]) {
      assert.ok(pause.includes(words), words);
    }
    assert.ok(!pause.includes("Fulfilled"), pause);
    assert.equal(await page.locator("#expected-effects article").count(), 1);
    assert.equal(await page.locator("#gaps article").count(), 4);
    assert.equal(await page.locator("#sectors article").count(), 8);
    const markets = await page.locator("#observation-modest-market-reaction").textContent();
    assert.ok(markets.includes("The report's own words"), markets);
    assert.match(await page.locator("#source-meta").textContent(), /publisher unknown/);
    assert.match(await page.locator("#timeline").textContent(), /does not say when this came/);
    await page.close();
  });

  test("shows every commitment of the record with its badges", async () => {
    const { data } = await record("/api/v1/commitments?limit=100");
    const page = await openPage({ width: 1440, height: 900 });
    for (const commitment of data) {
      const card = page.locator(`#commitment-${commitment.slug}`);
      assert.ok(await card.isVisible(), commitment.slug);
      assert.ok((await card.textContent()).includes(commitment.description), commitment.slug);
      assert.equal(await card.locator(".badge").count(), 2, commitment.slug);
    }
    await page.close();
  });

  test("selecting a commitment highlights its quote in the source text", async () => {
    const commitment = await record("/api/v1/commitments/cn-approve-export-applications");
    const page = await openPage({ width: 1440, height: 900 });
    await page.locator("#commitment-cn-approve-export-applications .quote-button").click();
    const marked = await page.locator("#source-text mark").allTextContents();
    assert.deepEqual(marked, commitment.provenance.map((quote) => quote.quote).sort());
    assert.equal(new URL(page.url()).hash, "#commitment/cn-approve-export-applications");
    await page.close();
  });

  test("a deep link selects the fact and highlights its quote", async () => {
    const page = await openPage({ width: 375, height: 800 }, "/agreements/us-china-trade-framework#commitment/us-lift-restrictive-measures");
    const card = page.locator("#commitment-us-lift-restrictive-measures");
    assert.match(await card.getAttribute("class"), /selected/);
    const marked = await page.locator("#source-text mark").first().textContent();
    assert.ok(marked.includes("the United States will begin lifting"), marked);
    await page.close();
  });

  test("the index at / lists both agreements and leads to each one's page", async () => {
    const page = await openPage({ width: 1440, height: 900 }, "/");
    const titles = await page.locator("#agreements h3 a").allTextContents();
    assert.deepEqual(titles, ["Geneva consensus", "U.S.–China trade framework"]);
    assert.match(await page.locator("#agreements").textContent(), /Builds on Geneva consensus/);
    assert.ok(await page.locator("#changes li").count() > 0);
    await page.locator("#agreements h3 a", { hasText: "Geneva consensus" }).click();
    await page.waitForSelector("body.ready");
    assert.equal(new URL(page.url()).pathname, "/agreements/geneva-consensus");
    assert.equal(await page.locator("#agreement-title").textContent(), "Geneva consensus");
    assert.deepEqual(await axeViolations(page), []);
    await page.locator("#timeline a[href='/agreements/us-china-trade-framework']").first().click();
    await page.waitForSelector("body.ready");
    assert.equal(await page.locator("#agreement-title").textContent(), "U.S.–China trade framework");
    await page.close();
  });

  test("an old deep link /#fact lands on the fact on its agreement's page", async () => {
    for (const [key, agreement] of [
      ["commitment/us-lift-restrictive-measures", "us-china-trade-framework"],
      ["commitment/geneva-us-tariff-pause", "geneva-consensus"],
      ["milestone/framework-finalization-confirmed", "us-china-trade-framework"],
    ]) {
      const page = await openPage({ width: 1440, height: 900 }, `/#${key}`);
      const url = new URL(page.url());
      assert.equal(url.pathname, `/agreements/${agreement}`, key);
      assert.equal(url.hash, `#${key}`, key);
      const id = key.replace("/", "-");
      await page.waitForSelector(`#${id}.selected`);
      assert.ok(await page.locator(`#${id}`).evaluate((node) => {
        const box = node.getBoundingClientRect();
        return box.bottom > 0 && box.top < window.innerHeight;
      }), `${key} in view`);
      await page.close();
    }
  });

  test("search finds \"rare earth\" and its results jump to the fact", async () => {
    const page = await openPage({ width: 1440, height: 900 });
    await page.fill("#search-query", "\"rare earth\"");
    await page.press("#search-query", "Enter");
    await page.waitForSelector("#search-results li");
    const results = await page.locator("#search-results li").allTextContents();
    assert.ok(results.length > 0);
    assert.ok(results.some((text) => /rare earth/i.test(text)), results.join("\n"));
    await page.locator("#search-results a[href='#observation/rare-earths-lack-detailed-commitments']").click();
    await page.waitForSelector("#observation-rare-earths-lack-detailed-commitments.selected");
    await page.close();
  });

  test("is keyboard operable: the skip link comes first and fact buttons take focus", async () => {
    const page = await openPage({ width: 1440, height: 900 });
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.className), "skip");
    await page.locator("#commitment-geneva-us-tariff-pause .quote-button").focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("#commitment-geneva-us-tariff-pause.selected");
    await page.close();
  });

  test("passes axe's WCAG 2 A and AA rules, contrast included, at both widths", async () => {
    for (const viewport of [{ width: 1440, height: 900 }, { width: 375, height: 800 }]) {
      const page = await openPage(viewport);
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${viewport.width}px`);
      await page.close();
    }
  });

  test("screenshots at 1440 and 375 px", async () => {
    const shots = [
      ["page-1440", { width: 1440, height: 1000 }, FRAMEWORK_PAGE, false],
      ["page-1440-selected", { width: 1440, height: 1000 }, "/agreements/us-china-trade-framework#commitment/cn-approve-export-applications", false],
      ["page-375", { width: 375, height: 812 }, FRAMEWORK_PAGE, true],
      ["index-1440", { width: 1440, height: 900 }, "/", false],
    ];
    for (const [name, viewport, path, fullPage] of shots) {
      const page = await openPage(viewport, path);
      await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage });
      await page.close();
    }
  });

  test("shows a curator's change as it is committed, without a reload", async () => {
    const page = await openPage({ width: 1440, height: 900 });
    const slug = "us-lift-restrictive-measures";
    await page.waitForSelector(`#commitment-${slug} .status-pending`);
    await write("PATCH", `/api/v1/commitments/${slug}`, {
      status: "in_progress",
      note: "Measures are being lifted.",
      evidence: [{ source: "us-china-trade-framework-report",
        quote: "the United States will begin lifting a range of restrictive measures previously targeting Beijing" }],
    });
    await page.waitForSelector(`#commitment-${slug} .status-in_progress`, { timeout: 15000 });
    const notice = await page.locator("#live").textContent();
    assert.match(notice, /will begin lifting/);
    assert.doesNotMatch(notice, new RegExp(`${slug}|\``), "plain words, no slugs or backticks");
    await page.close();
  });

  test("logs no console error and sends no request to another origin", () => {
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(foreignRequests, []);
  });
});

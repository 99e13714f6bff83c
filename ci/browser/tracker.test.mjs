// Issue 18: the page as a tracker a reader trusts at a glance. Each test names the broken item
// it guards against. Runs after page.test.mjs; the tests that write to the record come last.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FRAMEWORK_PAGE, BASE, SCREENSHOTS, accessibility, axeViolations, consoleErrors, foreignRequests, inView, openPage, openWithoutScript,
  record, write } from "./browser.mjs";

const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 375, height: 800 };
const FRAMEWORK = "us-china-trade-framework";

describe("labels and comfort (item 7, item 5)", () => {
  test("every code reads as plain words: no snake_case, no slugs, no raw statuses", async () => {
    const page = await openPage(WIDE);
    const text = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(text, /\b[a-z]+_[a-z_]+\b/, "no snake_case code");
    assert.doesNotMatch(text, /geneva-consensus|us-china-trade-framework\b(?!-)/, "no agreement slug");
    assert.doesNotMatch(text, /Status: finalized|Milestone: reached|under geneva/);
    assert.match(await page.locator("#agreement-facts").textContent(), /Status: Finalized by both sides/);
    await page.close();
  });

  test("each \"Show in source\" button has its own name, starting with its quote", async () => {
    const page = await openPage(WIDE);
    const names = await page.locator(".quote-button").evaluateAll((buttons) => buttons.map((b) => b.getAttribute("aria-label")));
    assert.ok(names.length >= 23, `${names.length} buttons`);
    assert.equal(new Set(names).size, names.length, names.join("\n"));
    for (const name of names) assert.match(name, /^Show in source: \S/);
    const commitment = await record("/api/v1/commitments/cn-approve-export-applications");
    const button = page.locator("#commitment-cn-approve-export-applications .quote-button");
    const opening = (await button.getAttribute("aria-label")).replace("Show in source: ", "").replace("…", "");
    assert.ok(commitment.provenance.some((q) => q.quote.startsWith(opening)), opening);
    await page.close();
  });

  test("the selection is announced, and Escape clears it", async () => {
    const page = await openPage(WIDE);
    await page.locator("#commitment-cn-approve-export-applications .quote-button").click();
    await page.waitForSelector("#source-text mark");
    assert.match(await page.locator("#selection").textContent(), /^Selected: According to China’s Ministry of Commerce, China will review/);
    assert.equal(await page.locator("#selection").getAttribute("aria-live"), "polite");
    await page.keyboard.press("Escape");
    assert.equal(await page.locator(".selected").count(), 0);
    assert.equal(await page.locator("#source-text mark").count(), 0);
    assert.equal(new URL(page.url()).hash, "");
    await page.close();
  });

  test("a screen reader is told which fact was selected, at 375 px too, by keyboard", async () => {
    const page = await openPage(NARROW);
    const before = await accessibility(page, "#selection");
    assert.equal(before.ignored, false, "the live region is in the accessibility tree before it speaks");
    assert.equal(before.live, "polite");
    assert.equal(before.atomic, true, "the whole sentence is read, not only what changed");
    await page.locator("#observation-modest-market-reaction .quote-button").focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("#observation-modest-market-reaction.selected");
    const observation = await record("/api/v1/observations/modest-market-reaction");
    const source = await record(`/api/v1/sources/${observation.provenance[0].source}`);
    const quotes = observation.provenance.length;
    assert.equal(await page.locator("#selection").textContent(),
      `Selected: ${observation.summary.replace(/[^.!?…”]$/, "$&.")} ${quotes} quote${quotes === 1 ? "" : "s"} highlighted in “${source.title}”.`);
    assert.equal((await accessibility(page, "#selection")).ignored, false);
    await page.close();
  });

  test("the highlight survives printing: outline and underline, not only a background", async () => {
    const page = await openPage(WIDE, "/agreements/us-china-trade-framework#commitment/cn-approve-export-applications");
    await page.emulateMedia({ media: "print" });
    const style = await page.locator("#source-text mark").first().evaluate((mark) => {
      const computed = getComputedStyle(mark);
      return { outline: computed.outlineStyle, underline: computed.textDecorationLine };
    });
    assert.equal(style.outline, "solid");
    assert.match(style.underline, /underline/);
    await page.close();
  });

  test("dark mode follows prefers-color-scheme and passes axe at 375 and 1440 px", async () => {
    for (const viewport of [WIDE, NARROW]) {
      const page = await openPage(viewport, "/agreements/us-china-trade-framework#commitment/us-lift-restrictive-measures", { colorScheme: "dark" });
      const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      const [r, g, b] = background.match(/\d+/g).map(Number);
      assert.ok(r + g + b < 150, `dark background, got ${background}`);
      await page.locator("#commitment-us-lift-restrictive-measures summary").click();
      assert.deepEqual(await axeViolations(page), [], `dark, ${viewport.width}px`);
      await page.close();
    }
  });

  test("smooth scrolling only without prefers-reduced-motion", async () => {
    const behaviours = async (options) => {
      const page = await openPage(WIDE, FRAMEWORK_PAGE, {
        ...options,
        beforeLoad: (p) => p.addInitScript(() => {
          window.scrolls = [];
          const original = Element.prototype.scrollIntoView;
          Element.prototype.scrollIntoView = function (arg) {
            window.scrolls.push(arg?.behavior ?? "auto");
            return original.call(this, arg);
          };
        }),
      });
      await page.locator("#commitment-cn-approve-export-applications .quote-button").click();
      await page.waitForSelector("#source-text mark");
      const seen = await page.evaluate(() => window.scrolls);
      await page.close();
      return seen;
    };
    assert.ok((await behaviours({})).includes("smooth"));
    assert.ok(!(await behaviours({ reducedMotion: "reduce" })).includes("smooth"));
  });
});

describe("evidence, sources and narrow screens (items 1 and 3)", () => {
  test("each commitment card carries its current status, date and quotes with the source's title", async () => {
    const commitments = await record("/api/v1/commitments?limit=100");
    const source = await record("/api/v1/sources/us-china-trade-framework-report");
    const page = await openPage(WIDE);
    for (const c of commitments.data) {
      const evidence = await page.locator(`#commitment-${c.slug} .evidence`).textContent();
      const current = c.status_history.at(-1);
      assert.ok(evidence.includes(current.date ? current.date.text : "the source gives no date"), c.slug);
      for (const q of current.provenance) assert.ok(evidence.includes(q.quote), `${c.slug}: ${q.quote}`);
      assert.ok(evidence.includes(source.title), c.slug);
    }
    await page.close();
  });

  test("a commitment's history expands, read from the API's history", async () => {
    const page = await openPage(WIDE);
    const card = page.locator("#commitment-cn-approve-export-applications");
    const response = page.waitForResponse((r) => r.url().includes("/commitments/cn-approve-export-applications/history"));
    await card.locator("summary").click();
    assert.equal((await response).status(), 200);
    await card.locator(".history-list li strong").first().waitFor();
    assert.match(await card.locator(".history-list").textContent(), /First recorded as Pending.*\(by seed\)/);
    await page.close();
  });

  test("below 1000 px the quote shows under its card, the full source is one step further", async () => {
    const page = await openPage(NARROW);
    const card = page.locator("#commitment-cn-approve-export-applications");
    await card.locator(".quote-button").scrollIntoViewIfNeeded();
    const before = await page.evaluate(() => window.scrollY);
    await card.locator(".quote-button").click();
    const inline = card.locator(".inline-quote");
    await inline.waitFor();
    assert.match(await inline.textContent(), /China will review and approve export applications/);
    assert.ok(Math.abs((await page.evaluate(() => window.scrollY)) - before) < 300, "no jump to the source");
    await inline.getByRole("button", { name: "Show in full source" }).click();
    await page.waitForFunction(() => {
      const box = document.querySelector("#source-text mark")?.getBoundingClientRect();
      return box && box.top >= 0 && box.bottom <= window.innerHeight;
    });
    await page.locator("#back-to-fact").click();
    await page.waitForFunction(() => {
      const box = document.getElementById("commitment-cn-approve-export-applications").getBoundingClientRect();
      return box.top < window.innerHeight && box.bottom > 0;
    });
    await page.close();
  });
});

describe("status at a glance (item 5)", () => {
  test("near the top, one row per commitment of this framework, its gaps beside, Geneva apart", async () => {
    const commitments = (await record("/api/v1/commitments?limit=100")).data;
    const ours = commitments.filter((c) => c.agreement === FRAMEWORK);
    const page = await openPage(WIDE);
    const rows = page.locator("#glance-rows tr");
    assert.equal(await rows.count(), ours.length);
    const table = (await page.locator(".glance-table").textContent()).toLowerCase();
    for (const c of ours) assert.ok(table.includes(c.action.toLowerCase()), c.action);
    assert.doesNotMatch(table, /pause/i, "the Geneva pauses are not this framework's");
    assert.match(await page.locator("#glance-gaps").textContent(), /rare earth elements/);
    const top = await page.locator("#glance-heading").evaluate((node) => node.getBoundingClientRect().top);
    assert.ok(top < 900, `the glance starts ${top}px down`);
    assert.equal(await page.locator("#commitments .card").count(), ours.length);
    for (const c of commitments.filter((c) => c.agreement !== FRAMEWORK)) {
      assert.equal(await page.locator(`#earlier-commitments #commitment-${c.slug}`).count(), 1, c.slug);
    }
    assert.equal(await page.locator("#earlier-agreements #agreement-geneva-consensus").count(), 1);
    await page.close();
  });

  test("filters by party, status and sector", async () => {
    const ours = (await record("/api/v1/commitments?limit=100")).data.filter((c) => c.agreement === FRAMEWORK);
    const page = await openPage(NARROW);
    const visible = () => page.locator("#glance-rows tr:not([hidden])").count();
    await page.selectOption("#filter-party", "CN");
    assert.equal(await visible(), ours.filter((c) => c.obligor === "CN").length);
    await page.selectOption("#filter-party", "");
    await page.selectOption("#filter-status", ours[0].status);
    assert.equal(await visible(), ours.filter((c) => c.status === ours[0].status).length);
    await page.selectOption("#filter-status", "");
    await page.selectOption("#filter-sector", "rare-earth-elements");
    assert.equal(await page.locator("#glance-gaps li:not([hidden])").count(), 1);
    assert.match(await page.locator("#glance-count").textContent(), /commitments shown/);
    await page.close();
  });
});

describe("search (item 4)", () => {
  test("every result type leads somewhere, and the same result works twice", async () => {
    const page = await openPage(WIDE);
    const seen = new Set();
    for (const query of ["geneva", "\"rare earth\"", "expected"]) {
      await page.fill("#search-query", query);
      await page.press("#search-query", "Enter");
      await page.waitForSelector("#search-results li");
      const links = await page.locator("#search-results li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      for (const href of links) {
        const [type, slug] = href.slice(1).split("/");
        seen.add(type);
        for (const attempt of [1, 2]) {
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.locator(`#search-results a[href="${href}"]`).click();
          if (type === "source") {
            await page.waitForFunction((s) => document.activeElement.id === "source-text"
              && document.querySelector(`.source-tab[data-source="${s}"]`)?.getAttribute("aria-pressed") === "true", slug);
          } else {
            const id = type === "agreement" && slug === FRAMEWORK ? "agreement-facts" : `${type}-${slug}`;
            await page.waitForSelector(`#${id}.selected`);
            assert.ok(await inView(page, `#${id}`), `${href}, click ${attempt}`);
          }
        }
      }
    }
    for (const type of ["agreement", "round", "commitment", "source", "sector", "gap", "observation", "expected_effect"]) {
      assert.ok(seen.has(type), `a ${type} result was tried`);
    }
    await page.close();
  });

  test("a query the engine cannot run gets a plain message, not the engine's text", async () => {
    const page = await openPage(WIDE);
    await page.route("**/api/v1/search?**", (route) => route.fulfill({
      status: 400,
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "about:blank", title: "Bad Request", status: 400, detail: "fts5: syntax error near \"AND\"" }),
    }));
    await page.fill("#search-query", "AND");
    await page.press("#search-query", "Enter");
    await page.waitForSelector("#search-results .error");
    const text = await page.locator("#search-results").textContent();
    assert.doesNotMatch(text, /fts5|syntax error/);
    assert.match(text, /could not be run/);
    await page.close();
    // The browser logs the 400 this test answered itself; it is no error of the page's.
    const expected = consoleErrors.findIndex((message) => message.includes("status of 400"));
    if (expected >= 0) consoleErrors.splice(expected, 1);
  });
});

describe("share, cite, download and first paint (item 6)", () => {
  test("a fact's citation names its quote, source, revision and where to read it as it stood", async () => {
    const page = await openPage(WIDE, FRAMEWORK_PAGE, { permissions: ["clipboard-read", "clipboard-write"] });
    const slug = "cn-approve-export-applications";
    const commitment = await record(`/api/v1/commitments/${slug}`);
    const [latest] = (await record("/api/v1/changes?sort=-revision&limit=1")).data;
    await page.locator(`#commitment-${slug} .cite-button`).click();
    const citation = await page.locator(`#commitment-${slug} .citation-text`).textContent();
    for (const words of [commitment.description, commitment.provenance[0].quote, "U.S. and China Cement Trade Agreement",
      `revision ${latest.revision}`, `${BASE}${FRAMEWORK_PAGE}#commitment/${slug}`, `${BASE}/api/v1/commitments/${slug}?as_of=`]) {
      assert.ok(citation.includes(words), words);
    }
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), citation);
    const names = await page.locator(".cite-button").evaluateAll((buttons) => buttons.map((b) => b.getAttribute("aria-label")));
    assert.equal(new Set(names).size, names.length);
    await page.close();
  });

  test("the record downloads as JSON and Parquet, its commitments as CSV", async () => {
    const page = await openPage(WIDE);
    const hrefs = await page.locator(".downloads a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(hrefs.some((href) => href.endsWith("/commitments?format=csv")), hrefs.join(" "));
    for (const href of hrefs) {
      const response = await fetch(BASE + href);
      assert.equal(response.status, 200, href);
      assert.match(response.headers.get("content-disposition"), /^attachment/, href);
    }
    await page.close();
  });

  test("without JavaScript the page still says who committed to what, where it stands and why", async () => {
    const commitments = (await record("/api/v1/commitments?limit=100")).data;
    const agreement = await record(`/api/v1/agreements/${FRAMEWORK}?include=gaps`);
    const page = await openWithoutScript(NARROW);
    assert.equal(await page.locator("#glance-rows tr").count(), commitments.filter((c) => c.agreement === FRAMEWORK).length);
    assert.equal(await page.locator("#glance-gaps li").count(), agreement.included.gaps.length);
    assert.equal(await page.locator("#gaps article").count(), agreement.included.gaps.length);
    assert.match(await page.locator("#parties").textContent(), /He Lifeng, Vice Premier/);
    for (const c of commitments) {
      const card = await page.locator(`#commitment-${c.slug}`).textContent();
      assert.ok(card.includes(c.description), c.slug);
      for (const q of c.status_history.at(-1).provenance) assert.ok(card.includes(q.quote), `${c.slug}: ${q.quote}`);
    }
    assert.match(await page.locator("#source-text").textContent(), /The United States and China have confirmed/);
    assert.equal(await page.locator("#status").isVisible(), false, "no endless \"Loading\"");
    // The timeline, the expected effects, the observations and the sectors, each as the script draws it.
    const timeline = await record(`/api/v1/agreements/${FRAMEWORK}/timeline?limit=100`);
    assert.deepEqual(await page.locator("#timeline > li h3").allTextContents(), timeline.data.map((e) => e.title));
    assert.deepEqual(await page.locator("#timeline > li .when").allTextContents(),
      timeline.data.map((e) => e.date?.text ?? "date not given"));
    const whole = await record(`/api/v1/agreements/${FRAMEWORK}?include=observations,expected_effects`);
    for (const [container, items, field] of [["#observations", whole.included.observations, "summary"],
      ["#expected-effects", whole.included.expected_effects, "description"]]) {
      assert.equal(await page.locator(`${container} > article`).count(), items.length, container);
      const shown = await page.locator(container).textContent();
      for (const item of items) assert.ok(shown.includes(item[field]), `${container}: ${item.slug}`);
    }
    const sectors = (await record("/api/v1/sectors?limit=100")).data;
    assert.deepEqual(await page.locator("#sectors > article h3").allTextContents(), sectors.map((s) => s.name));
    assert.match(await page.locator("#source-meta").textContent(), /SHA-256 [0-9a-f]{12}…/);
    // Controls that need the script are left out rather than shown dead.
    for (const control of [".quote-button", ".cite-button", "#search", ".filters", "#source-list"]) {
      assert.equal(await page.locator(control).first().isVisible(), false, control);
    }
    await page.screenshot({ path: `${SCREENSHOTS}/page-375-without-javascript.png`, fullPage: false });
    await page.close();
  });

  test("with JavaScript, the record is readable before the script has read the API", async () => {
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    const page = await openPage(NARROW, FRAMEWORK_PAGE, {
      ready: false,
      beforeLoad: (p) => p.route("**/api/v1/**", async (route) => {
        await held;
        await route.continue();
      }),
    });
    for (const part of ["#commitment-cn-approve-export-applications", "#glance-rows tr", "#timeline > li",
      "#commitment-cn-approve-export-applications .quote-button"]) {
      assert.ok(await page.locator(part).first().isVisible(), part);
    }
    release();
    await page.waitForSelector("body.ready", { timeout: 15000 });
    await page.close();
  });

  test("the script keeps the server's markup: nothing is rebuilt at start, and its buttons work", async () => {
    const page = await openPage(WIDE, FRAMEWORK_PAGE, {
      beforeLoad: (p) => p.addInitScript(() => document.addEventListener("DOMContentLoaded", () => {
        window.drawn = [...document.querySelectorAll("[data-key], #agreement-facts > *, select option")];
      })),
    });
    const kept = await page.evaluate(() => ({
      drawn: window.drawn.length,
      rebuilt: window.drawn.filter((node) => !document.contains(node)).map((node) => node.id || node.dataset.key || node.textContent),
    }));
    assert.ok(kept.drawn > 50, `${kept.drawn} nodes drawn by the server`);
    assert.deepEqual(kept.rebuilt, []);
    // The server's buttons do what the script's do.
    await page.locator("#gap-rare-earth-commitments-not-detailed .quote-button").click();
    await page.waitForSelector("#gap-rare-earth-commitments-not-detailed.selected");
    await page.waitForSelector("#source-text mark");
    await page.locator("#commitment-cn-approve-export-applications summary").click();
    await page.locator("#commitment-cn-approve-export-applications .history-list li strong").first().waitFor();
    await page.locator("#commitment-cn-approve-export-applications .cite-button").click();
    await page.locator("#commitment-cn-approve-export-applications .citation-text").waitFor();
    await page.close();
  });

  test("first paint: layout shift at most 0.1 and under 60 KB transferred, at both widths", async () => {
    for (const viewport of [WIDE, NARROW]) {
      const page = await openPage(viewport, FRAMEWORK_PAGE, {
        beforeLoad: (p) => p.addInitScript(() => {
          window.shift = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.shift += entry.value;
          }).observe({ type: "layout-shift", buffered: true });
        }),
      });
      const measured = await page.evaluate(() => ({
        shift: window.shift,
        weight: [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
          .reduce((sum, entry) => sum + entry.transferSize, 0),
      }));
      console.log(`${viewport.width}px: layout shift ${measured.shift.toFixed(3)}, ${measured.weight} bytes transferred`);
      assert.ok(measured.weight < 60 * 1024, `${measured.weight} bytes`);
      assert.ok(measured.shift <= 0.1, `layout shift ${measured.shift}`);
      await page.close();
    }
  });
});

describe("calm live updates with the change's evidence (items 1 and 2)", () => {
  test("a change with a new source shows its note and quote in place, without moving the reader", async () => {
    const page = await openPage(WIDE);
    const slug = "cn-approve-export-applications";
    // The reader has selected a fact far down the page, and reads at y=2350.
    await page.locator("#gap-measures-not-clearly-defined .quote-button").click();
    await page.evaluate(() => window.scrollTo(0, 2350));
    await page.locator("#gap-measures-not-clearly-defined .quote-button").focus({ preventScroll: true });
    const before = await page.evaluate(() => {
      const anchor = document.elementFromPoint(window.innerWidth / 4, window.innerHeight / 2).closest("[id]");
      document.getElementById("observation-modest-market-reaction").untouched = true;
      return { y: window.scrollY, anchor: anchor.id, top: anchor.getBoundingClientRect().top };
    });
    const text = "Beijing said on Friday it had approved a first batch of export applications for rare earth items.";
    await write("POST", "/api/v1/sources", { slug: "mofcom-approvals", title: "MOFCOM on export approvals", kind: "official_statement", text });
    await write("PATCH", `/api/v1/commitments/${slug}`, {
      status: "in_progress",
      note: "A first batch of applications was approved.",
      date: { text: "on Friday", precision: "relative" },
      evidence: [{ source: "mofcom-approvals", quote: "on Friday it had approved a first batch of export applications" }],
    });
    const notice = page.locator(`#live a[href="#commitment/${slug}"]`);
    await notice.waitFor({ timeout: 15000 });
    const card = page.locator(`#commitment-${slug}`);
    const evidence = await card.locator(".evidence").textContent();
    for (const words of ["Now: In progress", "A first batch of applications was approved.", "“on Friday”",
      "on Friday it had approved a first batch of export applications", "MOFCOM on export approvals"]) {
      assert.ok(evidence.includes(words), words);
    }
    const after = await page.evaluate((id) => ({
      y: window.scrollY,
      top: document.getElementById(id).getBoundingClientRect().top,
      focused: document.activeElement.closest("[id]")?.id,
      untouched: document.getElementById("observation-modest-market-reaction").untouched,
      live: document.getElementById("live").getBoundingClientRect(),
      height: window.innerHeight,
    }), before.anchor);
    assert.ok(Math.abs(after.top - before.top) <= 2, `what the reader reads stays put: ${before.top} → ${after.top}`);
    assert.equal(after.focused, "gap-measures-not-clearly-defined");
    assert.equal(after.untouched, true, "an unchanged card is not rebuilt");
    assert.ok(after.live.top >= 0 && after.live.bottom <= after.height, "the notice is in view");
    const said = await page.locator("#live").textContent();
    assert.match(said, /In progress/);
    assert.doesNotMatch(said, new RegExp(`${slug}|\``));
    assert.match(await page.locator("#updated").textContent(), /Last updated .* \(revision \d+\)/);
    assert.match(await card.locator(".changed-note").textContent(), /Changed/);
    // The new source is in the panel, and "Show in source" opens it at the new quote.
    assert.equal(await page.locator(".source-tab").count(), 2);
    await notice.click();
    await page.waitForSelector(`#commitment-${slug}.selected`);
    assert.ok(await inView(page, `#commitment-${slug}`));
    await card.locator(".quote-button").click();
    await page.waitForSelector(".source-tab[data-source='mofcom-approvals'][aria-pressed='true']");
    assert.deepEqual(await page.locator("#source-text mark").allTextContents(), ["on Friday it had approved a first batch of export applications"]);
    await page.close();
    // Without JavaScript, the new source is there in full, under its title.
    const plain = await openWithoutScript(NARROW);
    const other = plain.locator(".other-source").filter({ hasText: "MOFCOM on export approvals" });
    assert.equal(await other.count(), 1);
    assert.ok((await other.locator(".source-text").textContent()).includes(text));
    assert.match(await plain.locator("#commitment-cn-approve-export-applications .evidence").textContent(),
      /A first batch of applications was approved\./);
    await plain.close();
  });

  test("logs no console error and sends no request to another origin", () => {
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(foreignRequests, []);
  });
});

// The sources panel and the selection: every source the agreement cites, the selected fact's
// quotes highlighted in the right one (offsets count Unicode scalar values), and on narrow
// screens the quotes shown under their card first, the full source one step further.

import { $, API, delegate, element, isNarrow, keyed, opening, scrollBehavior } from "./dom.js";
import { label } from "./labels.js";

/** Every selectable fact by key (`type/slug`): its element's id, its name and its quotes. */
export const facts = new Map();
const names = new Map(); // accessible name -> the key that holds it, so that no two are alike
const sources = new Map(); // slug -> { meta, characters: Promise<string[]> | null }
let selected = null;
let shown = null;

/** Registers a fact; its button's name is the start of its first quote no other fact opens with. */
export function registerFact(key, fact) {
  const previous = facts.get(key);
  const candidates = [...fact.quotes.map((q) => `Show in source: ${opening(q.quote)}`),
    `Show in source: ${opening(fact.title, 10)}`, `Show in source: ${fact.title}`];
  const name = previous?.name && names.get(previous.name) === key ? previous.name
    : candidates.find((candidate) => !names.has(candidate) || names.get(candidate) === key) ?? `Show in source: ${key}`;
  names.set(name, key);
  facts.set(key, { ...fact, name });
  return facts.get(key);
}

export function sourceTitle(slug) {
  return sources.get(slug)?.meta.title ?? "a source not in the record";
}

/** The sources panel's list: one button per source; a source's text is fetched when opened. */
export function setSources(list) {
  for (const meta of list) {
    const known = sources.get(meta.slug);
    sources.set(meta.slug, { meta, characters: known?.meta.sha256 === meta.sha256 ? known.characters : null });
  }
  shown ??= list[0]?.slug ?? null;
  keyed($("source-list"), list, (meta) => meta.slug, (meta) => element("li", {},
    element("button", { type: "button", class: "source-tab", "data-source": meta.slug, "aria-controls": "source-text",
      "aria-pressed": String(meta.slug === shown) },
    meta.title, element("span", { class: "tab-kind" }, ` (${label("source_kind", meta.kind)})`))));
}

/** The tabs work whether the server or the script drew them. */
export function setupSources() {
  delegate("click", ".source-tab", (tab) => showSource(tab.dataset.source, { scroll: true }));
}

function characters(slug) {
  const entry = sources.get(slug);
  entry.characters ??= fetch(`${API}/sources/${slug}/text`).then((response) => {
    if (!response.ok) throw new Error(`the source's text could not be loaded (HTTP ${response.status})`);
    return response.text();
  }).then((text) => Array.from(text));
  return entry.characters;
}

function describe(meta) {
  const known = (item, what) => (item.known ? `${what} ${item.value}` : `${what} unknown`);
  const { publisher, url, published_on: published } = meta.metadata;
  return `${meta.title} (${label("source_kind", meta.kind)}; ${known(publisher, "publisher")}; ${known(url, "URL")}; ${known(published, "published")}; SHA-256 ${meta.sha256.slice(0, 12)}…)`;
}

function sentence(text) {
  return /[.!?…”]$/.test(text) ? text : `${text}.`;
}

/** Opens a source in the panel, with the selected fact's quotes in it highlighted. */
export async function showSource(slug, { scroll = false } = {}) {
  if (!sources.has(slug)) return false;
  shown = slug;
  for (const tab of document.querySelectorAll(".source-tab")) {
    tab.setAttribute("aria-pressed", String(tab.dataset.source === slug));
  }
  $("source-meta").textContent = describe(sources.get(slug).meta);
  const text = await characters(slug);
  if (shown !== slug) return true; // the reader asked for another source meanwhile
  const quotes = selected ? facts.get(selected)?.quotes.filter((q) => q.source === slug) ?? [] : [];
  const spans = quotes.map((q) => [q.start, q.end]).sort((a, b) => a[0] - b[0]);
  const parts = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    parts.push(text.slice(at, start).join(""), element("mark", {}, text.slice(start, end).join("")));
    at = end;
  }
  parts.push(text.slice(at).join(""));
  $("source-text").replaceChildren(...parts);
  if (scroll) ($("source-text").querySelector("mark") ?? $("source-heading")).scrollIntoView({ block: "center", behavior: scrollBehavior() });
  return true;
}

/** Quotes under the card, for narrow screens where the panel is far below. */
function inlineQuotes(key, fact) {
  const source = fact.quotes[0]?.source;
  return element("div", { class: "inline-quote", role: "region", "aria-label": `Quotes for: ${opening(fact.title)}` },
    fact.quotes.map((q) => element("blockquote", {}, element("p", {}, `“${q.quote}”`),
      element("p", { class: "cite" }, `— ${sourceTitle(q.source)}`))),
    source ? element("button", { type: "button", class: "quote-button", onclick: () => showInFullSource(key) }, "Show in full source") : null);
}

async function showInFullSource(key) {
  const fact = facts.get(key);
  $("back-to-fact").hidden = false;
  $("back-to-fact").setAttribute("href", `#${key}`);
  $("back-to-fact").textContent = `Back to “${opening(fact.title)}”`;
  await showSource(fact.quotes[0].source, { scroll: true });
  $("source-text").focus({ preventScroll: true });
}

/** Selects a fact: marks its card, announces it and highlights its quotes in their source. */
export async function selectFact(key, { scroll = true } = {}) {
  const fact = facts.get(key);
  if (!fact) return false;
  const again = selected === key;
  selected = key;
  const card = document.getElementById(fact.id);
  document.querySelectorAll(".selected").forEach((node) => node !== card && node.classList.remove("selected"));
  card?.classList.add("selected");
  if (isNarrow() && card && !card.querySelector(".inline-quote")) {
    document.querySelectorAll(".inline-quote").forEach((node) => node.remove());
    card.append(inlineQuotes(key, fact));
  }
  const source = fact.quotes[0]?.source;
  const count = fact.quotes.filter((q) => q.source === source).length;
  if (scroll || !again) {
    $("selection").textContent = source
      ? `Selected: ${sentence(fact.title)} ${count} quote${count === 1 ? "" : "s"} highlighted in “${sourceTitle(source)}”.`
      : `Selected: ${sentence(fact.title)}`;
  }
  if (!isNarrow()) $("back-to-fact").hidden = true;
  await showSource(source ?? shown, { scroll: scroll && !isNarrow() });
  return true;
}

/** After the record is reloaded: the selection stays, nothing scrolls. */
export function refreshSelection() {
  if (selected && facts.has(selected)) return selectFact(selected, { scroll: false });
  return shown ? showSource(shown) : null;
}

export function clearSelection() {
  if (!selected) return;
  selected = null;
  document.querySelectorAll(".selected").forEach((node) => node.classList.remove("selected"));
  document.querySelectorAll(".inline-quote").forEach((node) => node.remove());
  $("back-to-fact").hidden = true;
  $("selection").textContent = "Selection cleared. Select any fact to highlight its quote.";
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  if (shown) showSource(shown);
}

/** Goes to what a `#type/slug` key names: a fact (selected, in view, focused) or a source. */
export async function navigate(key) {
  if (key.startsWith("source/")) {
    const slug = key.slice("source/".length);
    if (!(await showSource(slug))) return false;
    $("source-heading").scrollIntoView({ block: "start", behavior: scrollBehavior() });
    $("source-text").focus({ preventScroll: true });
    return true;
  }
  if (!(await selectFact(key))) return false;
  const target = document.getElementById(facts.get(key).id);
  target?.scrollIntoView({ block: "start" });
  target?.focus({ preventScroll: true });
  return true;
}

export function keyOfHash(hash = location.hash) {
  return decodeURIComponent(hash.replace(/^#/, ""));
}

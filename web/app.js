// The page: the agreement at a glance, built only on the public API (/api/v1).
// Facts are rendered with textContent (never innerHTML), except search snippets, which the API
// sends HTML-escaped with <mark> around matches.

const API = "/api/v1";
const AGREEMENT = "us-china-trade-framework";

const STATUS_LABELS = {
  pending: "Pending",
  in_progress: "In progress",
  partially_fulfilled: "Partially fulfilled",
  fulfilled: "Fulfilled",
  stalled: "Stalled",
  withdrawn: "Withdrawn",
  expected: "Expected, not yet made",
  in_effect: "In effect, not fulfilled",
  implementation_contested: "Implementation contested",
};
const SPECIFICITY_LABELS = {
  specified: "Specified",
  partially_specified: "Partly specified",
  unspecified: "Unspecified",
};
const KIND_LABELS = {
  analysis: "Analysis",
  open_question: "Open question",
  risk: "Risk",
  market_reaction: "Market reaction",
  outlook: "Outlook",
  reception: "Reception",
};

const GAP_LABELS = {
  not_detailed: "Not detailed",
  not_specified: "Not specified",
  not_defined: "Not defined",
  not_disclosed: "Not disclosed",
};
const ORDER_NOTES = {
  stated: null,
  inferred: "Placed here by the record, not by the source",
  unordered: "The source does not say when this came: listed last",
};

const state = { sources: new Map(), facts: new Map(), parties: new Map() };

const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

async function fetchJson(path) {
  const response = await fetch(API + path, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      detail = (await response.json()).detail || detail;
    } catch {
      // not a problem document; keep the status line
    }
    throw new Error(detail);
  }
  return response.json();
}

/** Every item of a collection, following `next_cursor` from page to page. */
async function fetchAll(path) {
  const items = [];
  let cursor = null;
  do {
    const separator = path.includes("?") ? "&" : "?";
    const page = await fetchJson(cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

function dateText(date) {
  return date ? date.text : "date not given";
}

function badge(kind, value, label) {
  return element("span", { class: `badge ${kind}-${value}` }, label);
}

/** Who reports a fact, and, for an inferred one, why the record reads it so. */
function attribution(fact) {
  const reporter = fact.reported_by;
  const who = reporter.kind === "source" ? "The report's own words" : `Reported by ${reporter.name}`;
  return element("p", { class: "attribution" }, who,
    fact.basis === "inferred" ? element("span", { class: "inferred" }, ` · Inferred by the record: ${fact.basis_reason}`) : null);
}

/** A temporary measure's terms, saying plainly what the source does not give. */
function temporaryTerms(terms) {
  if (!terms) return null;
  const when = (date) => (date.known ? date.date.text : "unknown");
  return element("p", { class: "temporary" },
    `Temporary: ${terms.duration.amount} ${terms.duration.unit}s (“${terms.duration.text}”) · starts ${when(terms.start)} · expires ${when(terms.expiry)}`,
    terms.coverage ? ` · covers “${terms.coverage}”` : "");
}

/** Registers a fact so that selecting it, or a deep link to it, highlights its quotes. */
function factCard(type, slug, provenance, ...children) {
  const id = `${type}-${slug}`;
  state.facts.set(`${type}/${slug}`, { id, provenance });
  const show = element("button", { type: "button", class: "quote-button", "aria-controls": "source-text",
    onclick: () => selectFact(type, slug, true) }, "Show in source");
  return element("article", { id, class: "card fact", tabindex: "-1" }, ...children, show);
}

function renderAgreement(agreement, agreements) {
  $("agreement-title").textContent = agreement.title;
  $("agreement-summary").textContent = agreement.summary;
  const titleOf = (slug) => agreements.find((a) => a.slug === slug)?.title ?? slug;
  const facts = $("agreement-facts");
  const specifics = agreement.specifics_disclosed === null ? badge("spec", "unknown", "Specifics: the source does not say")
    : agreement.specifics_disclosed ? badge("spec", "specified", "Specifics disclosed")
      : badge("spec", "unspecified", "Specifics not disclosed");
  facts.replaceChildren(
    element("p", {}, badge("agreement", agreement.status, `Status: ${agreement.status}`), " ", specifics),
    attribution(agreement),
    element("p", {}, "Builds on: ", agreement.builds_on.length
      ? agreement.builds_on.map((slug) => titleOf(slug)).join(", ") : "nothing earlier in the record"),
    element("p", {}, "Aims: ", agreement.objectives.map((o) => o.text).join("; ")),
  );
  state.facts.set(`agreement/${agreement.slug}`, { id: "agreement-facts", provenance: agreement.provenance });
  facts.append(element("button", { type: "button", class: "quote-button",
    onclick: () => selectFact("agreement", agreement.slug, true) }, "Show in source"));
}

function renderParties(parties) {
  for (const party of parties) state.parties.set(party.code, party);
  $("parties").replaceChildren(...parties.map((party) => factCard("party", party.code, party.provenance,
    element("h3", {}, `${party.name} (${party.code})`),
    element("ul", { class: "people" },
      party.representatives.map((person) => element("li", {},
        element("strong", {}, person.name), person.title ? `, ${person.title}` : ""))),
    party.institutions.length
      ? element("p", { class: "note" }, "Institutions: ", party.institutions.map((i) => i.name).join(", "))
      : null)));
}

function renderTimeline(entries) {
  $("timeline").replaceChildren(...entries.map((entry) => {
    const type = entry.kind === "round" ? "round" : "milestone";
    state.facts.set(`${type}/${entry.slug}`, { id: `${type}-${entry.slug}`, provenance: entry.provenance });
    return element("li", { id: `${type}-${entry.slug}`, class: `timeline-entry ${type}`, tabindex: "-1" },
      element("p", { class: "when" }, dateText(entry.date)),
      element("h3", {}, entry.title),
      element("p", { class: "note" }, type === "round" ? "Negotiation round" : `Milestone: ${entry.milestone_kind}`),
      ORDER_NOTES[entry.order_basis]
        ? element("p", { class: `order order-${entry.order_basis}` }, ORDER_NOTES[entry.order_basis],
          entry.order_reason ? `: ${entry.order_reason}` : ".")
        : null,
      element("button", { type: "button", class: "quote-button",
        onclick: () => selectFact(type, entry.slug, true) }, "Show in source"));
  }));
}

function renderCommitments(commitments) {
  const byParty = new Map();
  for (const commitment of commitments) {
    if (!byParty.has(commitment.obligor)) byParty.set(commitment.obligor, []);
    byParty.get(commitment.obligor).push(commitment);
  }
  const groups = [...byParty.entries()].sort(([a], [b]) => a.localeCompare(b));
  $("commitments").replaceChildren(...groups.map(([code, items]) => element("section", { class: "party-group" },
    element("h3", {}, `${state.parties.get(code)?.name ?? code} undertakes`),
    element("div", { class: "cards two" }, items.map((c) => factCard("commitment", c.slug, c.provenance,
      element("p", { class: "badges" }, badge("status", c.status, STATUS_LABELS[c.status] ?? c.status), " ",
        badge("spec", c.specificity, SPECIFICITY_LABELS[c.specificity] ?? c.specificity)),
      element("h4", {}, c.description),
      attribution(c),
      c.scope ? element("p", { class: "scope" }, `Covers “${c.scope}”`,
        c.scope_specified === false ? " — which exactly, the source says, was not specified" : "") : null,
      temporaryTerms(c.temporary),
      element("p", { class: "note" }, `Toward ${state.parties.get(c.counterparty)?.name ?? c.counterparty} · ${c.category.replaceAll("_", " ")} · under ${c.agreement}`),
      c.reciprocates
        ? element("p", {}, "In return for: ", element("a", { href: `#commitment/${c.reciprocates}` },
          commitments.find((other) => other.slug === c.reciprocates)?.description ?? c.reciprocates))
        : null))))));
}

function renderObservations(observations) {
  $("observations").replaceChildren(...observations.map((o) => factCard("observation", o.slug, o.provenance,
    element("p", { class: "badges" }, badge("kind", o.kind, KIND_LABELS[o.kind] ?? o.kind)),
    element("p", {}, o.summary),
    attribution(o),
    o.sectors.length ? element("p", { class: "note" }, "Sectors: ", o.sectors.join(", ")) : null)));
}

function renderExpectedEffects(effects) {
  $("expected-effects").replaceChildren(...effects.map((e) => factCard("expected_effect", e.slug, e.provenance,
    element("p", {}, e.description),
    element("ul", {}, e.areas.map((area) => element("li", {}, area))),
    attribution(e))));
}

function renderGaps(gaps) {
  $("gaps").replaceChildren(...gaps.map((g) => factCard("gap", g.slug, g.provenance,
    element("p", { class: "badges" }, badge("gap", g.kind, GAP_LABELS[g.kind] ?? g.kind)),
    element("h3", {}, `“${g.topic}”`),
    element("p", {}, g.description),
    attribution(g))));
}

function renderSectors(sectors) {
  $("sectors").replaceChildren(...sectors.map((sector) => factCard("sector", sector.slug, sector.provenance,
    element("h3", {}, sector.name),
    element("p", { class: "note" }, sector.kind.replaceAll("_", " ")),
    element("ul", {}, sector.mentioned_by.map((m) => element("li", {},
      element("a", { href: `#${m.type}/${m.slug}` }, `${m.type.replaceAll("_", " ")}: ${m.slug}`)))))));
}

function renderSource(source, text) {
  state.sources.set(source.slug, Array.from(text));
  const known = (item, what) => (item.known ? `${what} ${item.value}` : `${what} unknown`);
  const { publisher, url, published_on: published } = source.metadata;
  $("source-meta").textContent = `${source.title} (${source.kind.replaceAll("_", " ")}; ${known(publisher, "publisher")}; ${known(url, "URL")}; ${known(published, "published")}; SHA-256 ${source.sha256.slice(0, 12)}…)`;
  $("source-text").textContent = text;
}

/** Highlights a fact's quotes in the source text; offsets count Unicode scalar values. */
function selectFact(type, slug, focusSource) {
  const fact = state.facts.get(`${type}/${slug}`);
  if (!fact) return false;
  document.querySelectorAll(".selected").forEach((node) => node.classList.remove("selected"));
  document.getElementById(fact.id)?.classList.add("selected");
  const quote = fact.provenance[0];
  const characters = quote && state.sources.get(quote.source);
  const panel = $("source-text");
  if (!characters) return true;
  const spans = fact.provenance.filter((q) => q.source === quote.source)
    .map((q) => [q.start, q.end]).sort((a, b) => a[0] - b[0]);
  const parts = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    parts.push(characters.slice(at, start).join(""));
    parts.push(element("mark", {}, characters.slice(start, end).join("")));
    at = end;
  }
  parts.push(characters.slice(at).join(""));
  panel.replaceChildren(...parts);
  $("selection").textContent = `Highlighted: ${spans.length} quote${spans.length === 1 ? "" : "s"} supporting this ${type}.`;
  const first = panel.querySelector("mark");
  first?.scrollIntoView({ block: "center", behavior: "smooth" });
  if (focusSource) history.replaceState(null, "", `#${type}/${slug}`);
  return true;
}

function followDeepLink() {
  const [type, slug] = decodeURIComponent(location.hash.slice(1)).split("/");
  if (!type || !slug) return;
  if (selectFact(type, slug, false)) {
    const target = document.getElementById(state.facts.get(`${type}/${slug}`).id);
    target?.scrollIntoView({ block: "start" });
    target?.focus({ preventScroll: true });
  }
}

async function search(event) {
  event.preventDefault();
  const query = $("search-query").value.trim();
  const results = $("search-results");
  results.hidden = false;
  if (!query) return;
  results.replaceChildren(element("p", {}, "Searching…"));
  try {
    const page = await fetchJson(`/search?q=${encodeURIComponent(query)}&limit=10`);
    if (!page.data.length) {
      results.replaceChildren(element("p", {}, `Nothing found for ${query}.`));
      return;
    }
    results.replaceChildren(element("h2", {}, `Results for ${query}`), element("ol", {}, page.data.map((hit) => {
      const snippet = element("p", { class: "snippet" });
      snippet.innerHTML = hit.snippet; // HTML-escaped by the API, matches in <mark>
      const type = hit.type === "source" ? null : hit.type;
      const link = type ? element("a", { href: `#${type}/${hit.slug}` }, hit.title)
        : element("a", { href: "#source-heading" }, hit.title);
      return element("li", {}, element("span", { class: "badge" }, hit.type), " ", link, snippet);
    })));
  } catch (error) {
    results.replaceChildren(element("p", { class: "error" }, `The search failed: ${error.message}`));
  }
}

/// Loads the record and renders every part of the page.
async function load() {
  const [record, agreements, timeline, commitments, sectors] = await Promise.all([
    fetchJson(`/agreements/${AGREEMENT}?include=parties,rounds,observations,sources,expected_effects,gaps`),
    fetchJson("/agreements"),
    fetchAll(`/agreements/${AGREEMENT}/timeline?limit=100`),
    fetchAll("/commitments?limit=100"),
    fetchAll("/sectors?limit=100"),
  ]);
  const source = record.included.sources[0];
  const text = await (await fetch(`${API}/sources/${source.slug}/text`)).text();
  renderSource(source, text);
  renderAgreement(record, agreements.data);
  renderParties(record.included.parties);
  renderTimeline(timeline);
  renderCommitments(commitments);
  renderObservations(record.included.observations);
  renderExpectedEffects(record.included.expected_effects);
  renderGaps(record.included.gaps);
  renderSectors(sectors);
}

/// Follows the change feed: when a curator changes the record, the page reloads its data and
/// says what changed. The browser's EventSource reconnects by itself with Last-Event-ID, and the
/// stream resumes after it, so no change is missed.
async function followChanges() {
  const latest = await fetchJson("/changes?sort=-revision&limit=1");
  const since = latest.data[0]?.revision ?? 1;
  const changes = new EventSource(`${API}/changes/stream?since=${since}`);
  let reloading = Promise.resolve();
  changes.addEventListener("change", (event) => {
    const change = JSON.parse(event.data);
    reloading = reloading.then(async () => {
      try {
        await load();
        $("live").textContent = `Updated just now: ${change.description} (revision ${change.revision}).`;
        followDeepLink();
      } catch (error) {
        $("live").textContent = `The record changed but could not be reloaded: ${error.message}.`;
      }
    });
  });
}

async function main() {
  $("search").addEventListener("submit", search);
  window.addEventListener("hashchange", followDeepLink);
  try {
    await load();
    $("status").textContent = "";
    $("status").hidden = true;
    document.body.classList.add("ready");
    followDeepLink();
    await followChanges();
  } catch (error) {
    $("status").textContent = `The record could not be loaded: ${error.message}. Reload to try again.`;
    $("status").classList.add("error");
  }
}

main();

// One card per fact: what it says, who reports it, and (for a commitment) its current status
// with the note, date and quotes that support it, and its history on demand.

import { delegate, element, fetchJson, opening, when } from "./dom.js";
import { label } from "./labels.js";
import { citeButton } from "./cite.js";
import { facts, selectFact, sourceTitle } from "./sources.js";

export function badge(kind, value, text) {
  return element("span", { class: `badge ${kind}-${value}` }, text);
}

/** A commitment's quotes are those of its current status: what shows where it stands now. */
export function currentEvidence(commitment) {
  const current = commitment.status_history.at(-1);
  return current?.provenance.length ? current.provenance : commitment.provenance;
}

/** The button that selects a fact; its name starts with its quote, so that no two sound alike. */
export function showButton(key) {
  return element("button", { type: "button", class: "quote-button", "aria-controls": "source-text",
    "aria-label": facts.get(key)?.name ?? "Show in source", "data-fact": key }, "Show in source");
}

export function factCard(key, ...children) {
  return element("article", { id: facts.get(key).id, class: "card fact", tabindex: "-1" }, ...children, showButton(key),
    " ", citeButton(key));
}

/** Who reports a fact, and, for an inferred one, why the record reads it so. */
export function attribution(fact) {
  const reporter = fact.reported_by;
  const who = reporter.kind === "source" ? "The report's own words" : `Reported by ${reporter.name}`;
  return element("p", { class: "attribution" }, who,
    fact.basis === "inferred" ? element("span", { class: "inferred" }, ` · Inferred by the record: ${fact.basis_reason}`) : null);
}

/** A temporary measure's terms, saying plainly what the source does not give. */
function temporaryTerms(terms) {
  if (!terms) return null;
  const known = (date) => (date.known ? date.date.text : "unknown");
  return element("p", { class: "temporary" },
    `Temporary: ${terms.duration.amount} ${terms.duration.unit}s (“${terms.duration.text}”) · starts ${known(terms.start)} · expires ${known(terms.expiry)}`,
    terms.coverage ? ` · covers “${terms.coverage}”` : "");
}

/** Quotes under the title of the source they come from, each source named once. */
export function quoteList(quotes) {
  const bySource = Map.groupBy(quotes, (q) => q.source);
  return element("div", { class: "quotes" }, [...bySource].flatMap(([source, items]) => [
    element("p", { class: "cite" }, `From “${sourceTitle(source)}”:`),
    element("ul", {}, items.map((q) => element("li", {}, element("q", {}, q.quote))))]));
}

/** Where a commitment stands, in the words of its latest status change and its evidence. */
function evidence(commitment) {
  const current = commitment.status_history.at(-1);
  if (!current) return null;
  const since = current.date ? `since “${current.date.text}”` : "the source gives no date";
  return element("div", { class: "evidence" },
    element("p", { class: "current" }, element("strong", {}, `Now: ${label("status", current.status)}`),
      ` · ${since} · recorded ${when(current.recorded_at)}`),
    current.note ? element("p", { class: "curator-note" }, `Curator's note: ${current.note}`) : null,
    quoteList(current.provenance));
}

/** The commitment's history as the record holds it; the API's fuller history when opened. */
function historyDetails(commitment) {
  const count = commitment.status_history.length;
  const list = element("ol", { class: "history-list" }, commitment.status_history.map((entry) => element("li", {},
    `${when(entry.recorded_at)}: ${label("status", entry.status)}`, entry.note ? ` — ${entry.note}` : "")));
  return element("details", { class: "history", "data-history": commitment.slug },
    element("summary", {}, `History: ${count} status ${count === 1 ? "entry" : "entries"}`), list);
}

/** Reads a commitment's history from the API the first time the reader opens it. */
async function loadHistory(details) {
  if (!details.open || details.dataset.loaded) return;
  details.dataset.loaded = "true";
  try {
    const page = await fetchJson(`/commitments/${details.dataset.history}/history?limit=20`);
    details.querySelector(".history-list").replaceChildren(...page.data.map((entry) => {
      const before = entry.before?.status;
      const after = entry.after?.status;
      const latest = entry.after?.status_history?.at(-1);
      const note = latest?.revision === entry.revision ? latest.note : null;
      return element("li", {}, element("strong", {}, when(entry.recorded_at)), " · ",
        before && before !== after ? `${label("status", before)} → ${label("status", after)}`
          : before ? `Still ${label("status", after)}` : `First recorded as ${label("status", after)}`,
        note ? ` — “${note}”` : "", ` (by ${entry.actor})`);
    }));
  } catch {
    delete details.dataset.loaded; // the list from the record itself stays; opening it again retries
  }
}

/** What the cards' controls do, for the server's cards and the script's alike. */
export function setupCards() {
  delegate("click", ".quote-button[data-fact]", (button) => {
    history.replaceState(null, "", `#${button.dataset.fact}`);
    selectFact(button.dataset.fact);
  });
  delegate("toggle", "details.history[data-history]", loadHistory);
}

export function commitmentCard(c, context) {
  const key = `commitment/${c.slug}`;
  return factCard(key,
    element("p", { class: "badges" }, badge("status", c.status, label("status", c.status)), " ",
      badge("spec", c.specificity, label("specificity", c.specificity))),
    element("h4", {}, c.description),
    attribution(c),
    c.scope ? element("p", { class: "scope" }, `Covers “${c.scope}”`,
      c.scope_specified === false ? " — which exactly, the source says, was not specified" : "") : null,
    temporaryTerms(c.temporary),
    element("p", { class: "note" }, `Toward ${context.partyName(c.counterparty)} · ${label("category", c.category)} · under the ${context.agreementTitle(c.agreement)}`),
    c.reciprocates
      ? element("p", {}, "In return for: ", element("a", { href: `#commitment/${c.reciprocates}` },
        context.commitment(c.reciprocates)?.description ?? "another commitment"))
      : null,
    evidence(c),
    historyDetails(c));
}

export function partyCard(party) {
  return factCard(`party/${party.code}`,
    element("h3", {}, `${party.name} (${party.code})`),
    element("ul", { class: "people" }, party.representatives.map((person) => element("li", {},
      element("strong", {}, person.name), person.title ? `, ${person.title}` : ""))),
    party.institutions.length
      ? element("p", { class: "note" }, "Institutions: ", party.institutions.map((i) => i.name).join(", "))
      : null);
}

const ORDER_NOTES = {
  stated: null,
  inferred: "Placed here by the record, not by the source",
  unordered: "The source does not say when this came: listed last",
};

export function timelineEntry(entry, context) {
  const type = entry.kind === "round" ? "round" : "milestone";
  const key = `${type}/${entry.slug}`;
  const title = context.agreementTitle(entry.agreement);
  // Another agreement's milestone leads to that agreement's page.
  const what = type === "round" ? ["Negotiation round"]
    : [`${label("milestone", entry.milestone_kind)} · `,
      entry.agreement === context.agreement ? title : element("a", { href: `/agreements/${entry.agreement}` }, title)];
  return element("li", { id: facts.get(key).id, class: `timeline-entry ${type}`, tabindex: "-1" },
    element("p", { class: "when" }, entry.date ? entry.date.text : "date not given"),
    element("h3", {}, entry.title),
    element("p", { class: "note" }, ...what),
    ORDER_NOTES[entry.order_basis]
      ? element("p", { class: `order order-${entry.order_basis}` }, ORDER_NOTES[entry.order_basis],
        entry.order_reason ? `: ${entry.order_reason}` : ".")
      : null,
    showButton(key), " ", citeButton(key));
}

export function observationCard(o, context) {
  return factCard(`observation/${o.slug}`,
    element("p", { class: "badges" }, badge("kind", o.kind, label("observation", o.kind))),
    element("p", {}, o.summary),
    attribution(o),
    o.sectors.length ? element("p", { class: "note" }, "Sectors: ", o.sectors.map((s) => context.sectorName(s)).join(", ")) : null);
}

export function expectedEffectCard(e) {
  return factCard(`expected_effect/${e.slug}`,
    element("p", {}, e.description),
    element("ul", {}, e.areas.map((area) => element("li", {}, area))),
    attribution(e));
}

export function gapCard(g) {
  return factCard(`gap/${g.slug}`,
    element("p", { class: "badges" }, badge("gap", g.kind, label("gap", g.kind))),
    element("h3", {}, `“${g.topic}”`),
    element("p", {}, g.description),
    attribution(g));
}

export function sectorCard(sector) {
  return factCard(`sector/${sector.slug}`,
    element("h3", {}, sector.name),
    element("p", { class: "note" }, label("sector_kind", sector.kind)),
    element("ul", {}, sector.mentioned_by.map((m) => {
      const key = `${m.type}/${m.slug}`;
      return element("li", {}, element("a", { href: `#${key}` },
        `${label("type", m.type)}: ${opening(facts.get(key)?.title ?? "not on this page", 12)}`));
    })));
}

/** An agreement this one builds on, as a card of its own leading to its own page. */
export function agreementCard(agreement) {
  return factCard(`agreement/${agreement.slug}`,
    element("p", { class: "badges" }, badge("agreement", agreement.status, label("agreement_status", agreement.status))),
    element("h3", {}, element("a", { href: `/agreements/${agreement.slug}` }, agreement.title)),
    element("p", {}, agreement.summary),
    attribution(agreement));
}

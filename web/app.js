// The page of one agreement (its slug in <meta name="agreement">): the agreement at a glance, built only on the public API (/api/v1). The server's
// first paint (src/page/) draws the same nodes; the first render keeps every one that is what it
// would draw (dom.js `keyed` and `fill`) and only registers the facts. Facts are rendered with
// textContent (never innerHTML), except search snippets, which the API sends HTML-escaped with
// <mark> around matches.

import { $, AGREEMENT, element, fetchAll, fetchJson, fill, keyed } from "./dom.js";
import { label } from "./labels.js";
import { clearSelection, facts, keyOfHash, navigate, refreshSelection, registerFact, setSources, setupSources }
  from "./sources.js";
import { agreementCard, attribution, badge, commitmentCard, currentEvidence, expectedEffectCard, gapCard,
  observationCard, partyCard, sectorCard, setupCards, showButton, timelineEntry } from "./cards.js";
import { citeButton, setupCite } from "./cite.js";
import { renderGlance, setupGlance } from "./glance.js";
import { followChanges } from "./live.js";
import { setupSearch } from "./search.js";

async function fetchRecord() {
  const [record, agreements, timeline, commitments, sectors, sources] = await Promise.all([
    fetchJson(`/agreements/${AGREEMENT}?include=parties,rounds,observations,sources,expected_effects,gaps`),
    fetchJson("/agreements"),
    fetchAll(`/agreements/${AGREEMENT}/timeline?limit=100`),
    fetchAll("/commitments?limit=100"),
    fetchAll("/sectors?limit=100"),
    fetchAll("/sources?limit=100"),
  ]);
  return { record, agreements: agreements.data, timeline, commitments, sectors, sources };
}

/** Every fact the page shows, under the key its links and search results use (`type/slug`). */
function register(data) {
  const { record, agreements, timeline, commitments, sectors } = data;
  const fact = (type, slug, title, quotes, extra = {}) =>
    registerFact(`${type}/${slug}`, { id: extra.id ?? `${type}-${slug}`, title, quotes, ...extra });
  fact("agreement", record.slug, record.title, record.provenance, { id: "agreement-facts" });
  for (const a of agreements) if (a.slug !== record.slug) fact("agreement", a.slug, a.title, a.provenance);
  for (const p of record.included.parties) fact("party", p.code, p.name, p.provenance);
  for (const e of timeline) fact(e.kind === "round" ? "round" : "milestone", e.slug, e.title, e.provenance);
  for (const c of commitments) fact("commitment", c.slug, c.description, currentEvidence(c), { status: c.status });
  for (const o of record.included.observations) fact("observation", o.slug, o.summary, o.provenance);
  for (const e of record.included.expected_effects) fact("expected_effect", e.slug, e.description, e.provenance);
  for (const g of record.included.gaps) fact("gap", g.slug, g.description, g.provenance);
  for (const s of sectors) fact("sector", s.slug, s.name, s.provenance);
}

function contextOf(data) {
  const parties = new Map(data.record.included.parties.map((p) => [p.code, p]));
  const agreements = new Map(data.agreements.map((a) => [a.slug, a]));
  const commitments = new Map(data.commitments.map((c) => [c.slug, c]));
  const sectors = new Map(data.sectors.map((s) => [s.slug, s]));
  return {
    agreement: data.record.slug,
    partyName: (code) => parties.get(code)?.name ?? code,
    agreementTitle: (slug) => agreements.get(slug)?.title ?? "an agreement not in the record",
    commitment: (slug) => commitments.get(slug),
    sectorName: (slug) => sectors.get(slug)?.name ?? slug,
  };
}

let renderedAgreement = null;

function renderAgreement(agreement, context) {
  const json = JSON.stringify(agreement);
  if (json === renderedAgreement) return;
  renderedAgreement = json;
  fill($("agreement-title"), agreement.title);
  fill($("agreement-summary"), agreement.summary);
  const specifics = agreement.specifics_disclosed === null ? badge("spec", "unknown", "Specifics: the source does not say")
    : agreement.specifics_disclosed ? badge("spec", "specified", "Specifics disclosed")
      : badge("spec", "unspecified", "Specifics not disclosed");
  fill($("agreement-facts"),
    element("p", {}, badge("agreement", agreement.status, `Status: ${label("agreement_status", agreement.status)}`), " ", specifics),
    attribution(agreement),
    element("p", {}, "Builds on: ", agreement.builds_on.length
      ? agreement.builds_on.map((slug) => context.agreementTitle(slug)).join(", ") : "nothing earlier in the record"),
    element("p", {}, "Aims: ", agreement.objectives.map((o) => o.text).join("; ")),
    showButton(`agreement/${agreement.slug}`), " ", citeButton(`agreement/${agreement.slug}`));
}

/** The sources the agreement cites: its own, then any that a fact's quotes come from. */
function citedSources(data) {
  const cited = new Set(data.record.included.sources.map((s) => s.slug));
  for (const fact of facts.values()) for (const q of fact.quotes) cited.add(q.source);
  const order = [...cited];
  return data.sources.filter((s) => cited.has(s.slug)).sort((a, b) => order.indexOf(a.slug) - order.indexOf(b.slug));
}

function render(data) {
  register(data);
  setSources(citedSources(data));
  const context = contextOf(data);
  const { record, commitments } = data;
  const ours = commitments.filter((c) => c.agreement === record.slug);
  // The commitments of the agreements this one builds on, kept apart from its own.
  const earlier = commitments.filter((c) => record.builds_on.includes(c.agreement));
  const bySlug = (item) => item.slug;
  renderAgreement(record, context);
  renderGlance(ours, record.included.gaps, data.sectors, context);
  keyed($("parties"), record.included.parties, (p) => p.code, partyCard);
  keyed($("timeline"), data.timeline, (e) => `${e.kind}/${e.slug}`, (e) => timelineEntry(e, context));
  const groups = [...new Set(ours.map((c) => c.obligor))].sort();
  // A group's cards are keyed apart: a group is the same when its heading is.
  const sameHeading = (drawn, built) => drawn.firstElementChild.isEqualNode(built.firstElementChild);
  keyed($("commitments"), groups, (code) => code, (code) => element("section", { class: "party-group" },
    element("h3", {}, `${context.partyName(code)} undertakes`), element("div", { class: "cards" })), sameHeading);
  for (const group of $("commitments").children) {
    keyed(group.querySelector(".cards"), ours.filter((c) => c.obligor === group.dataset.key), bySlug,
      (c) => commitmentCard(c, context));
  }
  const builtOn = data.agreements.filter((a) => record.builds_on.includes(a.slug));
  keyed($("earlier-agreements"), builtOn, bySlug, agreementCard);
  keyed($("earlier-commitments"), earlier, bySlug, (c) => commitmentCard(c, context));
  keyed($("expected-effects"), record.included.expected_effects, bySlug, expectedEffectCard);
  keyed($("gaps"), record.included.gaps, bySlug, gapCard);
  keyed($("observations"), record.included.observations, bySlug, (o) => observationCard(o, context));
  keyed($("sectors"), data.sectors, bySlug, sectorCard);
}

/** Reloads the record after a change, keeping the reader's focus where it was. */
async function reload() {
  const data = await fetchRecord();
  const active = document.activeElement;
  const holder = active?.closest("[data-key]");
  const holderId = holder?.id;
  render(data);
  if (active && !document.contains(active) && holderId) {
    const replacement = document.getElementById(holderId);
    (replacement?.querySelector(".quote-button") ?? replacement)?.focus({ preventScroll: true });
  }
  await refreshSelection();
}

/** Links to a fact go through `navigate`, so that following the same link twice works too. */
function followFactLinks(event) {
  const link = event.target.closest?.("a[href^='#']");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const key = keyOfHash(link.getAttribute("href"));
  if (!key.includes("/")) return; // an anchor within the page, such as #main
  event.preventDefault();
  if (location.hash !== `#${key}`) history.pushState(null, "", `#${key}`);
  navigate(key);
}

async function main() {
  setupSearch();
  setupGlance();
  setupCards();
  setupCite();
  setupSources();
  document.addEventListener("click", followFactLinks);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") clearSelection();
  });
  window.addEventListener("hashchange", () => navigate(keyOfHash()));
  try {
    render(await fetchRecord());
    $("status").textContent = "";
    $("status").hidden = true;
    if (location.hash.includes("/")) await navigate(keyOfHash());
    else await refreshSelection();
    document.body.classList.add("ready");
    await followChanges(reload);
  } catch (error) {
    $("status").hidden = false;
    $("status").textContent = `The record could not be loaded: ${error.message}. Reload to try again.`;
    $("status").classList.add("error");
    document.body.classList.add("failed");
  }
}

main();

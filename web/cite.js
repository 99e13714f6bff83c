// Share and cite: each fact's permalink (`/agreements/{slug}#type/slug`) and a citation that names the fact, its
// quote, its source, the record's revision and where to read the fact as it stood then.

import { API, delegate, element, opening } from "./dom.js";
import { facts, sourceTitle } from "./sources.js";

/** The API collection of each kind of fact that can be read as it stood at a time (`as_of`). */
const AS_OF = { agreement: "agreements", commitment: "commitments", round: "rounds" };

/** The change the page last showed: the revision a citation names. */
let latest = null;

export function setLatest(change) {
  latest = change ?? latest;
}

export function citation(key) {
  const fact = facts.get(key);
  const [type, slug] = key.split("/");
  const quote = fact.quotes[0];
  const permalink = `${location.origin}${location.pathname}#${key}`;
  const revision = latest ? `, revision ${latest.revision} (${latest.recorded_at})` : "";
  const data = AS_OF[type] && latest
    ? ` Data: ${location.origin}${API}/${AS_OF[type]}/${slug}?as_of=${encodeURIComponent(latest.recorded_at)}`
    : "";
  const said = quote ? ` “${quote.quote}” (${sourceTitle(quote.source)}).` : "";
  return `${fact.title}${said} U.S.–China trade framework record${revision}. ${permalink}${data}`;
}

/** The card's "Cite" button: copies the citation and shows it, for readers without a clipboard. */
export function citeButton(key) {
  const name = facts.get(key)?.name?.replace(/^Show in source: /, "") ?? opening(key);
  return element("button", { type: "button", class: "cite-button", "aria-label": `Cite: ${name}`, "data-fact": key },
    "Cite");
}

/** Copies a fact's citation and shows it under its card. */
async function cite(button) {
  const card = button.parentElement;
  const text = citation(button.dataset.fact);
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    // no clipboard here (an insecure origin, a denied permission): the text below still shows
  }
  card.querySelector(".citation")?.remove();
  card.append(element("p", { class: "citation", role: "status" },
    copied ? "Citation copied: " : "Citation: ", element("span", { class: "citation-text" }, text)));
}

export function setupCite() {
  delegate("click", ".cite-button[data-fact]", cite);
}

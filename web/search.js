// Search: every result leads to its card (or its source in the panel), a second click on the
// same result goes there again, and a failed search says so in plain words.

import { $, element, fetchJson } from "./dom.js";
import { label } from "./labels.js";
import { facts } from "./sources.js";

const PLAIN_FAILURE = "That search could not be run. Try plain words, a \"quoted phrase\" or a prefix*.";

/** What the reader is told when a search fails: never the engine's or the server's own text. */
function failure(error) {
  const reason = error.status === 400 ? error.problem?.invalid_params?.[0]?.reason : null;
  return reason && /^must /.test(reason) ? `The search words ${reason}.` : PLAIN_FAILURE;
}

/**
 * A result on this page is a link within it; any other goes through the index, which opens the
 * page of the agreement that holds it.
 */
function resultLink(key) {
  return facts.has(key) || key.startsWith("source/") ? `#${key}` : `/#${key}`;
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
      results.replaceChildren(element("p", {}, `Nothing found for ${query}. Try fewer or other words.`));
      return;
    }
    results.replaceChildren(element("h2", {}, `Results for ${query}`), element("ol", {}, page.data.map((hit) => {
      const snippet = element("p", { class: "snippet" });
      snippet.innerHTML = hit.snippet; // HTML-escaped by the API, matches in <mark>
      return element("li", {}, element("span", { class: "badge" }, label("type", hit.type)), " ",
        element("a", { href: resultLink(`${hit.type}/${hit.slug}`) }, hit.title), snippet);
    })));
  } catch (error) {
    results.replaceChildren(element("p", { class: "error" }, failure(error)));
  }
}

export function setupSearch() {
  $("search").addEventListener("submit", search);
}

// Calm live updates: the change feed reloads the record, only changed cards are rebuilt (dom.js's
// `keyed`), the reader's scroll position and focus stay, and a polite notice in plain words
// links to the change.

import { $, API, element, fetchJson, opening, when } from "./dom.js";
import { setLatest } from "./cite.js";
import { label } from "./labels.js";
import { facts } from "./sources.js";

export function stamp(change) {
  if (!change) return;
  setLatest(change);
  $("updated").textContent = `Last updated ${when(change.recorded_at)} (revision ${change.revision}).`;
}

function notify(change) {
  const key = change.resource_type && change.slug ? `${change.resource_type}/${change.slug}` : null;
  const fact = key ? facts.get(key) : null;
  const card = fact ? document.getElementById(fact.id) : null;
  const what = fact
    ? `${label("type", change.resource_type)} ${label("action", change.action)}: “${opening(fact.title, 14)}”${fact.status ? ` Now: ${label("status", fact.status)}.` : ""}`
    : "The record was updated.";
  if (card) {
    card.classList.add("changed");
    card.prepend(element("p", { class: "changed-note" }, `Changed ${when(change.recorded_at)}`));
  }
  $("live").replaceChildren(element("p", {}, `Just now: ${what} `,
    card ? element("a", { href: `#${key}` }, "See the change") : null, " ",
    element("button", { type: "button", class: "dismiss", onclick: () => $("live").replaceChildren() }, "Dismiss")));
}

/**
 * Runs `update` and then scrolls by whatever moved the part of the page the reader reads (the
 * element with an id at the middle of the view). The browser's own scroll anchoring does most of
 * this, but it anchors on its own choice of element, so a change between that element and the
 * reader's would still move the reader.
 */
async function keepingThePlace(update) {
  const reading = document.elementFromPoint(window.innerWidth / 4, window.innerHeight / 2)?.closest("[id]");
  const id = reading?.id;
  const top = reading?.getBoundingClientRect().top;
  await update();
  const now = id ? document.getElementById(id) : null;
  if (now) window.scrollBy({ top: now.getBoundingClientRect().top - top, behavior: "instant" });
}

/**
 * Follows the change feed. The browser's EventSource reconnects by itself with Last-Event-ID
 * and the stream resumes after it, so no change is missed; changes are applied one at a time.
 */
export async function followChanges(reload) {
  const latest = await fetchJson("/changes?sort=-revision&limit=1");
  stamp(latest.data[0]);
  const since = latest.data[0]?.revision ?? 1;
  const changes = new EventSource(`${API}/changes/stream?since=${since}`);
  let applying = Promise.resolve();
  changes.addEventListener("change", (event) => {
    const change = JSON.parse(event.data);
    applying = applying.then(async () => {
      try {
        await keepingThePlace(async () => {
          await reload();
          stamp(change);
          notify(change);
        });
      } catch {
        $("live").replaceChildren(element("p", {}, "The record changed, but this page could not load the change. Reload the page to see it."));
      }
    });
  });
}

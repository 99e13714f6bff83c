// Status at a glance: per party, what it undertook under this framework and where each
// undertaking stands, filterable by party, status and sector, with the framework's gaps beside.

import { $, element, fill, keyed, opening } from "./dom.js";
import { label } from "./labels.js";

const filters = { party: "", status: "", sector: "" };

/** Refills a filter's choices only when they changed, so that a reader's open list stays. */
function options(select, all, values) {
  const json = JSON.stringify(values);
  if (select.dataset.values === json) return;
  select.dataset.values = json;
  const current = select.value;
  fill(select, element("option", { value: "" }, all), values.map(([value, text]) => element("option", { value }, text)));
  select.value = values.some(([value]) => value === current) ? current : "";
}

function row(c, context) {
  const current = c.status_history.at(-1);
  const change = current?.note ?? (current?.sequence === 1 ? "As first recorded" : "Status changed");
  const date = current?.date ? `“${current.date.text}”` : "no date in the source";
  const what = c.action ? c.action.charAt(0).toUpperCase() + c.action.slice(1) : opening(c.description, 12);
  return element("tr", { "data-party": c.obligor, "data-status": c.status, "data-sectors": c.sectors.join(" ") },
    element("th", { scope: "row", "data-label": "Party" }, context.partyName(c.obligor)),
    element("td", { "data-label": "Commitment" }, element("a", { href: `#commitment/${c.slug}` }, what),
      element("span", { class: "note" }, ` · toward ${context.partyName(c.counterparty)}`)),
    element("td", { "data-label": "Status" }, label("status", c.status)),
    element("td", { "data-label": "Last change" }, `${change} · ${date}`),
    element("td", { "data-label": "Evidence" }, element("a", { href: `#commitment/${c.slug}`, class: "evidence-link",
      "aria-label": `The quote for: ${what}` }, "Quote")));
}

function apply() {
  let shown = 0;
  const rows = [...$("glance-rows").children];
  for (const tr of rows) {
    const visible = (!filters.party || tr.dataset.party === filters.party)
      && (!filters.status || tr.dataset.status === filters.status)
      && (!filters.sector || tr.dataset.sectors.split(" ").includes(filters.sector));
    tr.hidden = !visible;
    if (visible) shown += 1;
  }
  for (const li of $("glance-gaps").children) {
    li.hidden = Boolean(filters.sector) && !li.dataset.sectors.split(" ").includes(filters.sector);
  }
  $("glance-count").textContent = shown === rows.length ? `All ${rows.length} commitments shown.`
    : `${shown} of ${rows.length} commitments shown${shown ? "" : ": none matches these filters"}.`;
}

/** Fills the table; the filters keep what the reader chose across live updates. */
export function renderGlance(commitments, gaps, sectors, context) {
  const parties = [...new Set(commitments.map((c) => c.obligor))].sort();
  const statuses = [...new Set(commitments.map((c) => c.status))];
  options($("filter-party"), "All parties", parties.map((code) => [code, context.partyName(code)]));
  options($("filter-status"), "Any status", statuses.map((status) => [status, label("status", status)]));
  options($("filter-sector"), "Any sector", sectors.map((s) => [s.slug, s.name]));
  const sorted = [...commitments].sort((a, b) => a.obligor.localeCompare(b.obligor));
  keyed($("glance-rows"), sorted, (c) => c.slug, (c) => row(c, context));
  keyed($("glance-gaps"), gaps, (g) => g.slug, (g) => element("li", { "data-sectors": g.sectors.join(" ") },
    element("a", { href: `#gap/${g.slug}` }, g.description)));
  apply();
}

export function setupGlance() {
  for (const name of Object.keys(filters)) {
    $(`filter-${name}`).addEventListener("change", (event) => {
      filters[name] = event.target.value;
      apply();
    });
  }
}

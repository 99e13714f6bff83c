// The index's only script: links from before each agreement had its own page were `/#type/slug`.
// Such a link is moved to the page of the agreement that shows the fact, found through the API
// (as src/page/index.rs finds the agreement of a change); the index reads without it.

import { $, fetchAll, fetchJson } from "./dom.js";

/** The API collection of each kind of fact that belongs to one agreement. */
const COLLECTIONS = {
  commitment: "commitments", observation: "observations", gap: "gaps",
  expected_effect: "expected-effects", round: "rounds", sector: "sectors",
};

/** The agreement whose page shows the fact `type/slug`, or null when none does alone. */
async function ownerOf(type, slug, agreements) {
  if (type === "agreement") return agreements.some((a) => a.slug === slug) ? slug : null;
  if (type === "milestone") return agreements.find((a) => a.milestones.some((m) => m.slug === slug))?.slug ?? null;
  if (type === "party") return latest(agreements.filter((a) => a.parties.includes(slug)));
  const collection = COLLECTIONS[type];
  if (!collection) return null;
  const fact = await fetchJson(`/${collection}/${encodeURIComponent(slug)}`);
  if (type === "round") return fact.agreements[0]?.agreement ?? null;
  // A sector is shown beside what mentions it.
  if (type === "sector") return fact.mentioned_by[0] ? ownerOf(fact.mentioned_by[0].type, fact.mentioned_by[0].slug, agreements) : null;
  return fact.agreement ?? null;
}

/** The newest agreement of its line (none builds on it): where facts of no one agreement were shown before. */
function latest(agreements) {
  return (agreements.find((a) => a.built_upon_by.length === 0) ?? agreements[0])?.slug ?? null;
}

async function moveDeepLink() {
  const key = decodeURIComponent(location.hash.replace(/^#/, ""));
  const [type, slug] = key.split("/");
  // Ready: nothing to move (a link that moves is ready on the page it moves to).
  if (!slug) return document.body.classList.add("ready");
  try {
    const agreements = await fetchAll("/agreements?limit=100");
    const owner = await ownerOf(type, slug, agreements) ?? latest(agreements);
    if (owner) location.replace(`/agreements/${encodeURIComponent(owner)}#${key}`);
  } catch (error) {
    $("status").hidden = false;
    $("status").textContent = `That link's fact could not be found: ${error.message}. Each agreement below has its own page.`;
    document.body.classList.add("ready");
  }
}

moveDeepLink();
window.addEventListener("hashchange", moveDeepLink);

// What every part of the page shares: the API's address, DOM building without innerHTML, and
// fetching that turns problem documents into errors a reader can be shown.

export const API = "/api/v1";
/** The agreement the page is about: the server names it in the page, the CSP forbids inline scripts. */
export const AGREEMENT = document.querySelector("meta[name='agreement']")?.content ?? "";

export const $ = (id) => document.getElementById(id);

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** A failed request: its HTTP status and the problem document, when the API sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function fetchJson(path) {
  const response = await fetch(API + path, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // not a problem document; the status says enough
    }
    throw new ApiError(response.status, problem);
  }
  return response.json();
}

/** Every item of a collection, following `next_cursor` from page to page. */
export async function fetchAll(path) {
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

/** Smooth scrolling only for readers who have not asked for less motion. */
export function scrollBehavior() {
  return matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
}

/** Below 1000 px the sources panel sits after the record, so quotes are shown under their card. */
export function isNarrow() {
  return matchMedia("(max-width: 999px)").matches;
}

/** The first words of a text, for names that must stay short. */
export function opening(text, words = 7) {
  const all = text.trim().split(/\s+/);
  return all.length <= words ? all.join(" ") : `${all.slice(0, words).join(" ")}…`;
}

/** A timestamp as a reader says it, in UTC so that every reader sees the same words. */
export function when(timestamp) {
  return new Date(timestamp).toLocaleString("en-GB", {
    day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC",
  }) + " UTC";
}

/** What each rendered node was rendered from, so that an unchanged fact keeps its node. */
const renderedFrom = new WeakMap();

/**
 * Whether a node the server drew is the one the script would draw: then the script keeps it (its
 * buttons work through `delegate`), and nothing under the reader is rebuilt or moves.
 */
function drawnAlike(drawn, built) {
  built.normalize(); // the script appends texts piece by piece; the parser joins them
  return drawn.isEqualNode(built);
}

/**
 * Makes `container`'s children one node per item, rebuilding only those whose item changed; a
 * node from the server's first paint is kept when it is what `render` draws (`same` may compare
 * less, for a node whose children are keyed apart).
 */
export function keyed(container, items, keyOf, render, same = drawnAlike) {
  const old = new Map([...container.children].map((node) => [node.dataset.key, node]));
  const nodes = items.map((item) => {
    const key = keyOf(item);
    const json = JSON.stringify(item);
    const previous = old.get(key);
    if (previous && renderedFrom.get(previous) === json) return previous;
    const node = render(item);
    node.dataset.key = key;
    const kept = previous && !renderedFrom.has(previous) && same(previous, node) ? previous : node;
    renderedFrom.set(kept, json);
    return kept;
  });
  nodes.forEach((node, index) => {
    if (container.children[index] !== node) container.insertBefore(node, container.children[index] ?? null);
  });
  while (container.children.length > nodes.length) container.lastElementChild.remove();
}

/** Replaces `container`'s children with `children` unless they are what it holds already. */
export function fill(container, ...children) {
  const probe = container.cloneNode(false);
  probe.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  if (!drawnAlike(container, probe)) container.replaceChildren(...probe.childNodes);
}

/**
 * Behaviour for the buttons of a kind, wherever and whenever they are drawn (by the server or
 * the script): one listener on the document, found by `selector`.
 */
export function delegate(type, selector, handler) {
  document.addEventListener(type, (event) => {
    const target = event.target.closest?.(selector);
    if (target) handler(target, event);
  }, type === "toggle"); // a details' toggle does not bubble: caught on its way down
}

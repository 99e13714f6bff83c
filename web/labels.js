// Plain-language words for every code the API sends: a reader never sees `in_effect` or a slug.
// The words live in labels.json, which the server's first paint (src/page/) reads too.

import LABELS from "./labels.json" with { type: "json" };

/** The words for `code` in `vocabulary`; an unknown code still reads as words, not as a code. */
export function label(vocabulary, code) {
  const known = LABELS[vocabulary]?.[code];
  if (known) return known;
  const words = String(code).replaceAll(/[_-]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

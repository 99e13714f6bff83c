// The client under test: openapi-fetch typed by what openapi-typescript generated from the
// served document (generated/api.d.ts, written by ci/clients/run), plain: no token.

import createClient from "openapi-fetch";
import type { paths } from "./generated/api.js";

// Answers typed as their JSON body, errors as problem+json: a collection's 200 also lists CSV and
// NDJSON (strings), which downloads.ts reads with `parseAs`.
type Media = "application/json" | "application/problem+json";
export type Client = ReturnType<typeof createClient<paths, Media>>;

/** Every path of the generated types that has a GET. */
export type ReadPath = { [P in keyof paths]: paths[P] extends { get: object } ? P : never }[keyof paths];

export function plainClient(baseUrl: string): Client {
  return createClient<paths, Media>({ baseUrl });
}

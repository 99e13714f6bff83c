// One call per read operation, through openapi-fetch typed by the types openapi-typescript
// generated. The table's type lists every GET path of those types: tsc --strict rejects it when
// an operation has no call, and each call's answer is checked at compile time against its
// generated type (`page` and `item` infer the item type from it and name a field it must have).

import type { Client, ReadPath } from "./client.js";
import { firstStreamEvent } from "./downloads.js";

/** What a call answered, for the run-time checks (check-client.ts). `schema` overrides the
 * document's answer schema where the call parses the body itself (the event stream). */
export interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
  schema?: string;
}

interface Page<Item> {
  data: Item[];
  next_cursor?: string | null;
}

/** What openapi-fetch answers, with the body typed as the generated type of its 200. */
interface Result<Data> {
  data?: Data;
  error?: unknown;
  response: Response;
}

/** A page whose items each carry their key (`slug`, `code`, `revision`…). */
function page<Item>(answer: Result<Page<Item>>, key: keyof Item & string): Answer {
  const items = answer.data?.data ?? [];
  const keyless = items.filter((value) => value[key] === undefined || value[key] === null);
  if (keyless.length > 0) throw new Error(`${keyless.length} items without \`${key}\``);
  return answer;
}

/** One item, which is the one asked for. */
function item<Value>(answer: Result<Value>, key: keyof NonNullable<Value> & string, expected: string): Answer {
  const got = answer.data?.[key];
  if (answer.data !== undefined && String(got).toUpperCase() !== expected.toUpperCase()) {
    throw new Error(`asked for ${key} ${expected}, answered ${String(got)}`);
  }
  return answer;
}

/** The key of a collection's first item: the real path values every other read takes. */
function first<Item>(answer: Result<Page<Item>>, key: keyof Item & string): string {
  const value = answer.data?.data[0]?.[key];
  if (typeof value !== "string") throw new Error(`no first item with a \`${key}\`: ${answer.response.status}`);
  return value;
}

export async function seededValues(client: Client) {
  return {
    agreement: first(await client.GET("/api/v1/agreements"), "slug"),
    commitment: first(await client.GET("/api/v1/commitments"), "slug"),
    expectedEffect: first(await client.GET("/api/v1/expected-effects"), "slug"),
    gap: first(await client.GET("/api/v1/gaps"), "slug"),
    observation: first(await client.GET("/api/v1/observations"), "slug"),
    party: first(await client.GET("/api/v1/parties"), "code"),
    round: first(await client.GET("/api/v1/rounds"), "slug"),
    sector: first(await client.GET("/api/v1/sectors"), "slug"),
    source: first(await client.GET("/api/v1/sources"), "slug"),
  };
}

export function reads(
  client: Client,
  seed: Awaited<ReturnType<typeof seededValues>>,
): Record<ReadPath, () => Promise<Answer>> {
  const slug = (value: string) => ({ params: { path: { slug: value } } });
  return {
    "/api/v1/agreements": async () => page(await client.GET("/api/v1/agreements"), "slug"),
    "/api/v1/agreements/{slug}": async () =>
      item(await client.GET("/api/v1/agreements/{slug}", slug(seed.agreement)), "slug", seed.agreement),
    "/api/v1/agreements/{slug}/commitments": async () =>
      page(await client.GET("/api/v1/agreements/{slug}/commitments", slug(seed.agreement)), "slug"),
    "/api/v1/agreements/{slug}/export": async () => {
      const answer = await client.GET("/api/v1/agreements/{slug}/export", slug(seed.agreement));
      if (answer.data !== undefined) {
        item({ data: answer.data.agreement, response: answer.response }, "slug", seed.agreement);
      }
      return answer;
    },
    "/api/v1/agreements/{slug}/history": async () =>
      page(await client.GET("/api/v1/agreements/{slug}/history", slug(seed.agreement)), "revision"),
    "/api/v1/agreements/{slug}/observations": async () =>
      page(await client.GET("/api/v1/agreements/{slug}/observations", slug(seed.agreement)), "slug"),
    "/api/v1/agreements/{slug}/parties": async () =>
      page(await client.GET("/api/v1/agreements/{slug}/parties", slug(seed.agreement)), "code"),
    "/api/v1/agreements/{slug}/relations": async () =>
      page(await client.GET("/api/v1/agreements/{slug}/relations", slug(seed.agreement)), "position"),
    "/api/v1/agreements/{slug}/rounds": async () =>
      page(await client.GET("/api/v1/agreements/{slug}/rounds", slug(seed.agreement)), "slug"),
    "/api/v1/agreements/{slug}/timeline": async () =>
      page(await client.GET("/api/v1/agreements/{slug}/timeline", slug(seed.agreement)), "position"),
    "/api/v1/changes": async () => page(await client.GET("/api/v1/changes"), "revision"),
    "/api/v1/changes/stream": () => firstStreamEvent(client),
    "/api/v1/commitments": async () => page(await client.GET("/api/v1/commitments"), "slug"),
    "/api/v1/commitments/{slug}": async () =>
      item(await client.GET("/api/v1/commitments/{slug}", slug(seed.commitment)), "slug", seed.commitment),
    "/api/v1/commitments/{slug}/history": async () =>
      page(await client.GET("/api/v1/commitments/{slug}/history", slug(seed.commitment)), "revision"),
    "/api/v1/expected-effects": async () => page(await client.GET("/api/v1/expected-effects"), "slug"),
    "/api/v1/expected-effects/{slug}": async () =>
      item(await client.GET("/api/v1/expected-effects/{slug}", slug(seed.expectedEffect)), "slug", seed.expectedEffect),
    "/api/v1/gaps": async () => page(await client.GET("/api/v1/gaps"), "slug"),
    "/api/v1/gaps/{slug}": async () => item(await client.GET("/api/v1/gaps/{slug}", slug(seed.gap)), "slug", seed.gap),
    "/api/v1/observations": async () => page(await client.GET("/api/v1/observations"), "slug"),
    "/api/v1/observations/{slug}": async () =>
      item(await client.GET("/api/v1/observations/{slug}", slug(seed.observation)), "slug", seed.observation),
    "/api/v1/observations/{slug}/history": async () =>
      page(await client.GET("/api/v1/observations/{slug}/history", slug(seed.observation)), "revision"),
    "/api/v1/parties": async () => page(await client.GET("/api/v1/parties"), "code"),
    "/api/v1/parties/{code}": async () =>
      item(await client.GET("/api/v1/parties/{code}", { params: { path: { code: seed.party } } }), "code", seed.party),
    "/api/v1/parties/{code}/history": async () =>
      page(await client.GET("/api/v1/parties/{code}/history", { params: { path: { code: seed.party } } }), "revision"),
    "/api/v1/reporters": async () => page(await client.GET("/api/v1/reporters"), "slug"),
    "/api/v1/rounds": async () => page(await client.GET("/api/v1/rounds"), "slug"),
    "/api/v1/rounds/{slug}": async () =>
      item(await client.GET("/api/v1/rounds/{slug}", slug(seed.round)), "slug", seed.round),
    "/api/v1/rounds/{slug}/history": async () =>
      page(await client.GET("/api/v1/rounds/{slug}/history", slug(seed.round)), "revision"),
    "/api/v1/search": async () =>
      page(await client.GET("/api/v1/search", { params: { query: { q: "rare earth" } } }), "slug"),
    "/api/v1/sectors": async () => page(await client.GET("/api/v1/sectors"), "slug"),
    "/api/v1/sectors/{slug}": async () =>
      item(await client.GET("/api/v1/sectors/{slug}", slug(seed.sector)), "slug", seed.sector),
    "/api/v1/sources": async () => page(await client.GET("/api/v1/sources"), "slug"),
    "/api/v1/sources/{slug}": async () =>
      item(await client.GET("/api/v1/sources/{slug}", slug(seed.source)), "slug", seed.source),
    "/api/v1/sources/{slug}/history": async () =>
      page(await client.GET("/api/v1/sources/{slug}/history", slug(seed.source)), "revision"),
    "/api/v1/sources/{slug}/text": async () =>
      client.GET("/api/v1/sources/{slug}/text", { ...slug(seed.source), parseAs: "text" }),
    "/healthz": async () => client.GET("/healthz"),
    "/readyz": async () => client.GET("/readyz"),
  };
}

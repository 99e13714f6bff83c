// What a client does beyond single calls, through openapi-fetch: follow a collection to its end
// by cursor, download it as CSV and as Parquet, read the live stream's first event.

import assert from "node:assert/strict";
import type { Client } from "./client.js";
import type { Answer } from "./reads.js";

// Observations: the largest seeded collection, so that a small limit makes several pages.
const PAGE_LIMIT = 2;
// The stream's first event (the seed, revision 1) is sent at once; these bound the wait for it.
const STREAM_READ_MILLISECONDS = 10_000;
const STREAM_MAX_BYTES = 64 * 1024;

async function countedObservations(client: Client): Promise<number> {
  const { data, response } = await client.GET("/api/v1/observations", { params: { query: { limit: 1, count: true } } });
  assert.equal(response.status, 200);
  assert.equal(typeof data?.total, "number", "count=true gave no total");
  return data?.total ?? 0;
}

async function walkedObservations(client: Client, total: number): Promise<string[]> {
  const slugs: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages <= total / PAGE_LIMIT; pages++) {
    const { data, response } = await client.GET("/api/v1/observations", {
      params: { query: { limit: PAGE_LIMIT, cursor } },
    });
    assert.equal(response.status, 200);
    assert.ok(data !== undefined);
    slugs.push(...data.data.map((observation) => observation.slug));
    assert.notEqual(data.next_cursor, undefined, "a page without `next_cursor`");
    if (data.next_cursor === null || data.next_cursor === undefined) return slugs;
    cursor = data.next_cursor;
  }
  throw new Error(`still a next page after ${Math.floor(total / PAGE_LIMIT) + 1} pages of ${PAGE_LIMIT}`);
}

export async function checkCursorWalk(client: Client): Promise<string> {
  const total = await countedObservations(client);
  const slugs = await walkedObservations(client, total);
  assert.equal(slugs.length, total, "items walked vs count=true");
  assert.equal(new Set(slugs).size, slugs.length, `an item came twice: ${slugs.join(", ")}`);
  return `${total} observations by cursor, ${PAGE_LIMIT} a page, each once`;
}

/** CSV records (RFC 4180: a line break inside quotes is part of a field), the header excluded. */
function csvRecords(text: string): number {
  let records = 0;
  let quoted = false;
  for (const character of text) {
    if (character === '"') quoted = !quoted;
    else if (character === "\n" && !quoted) records++;
  }
  const unterminated = text.length > 0 && !text.endsWith("\n") ? 1 : 0;
  return records + unterminated - 1;
}

export async function checkCsvExport(client: Client): Promise<string> {
  const { data, response } = await client.GET("/api/v1/observations", {
    params: { query: { format: "csv", csv_raw: true } },
    parseAs: "text",
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/csv/);
  const total = await countedObservations(client);
  assert.equal(csvRecords(data ?? ""), total, "CSV records vs count=true");
  return `${total} CSV records`;
}

export async function checkParquetExport(client: Client): Promise<string> {
  const { data, response } = await client.GET("/api/v1/observations", {
    params: { query: { format: "parquet" } },
    parseAs: "arrayBuffer",
  });
  assert.equal(response.status, 200, `answered ${response.status}`);
  assert.match(response.headers.get("content-type") ?? "", /^application\/vnd\.apache\.parquet/);
  const bytes = Buffer.from(data ?? new ArrayBuffer(0));
  const magic = Buffer.from("PAR1");
  assert.ok(
    bytes.length > 8 && bytes.subarray(0, 4).equals(magic) && bytes.subarray(-4).equals(magic),
    "PAR1 at both ends",
  );
  return `${bytes.length} bytes of Parquet`;
}

/** Reads the live stream from revision 0 up to its first event, the seed's; its data is checked
 * as a ChangeEntry by the caller. The body never ends, so the read is bounded in time and bytes. */
export async function firstStreamEvent(client: Client): Promise<Answer> {
  const { data, response } = await client.GET("/api/v1/changes/stream", {
    params: { query: { since: 0 } },
    parseAs: "stream",
    signal: AbortSignal.timeout(STREAM_READ_MILLISECONDS),
  });
  assert.equal(response.status, 200, `answered ${response.status}`);
  assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
  assert.ok(data);
  const reader = data.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n\n")) {
    const { value, done } = await reader.read();
    assert.ok(!done, "the stream ended before its first event");
    text += value;
    assert.ok(text.length <= STREAM_MAX_BYTES, `no complete event in ${STREAM_MAX_BYTES} characters`);
  }
  await reader.cancel();
  const fields = new Map(
    text
      .slice(0, text.indexOf("\n\n"))
      .split("\n")
      .map((line) => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, "")] as const;
      }),
  );
  assert.equal(fields.get("event"), "change");
  const event: unknown = JSON.parse(fields.get("data") ?? "null");
  assert.equal(fields.get("id"), "1", "the first event is revision 1, the seed");
  return { data: event, response, schema: "ChangeEntry" };
}

export const checks: [string, (client: Client) => Promise<string>][] = [
  ["cursor walk (observations)", checkCursorWalk],
  ["CSV export", checkCsvExport],
  ["Parquet export", checkParquetExport],
];

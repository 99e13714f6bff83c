// Every read operation of the served OpenAPI document, called through openapi-fetch typed by
// openapi-typescript, against a running server (reads.ts); then a cursor walk, CSV and Parquet
// exports and the live stream's first event (downloads.ts). Each answer is a 200 whose body has
// what its schema requires (shape.ts). Usage: node build/check-client.js BASE_URL OPENAPI_JSON

import { readFileSync } from "node:fs";
import { plainClient } from "./client.js";
import { checks } from "./downloads.js";
import { reads, seededValues, type Answer } from "./reads.js";
import { answerSchema, missingFields, readPaths, type Document } from "./shape.js";

function checkAnswer(document: Document, path: string, answer: Answer): string {
  const { data, error, response } = answer;
  if (response.status !== 200 || error !== undefined) {
    throw new Error(`answered ${response.status}: ${JSON.stringify(error)?.slice(0, 300)}`);
  }
  const schema = answer.schema ?? answerSchema(document, path);
  if (schema === null) {
    if (typeof data !== "string" || data.length === 0) throw new Error(`expected text, got ${typeof data}`);
    return `text, ${data.length} characters`;
  }
  const missing = missingFields(document, schema, data);
  if (missing.length > 0) throw new Error(`${schema} lacks required ${missing.slice(0, 10).join(", ")}`);
  return schema;
}

async function main(): Promise<number> {
  const [baseUrl, documentPath] = process.argv.slice(2);
  if (baseUrl === undefined || documentPath === undefined)
    throw new Error("usage: check-client.js BASE_URL OPENAPI_JSON");
  const document = JSON.parse(readFileSync(documentPath, "utf8")) as Document;
  const client = plainClient(baseUrl);
  let passed = 0;
  let failed = 0;
  const report = async (name: string, check: () => Promise<string>) => {
    try {
      console.log(`ok    ${name}: ${await check()}`);
      passed++;
    } catch (error) {
      // The first line: node's assert adds a diff of the values after it.
      const message = error instanceof Error ? error.message : String(error);
      console.log(`FAIL  ${name}: ${message.split("\n")[0]}`);
      failed++;
    }
  };

  const calls: Partial<Record<string, () => Promise<Answer>>> = reads(client, await seededValues(client));
  const documented = readPaths(document);
  for (const path of documented) {
    await report(`GET ${path}`, async () => {
      const call = calls[path];
      if (call === undefined) throw new Error("no call for this operation in reads.ts");
      return checkAnswer(document, path, await call());
    });
  }
  for (const path of Object.keys(calls).filter((path) => !documented.includes(path))) {
    await report(`GET ${path}`, () => Promise.reject(new Error("called, but not in the served document")));
  }
  for (const [name, check] of checks) {
    await report(name, () => check(client));
  }
  console.log(`typescript client: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();

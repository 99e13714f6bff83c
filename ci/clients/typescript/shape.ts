// The essential shape of an answer, checked at run time against the served OpenAPI document:
// the fields its schema requires are there, on the answer and on the items it lists. The types
// openapi-typescript generated check the same at compile time; this checks that the server
// keeps to them.

interface Schema {
  $ref?: string;
  type?: string | string[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** The paths that have a GET operation, in the document's order. */
export function readPaths(document: Document): string[] {
  return Object.keys(document.paths).filter((path) => document.paths[path]?.get !== undefined);
}

/** The schema name of a GET's 200 JSON body, or null when that body is not JSON. */
export function answerSchema(document: Document, path: string): string | null {
  const ref = document.paths[path]?.get?.responses["200"]?.content?.["application/json"]?.schema?.$ref;
  return ref === undefined ? null : schemaName(ref);
}

function schemaName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A schema's required fields and properties, its `allOf` parts (flattened structs) included. */
function objectParts(document: Document, schema: Schema): { required: string[]; properties: Record<string, Schema> } {
  const parts = [schema, ...(schema.allOf ?? []).map((part) => resolve(document, part))];
  return {
    required: parts.flatMap((part) => part.required ?? []),
    properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})),
  };
}

function resolve(document: Document, schema: Schema): Schema {
  return schema.$ref === undefined ? schema : (document.components.schemas[schemaName(schema.$ref)] ?? {});
}

/** The named schema a property holds: itself, or the one member of a nullable `oneOf`. */
function referenced(property: Schema): string | undefined {
  const ref =
    property.$ref ?? [...(property.oneOf ?? []), ...(property.anyOf ?? [])].find((member) => member.$ref)?.$ref;
  return ref === undefined ? undefined : schemaName(ref);
}

/** Required fields missing from `value`, which should be a `name`, and from the objects its
 * fields hold or list (to `depth` levels: enough for a page and its items). */
export function missingFields(document: Document, name: string, value: unknown, where = "", depth = 2): string[] {
  const schema = document.components.schemas[name];
  if (schema === undefined) return [`${where}: no schema ${name} in the document`];
  const { required, properties } = objectParts(document, schema);
  // A referenced enum or scalar: the generated union type covers it.
  if (required.length === 0 && Object.keys(properties).length === 0) return [];
  if (!isObject(value)) return [`${where}: not an object (${JSON.stringify(value)?.slice(0, 100)})`];
  const missing = required.filter((field) => !(field in value)).map((field) => `${where}.${field}`);
  if (depth === 0) return missing;
  for (const [field, property] of Object.entries(properties)) {
    const nested = value[field];
    const held = referenced(property);
    if (held !== undefined && nested !== null && nested !== undefined) {
      missing.push(...missingFields(document, held, nested, `${where}.${field}`, depth - 1));
    }
    const listed = property.items === undefined ? undefined : referenced(property.items);
    if (listed !== undefined && Array.isArray(nested)) {
      nested.forEach((item, index) => {
        missing.push(...missingFields(document, listed, item, `${where}.${field}[${index}]`, depth - 1));
      });
    }
  }
  return missing;
}

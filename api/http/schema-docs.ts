// The JSON Schema the OpenAPI document states for a zod schema whose rule zod's converter cannot
// spell (a refinement): money's currency list and the amount's decimals, sign and size, or text
// measured in characters. The zod schema stays the one that validates; this is what it means.
import type { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** A JSON Schema, or how to complete the one zod generated (e.g. with a cross-field rule). */
export type SchemaDoc = JsonSchema | ((generated: JsonSchema) => JsonSchema);

export interface DocumentedSchema {
  /** What the server accepts. */
  input: SchemaDoc;
  /** What the server sends; the input's when absent. */
  output?: SchemaDoc;
}

const documented = new WeakMap<object, DocumentedSchema>();

/** Registers what `schema` means in the document; returns `schema` unchanged. */
export function documentAs<S extends z.ZodType>(schema: S, docs: DocumentedSchema): S {
  documented.set(schema, docs);
  return schema;
}

interface ZodInternals {
  _zod: { parent?: object };
}

/** The registered meaning of `schema` or of a schema it was cloned from (`.describe()`, `.meta()`). */
function documentedOf(schema: object): DocumentedSchema | undefined {
  for (let s: object | undefined = schema; s; s = (s as ZodInternals)._zod.parent) {
    const docs = documented.get(s);
    if (docs) return docs;
  }
  return undefined;
}

/** A z.toJSONSchema `override` that swaps in the registered meaning, keeping description and default. */
export function documentedOverride(
  io: 'input' | 'output',
): (ctx: { zodSchema: object; jsonSchema: JsonSchema }) => void {
  return ({ zodSchema, jsonSchema }) => {
    const docs = documentedOf(zodSchema);
    if (!docs) return;
    const doc = io === 'output' ? (docs.output ?? docs.input) : docs.input;
    const generated = structuredClone(jsonSchema);
    const kept = Object.fromEntries(
      ['description', 'default', 'title']
        .filter((key) => generated[key] !== undefined)
        .map((key) => [key, generated[key]]),
    );
    const replacement =
      typeof doc === 'function' ? doc(generated) : { ...structuredClone(doc), ...kept };
    for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
    Object.assign(jsonSchema, replacement);
  };
}

/**
 * YAML → plain JSON values as Helm reads them (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1
 * scalars (`yes`/`no`/`on`/`off` are booleans), merge keys, timestamps kept as text, only the
 * first document, map keys turned into strings and every number a JS number.
 */

import { parseAllDocuments } from 'yaml';
import { setOwn } from '../../lib/own-props.js';

/** Parses YAML text into a JSON-compatible value; throws an Error with the YAML problem. */
export function yamlToJson(text: string): unknown {
  const docs = parseAllDocuments(text, {
    version: '1.1',
    schema: 'yaml-1.1',
    merge: true,
    uniqueKeys: false,
    customTags: (tags) =>
      tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  const first = Array.isArray(docs) ? docs[0] : undefined;
  if (first !== undefined && first.errors.length > 0) {
    const err = first.errors[0]!;
    const line = err.linePos?.[0]?.line;
    const msg = err.message.split('\n')[0];
    throw new Error(line === undefined ? msg : `line ${line}: ${msg}`);
  }
  const doc: unknown = first === undefined ? null : first.toJS({ maxAliasCount: 1000 });
  return plain(doc);
}

function plain(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) {
    const m: Record<string, unknown> = {};
    for (const [k, x] of v) setOwn(m, String(k), plain(x));
    return m;
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (typeof v === 'object') {
    const m: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setOwn(m, k, plain(x));
    return m;
  }
  return v;
}

/** Helm's values loading: a map, `{}` for an empty file; anything else is an error. */
export function parseValues(text: string, where: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = yamlToJson(text);
  } catch (e) {
    throw new Error(`cannot load ${where}: ${(e as Error).message}; fix the YAML syntax`, { cause: e });
  }
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new Error(
      `cannot load ${where}: the top level must be a map of values, not ${Array.isArray(v) ? 'a list' : typeof v}`,
    );
  }
  return v as Record<string, unknown>;
}

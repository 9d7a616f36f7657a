/**
 * Test support: locating testdata and repository assets from both `src/` (tsx) and `dist/src/`
 * (compiled tests), and loading the Sveltos CRDs. Used by tests only.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, ResourceType } from '../contracts.js';
import { loadBuiltinSchemas } from '../schema/index.js';
import { crdResourceTypes } from './crd-resource-types.js';

const here = new URL('.', import.meta.url);

function firstExisting(candidates: URL[], what: string): URL {
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`test support: ${what} not found near ${here.pathname}`);
}

/** The validation testdata folder (src/apiserver/validation/testdata/). */
export function testdataDir(): URL {
  return firstExisting(
    [new URL('./testdata/', here), new URL('../../../../src/apiserver/validation/testdata/', here)],
    'testdata/',
  );
}

/** Parses a multi-document YAML text into objects (empty documents dropped). */
export function parseYamlDocs(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS({ maxAliasCount: -1 }))
    .filter((d) => d !== null && d !== undefined);
}

/** The 29 Sveltos CRDs from assets/sveltos/crds.yaml. */
export function sveltosCRDs(): KubeObject[] {
  const url = firstExisting(
    [
      new URL('../../../assets/sveltos/crds.yaml', here),
      new URL('../../../../assets/sveltos/crds.yaml', here),
    ],
    'assets/sveltos/crds.yaml',
  );
  return parseYamlDocs(readFileSync(url, 'utf8')) as KubeObject[];
}

/** Every served Sveltos resource type, keyed `group/version/Kind`. */
export function sveltosTypes(): Map<string, ResourceType> {
  const out = new Map<string, ResourceType>();
  for (const crd of sveltosCRDs()) {
    for (const rt of crdResourceTypes(crd)) out.set(`${rt.group}/${rt.version}/${rt.kind}`, rt);
  }
  return out;
}

export function readTestdata(name: string): string {
  return readFileSync(new URL(name, testdataDir()), 'utf8');
}

export function listTestdata(dir: string): string[] {
  return readdirSync(new URL(dir, testdataDir())).sort();
}

/** A built-in ResourceType with the swagger schema (for tests of built-in kinds). */
export function builtinType(group: string, version: string, kind: string, namespaced = true): ResourceType {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    categories: [],
    verbs: [],
    subresources: {},
    schema: loadBuiltinSchemas().forKind(group, version, kind),
    storageVersion: version,
    builtin: true,
  };
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../contracts.js';
import { validator } from './index.js';
import { builtinType, listTestdata, parseYamlDocs, readTestdata, sveltosTypes } from './test-support.js';

const types = sveltosTypes();
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'Node',
  'PersistentVolume',
]);

/** Built-in kinds with a swagger schema; other non-Sveltos kinds (Flux, Kyverno, ...) are skipped. */
function builtinFor(doc: KubeObject) {
  const av = String(doc.apiVersion);
  const [group, version] = av.includes('/') ? av.split('/') : ['', av];
  const rt = builtinType(group, version, String(doc.kind), !CLUSTER_SCOPED.has(String(doc.kind)));
  return rt.schema ? rt : undefined;
}

/** Problems of one example file: unknown kinds, pruned fields, validation errors. */
function problems(file: string): string[] {
  const out: string[] = [];
  for (const doc of parseYamlDocs(readTestdata(`examples/${file}`)) as KubeObject[]) {
    if (typeof doc?.apiVersion !== 'string' || !doc.kind) continue;
    if (!doc.apiVersion.includes('projectsveltos.io')) {
      const brt = builtinFor(doc);
      if (!brt) continue;
      const obj = structuredClone(doc);
      for (const p of validator.defaultAndPrune(brt, obj)) out.push(`unknown field ${p}`);
      for (const e of validator.validate(brt, obj, undefined)) out.push(`${e.field}: ${e.message}`);
      continue;
    }
    const [group, version] = String(doc.apiVersion).split('/');
    const rt = types.get(`${group}/${version}/${doc.kind}`);
    if (!rt) {
      out.push(`no CRD serves ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    const obj = structuredClone(doc);
    for (const p of validator.defaultAndPrune(rt, obj)) out.push(`unknown field ${p}`);
    for (const e of validator.validate(rt, obj, undefined)) out.push(`${e.field}: ${e.message}`);
  }
  return out;
}

const exceptions = JSON.parse(readTestdata('example-exceptions.json')) as Record<string, string>;
const files = listTestdata('examples/').filter((f) => f.endsWith('.yaml'));

test('the documentation examples are all present (Sveltos and built-in documents)', () => {
  let sveltos = 0;
  let builtin = 0;
  for (const f of files) {
    for (const doc of parseYamlDocs(readTestdata(`examples/${f}`)) as KubeObject[]) {
      if (typeof doc?.apiVersion !== 'string' || !doc.kind) continue;
      if (doc.apiVersion.includes('projectsveltos.io')) sveltos++;
      else if (builtinFor(doc)) builtin++;
    }
  }
  assert.ok(files.length >= 300, `only ${files.length} example files`);
  assert.ok(sveltos >= 250, `only ${sveltos} Sveltos documents`);
  assert.ok(builtin >= 140, `only ${builtin} built-in documents`);
});

test('every Sveltos and built-in example passes defaultAndPrune + validate unless listed as an exception', () => {
  const failing: string[] = [];
  for (const f of files) {
    if (f in exceptions) continue;
    const p = problems(f);
    if (p.length) failing.push(`${f}: ${p.join('; ')}`);
  }
  assert.deepEqual(failing, []);
});

test('every listed exception still fails (the list stays honest)', () => {
  const passing = Object.keys(exceptions).filter((f) => problems(f).length === 0);
  assert.deepEqual(passing, []);
});

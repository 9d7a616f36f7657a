import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../src/apiserver/contracts.js';
import {
  builtinType,
  parseYamlDocs,
  readTestdata,
  listTestdata,
  testdataDir,
} from '../../src/apiserver/validation/test-support.js';
import { type Harness, startHarness } from './apiserver-helpers.js';

// Every Sveltos documentation example that is valid YAML and uses only built-in and Sveltos kinds
// must be accepted by the real `kubectl apply --dry-run=server`; the exceptions (placeholders,
// mis-indented docs, removed fields) are listed with their reasons in example-exceptions.json.

let h: Harness;
before(async () => {
  h = await startHarness(['examples']);
});
after(async () => {
  await h.close();
});

function asset(rel: string): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const p = resolve(dir, 'assets', rel);
    if (existsSync(p)) return p;
  }
  throw new Error(`asset ${rel} not found above ${import.meta.dirname}`);
}

/**
 * Files whose objects the server accepts (see examples.test.ts) but which kubectl itself refuses
 * before sending anything, because a document in them is not a Kubernetes object.
 */
const KUBECTL_EXCEPTIONS: Record<string, string> = {
  'deployment_order__depends_on_with_health_checks__03.yaml':
    'the second document is a spec fragment (validateHealths:) without apiVersion and kind',
  'events__examples__dynamic_nginx_dep_based_ns_annotation__01.yaml':
    'the first document is the shell line `cat > eventsource.yaml <<EOF` left from the docs',
  'template__examples__bring_your_own_controller__01.yaml': 'the docs omit apiVersion on the ClusterProfile',
};

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'Node',
  'PersistentVolume',
]);

function isBuiltin(doc: KubeObject): boolean {
  const av = String(doc.apiVersion);
  const [group, version] = av.includes('/') ? av.split('/') : ['', av];
  return (
    builtinType(group, version, String(doc.kind), !CLUSTER_SCOPED.has(String(doc.kind))).schema !== undefined
  );
}

/** The example files this test covers, with the namespaces their objects need. */
function covered(): { file: string; namespaces: Set<string> }[] {
  const exceptions = JSON.parse(readTestdata('example-exceptions.json')) as Record<string, string>;
  const out: { file: string; namespaces: Set<string> }[] = [];
  for (const file of listTestdata('examples/').filter((f) => f.endsWith('.yaml'))) {
    if (exceptions[file]) continue;
    let docs: KubeObject[];
    try {
      docs = (parseYamlDocs(readTestdata(`examples/${file}`)) as KubeObject[]).filter(
        (d) => d && typeof d === 'object',
      );
    } catch {
      continue; // not valid YAML: out of scope by definition
    }
    const kinds = docs.filter((d) => typeof d.apiVersion === 'string' && d.kind);
    if (kinds.length === 0) continue;
    const onlyKnown = kinds.every((d) => String(d.apiVersion).includes('projectsveltos.io') || isBuiltin(d));
    if (!onlyKnown) continue;
    const namespaces = new Set<string>();
    for (const d of kinds) if (d.metadata?.namespace) namespaces.add(d.metadata.namespace);
    out.push({ file, namespaces });
  }
  return out;
}

test('kubectl apply --dry-run=server accepts every covered Sveltos documentation example', async () => {
  const crds = await h.kubectl(['apply', '-f', asset('sveltos/crds.yaml')]);
  assert.equal(crds.code, 0, crds.stderr);
  const wait = await h.kubectl(['wait', '--for', 'condition=established', '--timeout=30s', 'crd', '--all']);
  assert.equal(wait.code, 0, wait.stderr);
  const files = covered();
  assert.ok(files.length >= 200, `only ${files.length} example files covered`);
  const namespaces = new Set(files.flatMap((f) => [...f.namespaces]));
  for (const ns of namespaces) {
    const r = await h.kubectl(['create', 'namespace', ns]);
    assert.ok(r.code === 0 || r.stderr.includes('AlreadyExists'), r.stderr);
  }
  const dir = testdataDir();
  const failures: string[] = [];
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const path = join(new URL(dir).pathname, 'examples', f.file);
      const r = await h.kubectl(['apply', '--dry-run=server', '-f', path]);
      const expectFail = KUBECTL_EXCEPTIONS[f.file] !== undefined;
      if ((r.code !== 0) !== expectFail) {
        failures.push(
          `${f.file}: ${expectFail ? 'listed as refused by kubectl but accepted' : r.stderr.trim()}`,
        );
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  assert.deepEqual(failures, []);
  // Dry run changed nothing.
  const left = await h.kubectl(['get', 'clusterprofiles', '-o', 'name']);
  assert.equal(left.stdout.trim(), '');
});

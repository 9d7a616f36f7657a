import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import { swaggerPatchSchemas } from '../patch/index.js';
import { type FileTree, KustomizeError, kustomizeBuild } from './index.js';

// Expected outputs were recorded with `kubectl kustomize` (kustomize v5.5.0) on these trees.
const root = new URL('../../../test/fixtures/kustomize/', import.meta.url);
const fixtures = existsSync(root) ? root : new URL('../../../../test/fixtures/kustomize/', import.meta.url);
const swaggerUrl = new URL('../../../assets/kubernetes/swagger-v1.35.json.gz', fixtures);
const schemas = swaggerPatchSchemas(JSON.parse(gunzipSync(readFileSync(swaggerUrl)).toString('utf8')));

function loadTree(dir: string): Map<string, Uint8Array> {
  const tree = new Map<string, Uint8Array>();
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (!e.startsWith('expected')) tree.set(relative(dir, p), new Uint8Array(readFileSync(p)));
    }
  };
  walk(dir);
  return tree;
}

function expected(file: string): unknown[] {
  return parseAllDocuments(readFileSync(new URL(file, fixtures), 'utf8')).map((d) => d.toJS());
}

const cases: { name: string; tree: string; path?: string; components?: string[]; expect: string }[] = [
  {
    name: 'generators (hash names), prefix, namespace, labels, annotations, images, replicas, name references',
    tree: 'basic',
    expect: 'basic/expected.yaml',
  },
  {
    name: 'overlay: bases, merge generator, SMP/JSON6902 patches with targets, labels, suffix',
    tree: 'overlays',
    path: 'overlays/production',
    expect: 'overlays/overlays/production/expected.yaml',
  },
  {
    name: 'labels with selectors (CronJob, StatefulSet claims), $patch: delete, global disableNameSuffixHash, images with registries, CRs',
    tree: 'misc',
    expect: 'misc/expected.yaml',
  },
  {
    name: 'components listed in the kustomization',
    tree: 'components',
    path: 'overlays/full',
    expect: 'components/expected-full.yaml',
  },
  {
    name: 'components given by the caller (Sveltos kustomizationRefs.components)',
    tree: 'components',
    path: './overlays/community/',
    components: ['../../components/external_db', '../../components/recaptcha'],
    expect: 'components/expected-full.yaml',
  },
];

for (const c of cases) {
  test(`kustomize build: ${c.name}`, () => {
    const tree = loadTree(new URL(c.tree, fixtures).pathname);
    const got = kustomizeBuild(tree, {
      schemas,
      ...(c.path ? { path: c.path } : {}),
      ...(c.components ? { components: c.components } : {}),
    });
    assert.deepEqual(got, expected(c.expect));
  });
}

const enc = new TextEncoder();
const treeOf = (files: Record<string, string>): FileTree =>
  new Map(Object.entries(files).map(([k, v]) => [k, enc.encode(v)]));

test('a directory without kustomization.yaml stands for all its YAML files', () => {
  const got = kustomizeBuild(
    treeOf({
      'app/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
      'app/a.yml':
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: a\n',
      'app/README.md': '# not yaml',
      'app/sub/d.json': '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"d"}}',
    }),
    { path: 'app' },
  );
  assert.deepEqual(
    got.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`),
    ['Namespace/a', 'ConfigMap/c', 'ConfigMap/b', 'Secret/d'],
  );
});

const errorCases: { name: string; files: Record<string, string>; path?: string; message: RegExp }[] = [
  {
    name: 'unknown field names file and field',
    files: { 'kustomization.yaml': 'resources: []\nnamePrefx: x-\n' },
    message: /kustomization\.yaml: unknown field "namePrefx"/,
  },
  {
    name: 'unsupported kustomize field',
    files: { 'k/kustomization.yaml': 'replacements: []\n' },
    path: 'k',
    message: /k\/kustomization\.yaml: field "replacements" is not supported/,
  },
  {
    name: 'resource cycle',
    files: { 'a/kustomization.yaml': 'resources: [../b]\n', 'b/kustomization.yaml': 'resources: [../a]\n' },
    path: 'a',
    message: /kustomization cycle: a -> b -> a/,
  },
  {
    name: 'too deep nesting',
    files: Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`d${i}/kustomization.yaml`, `resources: [../d${i + 1}]\n`]),
    ),
    path: 'd0',
    message: /nested deeper than 20 levels/,
  },
  {
    name: 'missing resource',
    files: { 'kustomization.yaml': 'resources: [nope.yaml]\n' },
    message: /kustomization\.yaml: resources\[0\]: "nope.yaml" is neither a file nor a directory/,
  },
  {
    name: 'remote resource',
    files: { 'kustomization.yaml': 'resources: [github.com/org/repo//deploy]\n' },
    message: /remote resource .* is not supported/,
  },
  {
    name: 'duplicate resource',
    files: {
      'kustomization.yaml': 'resources: [a.yaml, b.yaml]\n',
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
      'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    },
    message: /ConfigMap x is defined twice/,
  },
  {
    name: 'patch that matches nothing',
    files: {
      'kustomization.yaml':
        'resources: [a.yaml]\npatches:\n- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: other\n',
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    },
    message: /patches\[0\]: the patch for ConfigMap "other" matches no resource/,
  },
  {
    name: 'SMP without target or name',
    files: {
      'kustomization.yaml': 'resources: [a.yaml]\npatches:\n- patch: |\n    data:\n      k: v\n',
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    },
    message: /patches\[0\]: a strategic merge patch without target must name its resource/,
  },
  {
    name: 'path escaping the tree',
    files: { 'kustomization.yaml': 'resources: [../../etc/passwd]\n' },
    message: /leaves the kustomization tree/,
  },
];

for (const c of errorCases) {
  test(`kustomize build error: ${c.name}`, () => {
    assert.throws(
      () => kustomizeBuild(treeOf(c.files), c.path ? { path: c.path } : {}),
      (e: unknown) => e instanceof KustomizeError && c.message.test(e.message),
    );
  });
}

test('values kustomize reads as strings must be YAML strings (as kubectl kustomize rejects them)', () => {
  for (const [k, field] of [
    ['images:\n- name: nginx\n  newTag: 1.20\n', /images\[0\]\.newTag must be a string, not 1\.2; quote it/],
    ['commonLabels:\n  v: 2\n', /commonLabels\.v must be a string/],
    ['labels:\n- pairs:\n    flag: true\n', /labels\[0\]\.pairs\.flag must be a string/],
  ] as const) {
    assert.throws(
      () => kustomizeBuild(treeOf({ 'kustomization.yaml': `resources: []\n${k}` })),
      (e: unknown) => e instanceof KustomizeError && field.test(e.message),
    );
  }
});

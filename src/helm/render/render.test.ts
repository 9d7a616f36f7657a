import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadChart } from '../chart/index.js';
import type { Chart } from '../chart/types.js';
import { coalesceValues } from './coalesce.js';
import { HelmRenderError } from './errors.js';
import { hooksFor } from './manifests.js';
import { renderChart, templateOutput } from './render.js';

const FIX = 'test/fixtures/charts';
const release = { name: 'rel', namespace: 'default' };

function tpl(name: string, text: string) {
  return { name, data: new TextEncoder().encode(text) };
}

function chart(name: string, templates: { name: string; data: Uint8Array }[], values = {}): Chart {
  return {
    metadata: { apiVersion: 'v2', name, version: '1.2.3' },
    templates,
    values,
    rawValues: '',
    files: [],
    crds: [],
    dependencies: [],
  };
}

test('umbrella: aliases, condition/tags, globals, import-values, library chart, Files', async () => {
  const c = await loadChart(`${FIX}/umbrella`);
  const r = await renderChart(c, { release });
  const names = r.manifests.map((m) => `${m.head.kind}:${m.name}`);
  assert.deepEqual(names, [
    'ConfigMap:umbrella/templates/configmap.yaml',
    'Service:umbrella/charts/api/templates/service.yaml',
    'Deployment:umbrella/charts/frontend/templates/deployment.yaml',
  ]);
  assert.match(r.manifest, /^---\n# Source: umbrella\/templates\/configmap.yaml\n/);
  assert.match(r.manifest, /apiHost: "backend.internal"/);
  assert.match(r.manifest, /apiData: "from-backend"/);
  assert.match(r.manifest, /image: "registry.example.com\/nginx"/);
  assert.match(r.manifest, /port: 8080/);
  assert.match(r.manifest, /key1=value1/);
  assert.match(r.notes, /installed as rel/);
  // worker is disabled by condition, metrics by tags: enabling them by user values renders them.
  const r2 = await renderChart(c, {
    release,
    values: { worker: { enabled: true }, tags: { monitoring: true } },
  });
  const kinds = r2.manifests.map((m) => m.name);
  assert.ok(kinds.includes('umbrella/charts/worker/templates/service.yaml'));
  assert.ok(kinds.includes('umbrella/charts/metrics/templates/servicemonitor.yaml'));
});

test('hooks are separated, weighted and ordered; NOTES not applied', async () => {
  const c = await loadChart(`${FIX}/hooks`);
  const r = await renderChart(c, { release });
  assert.ok(r.manifests.every((m) => !m.content.includes('helm.sh/hook')));
  const pre = hooksFor(r.hooks, 'pre-install');
  assert.ok(pre.length >= 2);
  for (let i = 1; i < pre.length; i++) assert.ok(pre[i - 1].weight <= pre[i].weight);
  assert.ok(!templateOutput(r).includes('NOTES'));
});

test('values: null deletes a default, user values win, numbers stay numbers', () => {
  const c = chart('a', [], { keep: 1, drop: 'x', nested: { a: 1, b: 2 } });
  const v = coalesceValues(c, { drop: null, nested: { b: 3 } });
  assert.deepEqual(v, { keep: 1, nested: { a: 1, b: 3 } });
});

test('missingkey=zero output, <no value> removed, float64 values', async () => {
  const c = chart(
    'z',
    [tpl('templates/a.yaml', 'a: {{ .Values.missing }}\nb: {{ .Values.n }}\nc: {{ .Release.Revision }}\n')],
    {
      n: 3,
    },
  );
  const r = await renderChart(c, { release });
  assert.equal(r.manifests[0].content, 'a: \nb: 3\nc: 1');
});

test('errors name chart, version, template, line and column', async () => {
  const c = chart('e', [tpl('templates/a.yaml', 'x: 1\ny: {{ required "y is required" .Values.y }}\n')]);
  await assert.rejects(renderChart(c, { release }), (e: unknown) => {
    assert.ok(e instanceof HelmRenderError);
    assert.match(e.message, /chart e-1\.2\.3/);
    assert.match(e.message, /execution error at \(e\/templates\/a\.yaml:2:\d+\): y is required/);
    return true;
  });
});

test('schema violations are reported like Helm', async () => {
  const c = await loadChart(`${FIX}/with-crds`);
  await assert.rejects(
    renderChart(c, { release, values: { crontab: { name: 'n', schedule: 's', replicas: 'x' } } }),
    /crontab\.replicas: Invalid type\. Expected: integer, given: string/,
  );
});

test('lookup is answered from the injected async lookup', async () => {
  const c = await loadChart(`${FIX}/with-crds`);
  const seen: string[] = [];
  const r = await renderChart(c, {
    release,
    values: { existingConfigMap: 'cfg' },
    lookup: async (a, k, ns, n) => {
      seen.push(`${a}/${k}/${ns}/${n}`);
      if (k === 'ConfigMap') return { apiVersion: a, kind: k, data: { region: 'eu' } };
      return { apiVersion: 'v1', kind: 'NamespaceList', items: [{}, {}] };
    },
  });
  assert.match(r.manifest, /found: "true"\n {2}region: "eu"/);
  assert.match(r.manifest, /namespaces: "2"/);
  assert.equal(r.crds.length, 1);
  assert.equal(seen.length, 2);
});

test('document heads are read from the head blocks only, with a full parse for unusual YAML', async () => {
  const { parseHead } = await import('./manifests.js');
  const doc =
    'apiVersion: v1\nkind: ConfigMap\n# c\nmetadata:\n  name: a\n  annotations:\n    "helm.sh/hook": pre-install\ndata:\n  x: |\n    kind: Nope\n';
  assert.deepEqual(parseHead(doc), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'a', annotations: { 'helm.sh/hook': 'pre-install' } },
  });
  assert.deepEqual(parseHead('{apiVersion: v1, kind: Secret, metadata: {name: s}}'), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
  });
  const anchored = 'x: &l {a: b}\nkind: Pod\napiVersion: v1\nmetadata:\n  name: p\n  labels: *l\n';
  assert.deepEqual(parseHead(anchored).metadata, { name: 'p', labels: { a: 'b' } });
});

test('render objects: parent defines win, Files.Glob/AsConfig, tpl, Capabilities, Template, Subcharts', async () => {
  const sub = chart('sub', [
    tpl('templates/_h.tpl', '{{- define "who" -}}sub{{- end -}}'),
    tpl(
      'templates/s.yaml',
      'kind: ConfigMap\nwho: {{ include "who" . }}\nv: {{ .Values.x }}\ng: {{ .Values.global.g }}\n',
    ),
  ]);
  sub.metadata.version = '0.1.0';
  const root = chart(
    'root',
    [
      tpl('templates/_h.tpl', '{{- define "who" -}}root{{- end -}}'),
      tpl(
        'templates/a.yaml',
        [
          'kind: ConfigMap',
          'who: {{ include "who" . }}',
          'cfg:',
          '  {{- (.Files.Glob "conf/*.ini").AsConfig | nindent 2 }}',
          'tpl: {{ tpl .Values.t . }}',
          'has: {{ .Capabilities.APIVersions.Has "apps/v1" }}',
          'kube: {{ .Capabilities.KubeVersion.Major }}.{{ .Capabilities.KubeVersion.Minor }}',
          'base: {{ .Template.BasePath }}',
          'name: {{ .Template.Name }}',
          'sub: {{ .Subcharts.sub.Chart.Name }}',
          'root: {{ .Chart.IsRoot }}',
          'lines: {{ len (.Files.Lines "conf/a.ini") }}',
        ].join('\n'),
      ),
    ],
    { t: '{{ .Release.Name }}-x', global: { g: 'G' }, sub: { x: 7 } },
  );
  root.files = [
    { name: 'conf/a.ini', data: new TextEncoder().encode('k=1\nj=2\n') },
    { name: 'conf/deep/b.ini', data: new TextEncoder().encode('no') },
  ];
  root.metadata.dependencies = [{ name: 'sub', version: '0.1.x', repository: '' }];
  sub.parent = root;
  root.dependencies = [sub];
  const r = await renderChart(root, { release });
  const a = r.manifests.find((m) => m.name === 'root/templates/a.yaml')?.content ?? '';
  assert.match(a, /who: root/);
  assert.match(a, /cfg:\n {2}a\.ini: \|\n {4}k=1\n {4}j=2\n/);
  assert.doesNotMatch(a, /b\.ini/);
  assert.match(a, /tpl: rel-x/);
  assert.match(a, /has: true/);
  assert.match(a, /kube: 1\.20/);
  assert.match(a, /base: root\/templates\nname: root\/templates\/a\.yaml/);
  assert.match(a, /sub: sub\nroot: true\nlines: 2/);
  const s = r.manifests.find((m) => m.name === 'root/charts/sub/templates/s.yaml')?.content ?? '';
  assert.equal(s, 'kind: ConfigMap\nwho: root\nv: 7\ng: G');
});

test('manifests follow InstallOrder; unknown kinds last (alphabetical); document order kept within a kind', async () => {
  const doc = (kind: string, name: string) => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
  const c = chart('o', [
    tpl(
      'templates/a.yaml',
      [doc('Zebra', 'z1'), doc('Deployment', 'd1'), doc('ConfigMap', 'c2')].join('---\n'),
    ),
    tpl(
      'templates/b.yaml',
      [doc('Apple', 'x1'), doc('Namespace', 'n1'), doc('ConfigMap', 'c1')].join('\n---\n'),
    ),
    tpl('templates/c.yaml', '# only a comment\n'),
  ]);
  const r = await renderChart(c, { release });
  assert.deepEqual(
    r.manifests.map((m) => `${m.head.kind ?? ''}/${m.head.metadata?.name ?? ''}`),
    ['Namespace/n1', 'ConfigMap/c2', 'ConfigMap/c1', 'Deployment/d1', '/', 'Apple/x1', 'Zebra/z1'],
  );
});

test('parse errors and kubeVersion mismatches say where and what to do', async () => {
  const bad = chart('p', [tpl('templates/a.yaml', 'a: 1\nb: {{ .Values.x \n')]);
  await assert.rejects(renderChart(bad, { release }), (e: unknown) => {
    assert.ok(e instanceof HelmRenderError);
    assert.equal(e.code, 'helm.template');
    assert.match(
      e.message,
      /^chart p-1\.2\.3: template: p\/templates\/a\.yaml:3: unclosed action started at p\/templates\/a\.yaml:2 \(template p\/templates\/a\.yaml line 3\); fix/,
    );
    return true;
  });
  const old = chart('k', []);
  old.metadata.kubeVersion = '>=1.30.0';
  await assert.rejects(
    renderChart(old, { release }),
    /chart requires kubeVersion: >=1\.30\.0 which is incompatible with Kubernetes v1\.20\.0/,
  );
});

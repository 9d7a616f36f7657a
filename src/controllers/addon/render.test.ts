import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RenderError, renderRefName, renderSource, type SourceContent, splitDocuments } from './render.js';

const cluster = {
  metadata: { name: 'c1', namespace: 'ns1', labels: { env: 'prod' } },
  spec: { data: { region: 'eu' } },
};

test('plain YAML/JSON split into documents; empty documents skipped', () => {
  const docs = splitDocuments(
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\n{"apiVersion":"v1","kind":"Secret","metadata":{"name":"b"}}\n',
    'x',
  );
  assert.deepEqual(
    docs.map((d) => d.kind),
    ['ConfigMap', 'Secret'],
  );
  assert.throws(
    () => splitDocuments('a: [', 'ConfigMap default/x key k'),
    /ConfigMap default\/x key k: document 1 is not valid YAML/,
  );
  assert.throws(() => splitDocuments('foo: bar', 'w'), /no apiVersion or kind/);
});

test('templates see .Cluster and getResource, with missingkey=error and Go error positions', () => {
  const src: SourceContent = {
    kind: 'ConfigMap',
    namespace: 'default',
    name: 'tpl',
    annotations: { 'projectsveltos.io/template': 'ok' },
    data: [
      [
        'cm.yaml',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Cluster.metadata.name }}-cfg\n  namespace: app\ndata:\n  region: {{ .Cluster.spec.data.region }}\n  pw: {{ get (getResource "Creds").data `password` | b64dec }}\n',
      ],
    ],
  };
  const mgmt = {
    Creds: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'c' },
      data: { password: Buffer.from('s3cret').toString('base64') },
    },
  };
  const [obj] = renderSource(src, { Cluster: cluster, MgmtResources: mgmt });
  assert.deepEqual(obj, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c1-cfg', namespace: 'app' },
    data: { region: 'eu', pw: 's3cret' },
  });
  const broken: SourceContent = { ...src, data: [['cm.yaml', 'a: {{ .Cluster.metadata.nope.x }}']] };
  assert.throws(
    () => renderSource(broken, { Cluster: cluster, MgmtResources: {} }),
    (e: unknown) =>
      e instanceof RenderError &&
      /ConfigMap default\/tpl key cm.yaml: template: default\/tpl\/cm.yaml:1:\d+: executing/.test(e.message),
  );
});

test('content without the template annotation is not rendered', () => {
  const src: SourceContent = {
    kind: 'ConfigMap',
    namespace: 'd',
    name: 'n',
    annotations: {},
    data: [['k', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {v: "{{ .Cluster }}"}\n']],
  };
  assert.equal(
    (renderSource(src, { Cluster: cluster, MgmtResources: {} })[0]!.data as { v: string }).v,
    '{{ .Cluster }}',
  );
});

test('lua content produces resources from templateResourceRefs', () => {
  const src: SourceContent = {
    kind: 'ConfigMap',
    namespace: 'd',
    name: 'lua',
    annotations: { 'projectsveltos.io/lua': 'ok' },
    data: [
      [
        'lua.lua',
        'function evaluate()\n  local r = {}\n  r.resources = "apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: " .. resources["Src"].metadata.name\n  return r\nend',
      ],
    ],
  };
  const out = renderSource(src, {
    Cluster: cluster,
    MgmtResources: { Src: { metadata: { name: 'from-lua' } } },
  });
  assert.deepEqual(out, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'from-lua' } }]);
});

test('reference names are templated with .Cluster/.ClusterName/.ClusterNamespace', () => {
  assert.equal(
    renderRefName('cfg-{{ .ClusterName }}-{{ .Cluster.metadata.labels.env }}', cluster),
    'cfg-c1-prod',
  );
  assert.equal(renderRefName('{{ .ClusterNamespace }}', cluster), 'ns1');
  assert.equal(renderRefName('plain', cluster), 'plain');
});

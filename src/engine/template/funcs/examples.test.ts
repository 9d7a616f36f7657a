import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { Injected } from '../funcs-api.js';
import { TemplateSet } from '../template-set.js';
import { sveltosFuncs } from './index.js';

const dir = fileURLToPath(new URL('../testdata/examples/', import.meta.url)).replace('/dist/src/', '/src/');

interface Doc {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: Record<string, unknown>;
}

function docs(file: string): Doc[] {
  return parseAllDocuments(readFileSync(dir + file, 'utf8')).map((d) => d.toJS() as Doc);
}

/** The template text of `key` in the ConfigMap/Secret `name` of an example file. */
function templateOf(file: string, name: string, key: string): string {
  const d = docs(file).find((x) => x.metadata?.name === name);
  const text = d?.data?.[key] ?? d?.stringData?.[key];
  if (text === undefined) throw new Error(`${file}: no ${name}/${key}`);
  return text;
}

/** Renders as Sveltos does: sveltos function map, missingkey=error, Kubernetes (int64) numbers. */
function render(text: string, data: unknown, injected: Injected = {}): string {
  return new TemplateSet({ funcs: sveltosFuncs(), option: 'missingkey=error' })
    .parse('t', text)
    .execute('t', data, { injected });
}

const lbService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'my-service', namespace: 'eng', labels: { 'lb.buttah.cloud/class': 'gold' } },
  spec: {
    type: 'LoadBalancer',
    ports: [
      { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 },
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443, nodePort: 30443 },
    ],
  },
  status: { loadBalancer: { ingress: [{ ip: '34.16.32.1' }] } },
};

const sha1 = (s: string) => render(`{{ sha1sum ${JSON.stringify(s)} }}`, {});
const yamlOf = (text: string) => parseAllDocuments(text)[0]!.toJS() as Record<string, any>;

test('seed 002: the Job template reads credentials and load-balancer data through getResource', () => {
  const resources: Record<string, unknown> = {
    Credentials: { apiVersion: 'v1', kind: 'Secret', data: { user: 'dG9kbw==', password: 'cGFzc3dvcmQ=' } },
    LoadBalancer: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { 'external-ip': '34.16.32.1', port: '5432' },
    },
  };
  const text = templateOf(
    'assets__job-to-create-table.yaml',
    'job-to-create-table',
    'job-to-create-table.yaml',
  );
  const job = yamlOf(render(text, {}, { getResource: (id) => resources[id] }));
  const c = job.spec.template.spec.containers[0];
  assert.deepEqual(c.env, [{ name: 'PGPASSWORD', value: 'password' }]);
  assert.deepEqual(c.args.slice(0, 4), [
    '--host=34.16.32.1',
    '--port=5432',
    '--username=todo',
    '--no-password',
  ]);
});

test('seed 002: the credentials Secret and load-balancer ConfigMap templates render from .Resource', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'c-app', namespace: 'pg' },
    data: { password: 'cGFzcw==', username: 'dG9kbw==' },
  };
  const creds = templateOf('assets__fetch-postgres-data.yaml', 'credentials', 'credentials');
  assert.equal(
    render(creds, { Resource: secret }),
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg-credentials\n  namespace: pg\ndata:\n  "password": "cGFzcw=="\n  "user": "dG9kbw=="\n',
  );
  const svc = {
    ...lbService,
    metadata: { name: 'cluster-rw-lb', namespace: 'pg' },
    spec: { ports: [{ port: 5432, targetPort: 5432 }] },
  };
  const lb = templateOf('assets__fetch-postgres-data.yaml', 'loadbalancer-data', 'credentials');
  assert.equal(
    render(lb, { Resource: svc }),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pg-loadbalancer-data\n  namespace: pg\ndata:\n  external-ip: 34.16.32.1\n  port: "5432"\n',
  );
});

test('seed 003: cloudEventAction and the namespace template use .CloudEvent', () => {
  const trigger = docs('seed-003-cloudevent-namespace.yaml').find((d) => d.kind === 'EventTrigger')!;
  const action = trigger.spec!.cloudEventAction as string;
  const login = {
    specversion: '1.0',
    type: 'auth.example.com.login',
    source: 'auth.example.com',
    id: '10001',
    subject: 'mgianluc',
  };
  assert.equal(render(action, { CloudEvent: login }), 'Create');
  assert.equal(render(action, { CloudEvent: { ...login, type: 'auth.example.com.logout' } }), 'Delete');
  const ns = templateOf('seed-003-cloudevent-namespace.yaml', 'namespace', 'namespace.yaml');
  assert.equal(
    render(ns, { CloudEvent: login }),
    'kind: Namespace\napiVersion: v1\nmetadata:\n  name: mgianluc\n',
  );
  // Sveltos renders with missingkey=error: a misspelt field fails instead of printing <no value>.
  assert.throws(() => render('{{ .CloudEvent.subjct }}', { CloudEvent: login }), /no entry for key "subjct"/);
});

test('seed 004: Service and Endpoints templates range over .Resource ports', () => {
  const service = templateOf('seed-004-service-endpoints.yaml', 'service-policy', 'service.yaml');
  assert.equal(
    render(service, { Resource: lbService }),
    'kind: Service\napiVersion: v1\nmetadata:\n  name: external-my-service\n  namespace: external\nspec:\n  selector: {}\n  ports:\n    \n    - port: 80\n      protocol: TCP\n      targetPort: 8080\n    \n    - port: 443\n      protocol: TCP\n      targetPort: 8443\n    \n',
  );
  const endpoints = templateOf('seed-004-service-endpoints.yaml', 'service-policy', 'endpoint.yaml');
  const ep = yamlOf(render(endpoints, { Resource: lbService }));
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '34.16.32.1' }], ports: [{ port: 80 }, { port: 443 }] }]);
});

test('loadbalancer example: names hashed with cat | sha1sum, nodePorts as targets', () => {
  const cluster = { kind: 'SveltosCluster', metadata: { name: 'cluster1', namespace: 'tenant' } };
  const text = templateOf(
    'events__examples__loadbalancer__06.yaml',
    'loadbalancer-class-handler-svc',
    'service.yaml',
  );
  const svc = yamlOf(render(text, { Resource: lbService, Cluster: cluster }));
  assert.equal(svc.metadata.name, `lb-${sha1('my-service eng cluster1')}`);
  assert.equal(svc.metadata.namespace, 'tenant');
  assert.equal(svc.metadata.labels['lb.buttah.cloud/class'], 'gold');
  assert.deepEqual(
    svc.spec.ports.map((p: { targetPort: number }) => p.targetPort),
    [30080, 30443],
  );
  const cp = templateOf(
    'events__examples__loadbalancer__06.yaml',
    'loadbalancer-class-handler-cp',
    'cp.yaml',
  );
  const profile = yamlOf(render(cp, { Resource: lbService, Cluster: cluster }));
  assert.equal(profile.metadata.name, `lbs-${sha1('my-service eng cluster1')}`);
});

function mgmt(): Record<string, Record<string, any>> {
  return {
    ExternalSecret: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'external',
        namespace: 'default',
        uid: 'u-1',
        resourceVersion: '42',
        managedFields: [{ manager: 'kubectl' }],
      },
      data: { key: 'dmFsdWU=' },
    },
    NginxDeployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'nginx', namespace: 'web' },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.12' }] } } },
    },
  };
}

function renderMgmt(file: string, resources = mgmt()): string {
  const text = templateOf(file, 'info', 'secret.yaml');
  const cluster = { metadata: { name: 'c1', namespace: 'ns1' } };
  return render(text, { Cluster: cluster, MgmtResources: resources }, { getResource: (id) => resources[id] });
}

test('resource manipulation: copy drops uid, resourceVersion and managedFields', () => {
  assert.equal(
    renderMgmt('template__resource_manipulation_functions__03.yaml'),
    'apiVersion: v1\ndata:\n  key: dmFsdWU=\nkind: Secret\nmetadata:\n  name: external\n  namespace: default\n\n',
  );
});

test('resource manipulation: setField / removeField return YAML and mutate the shared object', () => {
  const res = mgmt();
  const set = renderMgmt('template__resource_manipulation_functions__06.yaml', res);
  assert.equal(yamlOf(set).spec.replicas, 5);
  assert.equal(
    res.NginxDeployment!.spec.replicas.value,
    5,
    'Sveltos mutates the MgmtResources entry in place',
  );
  const removed = yamlOf(renderMgmt('template__resource_manipulation_functions__07.yaml', res));
  assert.equal(removed.spec.replicas, undefined);
  assert.equal(removed.spec.template.spec.containers[0].image, 'nginx:1.12');
  // A plain int (not int64) is rejected, as the Go deep copy fails on it.
  assert.throws(
    () => render('{{ setField "NginxDeployment" "spec.replicas" 5 }}', {}, { getResource: (id) => res[id] }),
    /int64/,
  );
});

test('resource manipulation: chainSetField pipelines and getField + append loops', () => {
  const chained = yamlOf(renderMgmt('template__resource_manipulation_functions__08.yaml'));
  assert.equal(chained.spec.replicas, 1);
  assert.equal(chained.spec.paused, true);
  assert.equal(chained.metadata.namespace, 'ns1');
  assert.equal(chained.spec.template.spec.serviceAccountName, 'default');
  const all = yamlOf(renderMgmt('template__resource_manipulation_functions__09.yaml'));
  assert.deepEqual(all.spec.template.spec.containers, [{ name: 'nginx', image: 'nginx:1.13' }]);
});

/** Every string holding `{{` in the docs' go-template examples (files that are valid YAML). */
function templatesIn(file: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.includes('{{')) out.push(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v instanceof Map) {
      // An unquoted `{{ x }}` is a YAML flow mapping, not a string: such keys are skipped.
      for (const [k, x] of v) {
        walk(k);
        walk(x);
      }
    }
  };
  for (const d of parseAllDocuments(readFileSync(dir + file, 'utf8'))) walk(d.toJS({ mapAsMap: true }));
  return out;
}

// Strings with `{{` that Go's parser rejects too, or that are not Sveltos templates at all.
const NOT_SVELTOS_TEMPLATES: Record<string, RegExp> = {
  // Kyverno variables ({{serviceAccountName}}) inside a Kyverno policy: Kyverno renders them, not Sveltos.
  'events__addon_event_deployment__10.yaml': /function "serviceAccount(Name|Namespace)" not defined/,
  'features__multi-tenancy-sharing-cluster__03.yaml': /function "serviceAccount(Name|Namespace)" not defined/,
  'observability__notifications__03.yaml': /function "serviceAccount(Name|Namespace)" not defined/,
  // Doc bug: 'auth.example.com.logout' is a Go character constant, a parse error in Go as well.
  'events__nats__04.yaml': /malformed character constant/,
};

test('every go-template docs example parses with the Sveltos function map', () => {
  const files = readdirSync(dir).filter((f) => f.includes('__') && f.endsWith('.yaml'));
  let parsed = 0;
  const failures: string[] = [];
  for (const f of files) {
    const docsOk = parseAllDocuments(readFileSync(dir + f, 'utf8')).every((d) => d.errors.length === 0);
    if (!docsOk) continue; // INDEX.md marks these as not valid YAML (elided content, raw templates).
    for (const t of templatesIn(f)) {
      try {
        new TemplateSet({ funcs: sveltosFuncs(), option: 'missingkey=error' }).parse('t', t);
        parsed++;
      } catch (e) {
        const known = NOT_SVELTOS_TEMPLATES[f];
        if (known === undefined || !known.test((e as Error).message))
          failures.push(`${f}: ${(e as Error).message}`);
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(parsed >= 100, `parsed only ${parsed} templates`);
});

test('Calico example: helm values range over the cluster pod CIDRs', () => {
  const profile = docs('template__examples__template_generic__01.yaml').find(
    (d) => d.kind === 'ClusterProfile',
  )!;
  const values = (profile.spec!.helmCharts as { values: string }[])[0]!.values;
  const cluster = { spec: { clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16', '10.10.0.0/16'] } } } };
  const out = yamlOf(render(values, { Cluster: cluster }));
  assert.deepEqual(out.installation.calicoNetwork.ipPools, [
    { cidr: '192.168.0.0/16', encapsulation: 'VXLAN' },
    { cidr: '10.10.0.0/16', encapsulation: 'VXLAN' },
  ]);
});

test('Azure cloud-config example: break in range, dict, toJson | b64enc, toYaml | nindent', () => {
  const infra = {
    spec: {
      azureEnvironment: 'AzurePublicCloud',
      location: 'westeurope',
      resourceGroup: 'rg1',
      subscriptionID: 'sub-1',
      networkSpec: {
        vnet: { name: 'vnet1', resourceGroup: 'rg-net' },
        subnets: [
          {
            role: 'control-plane',
            name: 'cp',
            securityGroup: { name: 'sg-cp' },
            routeTable: { name: 'rt-cp' },
          },
          { role: 'node', name: 'nodes', securityGroup: { name: 'sg-n' }, routeTable: { name: 'rt-n' } },
          { role: 'node', name: 'nodes2', securityGroup: { name: 'sg-2' }, routeTable: { name: 'rt-2' } },
        ],
      },
    },
  };
  const resources: Record<string, unknown> = {
    InfrastructureProviderIdentity: { spec: { clientID: 'client', tenantID: 'tenant' } },
    InfrastructureProviderIdentitySecret: { data: { clientSecret: 'czNjcjN0' } },
  };
  const cluster = { kind: 'Cluster', metadata: { name: 'azure-1', namespace: 'default' } };
  const text = templateOf(
    'template__examples__template_generic__13.yaml',
    'azure-cloud-provider',
    'configmap.yaml',
  );
  const out = render(
    text,
    { InfrastructureProvider: infra, Cluster: cluster },
    { getResource: (id) => resources[id] },
  );
  const [secret, configMap] = parseAllDocuments(out).map((d) => d.toJS() as Record<string, any>);
  const cloudConfig = JSON.parse(Buffer.from(secret!.data['cloud-config'], 'base64').toString('utf8'));
  assert.equal(cloudConfig.subnetName, 'nodes', 'break stops at the first node subnet');
  assert.equal(cloudConfig.securityGroupName, 'sg-n');
  assert.equal(cloudConfig.aadClientSecret, 's3cr3t');
  assert.equal(cloudConfig.maximumLoadBalancerRuleCount, 250);
  assert.equal(cloudConfig.vnetResourceGroup, 'rg-net');
  assert.deepEqual(yamlOf(configMap!.data.object), cluster);
});

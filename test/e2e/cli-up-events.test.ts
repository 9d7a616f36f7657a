// Seed 004 ("Event Driven Addon Distribution") against a running `flotilla up`, as a user runs it:
// the built CLI as a subprocess, the EventSource + EventTrigger applied with kubectl to the
// management cluster, a LoadBalancer Service whose status gets an ingress IP in the env=production
// cluster, and the selector-less Service + Endpoints appearing, following and disappearing in a
// dep=eng cluster created with `flotilla cluster create`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { flotilla, kubectl, requireBuild, startUp, stopUp, type Up, until } from './cli-up-helpers.js';

const state = mkdtempSync(join(tmpdir(), 'flotilla-cli-up-events-'));
const kc = (cluster: string) => join(state, `${cluster}.kubeconfig`);
let up: Up | undefined;

const EVENTS = `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventSource
metadata:
  name: load-balancer-service
spec:
  collectResources: true
  resourceSelectors:
  - group: ""
    version: "v1"
    kind: "Service"
    evaluate: |
      function evaluate()
        hs = {}
        hs.matching = false
        hs.message = ""
        if obj.status.loadBalancer.ingress ~= nil then
          hs.matching = true
        end
        return hs
      end
---
apiVersion: lib.projectsveltos.io/v1beta1
kind: EventTrigger
metadata:
  name: service-policy
spec:
  sourceClusterSelector:
    matchLabels:
      env: production
  destinationClusterSelector:
    matchLabels:
      dep: eng
  eventSourceName: load-balancer-service
  oneForEvent: true
  policyRefs:
  - name: service-policy
    namespace: default
    kind: ConfigMap
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: service-policy
  namespace: default
  annotations:
    projectsveltos.io/instantiate: ok
data:
  service.yaml: |
    kind: Service
    apiVersion: v1
    metadata:
      name: external-{{ .Resource.metadata.name }}
      namespace: external
    spec:
      selector: {}
      ports:
        {{ range $port := .Resource.spec.ports }}
        - port: {{ $port.port }}
          protocol: {{ $port.protocol }}
          targetPort: {{ $port.targetPort }}
        {{ end }}
  endpoint.yaml: |
    kind: Endpoints
    apiVersion: v1
    metadata:
      name: external-{{ .Resource.metadata.name }}
      namespace: external
    subsets:
    - addresses:
      - ip: {{ (index .Resource.status.loadBalancer.ingress 0).ip }}
      ports:
        {{ range $port := .Resource.spec.ports }}
        - port: {{ $port.port }}
        {{ end }}
`;

const LB = `apiVersion: v1
kind: Service
metadata:
  name: my-lb-service
  namespace: test
spec:
  type: LoadBalancer
  selector:
    app: products
    department: sales
  ports:
  - protocol: TCP
    port: 60000
    targetPort: 50001
`;

async function ok(kubeconfig: string, args: string[], input?: string): Promise<string> {
  const r = await kubectl(kubeconfig, args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The object in the eng cluster, or undefined when NotFound. */
async function engObject<T>(kind: string): Promise<T | undefined> {
  const r = await kubectl(kc('eng-1'), [
    'get',
    kind,
    'external-my-lb-service',
    '-n',
    'external',
    '-o',
    'json',
  ]);
  if (r.code !== 0) {
    assert.match(r.stderr, /NotFound/);
    return undefined;
  }
  return JSON.parse(r.stdout) as T;
}

interface Endpoints {
  subsets: { addresses: { ip: string }[]; ports: { port: number }[] }[];
}

async function endpointIp(): Promise<string | undefined> {
  return (await engObject<Endpoints>('endpoints'))?.subsets?.[0]?.addresses?.[0]?.ip;
}

function setIngress(ip: string): Promise<string> {
  return ok(kc('cluster-a'), [
    'patch',
    'service',
    'my-lb-service',
    '-n',
    'test',
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: { loadBalancer: { ingress: [{ ip }] } } }),
  ]);
}

before(async () => {
  requireBuild();
  up = await startUp(['--state', state, '--port', '0', '--event-removal-grace', '1s']);
  const created = await flotilla(['cluster', 'create', 'eng-1', '--labels', 'dep=eng', '--state', state]);
  assert.equal(created.code, 0, created.stderr);
});

after(async () => {
  if (up) await stopUp(up);
  rmSync(state, { recursive: true, force: true });
});

test('up --help documents --nats and --event-removal-grace', async () => {
  const r = await flotilla(['up', '--help']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /--nats/);
  assert.match(r.stdout, /--event-removal-grace <duration>/);
});

test('seed 004 with kubectl: a LoadBalancer ingress IP in env=production → Service + Endpoints in dep=eng; IP change; delete', async () => {
  await ok(kc('eng-1'), ['create', 'namespace', 'external']);
  await ok(kc('mgmt'), ['apply', '-f', '-'], EVENTS);
  await ok(kc('cluster-a'), ['create', 'namespace', 'test']);
  await ok(kc('cluster-a'), ['apply', '-f', '-'], LB);
  await setIngress('34.172.32.172');

  const ip = await until('the Endpoints in eng-1', endpointIp, 60_000);
  assert.equal(ip, '34.172.32.172');
  const ep = await engObject<Endpoints>('endpoints');
  assert.deepEqual(
    ep?.subsets[0].ports.map((p) => p.port),
    [60000],
  );
  const svc = await engObject<{ spec: { ports: { port: number; protocol: string; targetPort: number }[] } }>(
    'service',
  );
  assert.deepEqual(
    svc?.spec.ports.map((p) => [p.port, p.protocol, p.targetPort]),
    [[60000, 'TCP', 50001]],
  );
  // The staging cluster is no destination.
  const staging = await kubectl(kc('cluster-b'), ['get', 'endpoints', '-A', '-o', 'name']);
  assert.doesNotMatch(staging.stdout, /external-my-lb-service/);

  await setIngress('34.172.32.173');
  await until(
    'the Endpoints to follow the new IP',
    async () => (await endpointIp()) === '34.172.32.173',
    60_000,
  );

  await ok(kc('cluster-a'), ['delete', 'service', 'my-lb-service', '-n', 'test']);
  await until(
    'the Service and Endpoints to be removed from eng-1',
    async () => (await engObject('service')) === undefined && (await engObject('endpoints')) === undefined,
    60_000,
  );
});

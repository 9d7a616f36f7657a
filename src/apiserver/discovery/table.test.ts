import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBuiltinTypes } from '../catalog/builtin.js';
import type { KubeObject, ResourceType } from '../contracts.js';
import { createPublisher } from './publisher.js';

const NOW = new Date('2026-01-01T12:00:00Z');
const pub = createPublisher({ now: () => NOW });
const builtins = buildBuiltinTypes();
const rt = (group: string, kind: string): ResourceType =>
  builtins.find((t) => t.group === group && t.kind === kind)!;
const created = '2026-01-01T11:55:00Z'; // 5m before NOW

function table(
  t: ResourceType,
  objs: KubeObject[],
  includeObject: 'None' | 'Metadata' | 'Object' = 'None',
): any {
  return pub.table(t, objs, { includeObject, resourceVersion: '42' });
}
const names = (tb: any) => tb.columnDefinitions.map((c: any) => c.name);
const visible = (tb: any) =>
  tb.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name.toUpperCase());

describe('built-in printers', () => {
  it('Namespace: NAME STATUS AGE', () => {
    const tb = table(rt('', 'Namespace'), [
      { metadata: { name: 'default', creationTimestamp: created }, status: { phase: 'Active' } },
    ]);
    assert.deepEqual(visible(tb), ['NAME', 'STATUS', 'AGE']);
    assert.deepEqual(tb.rows[0].cells, ['default', 'Active', '5m']);
    assert.equal(tb.kind, 'Table');
    assert.equal(tb.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(tb.metadata, { resourceVersion: '42' });
    assert.deepEqual(tb.columnDefinitions[0], {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: tb.columnDefinitions[0].description,
      priority: 0,
    });
    assert.match(tb.columnDefinitions[0].description, /^Name must be unique within a namespace/);
  });
  it('ConfigMap: NAME DATA AGE, counting data and binaryData', () => {
    const tb = table(rt('', 'ConfigMap'), [
      {
        metadata: { name: 'c', creationTimestamp: created },
        data: { a: '1', b: '2' },
        binaryData: { c: 'AA==' },
      },
    ]);
    assert.deepEqual(visible(tb), ['NAME', 'DATA', 'AGE']);
    assert.deepEqual(tb.rows[0].cells, ['c', 3, '5m']);
  });
  it('Secret: NAME TYPE DATA AGE', () => {
    const tb = table(rt('', 'Secret'), [
      { metadata: { name: 's', creationTimestamp: created }, type: 'Opaque', data: { a: 'eA==' } },
    ]);
    assert.deepEqual(visible(tb), ['NAME', 'TYPE', 'DATA', 'AGE']);
    assert.deepEqual(tb.rows[0].cells, ['s', 'Opaque', 1, '5m']);
  });
  it('Service: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE (+SELECTOR wide)', () => {
    const svc = {
      metadata: { name: 'web', creationTimestamp: created },
      spec: {
        type: 'NodePort',
        clusterIP: '10.0.0.1',
        ports: [
          { port: 80, nodePort: 30080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
        selector: { app: 'web' },
      },
    };
    const tb = table(rt('', 'Service'), [svc]);
    assert.deepEqual(visible(tb), ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    assert.deepEqual(tb.rows[0].cells, [
      'web',
      'NodePort',
      '10.0.0.1',
      '<none>',
      '80:30080/TCP,53/UDP',
      '5m',
      'app=web',
    ]);
    const lb = table(rt('', 'Service'), [
      { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', clusterIP: '10.0.0.2' } },
    ]);
    assert.equal(lb.rows[0].cells[3], '<pending>');
  });
  it('Endpoints: at most three addresses, then "+ N more..."', () => {
    const ep = {
      metadata: { name: 'e', creationTimestamp: created },
      subsets: [
        { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] },
      ],
    };
    assert.deepEqual(table(rt('', 'Endpoints'), [ep]).rows[0].cells, [
      'e',
      '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...',
      '5m',
    ]);
    assert.equal(table(rt('', 'Endpoints'), [{ metadata: { name: 'x' } }]).rows[0].cells[1], '<none>');
  });
  it('Pod: NAME READY STATUS RESTARTS AGE, kube status rules', () => {
    const pod = (status: unknown, extra: Record<string, unknown> = {}) => ({
      metadata: { name: 'p', creationTimestamp: created, ...extra },
      spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'n1' },
      status,
    });
    const t = rt('', 'Pod');
    assert.deepEqual(visible(table(t, [pod({})])), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    const running = pod({
      phase: 'Running',
      podIP: '10.1.0.5',
      containerStatuses: [
        { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
        {
          name: 'b',
          ready: false,
          restartCount: 2,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { finishedAt: '2026-01-01T11:59:00Z' } },
        },
      ],
    });
    assert.deepEqual(table(t, [running]).rows[0].cells, [
      'p',
      '1/2',
      'CrashLoopBackOff',
      '2 (60s ago)',
      '5m',
      '10.1.0.5',
      'n1',
      '<none>',
      '<none>',
    ]);
    assert.equal(table(t, [pod({ phase: 'Pending' })]).rows[0].cells[2], 'Pending');
    assert.equal(table(t, [pod({ phase: 'Pending' })]).rows[0].conditions, undefined);
    assert.deepEqual(table(t, [pod({ phase: 'Succeeded' })]).rows[0].conditions, [
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ]);
    assert.equal(
      table(t, [pod({ phase: 'Running' }, { deletionTimestamp: created })]).rows[0].cells[2],
      'Terminating',
    );
    const init = {
      ...pod({
        phase: 'Pending',
        initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'PodInitializing' } } }],
      }),
    };
    (init.spec as any).initContainers = [{ name: 'i' }];
    assert.equal(table(t, [init]).rows[0].cells[2], 'Init:0/1');
  });
  it('Deployment: NAME READY UP-TO-DATE AVAILABLE AGE (+CONTAINERS IMAGES SELECTOR wide)', () => {
    const d = {
      metadata: { name: 'web', creationTimestamp: created },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          spec: {
            containers: [
              { name: 'n', image: 'nginx:1' },
              { name: 's', image: 'side:2' },
            ],
          },
        },
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    const tb = table(rt('apps', 'Deployment'), [d]);
    assert.deepEqual(visible(tb), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    assert.deepEqual(tb.rows[0].cells, ['web', '2/3', 3, 2, '5m', 'n,s', 'nginx:1,side:2', 'app=web']);
  });
  it('Job and CronJob', () => {
    const job = {
      metadata: { name: 'j', creationTimestamp: created },
      spec: { completions: 1, template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
      status: {
        succeeded: 1,
        startTime: '2026-01-01T11:56:00Z',
        completionTime: '2026-01-01T11:56:30Z',
        conditions: [{ type: 'Complete', status: 'True' }],
      },
    };
    const jt = table(rt('batch', 'Job'), [job]);
    assert.deepEqual(visible(jt), ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    assert.deepEqual(jt.rows[0].cells.slice(0, 5), ['j', 'Complete', '1/1', '30s', '5m']);
    const cj = {
      metadata: { name: 'cj', creationTimestamp: created },
      spec: {
        schedule: '*/5 * * * *',
        suspend: false,
        jobTemplate: { spec: { template: { spec: { containers: [] } } } },
      },
    };
    const ct = table(rt('batch', 'CronJob'), [cj]);
    assert.deepEqual(visible(ct), [
      'NAME',
      'SCHEDULE',
      'TIMEZONE',
      'SUSPEND',
      'ACTIVE',
      'LAST SCHEDULE',
      'AGE',
    ]);
    assert.deepEqual(ct.rows[0].cells.slice(0, 7), [
      'cj',
      '*/5 * * * *',
      '<none>',
      'False',
      0,
      '<none>',
      '5m',
    ]);
  });
  it('ServiceAccount, Node, Event, Lease, EndpointSlice', () => {
    assert.deepEqual(visible(table(rt('', 'ServiceAccount'), [])), ['NAME', 'SECRETS', 'AGE']);
    const node = {
      metadata: {
        name: 'n1',
        creationTimestamp: created,
        labels: { 'node-role.kubernetes.io/control-plane': '' },
      },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        nodeInfo: { kubeletVersion: 'v1.32.0' },
        addresses: [{ type: 'InternalIP', address: '192.168.1.2' }],
      },
    };
    const nt = table(rt('', 'Node'), [node]);
    assert.deepEqual(visible(nt), ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    assert.deepEqual(nt.rows[0].cells.slice(0, 6), [
      'n1',
      'Ready,SchedulingDisabled',
      'control-plane',
      '5m',
      'v1.32.0',
      '192.168.1.2',
    ]);
    const ev = {
      metadata: { name: 'e1', creationTimestamp: created },
      involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'Pulled',
      type: 'Normal',
      message: ' pulled ',
      firstTimestamp: created,
      lastTimestamp: '2026-01-01T11:59:00Z',
      count: 2,
      source: { component: 'kubelet', host: 'n1' },
    };
    const et = table(rt('', 'Event'), [ev]);
    assert.deepEqual(visible(et), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    assert.deepEqual(et.rows[0].cells, [
      '60s',
      'Normal',
      'Pulled',
      'pod/p',
      '',
      'kubelet, n1',
      'pulled',
      '5m',
      2,
      'e1',
    ]);
    const lt = table(rt('coordination.k8s.io', 'Lease'), [
      { metadata: { name: 'l', creationTimestamp: created }, spec: { holderIdentity: 'me' } },
    ]);
    assert.deepEqual(lt.rows[0].cells, ['l', 'me', '5m']);
    const es = table(rt('discovery.k8s.io', 'EndpointSlice'), [
      {
        metadata: { name: 'es', creationTimestamp: created },
        addressType: 'IPv4',
        ports: [{ port: 80 }],
        endpoints: [{ addresses: ['10.0.0.1'] }],
      },
    ]);
    assert.deepEqual(visible(es), ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    assert.deepEqual(es.rows[0].cells, ['es', 'IPv4', '80', '10.0.0.1', '5m']);
  });
  it('CRD, Role and ClusterRole: NAME CREATED AT; RoleBinding: NAME ROLE AGE', () => {
    const crd = table(rt('apiextensions.k8s.io', 'CustomResourceDefinition'), [
      { metadata: { name: 'x.y', creationTimestamp: '2026-01-01T11:55:00.123Z' } },
    ]);
    assert.deepEqual(visible(crd), ['NAME', 'CREATED AT']);
    assert.equal(crd.columnDefinitions[1].type, 'date');
    assert.deepEqual(crd.rows[0].cells, ['x.y', '2026-01-01T11:55:00Z']);
    assert.deepEqual(visible(table(rt('rbac.authorization.k8s.io', 'ClusterRole'), [])), [
      'NAME',
      'CREATED AT',
    ]);
    const rb = table(rt('rbac.authorization.k8s.io', 'RoleBinding'), [
      {
        metadata: { name: 'rb', creationTimestamp: created },
        roleRef: { kind: 'Role', name: 'r' },
        subjects: [{ kind: 'ServiceAccount', namespace: 'ns', name: 'sa' }],
      },
    ]);
    assert.deepEqual(visible(rb), ['NAME', 'ROLE', 'AGE']);
    assert.deepEqual(rb.rows[0].cells, ['rb', 'Role/r', '5m', '', '', 'ns/sa']);
  });
  it('kinds without their own printer: NAME AGE', () => {
    const other: ResourceType = { ...rt('', 'ConfigMap'), group: 'example.io', kind: 'Widget' };
    const tb = table(other, [{ metadata: { name: 'w', creationTimestamp: created } }]);
    assert.deepEqual(names(tb), ['Name', 'Age']);
    assert.deepEqual(tb.rows[0].cells, ['w', '5m']);
  });
  it('HPA, ResourceQuota, ReplicationController, PersistentVolume, IngressClass', () => {
    const hpa = {
      metadata: { name: 'h', creationTimestamp: created },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
      status: {
        currentReplicas: 2,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 35 } } },
        ],
      },
    };
    const ht = table(rt('autoscaling', 'HorizontalPodAutoscaler'), [hpa]);
    assert.deepEqual(visible(ht), ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    assert.deepEqual(ht.rows[0].cells, ['h', 'Deployment/web', 'cpu: 35%/80%', '1', 5, 2, '5m']);
    const rq = {
      metadata: { name: 'q', creationTimestamp: created },
      spec: { hard: { pods: '10', 'limits.cpu': '2', 'requests.cpu': '1' } },
      status: { hard: { pods: '10', 'limits.cpu': '2', 'requests.cpu': '1' }, used: { pods: '3' } },
    };
    assert.deepEqual(table(rt('', 'ResourceQuota'), [rq]).rows[0].cells, [
      'q',
      '5m',
      'pods: 3/10, requests.cpu: 0/1',
      'limits.cpu: 0/2',
    ]);
    const rc = {
      metadata: { name: 'rc', creationTimestamp: created },
      spec: { replicas: 2, selector: { app: 'x' } },
      status: { replicas: 2 },
    };
    assert.deepEqual(table(rt('', 'ReplicationController'), [rc]).rows[0].cells, [
      'rc',
      2,
      2,
      0,
      '5m',
      '',
      '',
      'app=x',
    ]);
    const pv = {
      metadata: { name: 'pv1', creationTimestamp: created },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        claimRef: { namespace: 'ns', name: 'c' },
      },
      status: { phase: 'Bound' },
    };
    const pt = table(rt('', 'PersistentVolume'), [pv]);
    assert.deepEqual(pt.rows[0].cells, [
      'pv1',
      '1Gi',
      'RWO',
      'Retain',
      'Bound',
      'ns/c',
      '',
      '<unset>',
      '',
      '5m',
      'Filesystem',
    ]);
    const ic = {
      metadata: { name: 'nginx', creationTimestamp: created },
      spec: { controller: 'k8s.io/ingress-nginx' },
    };
    assert.deepEqual(table(rt('networking.k8s.io', 'IngressClass'), [ic]).rows[0].cells, [
      'nginx',
      'k8s.io/ingress-nginx',
      '<none>',
      '5m',
    ]);
  });
});

const sveltosCluster: ResourceType = {
  group: 'lib.projectsveltos.io',
  version: 'v1beta1',
  kind: 'SveltosCluster',
  listKind: 'SveltosClusterList',
  plural: 'sveltosclusters',
  singular: 'sveltoscluster',
  namespaced: true,
  shortNames: [],
  categories: [],
  verbs: [],
  subresources: { status: true },
  storageVersion: 'v1beta1',
  builtin: false,
  printerColumns: [
    {
      name: 'Ready',
      type: 'boolean',
      jsonPath: '.status.ready',
      description: 'Indicates whether cluster is ready to be managed by sveltos',
    },
    {
      name: 'ConnectionStatus',
      type: 'string',
      jsonPath: '.status.connectionStatus',
      priority: 1,
      description: 'Whether connection is healthy',
    },
    {
      name: 'Version',
      type: 'string',
      jsonPath: '.status.version',
      description: 'Kubernetes version associated with this Cluster',
    },
    {
      name: 'Age',
      type: 'date',
      jsonPath: '.metadata.creationTimestamp',
      description: 'Time duration since creation of SveltosCluster',
    },
    {
      name: 'Shard',
      type: 'string',
      jsonPath: ".metadata.annotations['sharding\\.projectsveltos\\.io/key']",
      description: 'Cluster Shard',
    },
  ],
};

describe('CRD printer columns', () => {
  it('prints the implicit Name column, then additionalPrinterColumns, missing values as null', () => {
    const tb = table(sveltosCluster, [
      {
        metadata: {
          name: 'c1',
          namespace: 'mgmt',
          creationTimestamp: created,
          annotations: { 'sharding.projectsveltos.io/key': 's1' },
        },
        status: { ready: true, version: 'v1.32.0' },
      },
      { metadata: { name: 'c2', namespace: 'mgmt', creationTimestamp: created } },
    ]);
    assert.deepEqual(names(tb), ['Name', 'Ready', 'ConnectionStatus', 'Version', 'Age', 'Shard']);
    assert.deepEqual(
      tb.columnDefinitions.map((c: any) => [c.type, c.priority, c.format]),
      [
        ['string', 0, 'name'],
        ['boolean', 0, ''],
        ['string', 1, ''],
        ['string', 0, ''],
        ['date', 0, ''],
        ['string', 0, ''],
      ],
    );
    assert.deepEqual(tb.rows[0].cells, ['c1', true, null, 'v1.32.0', '5m', 's1']);
    assert.deepEqual(tb.rows[1].cells, ['c2', null, null, null, '5m', null]);
  });
  it('converts values to the column type as cellForJSONValue does', () => {
    const t: ResourceType = {
      ...sveltosCluster,
      printerColumns: [
        { name: 'I', type: 'integer', jsonPath: '.v.f' },
        { name: 'N', type: 'number', jsonPath: '.v.i' },
        { name: 'S', type: 'string', jsonPath: '.v.o' },
        { name: 'B', type: 'boolean', jsonPath: '.v.s' },
        { name: 'D', type: 'date', jsonPath: '.v.s' },
        { name: 'R', type: 'string', jsonPath: '.v.c[?(@.type=="Ready")].status' },
      ],
    };
    const tb = table(t, [
      {
        metadata: { name: 'x' },
        v: { f: 2.7, i: 3, o: { b: 1, a: 2 }, s: 'nope', c: [{ type: 'Ready', status: 'True' }] },
      },
    ]);
    assert.deepEqual(tb.rows[0].cells, ['x', 2, 3, '{"a":2,"b":1}', null, '<invalid>', 'True']);
  });
  it('defaults to an Age column when a version declares none', () => {
    const tb = table({ ...sveltosCluster, printerColumns: undefined }, [
      { metadata: { name: 'x', creationTimestamp: created } },
    ]);
    assert.deepEqual(names(tb), ['Name', 'Age']);
    assert.equal(tb.columnDefinitions[1].type, 'date');
    assert.deepEqual(tb.rows[0].cells, ['x', '5m']);
  });
});

describe('row objects', () => {
  const cm: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'd' },
    data: { a: 'b' },
  };
  it('includeObject=None leaves the object out', () =>
    assert.equal('object' in table(rt('', 'ConfigMap'), [cm]).rows[0], false));
  it('includeObject=Metadata embeds a PartialObjectMetadata', () => {
    assert.deepEqual(table(rt('', 'ConfigMap'), [cm], 'Metadata').rows[0].object, {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'c', namespace: 'd' },
    });
  });
  it('includeObject=Object embeds the object', () =>
    assert.deepEqual(table(rt('', 'ConfigMap'), [cm], 'Object').rows[0].object, cm));
  it('carries continue in the list metadata', () => {
    const tb: any = pub.table(rt('', 'ConfigMap'), [], {
      includeObject: 'None',
      resourceVersion: '7',
      continue: 'abc',
    });
    assert.deepEqual(tb.metadata, { resourceVersion: '7', continue: 'abc' });
    assert.deepEqual(tb.rows, []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterProfile, EventTrigger } from '../../api/index.js';
import type { DecodedReport, Obj } from './event-data.js';
import { type GenerateInput, generate } from './generate.js';
import { EventLabels } from './labels.js';
import { decideEmpty } from './safeguard.js';

const cluster = { namespace: 'fleet', name: 'prod', type: 'Sveltos' as const };
const clusterObj = {
  apiVersion: 'lib.projectsveltos.io/v1beta1',
  kind: 'SveltosCluster',
  metadata: { name: 'prod', namespace: 'fleet' },
};
const template: Obj = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'tpl',
    namespace: 'default',
    annotations: {
      'projectsveltos.io/instantiate': 'ok',
      'projectsveltos.io/template': 'ok',
      'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"ConfigMap"}',
    },
  },
  data: { 'x.yaml': 'name: {{ .MatchingResource.Name }}-{{ .Resource.spec.port }}' },
};
const nsTemplate: Obj = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'namespace',
    namespace: 'default',
    annotations: { 'projectsveltos.io/instantiate': 'ok' },
  },
  data: { 'ns.yaml': 'name: {{ .CloudEvent.subject }}' },
};

function trigger(spec: Partial<NonNullable<EventTrigger['spec']>>): EventTrigger {
  return {
    apiVersion: 'lib.projectsveltos.io/v1beta1',
    kind: 'EventTrigger',
    metadata: { name: 't1', uid: 'u1', labels: { 'projectsveltos.io/serviceaccount-name': 'sa' } },
    spec: { sourceClusterSelector: { matchLabels: { env: 'prod' } }, eventSourceName: 'es', ...spec },
  };
}

function report(names: string[], cloudEvents: Obj[] = []): DecodedReport {
  const resources = new Map<string, Obj>();
  for (const [i, n] of names.entries())
    resources.set(`Service:ns/${n}`, {
      kind: 'Service',
      metadata: { name: n, namespace: 'ns' },
      spec: { port: 80 + i },
    });
  return {
    matching: names.map((n) => ({ apiVersion: 'v1', kind: 'Service', namespace: 'ns', name: n })),
    resources,
    cloudEvents,
  };
}

function input(t: EventTrigger, r: DecodedReport, extra: Partial<GenerateInput> = {}): GenerateInput {
  return {
    trigger: t,
    cluster,
    clusterObj,
    eventSource: 'es',
    report: r,
    lookup: (kind, ns, name) =>
      [template, nsTemplate].find(
        (o) =>
          kind === 'ConfigMap' && (o.metadata as Obj).namespace === ns && (o.metadata as Obj).name === name,
      ),
    existingProfiles: [],
    existingObjects: [],
    keepResourceProfiles: false,
    ...extra,
  };
}

describe('generate', () => {
  it('names are stable: a pass over a stale cache (nothing found yet) names everything alike', () => {
    const t = trigger({
      oneForEvent: true,
      policyRefs: [{ kind: 'ConfigMap', namespace: 'default', name: 'tpl' }],
    });
    const names = (plan: ReturnType<typeof generate>) => [
      ...plan.profiles.map((p) => p.metadata?.name),
      ...plan.objects.map((o) => (o.metadata as Obj).name),
    ];
    const first = generate(input(t, report(['a', 'b'])));
    const again = generate(input(t, report(['a', 'b'])));
    assert.deepEqual(names(again), names(first));
    const all = names(first) as string[];
    assert.equal(new Set(all).size, 4, 'one name per profile and per instantiated ConfigMap');
    for (const n of all) assert.match(n, /^sveltos-[a-z0-9]{20}$/);
    // Another trigger or another source cluster: other names.
    const other = generate(input({ ...t, metadata: { ...t.metadata, name: 't2' } }, report(['a'])));
    assert.ok(!all.includes(other.profiles[0].metadata?.name ?? ''));
    const elsewhere = generate({ ...input(t, report(['a'])), cluster: { ...cluster, name: 'dev' } });
    assert.ok(!all.includes(elsewhere.profiles[0].metadata?.name ?? ''));
  });

  it('oneForEvent: one profile per resource with labels, default targeting, instantiated policyRefs (Local first)', () => {
    const t = trigger({
      oneForEvent: true,
      syncMode: 'ContinuousWithDriftDetection',
      policyRefs: [
        { kind: 'ConfigMap', namespace: 'default', name: 'tpl' },
        {
          kind: 'ConfigMap',
          namespace: 'default',
          name: 'plain-{{ .MatchingResource.Name }}',
          deploymentType: 'Local',
        },
      ],
    });
    const plan = generate(input(t, report(['a', 'b'])));
    assert.deepEqual(plan.errors, [
      // plain-a / plain-b do not exist and are not optional
      ...['a', 'b'].map((n) => plan.errors.find((e) => e.includes(`default/plain-${n} not found`))),
    ]);
    const ok = generate(
      input(
        trigger({
          oneForEvent: true,
          syncMode: 'ContinuousWithDriftDetection',
          policyRefs: [
            { kind: 'ConfigMap', namespace: 'default', name: 'tpl' },
            {
              kind: 'ConfigMap',
              namespace: 'default',
              name: 'plain',
              deploymentType: 'Local',
              optional: true,
            },
          ],
        }),
        report(['a', 'b']),
      ),
    );
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.profiles.length, 2);
    const p = ok.profiles[0];
    assert.match(p.metadata?.name ?? '', /^sveltos-[a-z0-9]{20}$/);
    assert.deepEqual(p.metadata?.labels, {
      [EventLabels.eventTriggerName]: 't1',
      [EventLabels.clusterNamespace]: 'fleet',
      [EventLabels.clusterName]: 'prod',
      [EventLabels.clusterType]: 'Sveltos',
      [EventLabels.eventReportName]: 'es',
      [EventLabels.eventSourceName]: 'es',
      [EventLabels.resourceName]: 'a',
      [EventLabels.resourceNamespace]: 'ns',
      'projectsveltos.io/serviceaccount-name': 'sa',
    });
    assert.deepEqual(p.spec?.clusterRefs, [
      {
        apiVersion: 'lib.projectsveltos.io/v1beta1',
        kind: 'SveltosCluster',
        namespace: 'fleet',
        name: 'prod',
      },
    ]);
    assert.equal(p.spec?.syncMode, 'ContinuousWithDriftDetection');
    assert.equal(p.spec?.policyRefs?.[0].name, 'plain'); // Local first
    assert.equal(p.spec?.policyRefs?.[1].namespace, 'projectsveltos');
    assert.equal(ok.objects.length, 2);
    assert.deepEqual((ok.objects[0] as { data: unknown }).data, { 'x.yaml': 'name: a-80' });
    assert.equal((ok.objects[1] as { data: Record<string, string> }).data['x.yaml'], 'name: b-81');
    // The template marker is carried for the add-on controller; kubectl's record of the source is not.
    assert.deepEqual((ok.objects[0].metadata as { annotations: Record<string, string> }).annotations, {
      'projectsveltos.io/instantiate': 'ok',
      'projectsveltos.io/template': 'ok',
    });
    assert.equal(p.metadata?.ownerReferences?.[0].name, 't1');
  });

  it('oneForEvent false: one profile for all, .MatchingResources; destination selector and templated destinationCluster', () => {
    const plan = generate(
      input(
        trigger({
          destinationClusterSelector: { matchLabels: { dep: 'eng' } },
          profileNameFormat: '{{ .Cluster.metadata.name }}-{{ len .MatchingResources }}',
        }),
        report(['a', 'b']),
      ),
    );
    assert.equal(plan.profiles.length, 1);
    assert.equal(plan.profiles[0].metadata?.name, 'prod-2');
    assert.deepEqual(plan.profiles[0].spec?.clusterSelector, { matchLabels: { dep: 'eng' } });
    assert.equal(plan.profiles[0].spec?.clusterRefs, undefined);
    const d = generate(
      input(
        trigger({
          destinationCluster: {
            kind: 'SveltosCluster',
            namespace: 'x',
            name: '{{ .Cluster.metadata.name }}-dst',
          },
        }),
        report(['a']),
      ),
    );
    assert.deepEqual(d.profiles[0].spec?.clusterRefs, [
      { kind: 'SveltosCluster', namespace: 'x', name: 'prod-dst' },
    ]);
  });

  it('finds existing profiles and objects again by labels; removes stale ones; keeps them on render errors', () => {
    const t = trigger({
      oneForEvent: true,
      policyRefs: [{ kind: 'ConfigMap', namespace: 'default', name: 'tpl' }],
    });
    const first = generate(input(t, report(['a', 'b'])));
    const again = generate(
      input(t, report(['a']), { existingProfiles: first.profiles, existingObjects: first.objects }),
    );
    assert.equal(again.profiles[0].metadata?.name, first.profiles[0].metadata?.name);
    assert.equal(
      (again.objects[0].metadata as { name: string }).name,
      (first.objects[0].metadata as { name: string }).name,
    );
    assert.deepEqual(again.deleteProfiles, [first.profiles[1].metadata?.name]);
    assert.deepEqual(
      again.deleteObjects.map((o) => o.name),
      [(first.objects[1].metadata as { name: string }).name],
    );

    const broken = trigger({
      oneForEvent: true,
      helmCharts: [
        {
          releaseName: '{{ .Nope.x }',
          releaseNamespace: 'n',
          chartName: 'c',
          repositoryURL: 'u',
          repositoryName: 'r',
          chartVersion: '1',
        } as never,
      ],
    });
    const bad = generate(
      input(broken, report(['a']), {
        existingProfiles: first.profiles.slice(0, 1),
        existingObjects: first.objects.slice(0, 1),
      }),
    );
    assert.equal(bad.profiles.length, 0);
    assert.deepEqual(bad.deleteProfiles, []);
    assert.deepEqual(bad.deleteObjects, []);
    assert.match(bad.errors[0], /EventTrigger "t1".*helmCharts\[0\]\.releaseName.*:1:/);
  });

  it('empty report under the safeguard keeps resource profiles; confirmed removes them', () => {
    const t = trigger({ oneForEvent: true });
    const first = generate(input(t, report(['a'])));
    const held = generate(
      input(t, report([]), { existingProfiles: first.profiles, keepResourceProfiles: true }),
    );
    assert.deepEqual(held.deleteProfiles, []);
    const gone = generate(input(t, report([]), { existingProfiles: first.profiles }));
    assert.deepEqual(gone.deleteProfiles, [first.profiles[0].metadata?.name]);
  });

  it('CloudEvents: Create upserts per (source, subject), Delete removes, empty reports never do', () => {
    const t = trigger({
      oneForEvent: true,
      cloudEventAction: '{{if eq .CloudEvent.type "auth.example.com.logout"}}Delete{{else}}Create{{end}}',
      policyRefs: [{ kind: 'ConfigMap', namespace: 'default', name: 'namespace' }],
    });
    const login = { source: 'auth.example.com', subject: 'mgianluc', type: 'auth.example.com.login' };
    const created = generate(input(t, report([], [login])));
    assert.equal(created.profiles.length, 1);
    const p = created.profiles[0] as ClusterProfile;
    assert.equal(p.metadata?.labels?.[EventLabels.ceSource], 'auth.example.com');
    assert.equal(p.metadata?.labels?.[EventLabels.ceSubject], 'mgianluc');
    assert.deepEqual((created.objects[0] as { data: unknown }).data, { 'ns.yaml': 'name: mgianluc' });
    const quiet = generate(
      input(t, report([]), { existingProfiles: created.profiles, existingObjects: created.objects }),
    );
    assert.deepEqual([quiet.deleteProfiles, quiet.deleteObjects], [[], []]);
    const logout = generate(
      input(t, report([], [{ ...login, type: 'auth.example.com.logout' }]), {
        existingProfiles: created.profiles,
        existingObjects: created.objects,
      }),
    );
    assert.deepEqual(logout.deleteProfiles, [p.metadata?.name]);
    assert.equal(logout.deleteObjects.length, 1);
  });
});

describe('generators and Secrets', () => {
  it('configMapGenerator: name over .Cluster, nameFormat over event data, labels fromgenerator; Secret data rendered in base64', () => {
    const gen: Obj = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'gen-prod', namespace: 'fleet' },
      data: { k: '{{ .MatchingResource.Namespace }}' },
    };
    const sec: Obj = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'addons.projectsveltos.io/cluster-profile',
      metadata: { name: 's', namespace: 'default', annotations: { 'projectsveltos.io/instantiate': 'ok' } },
      data: { v: Buffer.from('ip={{ .Resource.spec.port }}').toString('base64') },
    };
    const plan = generate(
      input(
        trigger({
          oneForEvent: true,
          configMapGenerator: [
            {
              name: 'gen-{{ .Cluster.metadata.name }}',
              nameFormat: '{{ .MatchingResource.Name }}-generated',
            },
          ],
          policyRefs: [{ kind: 'Secret', namespace: 'default', name: 's' }],
        }),
        report(['a']),
        {
          lookup: (kind, ns, name) =>
            [gen, sec].find(
              (o) =>
                o.kind === kind && (o.metadata as Obj).namespace === ns && (o.metadata as Obj).name === name,
            ),
        },
      ),
    );
    assert.deepEqual(plan.errors, []);
    const g = plan.objects.find((o) => o.kind === 'ConfigMap') as {
      metadata: { name: string; namespace: string; labels: Record<string, string> };
      data: unknown;
    };
    assert.equal(g.metadata.name, 'a-generated');
    assert.equal(g.metadata.namespace, 'projectsveltos');
    assert.equal(g.metadata.labels[EventLabels.fromGenerator], 'ok');
    assert.equal(g.metadata.labels[EventLabels.refName], 'gen-prod');
    assert.deepEqual(g.data, { k: 'ns' });
    // Generator outputs are not added to policyRefs (as upstream).
    assert.deepEqual(
      plan.profiles[0].spec?.policyRefs?.map((r) => r.kind),
      ['Secret'],
    );
    const s = plan.objects.find((o) => o.kind === 'Secret') as { type: string; data: Record<string, string> };
    assert.equal(s.type, 'addons.projectsveltos.io/cluster-profile');
    assert.equal(Buffer.from(s.data.v, 'base64').toString(), 'ip=80');
  });

  it('templateResourceRefs and helmCharts are templated; patchesFrom is kept (upstream drops it)', () => {
    const plan = generate(
      input(
        trigger({
          oneForEvent: true,
          templateResourceRefs: [
            {
              identifier: 'x',
              resource: {
                kind: 'Secret',
                name: '{{ .MatchingResource.Name }}-creds',
                namespace: '{{ .MatchingResource.Namespace }}',
              },
            },
          ],
          helmCharts: [
            {
              releaseName: 'r-{{ .MatchingResource.Name }}',
              releaseNamespace: 'n',
              chartName: 'c',
              chartVersion: '1',
              repositoryURL: 'u',
              repositoryName: 'r',
              values: 'port: {{ .Resource.spec.port }}',
            } as never,
          ],
          patchesFrom: [
            { kind: 'ConfigMap', namespace: 'default', name: 'p-{{ .MatchingResource.Name }}' } as never,
          ],
        }),
        report(['a']),
      ),
    );
    const spec = plan.profiles[0].spec as Record<string, any>;
    assert.deepEqual(spec.templateResourceRefs[0].resource, {
      kind: 'Secret',
      name: 'a-creds',
      namespace: 'ns',
    });
    assert.equal(spec.helmCharts[0].releaseName, 'r-a');
    assert.equal(spec.helmCharts[0].values, 'port: 80');
    assert.equal(spec.patchesFrom[0].name, 'p-a');
  });
});

describe('decideEmpty', () => {
  const base = { resourceProfiles: 2, emptySince: undefined, nowMs: 1_000_000, graceMs: 30_000 };
  it('events generate; deleting withdraws at once; nothing to protect generates', () => {
    assert.equal(decideEmpty({ ...base, state: 'events' }).kind, 'generate');
    assert.equal(decideEmpty({ ...base, state: 'deleting' }).kind, 'withdraw');
    assert.equal(decideEmpty({ ...base, state: 'empty', resourceProfiles: 0 }).kind, 'generate');
  });
  it('first empty observation stamps, later ones wait out the grace, then withdraw', () => {
    assert.deepEqual(decideEmpty({ ...base, state: 'missing' }), {
      kind: 'hold',
      since: new Date(1_000_000).toISOString(),
      stamp: true,
      afterMs: 30_000,
    });
    const since = new Date(990_000).toISOString();
    assert.deepEqual(decideEmpty({ ...base, state: 'empty', emptySince: since }), {
      kind: 'hold',
      since,
      stamp: false,
      afterMs: 20_000,
    });
    assert.equal(
      decideEmpty({ ...base, state: 'empty', emptySince: since, nowMs: 1_020_000 }).kind,
      'withdraw',
    );
    assert.equal(decideEmpty({ ...base, state: 'empty', emptySince: 'garbage' }).kind, 'hold');
  });
});

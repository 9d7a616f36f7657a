/**
 * Pure generation (observe → decide): from one EventTrigger, one source cluster and its decoded
 * EventReport, the ClusterProfiles and instantiated ConfigMaps/Secrets that must exist, and the
 * generated objects to delete (API.md §7.5).
 */
import { V1ALPHA1_TEMPLATE_ANNOTATION } from '../../api/conversion/index.js';
import type { ClusterProfile, EventTrigger, ObjectReference, PolicyRef } from '../../api/index.js';
import {
  type DecodedReport,
  type EventInstance,
  identityOfLabels,
  instanceLabels,
  isCloudEventIdentity,
  type Obj,
  resourceOf,
  templateData,
} from './event-data.js';
import { baseLabels, EventLabels, type SourceCluster, stableName, SVELTOS_NS } from './labels.js';
import { render, renderDeep } from './render.js';
import { setOwn } from '../../lib/own-props.js';

export type RefKind = 'ConfigMap' | 'Secret';

export interface GenerateInput {
  trigger: EventTrigger;
  cluster: SourceCluster;
  /** The cluster object (SveltosCluster), `.Cluster` in templates. */
  clusterObj: Obj;
  eventSource: string;
  report: DecodedReport;
  /** Management-cluster ConfigMaps/Secrets (from the cache). */
  lookup(kind: RefKind, namespace: string, name: string): Obj | undefined;
  /** Profiles already generated for (trigger, cluster, eventSource) — found by labels. */
  existingProfiles: readonly ClusterProfile[];
  /** ConfigMaps/Secrets already generated for (trigger, cluster, eventSource). */
  existingObjects: readonly Obj[];
  /**
   * True while an empty/missing report is not yet confirmed: profiles of resource events are kept
   * as they are (the empty-report safeguard).
   */
  keepResourceProfiles: boolean;
}

export interface ObjectId {
  kind: RefKind;
  namespace: string;
  name: string;
}

export interface GeneratePlan {
  profiles: ClusterProfile[];
  objects: Obj[];
  deleteProfiles: string[];
  deleteObjects: ObjectId[];
  /** One message per failed instance (trigger, template and line named). */
  errors: string[];
}

const COPIED = [
  'syncMode',
  'tier',
  'continueOnConflict',
  'reloader',
  'maxUpdate',
  'stopMatchingBehavior',
  'dependsOn',
  'preDeployChecks',
  'validateHealths',
  'preDeleteChecks',
  'postDeleteChecks',
  'patches',
  'driftExclusions',
  'extraLabels',
  'extraAnnotations',
] as const;

const TENANT_LABELS = ['projectsveltos.io/serviceaccount-name', 'projectsveltos.io/serviceaccount-namespace'];

function isEmptySelector(s: { matchLabels?: object; matchExpressions?: unknown[] } | undefined): boolean {
  return !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}

function sveltosClusterRef(c: SourceCluster): ObjectReference {
  return c.type === 'Sveltos'
    ? {
        apiVersion: 'lib.projectsveltos.io/v1beta1',
        kind: 'SveltosCluster',
        namespace: c.namespace,
        name: c.name,
      }
    : { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', namespace: c.namespace, name: c.name };
}

/** The instances of this pass, and the CloudEvent identities whose action is Delete. */
export function instancesOf(
  input: Pick<GenerateInput, 'trigger' | 'report' | 'clusterObj'>,
  where: string,
): { instances: EventInstance[]; ceDeletes: string[]; errors: string[] } {
  const { trigger, report } = input;
  const instances: EventInstance[] = [];
  const errors: string[] = [];
  if (report.matching.length > 0) {
    if (trigger.spec?.oneForEvent) {
      for (const ref of report.matching)
        instances.push({ kind: 'resource', ref, resource: resourceOf(report, ref) });
    } else {
      instances.push({
        kind: 'all',
        refs: report.matching,
        resources: report.matching.map((r) => resourceOf(report, r)).filter((x): x is Obj => !!x),
      });
    }
  }
  const ceDeletes: string[] = [];
  // Several events for one (source, subject) in a pass: the last one decides.
  const byId = new Map<string, EventInstance>();
  for (const event of report.cloudEvents) {
    const inst: EventInstance = { kind: 'cloudEvent', event };
    const id = identityOfLabels(instanceLabels(inst));
    let action = 'Create';
    try {
      action = render(
        where,
        'cloudEventAction',
        trigger.spec?.cloudEventAction || 'Create',
        templateData(inst, input.clusterObj),
      ).trim();
    } catch (err) {
      errors.push((err as Error).message);
      continue;
    }
    if (action === 'Delete') {
      byId.delete(id);
      ceDeletes.push(id);
    } else {
      byId.set(id, inst);
      const i = ceDeletes.indexOf(id);
      if (i >= 0) ceDeletes.splice(i, 1);
    }
  }
  instances.push(...byId.values());
  return { instances, ceDeletes, errors };
}

interface Built {
  profile: ClusterProfile;
  objects: Obj[];
}

function objectIdentity(o: { kind?: unknown; metadata?: { labels?: Record<string, string> } }): string {
  const l = o.metadata?.labels ?? {};
  return [
    o.kind,
    identityOfLabels(l),
    l[EventLabels.refNamespace] ?? '',
    l[EventLabels.refName] ?? '',
    l[EventLabels.fromGenerator] ?? '',
  ].join('\u0001');
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function instantiate(
  where: string,
  src: Obj,
  kind: RefKind,
  name: string,
  labels: Record<string, string>,
  data: unknown,
): Obj {
  const meta = (src.metadata ?? {}) as {
    namespace?: string;
    name?: string;
    annotations?: Record<string, string>;
  };
  const label = `${kind} ${meta.namespace}/${meta.name}`;
  // Source annotations are carried (a `projectsveltos.io/template` must survive for the add-on
  // controller), except kubectl's record of the source: on the copy it is wrong (a later
  // `kubectl apply` would diff against the template) and repeats the unrendered source.
  const annotations = { ...(meta.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const out: Obj = {
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: SVELTOS_NS, labels, annotations },
  };
  if (kind === 'ConfigMap') {
    const d: Record<string, string> = {};
    for (const [k, v] of Object.entries((src.data ?? {}) as Record<string, string>))
      setOwn(d, k, render(where, `${label} key ${k}`, v, data));
    out.data = d;
  } else {
    const d: Record<string, string> = {};
    for (const [k, v] of Object.entries((src.data ?? {}) as Record<string, string>))
      setOwn(d, k, b64encode(render(where, `${label} key ${k}`, b64decode(v), data)));
    for (const [k, v] of Object.entries((src.stringData ?? {}) as Record<string, string>))
      setOwn(d, k, b64encode(render(where, `${label} key ${k}`, v, data)));
    out.data = d;
    if (src.type) out.type = src.type;
  }
  return out;
}

function b64decode(s: string): string {
  const bin = atob(s);
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}
function b64encode(s: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The raw (not label-escaped) identity of an instance, for stableName. */
function instanceIdentity(inst: EventInstance): string[] {
  switch (inst.kind) {
    case 'resource':
      return ['resource', inst.ref.namespace ?? '', inst.ref.name ?? ''];
    case 'cloudEvent':
      return ['cloudEvent', String(inst.event.source ?? ''), String(inst.event.subject ?? '')];
    case 'all':
      return ['all'];
  }
}

function buildInstance(
  input: GenerateInput,
  inst: EventInstance,
  where: string,
  existingProfile: ClusterProfile | undefined,
  existingObjects: Map<string, Obj>,
): Built {
  const { trigger, cluster, clusterObj } = input;
  const spec = trigger.spec ?? ({} as NonNullable<EventTrigger['spec']>);
  const data = templateData(inst, clusterObj);
  const labels: Record<string, string> = {
    ...baseLabels(trigger.metadata?.name ?? '', cluster, input.eventSource),
    ...instanceLabels(inst),
  };
  for (const k of TENANT_LABELS) {
    const v = trigger.metadata?.labels?.[k];
    if (v !== undefined) labels[k] = v;
  }
  // What a generated name stands for (see stableName): never random, so a stale cache cannot
  // make a second profile for the same event.
  const identity = [
    trigger.metadata?.name ?? '',
    cluster.type,
    cluster.namespace,
    cluster.name,
    input.eventSource,
    ...instanceIdentity(inst),
  ];
  const name = spec.profileNameFormat
    ? render(where, 'profileNameFormat', spec.profileNameFormat, data).trim()
    : (existingProfile?.metadata?.name ?? stableName(['ClusterProfile', ...identity]));
  if (!name)
    throw new Error(`${where}: profileNameFormat rendered an empty name; fix spec.profileNameFormat`);

  const objects: Obj[] = [];
  const objectName = (
    kind: RefKind,
    ns: string,
    n: string,
    gen: boolean,
    fmt?: string,
  ): { name: string; labels: Record<string, string> } => {
    const l: Record<string, string> = { ...labels, [EventLabels.refNamespace]: ns, [EventLabels.refName]: n };
    if (gen) l[EventLabels.fromGenerator] = 'ok';
    if (fmt !== undefined)
      return { name: render(where, `${kind}Generator nameFormat`, fmt, data).trim(), labels: l };
    const found = existingObjects.get(objectIdentity({ kind, metadata: { labels: l } }));
    const foundName = (found?.metadata as { name?: string } | undefined)?.name;
    return {
      name: foundName ?? stableName([kind, ...identity, ns, n, gen ? 'generator' : 'ref']),
      labels: l,
    };
  };

  const out: Record<string, unknown> = {};
  for (const f of COPIED) if (spec[f] !== undefined) out[f] = structuredClone(spec[f]);

  // Targeting (§7.5): source cluster by default; a selector replaces it; a rendered ref overrides.
  if (!isEmptySelector(spec.destinationClusterSelector))
    out.clusterSelector = structuredClone(spec.destinationClusterSelector);
  else out.clusterRefs = [sveltosClusterRef(cluster)];
  if (spec.destinationCluster && Object.values(spec.destinationCluster).some((v) => v)) {
    const d = renderDeep(where, 'destinationCluster', spec.destinationCluster, data);
    out.clusterRefs = [d];
    delete out.clusterSelector;
  }

  if (spec.templateResourceRefs) {
    out.templateResourceRefs = spec.templateResourceRefs.map((r, i) => ({
      ...structuredClone(r),
      resource: {
        ...r.resource,
        ...(r.resource.name !== undefined
          ? { name: render(where, `templateResourceRefs[${i}].resource.name`, r.resource.name, data) }
          : {}),
        ...(r.resource.namespace !== undefined
          ? {
              namespace: render(
                where,
                `templateResourceRefs[${i}].resource.namespace`,
                r.resource.namespace,
                data,
              ),
            }
          : {}),
      },
    }));
  }
  if (spec.helmCharts) out.helmCharts = renderDeep(where, 'helmCharts', spec.helmCharts, data);
  if (spec.kustomizationRefs)
    out.kustomizationRefs = renderDeep(where, 'kustomizationRefs', spec.kustomizationRefs, data);
  // Upstream drops patchesFrom (copies into a nil slice, §14.13): flotilla copies it, names rendered.
  if (spec.patchesFrom) out.patchesFrom = renderDeep(where, 'patchesFrom', spec.patchesFrom, data);

  if (spec.policyRefs) {
    const local: PolicyRef[] = [];
    const remote: PolicyRef[] = [];
    for (const [i, ref] of spec.policyRefs.entries()) {
      const ns = render(where, `policyRefs[${i}].namespace`, ref.namespace ?? '', data);
      const n = render(where, `policyRefs[${i}].name`, ref.name ?? '', data);
      let result: PolicyRef = { ...structuredClone(ref), namespace: ns, name: n };
      if (ref.kind === 'ConfigMap' || ref.kind === 'Secret') {
        const src = input.lookup(ref.kind, ns || cluster.namespace, n);
        if (!src) {
          if (!ref.optional)
            throw new Error(
              `${where}: policyRefs[${i}] ${ref.kind} ${ns || cluster.namespace}/${n} not found; create it or mark the ref optional`,
            );
        } else if (instantiates(trigger, src)) {
          const { name: on, labels: ol } = objectName(ref.kind, ns || cluster.namespace, n, false);
          objects.push(instantiate(where, src, ref.kind, on, ol, data));
          result = { ...result, namespace: SVELTOS_NS, name: on };
        }
      }
      if (result.deploymentType === 'Local') local.push(result);
      else remote.push(result);
    }
    out.policyRefs = [...local, ...remote];
  }

  const clusterData = templateData({ kind: 'all', refs: [], resources: [] }, clusterObj);
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const [i, g] of (spec[field] ?? []).entries()) {
      const ns =
        render(where, `${field}[${i}].namespace`, g.namespace ?? '', clusterData) || cluster.namespace;
      const n = render(where, `${field}[${i}].name`, g.name, clusterData);
      const src = input.lookup(kind, ns, n);
      if (!src) {
        if (g.optional) continue;
        throw new Error(
          `${where}: ${field}[${i}] ${kind} ${ns}/${n} not found; create it or mark the generator optional`,
        );
      }
      const { name: on, labels: ol } = objectName(kind, ns, n, true, g.nameFormat);
      objects.push(instantiate(where, src, kind, on, ol, data));
    }
  }

  const profile: ClusterProfile = {
    apiVersion: 'config.projectsveltos.io/v1beta1',
    kind: 'ClusterProfile',
    metadata: {
      name,
      labels,
      ...(trigger.metadata?.uid
        ? {
            ownerReferences: [
              {
                apiVersion: 'lib.projectsveltos.io/v1beta1',
                kind: 'EventTrigger',
                name: trigger.metadata.name ?? '',
                uid: trigger.metadata.uid,
              },
            ],
          }
        : {}),
    },
    spec: out as ClusterProfile['spec'],
  };
  return { profile, objects };
}

/**
 * Whether a policyRefs ConfigMap/Secret is instantiated with event data: `instantiate`, or (for
 * an EventTrigger written as v1alpha1) the v1alpha1-era `template` annotation.
 */
function instantiates(trigger: EventTrigger, src: { metadata?: unknown }): boolean {
  const ann = (src.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {};
  if (ann['projectsveltos.io/instantiate'] !== undefined) return true;
  return (
    trigger.metadata?.annotations?.[V1ALPHA1_TEMPLATE_ANNOTATION] !== undefined &&
    ann['projectsveltos.io/template'] !== undefined
  );
}

/** Decides the generated objects for one (EventTrigger, cluster, report). Pure. */
export function generate(input: GenerateInput): GeneratePlan {
  const where = `EventTrigger "${input.trigger.metadata?.name}" (cluster ${input.cluster.type.toLowerCase()}:${input.cluster.namespace}/${input.cluster.name}, EventSource ${input.eventSource})`;
  const { instances, ceDeletes, errors } = instancesOf(input, where);
  const existingById = new Map<string, ClusterProfile>();
  for (const p of input.existingProfiles) existingById.set(identityOfLabels(p.metadata?.labels), p);
  const existingObjects = new Map<string, Obj>();
  for (const o of input.existingObjects) existingObjects.set(objectIdentity(o as { kind?: unknown }), o);

  const plan: GeneratePlan = { profiles: [], objects: [], deleteProfiles: [], deleteObjects: [], errors };
  const keptIds = new Set<string>();
  const keptNames = new Set<string>();
  for (const inst of instances) {
    const id = identityOfLabels(instanceLabels(inst));
    try {
      const built = buildInstance(input, inst, where, existingById.get(id), existingObjects);
      plan.profiles.push(built.profile);
      plan.objects.push(...built.objects);
      keptNames.add(built.profile.metadata?.name ?? '');
    } catch (err) {
      // A failed render never withdraws what exists: keep the instance's current objects.
      plan.errors.push((err as Error).message);
    }
    keptIds.add(id);
  }
  const deletes = new Set(ceDeletes);
  const produced = new Set(plan.profiles.map((q) => identityOfLabels(q.metadata?.labels)));
  const kept = new Set<string>();
  for (const p of input.existingProfiles) {
    const id = identityOfLabels(p.metadata?.labels);
    const name = p.metadata?.name ?? '';
    if (keptNames.has(name)) continue;
    let keep: boolean;
    if (produced.has(id))
      keep = false; // renamed (profileNameFormat changed): the old one goes
    else if (keptIds.has(id))
      keep = true; // render error: keep what exists
    else if (isCloudEventIdentity(p.metadata?.labels)) keep = !deletes.has(id);
    else keep = input.keepResourceProfiles;
    if (keep) kept.add(id);
    else plan.deleteProfiles.push(name);
  }
  const desiredObjects = new Set(
    plan.objects.map((o) => `${o.kind}/${(o.metadata as { name: string }).name}`),
  );
  for (const o of input.existingObjects) {
    const meta = o.metadata as { name: string; namespace: string; labels?: Record<string, string> };
    if (desiredObjects.has(`${o.kind}/${meta.name}`)) continue;
    const id = identityOfLabels(meta.labels);
    if (!produced.has(id) && (kept.has(id) || keptIds.has(id))) continue;
    plan.deleteObjects.push({ kind: o.kind as RefKind, namespace: meta.namespace, name: meta.name });
  }
  return plan;
}

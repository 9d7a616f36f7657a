/**
 * Records a ClusterSummary keeps beside itself: the cluster's ClusterConfiguration (what each
 * profile deployed, capital `Features`), the DryRun ClusterReport, and the ResourceSummary in the
 * managed cluster that the drift agent watches.
 */
import type { HelmChartRef, HelmResourceHash, Patch, PatchSelector } from '../../api/index.js';
import {
  carryBaselines,
  driftBaselines,
  driftExclusionsToPatches,
  type ResourceRef,
  textHasher,
} from '../../engine/drift/index.js';
import {
  isAlreadyExists,
  isConflict,
  isNotFound,
  type KubeClient,
  type KubeObject,
  sveltosCrd,
} from '../../kube/index.js';
import { type ObjectId, parseObjectId } from './decide-deploy.js';
import { deepEqual, sha256Hex } from './object-hash.js';
import {
  ANNOTATION,
  type ClusterType,
  clusterConfigurationName,
  clusterReportName,
  CONFIG_API,
  FIELD_MANAGER,
  GVK,
  LABEL,
  LIB_API,
  type ProfileKind,
  SVELTOS_NAMESPACE,
} from './names.js';
import type { DeployedResource } from './types.js';

/** Field manager of what the Helm feature writes beside the Resources feature's fields. */
export const HELM_FIELD_MANAGER = 'flotilla-helm';
/** Field manager of what the Kustomize feature writes (ClusterReport, ResourceSummary). */
export const KUSTOMIZE_FIELD_MANAGER = 'flotilla-kustomize';

export interface ClusterRef {
  namespace: string;
  name: string;
  type: ClusterType;
}

export function deployedResource(id: ObjectId, local: boolean, time?: string): DeployedResource {
  const p = parseObjectId(id);
  return {
    name: p.name,
    ...(p.namespace ? { namespace: p.namespace } : {}),
    group: p.group,
    kind: p.kind,
    version: p.version,
    ...(time ? { lastAppliedTime: time } : {}),
    deploymentType: local ? 'Local' : 'Remote',
  };
}

export function resourceId(r: DeployedResource): ObjectId {
  return [r.group, r.version, r.kind, r.namespace ?? '', r.name].join('/');
}

/** A Helm release as ClusterConfiguration lists it (`Chart`). */
export interface DeployedChart {
  repoURL: string;
  releaseName: string;
  namespace?: string;
  chartVersion: string;
  appVersion?: string;
  icon?: string;
  lastAppliedTime: string;
}

interface FeatureEntry {
  featureID: string;
  resources?: DeployedResource[];
  charts?: DeployedChart[];
}

interface ConfigEntry {
  clusterProfileName?: string;
  profileName?: string;
  Features?: FeatureEntry[];
}

interface ClusterConfigurationObject extends KubeObject {
  status?: { clusterProfileResources?: ConfigEntry[]; profileResources?: ConfigEntry[] };
}

function listKey(kind: ProfileKind): 'clusterProfileResources' | 'profileResources' {
  return kind === 'Profile' ? 'profileResources' : 'clusterProfileResources';
}

function nameKey(kind: ProfileKind): 'clusterProfileName' | 'profileName' {
  return kind === 'Profile' ? 'profileName' : 'clusterProfileName';
}

async function readFeature(
  mgmt: KubeClient,
  cluster: ClusterRef,
  kind: ProfileKind,
  profile: string,
  featureID: string,
): Promise<FeatureEntry | undefined> {
  let cc: ClusterConfigurationObject;
  try {
    cc = await mgmt.get<ClusterConfigurationObject>({
      ...GVK.clusterConfiguration,
      namespace: cluster.namespace,
      name: clusterConfigurationName(cluster.type, cluster.name),
    });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const entry = (cc.status?.[listKey(kind)] ?? []).find((e) => e[nameKey(kind)] === profile);
  return entry?.Features?.find((f) => f.featureID === featureID);
}

/** What the ClusterConfiguration says a profile deployed on the cluster (Resources feature). */
export async function readDeployed(
  mgmt: KubeClient,
  cluster: ClusterRef,
  kind: ProfileKind,
  profile: string,
): Promise<DeployedResource[]> {
  return readDeployedFeature(mgmt, cluster, kind, profile, 'Resources');
}

/** The resources the ClusterConfiguration records for one feature (Resources, Kustomize). */
export async function readDeployedFeature(
  mgmt: KubeClient,
  cluster: ClusterRef,
  kind: ProfileKind,
  profile: string,
  featureID: 'Resources' | 'Kustomize',
): Promise<DeployedResource[]> {
  return (await readFeature(mgmt, cluster, kind, profile, featureID))?.resources ?? [];
}

/** The Helm releases the ClusterConfiguration records for a profile on the cluster. */
export async function readDeployedCharts(
  mgmt: KubeClient,
  cluster: ClusterRef,
  kind: ProfileKind,
  profile: string,
): Promise<DeployedChart[]> {
  return (await readFeature(mgmt, cluster, kind, profile, 'Helm'))?.charts ?? [];
}

/** Sets (or, with `resources` undefined, removes) a profile's Resources entry. */
export async function writeDeployed(
  mgmt: KubeClient,
  cluster: ClusterRef,
  kind: ProfileKind,
  profile: string,
  resources: DeployedResource[] | undefined,
  /** Probably absent (a first deploy): try creating before reading, one request less. */
  createFirst = false,
): Promise<void> {
  await writeFeature(
    mgmt,
    cluster,
    kind,
    profile,
    resources === undefined ? undefined : { featureID: 'Resources', resources },
    createFirst,
  );
}

/**
 * Sets one feature of a profile's entry (other features kept); `undefined` removes the whole
 * entry. A Helm feature without charts is dropped, and an entry without features with it.
 */
export async function writeFeature(
  mgmt: KubeClient,
  cluster: ClusterRef,
  kind: ProfileKind,
  profile: string,
  feature: FeatureEntry | undefined,
  createFirst = false,
): Promise<void> {
  const ref = {
    ...GVK.clusterConfiguration,
    namespace: cluster.namespace,
    name: clusterConfigurationName(cluster.type, cluster.name),
  };
  const dropFeature = feature?.featureID === 'Helm' && (feature.charts ?? []).length === 0;
  const create = () =>
    mgmt.create<ClusterConfigurationObject>({
      apiVersion: CONFIG_API,
      kind: 'ClusterConfiguration',
      metadata: {
        name: ref.name,
        namespace: ref.namespace,
        labels: { [LABEL.clusterName]: cluster.name, [LABEL.clusterType]: cluster.type.toLowerCase() },
      },
    });
  const cacheKey = `${ref.namespace}/${ref.name}`;
  const cache = lastWritten(mgmt);
  for (let attempt = 0; ; attempt++) {
    // Our own last write is usually still current (one ClusterConfiguration per cluster, written
    // by this process): start from it; a stale copy fails the update with a conflict and is read.
    let cc: ClusterConfigurationObject | undefined = attempt === 0 ? cache.get(cacheKey) : undefined;
    cache.delete(cacheKey);
    if (!cc && attempt === 0 && createFirst && feature !== undefined && !dropFeature) {
      try {
        cc = await create();
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
    if (!cc) {
      try {
        cc = await mgmt.get<ClusterConfigurationObject>(ref);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        if (feature === undefined || dropFeature) return;
        try {
          cc = await create();
        } catch (e) {
          if (attempt < 3) continue;
          throw e;
        }
      }
    }
    const status = cc.status ?? {};
    const all = status[listKey(kind)] ?? [];
    const prev = all.find((e) => e[nameKey(kind)] === profile);
    const list = all.filter((e) => e !== prev);
    let entry: ConfigEntry | undefined;
    if (feature !== undefined) {
      const features = (prev?.Features ?? []).filter((f) => f.featureID !== feature.featureID);
      if (!dropFeature) features.push(structuredClone(feature));
      features.sort((a, b) => a.featureID.localeCompare(b.featureID));
      if (features.length > 0) entry = { [nameKey(kind)]: profile, Features: features };
    }
    // Only this profile's entry changes: compare it, not the whole (growing) status.
    if (entry === undefined ? prev === undefined : prev !== undefined && deepEqual(entry, prev)) {
      cache.set(cacheKey, cc);
      return;
    }
    if (entry) list.push(entry);
    list.sort((a, b) => String(a[nameKey(kind)]).localeCompare(String(b[nameKey(kind)])));
    const next = { ...status, [listKey(kind)]: list };
    try {
      cache.set(cacheKey, await mgmt.updateStatus({ ...cc, status: next }));
      return;
    } catch (err) {
      if ((isConflict(err) || isNotFound(err)) && attempt < 5) continue;
      throw err;
    }
  }
}

/** The ClusterConfigurations as this process last wrote them, per management client. */
const written = new WeakMap<KubeClient, Map<string, ClusterConfigurationObject>>();

function lastWritten(mgmt: KubeClient): Map<string, ClusterConfigurationObject> {
  let m = written.get(mgmt);
  if (!m) written.set(mgmt, (m = new Map()));
  return m;
}

/** Writes the DryRun ClusterReport of a profile on a cluster. */
export async function writeClusterReport(
  mgmt: KubeClient,
  cluster: ClusterRef,
  kind: ProfileKind,
  profile: string,
  reports: readonly unknown[],
  /** `releaseReports` / `kustomizeResourceReports` (own field managers) or `resourceReports`. */
  section: 'resourceReports' | 'releaseReports' | 'kustomizeResourceReports' = 'resourceReports',
): Promise<void> {
  const name = clusterReportName(kind, profile, cluster.type, cluster.name);
  const obj = {
    apiVersion: CONFIG_API,
    kind: 'ClusterReport',
    metadata: {
      name,
      namespace: cluster.namespace,
      labels: {
        [kind === 'Profile' ? LABEL.profileName : LABEL.clusterProfileName]: profile,
        [LABEL.clusterName]: cluster.name,
        [LABEL.clusterType]: cluster.type.toLowerCase(),
      },
    },
    spec: { clusterNamespace: cluster.namespace, clusterName: cluster.name },
  };
  await mgmt.apply(obj, { fieldManager: FIELD_MANAGER, force: true });
  await mgmt.apply(
    {
      apiVersion: CONFIG_API,
      kind: 'ClusterReport',
      metadata: { name, namespace: cluster.namespace },
      status: { [section]: reports },
    },
    {
      fieldManager:
        section === 'releaseReports'
          ? HELM_FIELD_MANAGER
          : section === 'kustomizeResourceReports'
            ? KUSTOMIZE_FIELD_MANAGER
            : FIELD_MANAGER,
      force: true,
      subresource: 'status',
    },
  );
}

export async function deleteQuietly(
  client: KubeClient,
  ref: Parameters<KubeClient['delete']>[0],
): Promise<void> {
  try {
    await client.delete(ref);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Installs the ResourceSummary CRD and the `projectsveltos` namespace in a managed cluster. */
export async function ensureDriftPrerequisites(client: KubeClient): Promise<void> {
  try {
    await client.resource(LIB_API, 'ResourceSummary');
  } catch {
    await client.apply(sveltosCrd('resourcesummaries.lib.projectsveltos.io'), {
      fieldManager: FIELD_MANAGER,
      force: true,
    });
    client.discovery.invalidate(LIB_API);
  }
  try {
    await client.get({ ...GVK.namespace, name: SVELTOS_NAMESPACE });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await client.apply(
      { ...GVK.namespace, metadata: { name: SVELTOS_NAMESPACE } },
      { fieldManager: FIELD_MANAGER, force: true },
    );
  }
}

/** A profile's `driftExclusions` (as the ClusterSummary carries them). */
export type DriftExclusions = readonly { paths?: string[]; target?: Record<string, unknown> }[];

/** The profile's driftExclusions as the ResourceSummary's `spec.patches` (JSON6902 removes). */
export function driftPatchesOf(exclusions: DriftExclusions = []): Patch[] {
  return driftExclusionsToPatches(
    exclusions.map((e) => ({
      paths: e.paths ?? [],
      ...(e.target ? { target: e.target as PatchSelector } : {}),
    })),
  );
}

const hasher = textHasher(sha256Hex);

/**
 * Drift baselines of objects this deploy applied, hashed exactly as the agent hashes them, from
 * the objects the API server returned (`exclusions`: the same driftExclusions the
 * ResourceSummary's `spec.patches` carries).
 */
export function appliedBaselines(
  objects: readonly { object: KubeObject; chart?: HelmChartRef }[],
  exclusions: DriftExclusions = [],
): HelmResourceHash[] {
  const patches = driftPatchesOf(exclusions);
  const plain = objects.filter((o) => !o.chart).map((o) => o.object);
  const charted = objects.flatMap((o) => (o.chart ? [{ object: o.object, chart: o.chart }] : []));
  const b = driftBaselines({ resources: plain, helm: charted }, patches, hasher);
  return [...(b.resourceHashes ?? []), ...(b.helmResourceHashes ?? [])];
}

/** Deployed resources as a ResourceSummary lists them (`spec.resources`, `kustomizeResources`). */
export function resourceRefs(resources: readonly DeployedResource[]): ResourceRef[] {
  return resources.map((r) => ({
    name: r.name,
    ...(r.namespace ? { namespace: r.namespace } : {}),
    group: r.group,
    kind: r.kind,
    version: r.version,
  }));
}

/**
 * Writes the ResourceSummary of a ClusterSummary into the managed cluster (spec = deployed
 * resources, `spec.patches` = driftExclusions) and resets the Resources section of its status
 * with the baselines of `applied` (the server's answers to this deploy's applies): the handshake
 * with the drift agent, which compares the live objects with them from then on.
 */
export async function writeResourceSummary(
  client: KubeClient,
  summary: { namespace: string; name: string },
  resources: DeployedResource[],
  driftExclusions: DriftExclusions = [],
  /** Whether this deploy corrects a reported drift (then the flag it saw may be reset). */
  driftSeen = false,
  /** The managed cluster's objects as this deploy's applies returned them. */
  applied: readonly KubeObject[] = [],
): Promise<boolean> {
  const patches = driftPatchesOf(driftExclusions);
  const spec = {
    ...(patches.length > 0 ? { patches } : {}),
    resources: resourceRefs(resources),
  };
  return applyResourceSummary(client, summary, spec, {
    fieldManager: FIELD_MANAGER,
    section: 'resources',
    fresh: appliedBaselines(
      applied.map((object) => ({ object })),
      driftExclusions,
    ),
    listed: spec.resources,
    driftSeen,
  });
}

/** Per section of the ResourceSummary status: its changed flag, its hashes, what else a reset clears. */
const SECTION = {
  resources: { flag: 'resourcesChanged', hashes: 'resourceHashes', extra: {} },
  kustomizeResources: { flag: 'kustomizeResourcesChanged', hashes: 'kustomizeResourceHashes', extra: {} },
  helm: { flag: 'helmResourcesChanged', hashes: 'helmResourceHashes', extra: { driftedHelmCharts: null } },
} as const;

/**
 * Server-side applies a ResourceSummary section (`spec` fields owned by `fieldManager`, so each
 * feature keeps its own) and resets that section's status, conditional on the resourceVersion
 * it read: flag false, baselines = `fresh` (objects this deploy applied) plus the kept entries of
 * listed objects it did not apply (carryBaselines). An agent write in between (a baseline taken
 * from the live objects) is overwritten by a new attempt: our baselines are what was applied, so
 * an edit made since is still drift. False when the agent raised the flag after this deploy read
 * it (or kept writing): reconcile again.
 */
export async function applyResourceSummary(
  client: KubeClient,
  summary: { namespace: string; name: string },
  spec: Record<string, unknown>,
  o: {
    fieldManager: string;
    section: keyof typeof SECTION;
    /** Baselines of the objects this deploy applied (appliedBaselines). */
    fresh: readonly HelmResourceHash[];
    /** The section's resources as `spec` lists them. */
    listed: readonly ResourceRef[];
    /** Whether this deploy corrects a reported drift (then the flag it saw may be reset). */
    driftSeen: boolean;
  },
): Promise<boolean> {
  const metadata = {
    name: summary.name,
    namespace: SVELTOS_NAMESPACE,
    labels: { [LABEL.deployedBySveltos]: 'ok' },
    annotations: {
      [ANNOTATION.clusterSummaryName]: summary.name,
      [ANNOTATION.clusterSummaryNamespace]: summary.namespace,
    },
  };
  const ref = {
    apiVersion: LIB_API,
    kind: 'ResourceSummary',
    namespace: SVELTOS_NAMESPACE,
    name: summary.name,
  };
  const section = SECTION[o.section];
  let rs = await client.apply(
    { apiVersion: LIB_API, kind: 'ResourceSummary', metadata, spec },
    { fieldManager: o.fieldManager, force: true },
  );
  for (let attempt = 0; ; attempt++) {
    const st = rs.status as Record<string, unknown> | undefined;
    // A drift reported while we were deploying must survive: never reset a flag we did not see.
    if (st?.[section.flag] === true && (!o.driftSeen || attempt > 0)) return false;
    const hashes = carryBaselines(o.fresh, st?.[section.hashes] as HelmResourceHash[] | undefined, o.listed);
    try {
      await client.patch(
        ref,
        {
          metadata: { resourceVersion: rs.metadata?.resourceVersion },
          status: {
            [section.flag]: false,
            ...section.extra,
            [section.hashes]: hashes.length > 0 ? hashes : null,
          },
        },
        'merge',
        { subresource: 'status' },
      );
      return true;
    } catch (err) {
      if (!isConflict(err)) throw err;
      if (attempt >= 3) return false;
    }
    try {
      rs = await client.get(ref);
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}

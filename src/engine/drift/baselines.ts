import {
  Annotations,
  type ChartResource,
  type DriftExclusion,
  type HelmChartRef,
  type HelmResourceHash,
  LIB_API_VERSION,
  type Patch,
  parseApiVersion,
  type Resource,
  type ResourceSummary,
  type ResourceSummaryStatus,
  SVELTOS_NAMESPACE,
} from '../../api/index.js';
import { canonicalJson, driftText } from './normalize.js';
import { type DriftHasher, type DriftObject, type ResourceRef, resourceId } from './types.js';

/** What the management plane deployed for one ClusterSummary with ContinuousWithDriftDetection. */
export interface BuildResourceSummaryInput {
  clusterSummary: { namespace: string; name: string };
  /** Default: the ClusterSummary's name. */
  name?: string;
  /** Default `projectsveltos`. */
  namespace?: string;
  resources?: Resource[];
  kustomizeResources?: Resource[];
  chartResources?: ChartResource[];
  /** The profile's `driftExclusions`, turned into `spec.patches`. */
  driftExclusions?: DriftExclusion[];
  /** Extra exclusion patches, kept as they are. */
  patches?: Patch[];
}

/**
 * `driftExclusions` as Sveltos hands them to the agent: one JSON6902 patch of `remove`
 * operations per exclusion, with the exclusion's target. (JSON is YAML: the agent parses both.)
 */
export function driftExclusionsToPatches(exclusions: readonly DriftExclusion[]): Patch[] {
  return exclusions
    .filter((e) => e.paths.length > 0)
    .map((e) => ({
      patch: JSON.stringify(e.paths.map((path) => ({ op: 'remove', path }))),
      ...(e.target ? { target: e.target } : {}),
    }));
}

/**
 * The ResourceSummary to server-side apply into the managed cluster (or the management cluster,
 * agentless) after a deploy. Apply it, then reset the status with `driftResetPatch()`.
 */
export function buildResourceSummary(input: BuildResourceSummaryInput): ResourceSummary {
  const patches = [...driftExclusionsToPatches(input.driftExclusions ?? []), ...(input.patches ?? [])];
  const spec: NonNullable<ResourceSummary['spec']> = {};
  if (input.resources?.length) spec.resources = input.resources;
  if (input.kustomizeResources?.length) spec.kustomizeResources = input.kustomizeResources;
  if (input.chartResources?.length) spec.chartResources = input.chartResources;
  if (patches.length) spec.patches = patches;
  return {
    apiVersion: LIB_API_VERSION,
    kind: 'ResourceSummary',
    metadata: {
      name: input.name ?? input.clusterSummary.name,
      namespace: input.namespace ?? SVELTOS_NAMESPACE,
      annotations: {
        [Annotations.clusterSummaryName]: input.clusterSummary.name,
        [Annotations.clusterSummaryNamespace]: input.clusterSummary.namespace,
      },
    },
    spec,
  };
}

/** The objects the management plane just applied (the server's answers), per section. */
export interface AppliedObjects {
  resources?: readonly DriftObject[];
  kustomizeResources?: readonly DriftObject[];
  helm?: readonly { object: DriftObject; chart: HelmChartRef }[];
}

function entry(obj: DriftObject, hash: string, chart?: HelmChartRef): HelmResourceHash {
  const { group, version } = parseApiVersion(obj.apiVersion ?? '');
  return {
    group,
    version,
    kind: obj.kind ?? '',
    ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
    name: obj.metadata?.name ?? '',
    hash,
    ...(chart ? { helmChartRef: chart } : {}),
  };
}

/** A `DriftHasher` from a sha256 (hex) function over text, e.g. node:crypto's in the caller's layer. */
export function textHasher(sha256: (text: string) => string): DriftHasher {
  return (obj, patches) => sha256(driftText(obj, patches));
}

/**
 * Baseline hashes of what was just applied, computed exactly as the agent computes them, from
 * the objects the API server returned for the apply (`patches`: the summary's `spec.patches`;
 * `hash`: the agent's `driftHash`, or `textHasher(sha256)`).
 */
export function driftBaselines(
  applied: AppliedObjects,
  patches: readonly Patch[],
  hash: DriftHasher,
): Pick<ResourceSummaryStatus, 'resourceHashes' | 'kustomizeResourceHashes' | 'helmResourceHashes'> {
  const key = canonicalJson(patches);
  const of = (o: DriftObject, chart?: HelmChartRef) => entry(o, hash(o, patches, key), chart);
  return {
    resourceHashes: (applied.resources ?? []).map((o) => of(o)),
    kustomizeResourceHashes: (applied.kustomizeResources ?? []).map((o) => of(o)),
    helmResourceHashes: (applied.helm ?? []).map((h) => of(h.object, h.chart)),
  };
}

/**
 * One section's baselines after a deploy: the `fresh` entries (objects applied now) plus, for
 * listed objects this deploy did not apply (a release left unchanged, an object kept while
 * removals were frozen), their `previous` entry: they did not change, and an edit the agent has
 * not reported yet must stay drift. Entries of objects no longer listed are dropped.
 */
export function carryBaselines(
  fresh: readonly HelmResourceHash[],
  previous: readonly HelmResourceHash[] | undefined,
  listed: readonly ResourceRef[],
): HelmResourceHash[] {
  const ids = new Set(fresh.map(resourceId));
  const want = new Set(listed.map(resourceId));
  const out = [...fresh];
  for (const e of previous ?? []) {
    const id = resourceId(e);
    if (e.hash && want.has(id) && !ids.has(id)) {
      ids.add(id);
      out.push(e);
    }
  }
  return out;
}

/**
 * The management plane's half of the handshake, as a merge patch for the `status` subresource,
 * sent after the feature was (re)applied: clears the changed flags and drifted charts and sets
 * the baselines. Best: `baselines` from `driftBaselines(applied objects)`, so an edit made
 * between the apply and this reset is still drift. Without them the baselines are cleared (the
 * agent hashes the objects as they are when it sees the reset, so such an edit is accepted), or
 * kept with `keepBaselines` (only right when the deployed content did not change).
 */
export function driftResetPatch(
  opts: { keepBaselines?: boolean; baselines?: ReturnType<typeof driftBaselines> } = {},
): { status: Record<string, unknown> } {
  const status: Record<string, unknown> = {
    resourcesChanged: false,
    kustomizeResourcesChanged: false,
    helmResourcesChanged: false,
    driftedHelmCharts: null,
  };
  if (opts.baselines) {
    const b = opts.baselines;
    status.resourceHashes = b.resourceHashes?.length ? b.resourceHashes : null;
    status.kustomizeResourceHashes = b.kustomizeResourceHashes?.length ? b.kustomizeResourceHashes : null;
    status.helmResourceHashes = b.helmResourceHashes?.length ? b.helmResourceHashes : null;
  } else if (!opts.keepBaselines) {
    status.resourceHashes = null;
    status.kustomizeResourceHashes = null;
    status.helmResourceHashes = null;
  }
  return { status };
}

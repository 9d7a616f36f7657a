import {
  type ClusterConfiguration,
  type ClusterProfile,
  type ClusterReport,
  type ClusterSummary,
  type EventReport,
  type HealthCheckReport,
  type Profile,
  sveltosTypes,
  type TypeMeta,
} from '../api/index.js';
import { type KubeClient, type KubeObject, NotFoundError } from '../kube/index.js';
import { type AddonFilter, type AddonRow, addonRows } from './addons.js';
import { type DryRunFilter, type DryRunRow, dryRunRows } from './dryrun.js';
import { type ResourceFilter, type ResourceRow, resourceRows } from './resources.js';
import { type UsageFilter, type UsageRow, usageRows } from './usage.js';

/**
 * Lists every object of a kind (in one namespace when given). A kind the management cluster
 * does not serve (CRD not installed) reads as empty: nothing of it can exist.
 */
export async function listAll<T extends KubeObject>(
  client: KubeClient,
  type: TypeMeta,
  namespace?: string,
): Promise<T[]> {
  try {
    return (await client.list<T>({ ...type, ...(namespace ? { namespace } : {}) })).items;
  } catch (err) {
    if (err instanceof NotFoundError) return [];
    throw err;
  }
}

export async function queryAddons(client: KubeClient, f: AddonFilter = {}): Promise<AddonRow[]> {
  return addonRows(
    await listAll<ClusterConfiguration>(client, sveltosTypes.ClusterConfiguration, f.namespace),
    f,
  );
}

export async function queryDryRun(client: KubeClient, f: DryRunFilter = {}): Promise<DryRunRow[]> {
  return dryRunRows(await listAll<ClusterReport>(client, sveltosTypes.ClusterReport, f.namespace), f);
}

export async function queryUsage(client: KubeClient, f: UsageFilter = {}): Promise<UsageRow[]> {
  const [cps, ps, summaries] = await Promise.all([
    listAll<ClusterProfile>(client, sveltosTypes.ClusterProfile),
    listAll<Profile>(client, sveltosTypes.Profile),
    listAll<ClusterSummary>(client, sveltosTypes.ClusterSummary),
  ]);
  return usageRows([...cps, ...ps], summaries, f);
}

export async function queryResources(client: KubeClient, f: ResourceFilter = {}): Promise<ResourceRow[]> {
  const [health, events] = await Promise.all([
    listAll<HealthCheckReport>(client, sveltosTypes.HealthCheckReport, f.clusterNamespace),
    listAll<EventReport>(client, sveltosTypes.EventReport, f.clusterNamespace),
  ]);
  return resourceRows(health, events, f);
}

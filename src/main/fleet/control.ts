/**
 * `flotilla cluster create|delete`: asks the running `flotilla up` for an embedded cluster by
 * writing a SveltosCluster labelled `flotilla.dev/embedded=true` in its management cluster (the
 * same as `kubectl apply`), then waits until the cluster is ready, or gone.
 */
import { existsSync } from 'node:fs';
import { errorMessage, FlotillaError, UsageError } from '../../lib/errors.js';
import { isNotFound, KubeClient, type KubeObject } from '../../kube/index.js';
import {
  CLUSTER_NAMESPACE,
  EMBEDDED_LABEL,
  embeddedClusterObject,
  isEmbedded,
  SVELTOS_CLUSTER,
} from './embedded-clusters.js';
import type { ClusterSpec } from './spec.js';
import { runningPid, type StatePaths } from './state.js';

/** The running fleet's management client, or an error saying how to start one. */
export async function connectFleet(paths: StatePaths): Promise<KubeClient> {
  const kubeconfig = paths.kubeconfig('mgmt');
  if (!existsSync(kubeconfig))
    throw new UsageError(
      `--state ${paths.dir}: no fleet there (no mgmt.kubeconfig): start one with \`flotilla up --state ${paths.dir}\` or pass the right --state`,
    );
  if (runningPid(paths) === undefined)
    throw new FlotillaError(
      'fleet-down',
      `flotilla up is not running on ${paths.dir}: start it with \`flotilla up --state ${paths.dir}\`, then retry`,
    );
  return KubeClient.fromKubeconfig({ file: kubeconfig }, { name: 'mgmt', timeoutMs: 10_000 });
}

async function getCluster(mgmt: KubeClient, name: string): Promise<KubeObject | undefined> {
  try {
    return await mgmt.get({ ...SVELTOS_CLUSTER, namespace: CLUSTER_NAMESPACE, name });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw new FlotillaError(
      'fleet-unreachable',
      `reading SveltosCluster ${CLUSTER_NAMESPACE}/${name} failed: ${errorMessage(err)}; is flotilla up running?`,
      { cause: err },
    );
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates an embedded cluster and waits until its SveltosCluster is ready. */
export async function createCluster(
  mgmt: KubeClient,
  paths: StatePaths,
  spec: ClusterSpec,
  timeoutMs: number,
): Promise<void> {
  const existing = await getCluster(mgmt, spec.name);
  if (existing)
    throw new FlotillaError(
      'cluster-exists',
      isEmbedded(existing)
        ? `cluster ${spec.name} already exists: delete it first (flotilla cluster delete ${spec.name}) or pick another name`
        : `SveltosCluster ${CLUSTER_NAMESPACE}/${spec.name} exists and is not an embedded cluster: pick another name`,
    );
  await mgmt.create(embeddedClusterObject(spec));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sc = await getCluster(mgmt, spec.name);
    const status = sc?.status as { ready?: boolean; failureMessage?: string } | undefined;
    if (status?.ready === true && existsSync(paths.kubeconfig(spec.name))) return;
    if (Date.now() > deadline)
      throw new FlotillaError(
        'not-ready',
        `cluster ${spec.name} is registered but not ready after ${Math.round(timeoutMs / 1000)} s (${status?.failureMessage ?? 'no status yet'}): see ${paths.log}`,
      );
    await sleep(100);
  }
}

/** Deletes an embedded cluster and waits until flotilla up removed it. */
export async function deleteCluster(
  mgmt: KubeClient,
  paths: StatePaths,
  name: string,
  timeoutMs: number,
): Promise<void> {
  const existing = await getCluster(mgmt, name);
  if (!existing)
    throw new FlotillaError(
      'cluster-missing',
      `no cluster ${name} in the fleet of ${paths.dir}: list them with \`kubectl --kubeconfig ${paths.kubeconfig('mgmt')} get sveltosclusters -A\``,
    );
  if (!isEmbedded(existing))
    throw new FlotillaError(
      'cluster-not-embedded',
      `SveltosCluster ${CLUSTER_NAMESPACE}/${name} is not an embedded cluster (no label ${EMBEDDED_LABEL}=true): deregister it with kubectl delete instead`,
    );
  await mgmt.delete({ ...SVELTOS_CLUSTER, namespace: CLUSTER_NAMESPACE, name });
  const deadline = Date.now() + timeoutMs;
  while ((await getCluster(mgmt, name)) || existsSync(paths.kubeconfig(name))) {
    if (Date.now() > deadline)
      throw new FlotillaError(
        'not-deleted',
        `cluster ${name} is still there after ${Math.round(timeoutMs / 1000)} s: see ${paths.log}`,
      );
    await sleep(100);
  }
}

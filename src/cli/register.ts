import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import {
  encodeSecretValue,
  LIB_API_VERSION,
  type SveltosCluster,
  sveltosKubeconfigSecretName,
  sveltosTypes,
} from '../api/index.js';
import { isAlreadyExists, type KubeClient, NotFoundError } from '../kube/index.js';
import { FlotillaError, UsageError } from '../lib/errors.js';

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function checkName(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required: pass ${flag} NAME`);
  if (!NAME_RE.test(value) || value.length > 63)
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is not a valid name: use lowercase letters, digits and -`,
    );
  return value;
}

/** Parses `k=v,k2=v2` into labels. */
export function parseLabelList(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    const k = part.slice(0, i).trim();
    if (i <= 0 || k === '')
      throw new UsageError(
        `--labels ${JSON.stringify(text)}: ${JSON.stringify(part)} is not key=value; write --labels k=v,k2=v2`,
      );
    out[k] = part.slice(i + 1).trim();
  }
  return out;
}

type KubeconfigDoc = {
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  clusters?: { name: string }[];
  users?: { name: string }[];
  [k: string]: unknown;
};

/** A standalone kubeconfig holding only context `ctx` of `text` (its cluster and user). */
export function extractContext(text: string, ctx: string, where: string): string {
  const doc = (parse(text) ?? {}) as KubeconfigDoc;
  const c = doc.contexts?.find((x) => x.name === ctx);
  if (!c)
    throw new UsageError(
      `--fleet-cluster-context ${ctx}: ${where} has no such context (it has ${(doc.contexts ?? []).map((x) => x.name).join(', ') || 'none'})`,
    );
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: (doc.clusters ?? []).filter((x) => x.name === c.context.cluster),
    users: (doc.users ?? []).filter((x) => x.name === c.context.user),
    contexts: [c],
    'current-context': ctx,
  });
}

export interface RegisterSpec {
  namespace: string;
  name: string;
  kubeconfig: string;
  labels: Record<string, string>;
}

/** Creates (or updates) the kubeconfig Secret `<name>-sveltos-kubeconfig` and the SveltosCluster. */
export async function registerCluster(mgmt: KubeClient, spec: RegisterSpec): Promise<void> {
  try {
    await mgmt.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: spec.namespace } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const secretName = sveltosKubeconfigSecretName(spec.name);
  await mgmt.apply(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: secretName, namespace: spec.namespace },
      data: { kubeconfig: encodeSecretValue(spec.kubeconfig) },
    },
    { fieldManager: 'sveltosctl', force: true },
  );
  const cluster: SveltosCluster = {
    apiVersion: LIB_API_VERSION,
    kind: 'SveltosCluster',
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: { kubeconfigName: secretName, kubeconfigKeyName: 'kubeconfig' },
  };
  await mgmt.apply(cluster, { fieldManager: 'sveltosctl', force: true });
}

/** Deletes the SveltosCluster and its kubeconfig Secret. */
export async function deregisterCluster(mgmt: KubeClient, namespace: string, name: string): Promise<void> {
  let secretName = sveltosKubeconfigSecretName(name);
  try {
    const c = await mgmt.get<SveltosCluster>({ ...sveltosTypes.SveltosCluster, namespace, name });
    secretName = c.spec?.kubeconfigName || secretName;
    await mgmt.delete({ ...sveltosTypes.SveltosCluster, namespace, name });
  } catch (err) {
    if (err instanceof NotFoundError)
      throw new FlotillaError(
        'not-registered',
        `SveltosCluster ${namespace}/${name} is not registered: check --namespace and --cluster`,
      );
    throw err;
  }
  try {
    await mgmt.delete({ apiVersion: 'v1', kind: 'Secret', namespace, name: secretName });
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
}

export function readKubeconfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--kubeconfig ${file} cannot be read (${(err as Error).message}): pass the managed cluster's kubeconfig file`,
    );
  }
}

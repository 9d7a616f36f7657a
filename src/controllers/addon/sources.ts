/**
 * Observes what a ClusterSummary's Resources feature references, from the management caches:
 * policyRefs ConfigMaps/Secrets (namespace defaulting, templated names, Secret type, optional)
 * and templateResourceRefs objects. Failures are collected, not thrown: a source that cannot be
 * read freezes removals instead of withdrawing everything.
 */
import type { CacheReader } from '../../runtime/index.js';
import type { KubeObject } from '../../kube/index.js';
import { CLUSTER_PROFILE_SECRET_TYPE } from './names.js';
import { renderRefName, type SourceContent } from './render.js';
import type { PolicyRef, TemplateResourceRef } from './types.js';
import { getOwn, setOwn } from '../../lib/own-props.js';

export interface ResolvedSource {
  ref: PolicyRef;
  /** The rendered reference (namespace defaulted). */
  kind: 'ConfigMap' | 'Secret';
  namespace: string;
  name: string;
  content: SourceContent;
}

export interface SourceResolution {
  sources: ResolvedSource[];
  /** Sources that could not be read (missing non-optional, wrong type, unsupported kind...). */
  errors: string[];
}

function decodeSecret(v: string): string {
  return Buffer.from(v, 'base64').toString('utf8');
}

export function resolvePolicyRefs(
  refs: readonly PolicyRef[],
  cluster: KubeObject,
  caches: { configMaps: CacheReader; secrets: CacheReader },
  /** A Profile's namespace: its references must stay in it (leave `namespace` empty). */
  profileNamespace?: string,
  /** The referencing field, for messages (`policyRefs`, `helmCharts[0].valuesFrom`). */
  field = 'policyRefs',
): SourceResolution {
  const out: SourceResolution = { sources: [], errors: [] };
  const clusterNs = cluster.metadata?.namespace ?? '';
  for (const ref of refs) {
    const kind = ref.kind ?? 'ConfigMap';
    if (kind !== 'ConfigMap' && kind !== 'Secret') {
      out.errors.push(`${field} ${kind} ${ref.name}: only ConfigMap and Secret sources are supported`);
      continue;
    }
    let name: string;
    let namespace: string;
    try {
      name = renderRefName(ref.name, cluster as Record<string, unknown>);
      namespace = renderRefName(ref.namespace, cluster as Record<string, unknown>) || clusterNs;
    } catch (err) {
      out.errors.push(
        `${field} ${kind} ${ref.namespace ?? ''}/${ref.name}: cannot render the name: ${(err as Error).message}`,
      );
      continue;
    }
    if (profileNamespace !== undefined && namespace !== profileNamespace) {
      out.errors.push(
        `${field} ${kind} ${namespace}/${name}: a Profile can only reference objects of its own namespace ${profileNamespace}: leave the reference namespace empty`,
      );
      continue;
    }
    const cache = kind === 'ConfigMap' ? caches.configMaps : caches.secrets;
    const obj = cache.getByName(namespace, name) as
      | (KubeObject & { data?: Record<string, string>; type?: string })
      | undefined;
    if (!obj) {
      if (!ref.optional)
        out.errors.push(
          `${kind} ${namespace}/${name} referenced by ${field} not found in the management cluster: create it or mark the reference optional`,
        );
      continue;
    }
    if (kind === 'Secret' && obj.type !== CLUSTER_PROFILE_SECRET_TYPE) {
      out.errors.push(
        `Secret ${namespace}/${name}: unsupported secret type ${JSON.stringify(obj.type ?? 'Opaque')}: content Secrets must have type ${CLUSTER_PROFILE_SECRET_TYPE}`,
      );
      continue;
    }
    const data = Object.entries(obj.data ?? {})
      .map(([k, v]): [string, string] => [k, kind === 'Secret' ? decodeSecret(v) : v])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    out.sources.push({
      ref,
      kind,
      namespace,
      name,
      content: { kind, namespace, name, annotations: obj.metadata?.annotations ?? {}, data },
    });
  }
  return out;
}

export interface TemplateRefLookup {
  /** Whether the kind is namespaced in the management cluster (undefined: kind unknown). */
  namespaced(apiVersion: string, kind: string): Promise<boolean | undefined>;
  /** Cached object (undefined when absent). */
  get(apiVersion: string, kind: string, namespace: string, name: string): Promise<KubeObject | undefined>;
}

/** templateResourceRefs → identifier → object (ignoreStatusChanges / watchFields applied). */
export async function resolveTemplateRefs(
  refs: readonly TemplateResourceRef[],
  cluster: KubeObject,
  lookup: TemplateRefLookup,
): Promise<{ resources: Record<string, Record<string, unknown>>; errors: string[] }> {
  const resources: Record<string, Record<string, unknown>> = {};
  const errors: string[] = [];
  for (const r of refs) {
    const apiVersion = r.resource.apiVersion ?? 'v1';
    const kind = r.resource.kind ?? '';
    let name: string;
    let namespace: string;
    try {
      name = renderRefName(r.resource.name, cluster as Record<string, unknown>);
      namespace =
        renderRefName(r.resource.namespace, cluster as Record<string, unknown>) ||
        (cluster.metadata?.namespace ?? '');
    } catch (err) {
      errors.push(`templateResourceRefs ${r.identifier}: cannot render the name: ${(err as Error).message}`);
      continue;
    }
    const namespaced = await lookup.namespaced(apiVersion, kind);
    if (namespaced === undefined) {
      if (!r.optional)
        errors.push(
          `templateResourceRefs ${r.identifier}: kind ${apiVersion} ${kind} is not served by the management cluster`,
        );
      continue;
    }
    const obj = await lookup.get(apiVersion, kind, namespaced ? namespace : '', name);
    if (!obj) {
      if (!r.optional)
        errors.push(
          `templateResourceRefs ${r.identifier}: ${kind} ${namespaced ? `${namespace}/` : ''}${name} not found in the management cluster: create it or mark the reference optional`,
        );
      continue;
    }
    setOwn(resources, r.identifier, filtered(obj, r));
  }
  return { resources, errors };
}

function filtered(obj: KubeObject, r: TemplateResourceRef): Record<string, unknown> {
  const copy = structuredClone(obj) as Record<string, unknown>;
  if (r.watchFields && r.watchFields.length > 0) {
    const out: Record<string, unknown> = {};
    for (const path of r.watchFields) {
      const ks = path.split('.');
      let src: unknown = copy;
      for (const k of ks)
        src = src && typeof src === 'object' ? getOwn(src as Record<string, unknown>, k) : undefined;
      if (src === undefined) continue;
      let dst = out;
      for (const k of ks.slice(0, -1)) {
        if (getOwn(dst, k) == null) setOwn(dst, k, {});
        dst = dst[k] as Record<string, unknown>;
      }
      setOwn(dst, ks[ks.length - 1]!, src);
    }
    return out;
  }
  if (r.ignoreStatusChanges) {
    delete copy.status;
    const md = copy.metadata as Record<string, unknown> | undefined;
    if (md) {
      delete md.resourceVersion;
      delete md.managedFields;
    }
  }
  return copy;
}

/** Index values under which a summary is found when a referenced object changes. */
export function referenceIndexValues(
  spec:
    | {
        policyRefs?: PolicyRef[];
        templateResourceRefs?: TemplateResourceRef[];
        helmCharts?: { valuesFrom?: { kind: string; namespace?: string; name: string }[] }[];
      }
    | undefined,
  clusterNamespace: string,
): string[] {
  const out = new Set<string>();
  const add = (kind: string, ns: string | undefined, name: string | undefined) => {
    if ((name ?? '').includes('{{') || (ns ?? '').includes('{{')) out.add('*');
    else out.add(`${kind}/${ns || clusterNamespace}/${name ?? ''}`);
  };
  for (const r of spec?.policyRefs ?? []) add(r.kind ?? 'ConfigMap', r.namespace, r.name);
  for (const h of spec?.helmCharts ?? [])
    for (const r of h.valuesFrom ?? []) add(r.kind, r.namespace, r.name);
  for (const r of spec?.templateResourceRefs ?? []) {
    add(r.resource.kind ?? '', r.resource.namespace, r.resource.name);
    // Cluster-scoped kinds are looked up without a namespace.
    if (!r.resource.namespace && !(r.resource.name ?? '').includes('{{'))
      out.add(`${r.resource.kind}//${r.resource.name}`);
  }
  return [...out];
}

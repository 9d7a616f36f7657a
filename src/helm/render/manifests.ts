/**
 * From rendered templates to what Helm installs (pkg/releaseutil): documents split on `---`,
 * hooks separated by the `helm.sh/hook` annotation, manifests sorted in Helm's InstallOrder,
 * the release manifest text with `# Source:` headers.
 */

import { parse as parseYaml } from 'yaml';
import { HelmRenderError } from './errors.js';

export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

export const UNINSTALL_ORDER: readonly string[] = [
  'APIService',
  'Ingress',
  'IngressClass',
  'Service',
  'CronJob',
  'Job',
  'StatefulSet',
  'HorizontalPodAutoscaler',
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'Pod',
  'DaemonSet',
  'RoleBindingList',
  'RoleBinding',
  'RoleList',
  'Role',
  'ClusterRoleBindingList',
  'ClusterRoleBinding',
  'ClusterRoleList',
  'ClusterRole',
  'CustomResourceDefinition',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
  'ConfigMap',
  'SecretList',
  'Secret',
  'ServiceAccount',
  'PodDisruptionBudget',
  'PodSecurityPolicy',
  'LimitRange',
  'ResourceQuota',
  'NetworkPolicy',
  'Namespace',
  'PriorityClass',
];

export type HookEvent =
  | 'pre-install'
  | 'post-install'
  | 'pre-delete'
  | 'post-delete'
  | 'pre-upgrade'
  | 'post-upgrade'
  | 'pre-rollback'
  | 'post-rollback'
  | 'test';

const EVENTS = new Set<string>([
  'pre-install',
  'post-install',
  'pre-delete',
  'post-delete',
  'pre-upgrade',
  'post-upgrade',
  'pre-rollback',
  'post-rollback',
  'test',
  'test-success',
]);

export type HookPhase = 'Unknown' | 'Running' | 'Succeeded' | 'Failed';

/** Helm's release.Hook (JSON field names as in the release record). */
export interface Hook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: HookEvent[];
  last_run: { started_at: string; completed_at: string; phase: HookPhase | '' };
  weight: number;
  delete_policies: string[];
  output_log_policies?: string[];
}

/** The head of one document (Helm's SimpleHead). */
export interface Head {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
}

/** One non-hook document of the release. */
export interface Manifest {
  /** The template path, e.g. `mychart/templates/cm.yaml`. */
  name: string;
  content: string;
  head: Head;
}

const SEP = /(?:^|\s*\n)---\s*/;

/** Helm's SplitManifests: documents in order, trimmed, empty ones dropped. */
export function splitManifests(text: string): string[] {
  return text
    .trim()
    .split(SEP)
    .filter((d) => d !== '')
    .map((d) => d.trim());
}

function kindRank(order: readonly string[]): (k: string) => number {
  const m = new Map(order.map((k, i) => [k, i]));
  return (k) => m.get(k) ?? -1;
}

/** Helm's lessByKind as a comparator (unknown kinds last, alphabetical among themselves). */
export function compareKinds(order: readonly string[]): (a: string, b: string) => number {
  const rank = kindRank(order);
  return (a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra < 0 && rb < 0) return a === b ? 0 : a < b ? -1 : 1;
    if (ra < 0) return 1;
    if (rb < 0) return -1;
    return ra - rb;
  };
}

/** Stable sort of manifests by kind in `order`. */
export function sortByKind<T extends { head: Head }>(items: T[], order: readonly string[]): T[] {
  const cmp = compareKinds(order);
  return [...items].sort((a, b) => cmp(a.head.kind ?? '', b.head.kind ?? ''));
}

function annotationList(v: string | undefined): string[] {
  if (v === undefined) return [];
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const HEAD_KEYS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * The document's head (apiVersion, kind, metadata) parsed from just those top-level blocks:
 * much cheaper than parsing a whole large document. Falls back to a full parse for anything
 * unusual (flow style, anchors, tags, directives).
 */
export function parseHead(doc: string): Head {
  if (/^[{[%]|[&*!]/m.test(doc)) return (parseYaml(doc) ?? {}) as Head;
  const lines = doc.split('\n');
  const picked: string[] = [];
  let keep = false;
  for (const line of lines) {
    if (line === '' || line[0] === ' ' || line[0] === '\t' || line[0] === '#' || line[0] === '-') {
      if (keep) picked.push(line);
      continue;
    }
    const m = /^([A-Za-z_][\w.-]*|"[^"]*"|'[^']*')\s*:/.exec(line);
    keep = m !== null && HEAD_KEYS.has(m[1].replace(/^["']|["']$/g, ''));
    if (keep) picked.push(line);
  }
  const head = (parseYaml(picked.join('\n')) ?? {}) as Head;
  return typeof head === 'object' && head !== null && head.kind !== undefined
    ? head
    : ((parseYaml(doc) ?? {}) as Head);
}

/** Helm's SortManifests: files in lexical order, split, hooks and manifests separated and sorted. */
export function sortManifests(
  files: Map<string, string>,
  order: readonly string[] = INSTALL_ORDER,
): { hooks: Hook[]; manifests: Manifest[]; warnings: string[] } {
  const hooks: Hook[] = [];
  const generic: Manifest[] = [];
  const warnings: string[] = [];
  for (const path of [...files.keys()].sort()) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    const content = files.get(path) as string;
    if (base.startsWith('_') || content.trim() === '') continue;
    for (const doc of splitManifests(content)) {
      let head: Head;
      try {
        head = parseHead(doc);
      } catch (e) {
        throw new HelmRenderError(
          'helm.manifest',
          `YAML parse error on ${path}: ${(e as Error).message}; fix the template so that it renders valid YAML`,
          { cause: e },
        );
      }
      if (typeof head !== 'object' || head === null) {
        throw new HelmRenderError(
          'helm.manifest',
          `YAML parse error on ${path}: the document is not a mapping`,
        );
      }
      const ann = head.metadata?.annotations ?? {};
      const hookTypes = ann['helm.sh/hook'];
      if (hookTypes === undefined) {
        generic.push({ name: path, content: doc, head });
        continue;
      }
      const events = annotationList(hookTypes).map((e) => e.toLowerCase());
      if (events.some((e) => !EVENTS.has(e))) {
        warnings.push(`info: skipping unknown hook: ${JSON.stringify(hookTypes)} in ${path}`);
        continue;
      }
      const weight = Number.parseInt(ann['helm.sh/hook-weight'] ?? '0', 10);
      hooks.push({
        name: head.metadata?.name ?? '',
        kind: head.kind,
        path,
        manifest: doc,
        events: events.map((e) => (e === 'test-success' ? 'test' : e)) as HookEvent[],
        // Go's zero time until the hook runs.
        last_run: { started_at: '0001-01-01T00:00:00Z', completed_at: '0001-01-01T00:00:00Z', phase: '' },
        weight: Number.isNaN(weight) ? 0 : weight,
        delete_policies: annotationList(ann['helm.sh/hook-delete-policy']),
        output_log_policies: annotationList(ann['helm.sh/hook-output-log-policy']),
      });
    }
  }
  const cmp = compareKinds(order);
  return {
    hooks: [...hooks].sort((a, b) => cmp(a.kind, b.kind)),
    manifests: sortByKind(generic, order),
    warnings,
  };
}

/** The release manifest text: `---\n# Source: PATH\nCONTENT\n` per document. */
export function manifestText(manifests: readonly { name: string; content: string }[]): string {
  return manifests.map((m) => `---\n# Source: ${m.name}\n${m.content}\n`).join('');
}

/** Hooks of one event in execution order: weight ascending, then name (stable on kind order). */
export function hooksFor(hooks: readonly Hook[], event: HookEvent): Hook[] {
  return hooks
    .filter((h) => h.events.includes(event))
    .sort((a, b) => a.weight - b.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

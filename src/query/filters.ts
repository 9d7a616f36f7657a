import { UsageError } from '../lib/errors.js';

/** Filters shared by the `show` read models; all optional. */
export interface ClusterFilter {
  /** Namespace of the cluster. */
  namespace?: string;
  /** Name of the cluster. */
  cluster?: string;
}

export interface ProfileRef {
  kind: 'ClusterProfile' | 'Profile';
  name: string;
  /** Namespace of a Profile (unset: any). */
  namespace?: string;
}

/** Parses `--profile kind/name` (`ClusterProfile/x`, `Profile/x` or `Profile/ns/x`). */
export function parseProfileRef(text: string, flag = '--profile'): ProfileRef {
  const parts = text.split('/');
  const kind = parts[0];
  if (
    (kind !== 'ClusterProfile' && kind !== 'Profile') ||
    parts.length < 2 ||
    parts.length > 3 ||
    parts.some((p) => p === '')
  )
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not kind/name: write ClusterProfile/<name> or Profile/<name>`,
    );
  if (parts.length === 3) {
    if (kind !== 'Profile')
      throw new UsageError(
        `${flag} ${JSON.stringify(text)}: a ClusterProfile has no namespace, write ClusterProfile/<name>`,
      );
    return { kind, namespace: parts[1], name: parts[2] };
  }
  return { kind, name: parts[1] };
}

export function clusterMatches(f: ClusterFilter, namespace: string, name: string): boolean {
  return (!f.namespace || f.namespace === namespace) && (!f.cluster || f.cluster === name);
}

export function profileMatches(
  f: ProfileRef | undefined,
  kind: string,
  name: string,
  namespace?: string,
): boolean {
  if (!f) return true;
  return f.kind === kind && f.name === name && (!f.namespace || !namespace || f.namespace === namespace);
}

/** `ClusterProfile/<name>` or `Profile/<namespace>/<name>` as sveltosctl prints profile owners. */
export function profileLabel(kind: string, name: string, namespace?: string): string {
  return kind === 'Profile' && namespace ? `Profile/${namespace}/${name}` : `${kind}/${name}`;
}

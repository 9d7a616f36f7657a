import type { EventReport, HealthCheckReport } from '../api/index.js';

/** One row of `show resources`: an object collected from a managed cluster. */
export interface ResourceRow {
  cluster: string;
  /** `group/version, Kind=Kind` as Kubernetes prints a GroupVersionKind. */
  gvk: string;
  namespace: string;
  name: string;
  message: string;
  /** `HealthCheck/<name>` or `EventSource/<name>`: the report it came from. */
  source: string;
  /** The collected object as text (printed with `--full`), when the report carries it. */
  object?: string;
}

export interface ResourceFilter {
  group?: string;
  kind?: string;
  /** Namespace of the resource. */
  namespace?: string;
  clusterNamespace?: string;
  cluster?: string;
}

function gvkText(apiVersion: string, kind: string): string {
  return `${apiVersion}, Kind=${kind}`;
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function decode(b64: string | undefined): string | undefined {
  if (!b64) return undefined;
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  } catch {
    return b64;
  }
}

function keep(
  f: ResourceFilter,
  row: ResourceRow,
  apiVersion: string,
  kind: string,
  cns: string,
  cname: string,
): boolean {
  return (
    (f.group === undefined || groupOf(apiVersion) === f.group) &&
    (!f.kind || kind === f.kind) &&
    (!f.namespace || row.namespace === f.namespace) &&
    (!f.clusterNamespace || cns === f.clusterNamespace) &&
    (!f.cluster || cname === f.cluster)
  );
}

/** Rows of `show resources` from HealthCheckReports (with health messages) and EventReports. */
export function resourceRows(
  health: readonly HealthCheckReport[],
  events: readonly EventReport[],
  f: ResourceFilter = {},
): ResourceRow[] {
  const rows: ResourceRow[] = [];
  for (const r of health) {
    const cns = r.spec?.clusterNamespace ?? '';
    const cname = r.spec?.clusterName ?? '';
    for (const s of r.spec?.resourceStatuses ?? []) {
      const apiVersion = s.objectRef.apiVersion ?? '';
      const kind = s.objectRef.kind ?? '';
      const message = [s.healthStatus, s.message].filter(Boolean).join(': ');
      const row: ResourceRow = {
        cluster: `${cns}/${cname}`,
        gvk: gvkText(apiVersion, kind),
        namespace: s.objectRef.namespace ?? '',
        name: s.objectRef.name ?? '',
        message,
        source: `HealthCheck/${r.spec?.healthCheckName ?? ''}`,
      };
      const object = decode(s.resource);
      if (object) row.object = object;
      if (keep(f, row, apiVersion, kind, cns, cname)) rows.push(row);
    }
  }
  for (const r of events) {
    const cns = r.spec?.clusterNamespace ?? '';
    const cname = r.spec?.clusterName ?? '';
    for (const m of r.spec?.matchingResources ?? []) {
      const apiVersion = m.apiVersion ?? '';
      const kind = m.kind ?? '';
      const row: ResourceRow = {
        cluster: `${cns}/${cname}`,
        gvk: gvkText(apiVersion, kind),
        namespace: m.namespace ?? '',
        name: m.name ?? '',
        message: `matches EventSource ${r.spec?.eventSourceName ?? ''}`,
        source: `EventSource/${r.spec?.eventSourceName ?? ''}`,
      };
      if (keep(f, row, apiVersion, kind, cns, cname)) rows.push(row);
    }
  }
  return rows;
}

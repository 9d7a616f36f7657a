/**
 * The render objects Helm builds (chartutil.ToRenderValues + engine.recAllTpls) that are Go
 * structs rather than maps: `.Chart` (chart.Metadata plus IsRoot, Go field names) and
 * `.Capabilities` (KubeVersion, APIVersions with `.Has`, HelmVersion).
 */

import { goStruct, HOST, type HostMethod, type HostObject, NO_FIELD } from '../../engine/template/value.js';
import type { Chart } from '../chart/types.js';

/** What the target cluster offers (from its discovery), as Helm's chartutil.Capabilities. */
export interface Capabilities {
  kubeVersion: { version: string; major: string; minor: string };
  /** `group/version` and `group/version/Kind` entries (Helm's VersionSet). */
  apiVersions: readonly string[];
  helmVersion: string;
}

/** The Helm version flotilla reports (`.Capabilities.HelmVersion.Version`). */
export const HELM_VERSION = 'v3.21.4';

/** Helm's DefaultCapabilities (kube v1.20.0) with the built-in API versions of a 1.35 server. */
export function defaultCapabilities(): Capabilities {
  return {
    kubeVersion: { version: 'v1.20.0', major: '1', minor: '20' },
    apiVersions: DEFAULT_API_VERSIONS,
    helmVersion: HELM_VERSION,
  };
}

export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1',
  'admissionregistration.k8s.io/v1',
  'apiextensions.k8s.io/v1',
  'apiregistration.k8s.io/v1',
  'apps/v1',
  'authentication.k8s.io/v1',
  'authorization.k8s.io/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'batch/v1',
  'certificates.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'events.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1',
  'networking.k8s.io/v1',
  'node.k8s.io/v1',
  'policy/v1',
  'rbac.authorization.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1',
];

function m(params: HostMethod['params'], fn: (...args: unknown[]) => unknown): HostMethod {
  return { params, fn };
}

function versionSet(list: readonly string[]): HostObject {
  const set = new Set(list);
  return {
    [HOST]: true,
    goTypeName: () => 'chartutil.VersionSet',
    field: () => NO_FIELD,
    method: (name) => (name === 'Has' ? m(['string'], (v) => set.has(v as string)) : undefined),
    format: () => `[${list.join(' ')}]`,
  };
}

export function capabilitiesObject(c: Capabilities): HostObject {
  const kv = c.kubeVersion;
  const kube = goStruct(
    'chartutil.KubeVersion',
    { Version: kv.version, Major: kv.major, Minor: kv.minor },
    { String: m([], () => kv.version), GitVersion: m([], () => kv.version) },
  );
  const helm = goStruct('chartutil.HelmVersion', {
    Version: c.helmVersion,
    GitCommit: '',
    GitTreeState: 'clean',
    GoVersion: 'go1.24.0',
  });
  return goStruct('*chartutil.Capabilities', {
    APIVersions: versionSet(c.apiVersions),
    KubeVersion: kube,
    HelmVersion: helm,
  });
}

/** `.Chart`: chart.Metadata with Go field names, plus `IsRoot`. */
export function chartObject(chart: Chart): HostObject {
  const md = chart.metadata;
  return goStruct('engine.chartMetaData', {
    Name: md.name,
    Home: md.home ?? '',
    Sources: md.sources ?? [],
    Version: md.version,
    Description: md.description ?? '',
    Keywords: md.keywords ?? [],
    Maintainers: (md.maintainers ?? []).map((x) =>
      goStruct('*chart.Maintainer', { Name: x.name ?? '', Email: x.email ?? '', URL: x.url ?? '' }),
    ),
    Icon: md.icon ?? '',
    APIVersion: md.apiVersion,
    Condition: md.condition ?? '',
    Tags: md.tags ?? '',
    AppVersion: md.appVersion ?? '',
    Deprecated: md.deprecated ?? false,
    Annotations: md.annotations ?? {},
    KubeVersion: md.kubeVersion ?? '',
    Dependencies: (md.dependencies ?? []).map((d) =>
      goStruct('*chart.Dependency', {
        Name: d.name,
        Version: d.version ?? '',
        Repository: d.repository,
        Condition: d.condition ?? '',
        Tags: d.tags ?? [],
        Enabled: d.enabled ?? false,
        ImportValues: d['import-values'] ?? [],
        Alias: d.alias ?? '',
      }),
    ),
    Type: md.type ?? '',
    IsRoot: chart.parent === undefined,
  });
}

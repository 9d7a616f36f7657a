/**
 * The Helm feature of one ClusterSummary on one cluster (act): for every helmCharts entry, in
 * order, resolve the chart, compute its values, then install / upgrade (only on change) /
 * uninstall, or report what would happen (DryRun). Releases this profile manages that left the
 * spec are uninstalled. A release managed by another profile, or present in the cluster without
 * this profile's owner label, is a Conflict and never touched (unless takeOwnership).
 */
import type { HelmChart } from '../../api/index.js';
import {
  type ActionConfig,
  type ActionResult,
  diffValues,
  HelmActionError,
  installOrUpgrade,
  OWNER_LABEL,
  ownerLabelValue,
  uninstall,
} from '../../helm/action/index.js';
import type { Chart } from '../../helm/chart/index.js';
import { type Release, ReleaseStorage } from '../../helm/release/index.js';
import { ChartSourceError, type ChartSources, type SourceCredentials } from '../../helm/sources/index.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import { errorMessage, FlotillaError } from '../../lib/errors.js';
import type { CacheReader } from '../../runtime/index.js';
import {
  chartOptions,
  describeValueChanges,
  dryRunAction,
  type ReleaseAction,
  releaseKey,
} from './decide-helm.js';
import {
  type AppliedChartObject,
  type ChartResource,
  chartResourcesOf,
  readBackRelease,
} from './helm-records.js';
import { helmValues } from './helm-values.js';
import { sha256Hex, stableStringify } from './object-hash.js';
import type { TemplateData } from './render.js';
import type { SourceResolution } from './sources.js';
import type { ClusterRef, DeployedChart } from './summary-records.js';

export interface HelmReleaseSummary {
  releaseName: string;
  releaseNamespace: string;
  status: 'Managing' | 'Conflict';
  conflictMessage?: string;
  failureMessage?: string;
  chartName?: string;
  repositoryName?: string;
  repoURL?: string;
  chartVersion?: string;
  valuesHash?: string;
}

export interface ReleaseReport {
  chartName: string;
  releaseNamespace: string;
  chartVersion: string;
  action: ReleaseAction;
  message?: string;
}

export interface ReleaseClaims {
  /** The owner managing the release. */
  manager: string;
  /** Every owner claiming it (the manager included). */
  claimants: readonly string[];
}

export interface HelmDeployInput {
  target: KubeClient;
  cluster: ClusterRef;
  /** Release owner label source: `ClusterProfile/name` or `Profile/ns/name`. */
  owner: string;
  charts: readonly HelmChart[];
  data: TemplateData;
  caches: { configMaps: CacheReader; secrets: CacheReader };
  /** Per entry, its valuesFrom ConfigMaps/Secrets (resolved by the caller, in entry order). */
  valuesFrom: readonly SourceResolution[];
  sources: ChartSources;
  /** Release key → who manages it and who claims it (every summary on the cluster). */
  managers: ReadonlyMap<string, ReleaseClaims>;
  /** Releases this summary managed before (status and ClusterConfiguration). */
  previous: readonly { releaseName: string; releaseNamespace: string; record?: DeployedChart }[];
  dryRun: boolean;
  /** Drift reported by the agent: these releases (all when empty) are re-applied with force. */
  drifted: ReadonlySet<string> | undefined;
  continueOnError: boolean;
  now: () => number;
  /** The profile's post-render patches applied to every chart's manifests (Helm post-renderer). */
  postRender?: (manifest: string) => string;
  /** ContinuousWithDriftDetection: read installed/upgraded releases' objects back (`applied`). */
  readBack?: boolean;
}

export interface HelmDeployResult {
  failures: string[];
  conflicts: number;
  retryable: unknown;
  summaries: HelmReleaseSummary[];
  charts: DeployedChart[];
  chartResources: ChartResource[];
  /** The objects of the releases installed or upgraded now, read back right after (`readBack`). */
  applied: AppliedChartObject[];
  reports: ReleaseReport[];
  /** A release was uninstalled or taken over: other summaries on the cluster must look again. */
  released: boolean;
}

function isRetryable(err: unknown): boolean {
  if (err instanceof ChartSourceError) return err.retriable;
  return !(err instanceof FlotillaError);
}

function secretData(s: KubeObject | undefined, key: string): string | undefined {
  const v = (s as { data?: Record<string, string> } | undefined)?.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

/** registryCredentialsConfig → source credentials (Secrets from the management cache). */
export function chartCredentials(
  h: HelmChart,
  clusterNs: string,
  secrets: CacheReader,
  passCredentialsAll: boolean,
): SourceCredentials {
  const r = h.registryCredentialsConfig ?? {};
  const creds: SourceCredentials = {
    ...(r.insecureSkipTLSVerify ? { insecureSkipTLSVerify: true } : {}),
    ...(r.plainHTTP ? { plainHTTP: true } : {}),
    ...(passCredentialsAll ? { passCredentialsAll: true } : {}),
  };
  const where = `helm chart ${h.chartName ?? ''} registryCredentialsConfig`;
  if (r.credentials?.name) {
    const ns = r.credentials.namespace || clusterNs;
    const s = secrets.getByName(ns, r.credentials.name) as
      | (KubeObject & { type?: string; data?: Record<string, string> })
      | undefined;
    if (!s)
      throw new ChartSourceError(
        'unauthorized',
        `${where}: Secret ${ns}/${r.credentials.name} not found in the management cluster: create it`,
      );
    const keys = Object.keys(s.data ?? {});
    if (s.type === 'kubernetes.io/dockerconfigjson' || r.key === '.dockerconfigjson')
      creds.dockerConfigJson = secretData(s, r.key ?? '.dockerconfigjson') ?? '';
    else if (keys.includes('username')) {
      creds.username = secretData(s, 'username') ?? '';
      creds.password = secretData(s, 'password') ?? '';
    } else {
      const key = r.key ?? (keys.length === 1 ? keys[0] : undefined);
      if (key === undefined)
        throw new ChartSourceError(
          'unauthorized',
          `${where}: Secret ${ns}/${r.credentials.name} has several keys: set registryCredentialsConfig.key`,
        );
      creds.dockerConfigJson = secretData(s, key) ?? '';
    }
  }
  if (r.ca?.name) {
    const ns = r.ca.namespace || clusterNs;
    const ca = secretData(secrets.getByName(ns, r.ca.name), 'ca.crt');
    if (ca === undefined)
      throw new ChartSourceError(
        'tls',
        `${where}: Secret ${ns}/${r.ca.name} with key ca.crt not found in the management cluster`,
      );
    creds.caPem = ca;
  }
  return creds;
}

function lastAppliedOf(rel: Release): string {
  return new Date(rel.info.last_deployed).toISOString().replace(/\.\d+Z$/, 'Z');
}

function chartRecord(h: HelmChart, rel: Release): DeployedChart {
  const md = rel.chart.metadata;
  return {
    repoURL: h.repositoryURL,
    releaseName: rel.name,
    namespace: rel.namespace,
    chartVersion: md.version,
    ...(md.appVersion ? { appVersion: md.appVersion } : {}),
    ...(md.icon ? { icon: md.icon } : {}),
    lastAppliedTime: lastAppliedOf(rel),
  };
}

export async function deployHelmCharts(input: HelmDeployInput): Promise<HelmDeployResult> {
  const { target, cluster, owner, dryRun } = input;
  const cfg: ActionConfig = { client: target, owner, now: input.now };
  const mine = ownerLabelValue(owner);
  const onCluster = `cluster ${cluster.namespace}/${cluster.name}`;
  const out: HelmDeployResult = {
    failures: [],
    conflicts: 0,
    retryable: undefined,
    summaries: [],
    charts: [],
    chartResources: [],
    applied: [],
    reports: [],
    released: false,
  };
  const prevRecord = new Map(
    input.previous.map((p) => [releaseKey(p.releaseNamespace, p.releaseName), p.record]),
  );
  const wanted = new Set<string>();
  let stopped = false;
  for (const [i, h] of input.charts.entries()) {
    const ns = h.releaseNamespace;
    const name = h.releaseName;
    const key = releaseKey(ns, name);
    const what = `helm chart ${h.chartName ?? ''} ${h.chartVersion ?? ''} (helmCharts[${i}], release ${key}, ${onCluster})`;
    const storage = new ReleaseStorage(target, ns, () => Math.floor(input.now() / 1000));
    if ((h.helmChartAction ?? 'Install') === 'Uninstall') {
      if (stopped) continue;
      try {
        const last = await storage.last(name);
        const ours = last !== undefined && last.labels?.[OWNER_LABEL] === mine;
        if (dryRun)
          out.reports.push({
            chartName: name,
            releaseNamespace: ns,
            chartVersion: h.chartVersion ?? '',
            action: ours ? 'Delete' : 'No Action',
            ...(last && !ours ? { message: 'release not managed by this profile' } : {}),
          });
        else if (ours) {
          await uninstallRelease(cfg, h, ns, name);
          out.released = true;
        }
      } catch (err) {
        out.failures.push(`${what}: uninstall failed: ${errorMessage(err)}`);
        out.retryable ??= isRetryable(err) ? err : undefined;
        if (!input.continueOnError) stopped = true;
      }
      continue;
    }
    wanted.add(key);
    const base = {
      releaseName: name,
      releaseNamespace: ns,
      chartName: h.chartName ?? '',
      ...(h.repositoryName ? { repositoryName: h.repositoryName } : {}),
      repoURL: h.repositoryURL,
    };
    const claims = input.managers.get(key);
    const manager = claims?.manager;
    if (manager !== undefined && manager !== owner) {
      const msg = `release ${key} on ${onCluster} is managed by ${manager}`;
      out.summaries.push({ ...base, status: 'Conflict', conflictMessage: msg });
      out.conflicts++;
      out.failures.push(`${what}: conflict: ${msg}`);
      if (dryRun)
        out.reports.push({
          chartName: name,
          releaseNamespace: ns,
          chartVersion: h.chartVersion ?? '',
          action: 'Conflict',
          message: msg,
        });
      continue;
    }
    const keepPrevious = async () => {
      const rec = prevRecord.get(key);
      if (rec) out.charts.push(rec);
      const deployed = (await storage.history(name).catch(() => [] as Release[]))
        .filter((r) => r.info.status === 'deployed' && r.labels?.[OWNER_LABEL] === mine)
        .pop();
      if (deployed)
        out.chartResources.push(
          await chartResourcesOf(target, deployed).catch(() => ({
            chartName: deployed.chart.metadata.name,
            releaseName: name,
            releaseNamespace: ns,
            group: [],
          })),
        );
    };
    if (stopped) {
      await keepPrevious();
      out.summaries.push({ ...base, status: 'Managing' });
      continue;
    }
    let chart: Chart;
    let version: string;
    let valuesHash: string;
    let values: Record<string, unknown>;
    let result: ActionResult;
    let history: Release[] = [];
    try {
      const passAll = !!h.options?.passCredentialsAll;
      const fetched = await input.sources.fetch(
        {
          repositoryURL: h.repositoryURL,
          ...(h.repositoryName ? { repositoryName: h.repositoryName } : {}),
          chartName: h.chartName ?? '',
          chartVersion: h.chartVersion ?? '',
        },
        chartCredentials(h, cluster.namespace, input.caches.secrets, passAll),
      );
      chart = fetched.chart;
      version = fetched.version;
      const from = input.valuesFrom[i] ?? { sources: [], errors: [] };
      if (from.errors.length > 0) throw new FlotillaError('addon.helm.values', from.errors.join('; '));
      values = helmValues(
        h.values,
        from.sources.map((s) => s.content),
        input.data,
        `helmCharts[${i}] (release ${key})`,
      );
      valuesHash = sha256Hex(stableStringify(values));
      history = await storage.history(name);
      const last = history[history.length - 1];
      const opts = chartOptions(h, last !== undefined);
      // A release another claimant on this cluster installed (it lost the claim) is taken over.
      const foreign = last !== undefined && last.labels?.[OWNER_LABEL] !== mine;
      const steal =
        foreign && (claims?.claimants ?? []).some((c) => ownerLabelValue(c) === last.labels?.[OWNER_LABEL]);
      const force = input.drifted !== undefined && (input.drifted.size === 0 || input.drifted.has(key));
      result = await installOrUpgrade(cfg, {
        releaseName: name,
        namespace: ns,
        chart,
        values,
        ...opts,
        takeOwnership: opts.takeOwnership || steal,
        // Adopting writes a new revision (with this owner's label) even when nothing changed.
        force: opts.force || force || (foreign && (opts.takeOwnership || steal)),
        dryRun,
        ...(input.postRender ? { postRender: input.postRender } : {}),
      });
      // The previous owner must learn it lost the release (it reports Conflict).
      if (steal && !dryRun) out.released = true;
    } catch (err) {
      const conflict = err instanceof HelmActionError && err.code === 'helm.action.conflict';
      const msg = `${what}: ${errorMessage(err)}`;
      out.failures.push(msg);
      if (conflict) {
        out.conflicts++;
        out.summaries.push({ ...base, status: 'Conflict', conflictMessage: errorMessage(err) });
      } else {
        out.summaries.push({ ...base, status: 'Managing', failureMessage: errorMessage(err) });
        if (isRetryable(err)) out.retryable ??= err;
      }
      if (dryRun)
        out.reports.push({
          chartName: name,
          releaseNamespace: ns,
          chartVersion: h.chartVersion ?? '',
          action: conflict ? 'Conflict' : 'No Action',
          message: errorMessage(err),
        });
      else if (!conflict) await keepPrevious();
      if (!input.continueOnError && !conflict) stopped = true;
      continue;
    }
    out.summaries.push({ ...base, chartVersion: version, status: 'Managing', valuesHash });
    if (dryRun) {
      const deployed = history.filter((r) => r.info.status === 'deployed').pop();
      const action = dryRunAction(deployed?.chart.metadata.version, version, result.outcome === 'unchanged');
      const changes = result.valueChanges ?? (deployed ? diffValues(deployed.config ?? {}, values) : []);
      const text = action === 'Upgrade' || action === 'Update Values' ? describeValueChanges(changes) : '';
      out.reports.push({
        chartName: name,
        releaseNamespace: ns,
        chartVersion: version,
        action,
        ...(text ? { message: `values: ${text}` } : {}),
      });
      continue;
    }
    if (result.release) {
      out.charts.push(chartRecord(h, result.release));
      const cr = await chartResourcesOf(target, result.release);
      out.chartResources.push(cr);
      if (input.readBack && result.outcome !== 'unchanged')
        out.applied.push(...(await readBackRelease(target, cr)));
    }
  }
  // Releases this profile managed that are no longer wanted: uninstall (only if still ours).
  for (const p of input.previous) {
    const key = releaseKey(p.releaseNamespace, p.releaseName);
    if (wanted.has(key)) continue;
    const storage = new ReleaseStorage(target, p.releaseNamespace);
    try {
      const last = await storage.last(p.releaseName);
      if (last === undefined || last.labels?.[OWNER_LABEL] !== mine) continue;
      if (dryRun) {
        out.reports.push({
          chartName: p.releaseName,
          releaseNamespace: p.releaseNamespace,
          chartVersion: last.chart.metadata.version,
          action: 'Delete',
        });
        continue;
      }
      await uninstall(cfg, { releaseName: p.releaseName, namespace: p.releaseNamespace });
      out.released = true;
    } catch (err) {
      out.failures.push(`release ${key} (${onCluster}): uninstall failed: ${errorMessage(err)}`);
      out.retryable ??= isRetryable(err) ? err : undefined;
      if (p.record) out.charts.push(p.record);
    }
  }
  return out;
}

async function uninstallRelease(cfg: ActionConfig, h: HelmChart | undefined, ns: string, name: string) {
  const o = h?.options ?? {};
  const u = o.uninstallOptions ?? {};
  await uninstall(cfg, {
    releaseName: name,
    namespace: ns,
    disableHooks: u.disableHooks ?? o.disableHooks ?? false,
    keepHistory: !!u.keepHistory,
  });
}

/** Withdraws every release this profile manages (ClusterSummary deletion); errors are returned. */
export async function withdrawHelmReleases(
  target: KubeClient,
  owner: string,
  releases: readonly { releaseName: string; releaseNamespace: string }[],
  charts: readonly HelmChart[],
  where: string,
): Promise<string[]> {
  const cfg: ActionConfig = { client: target, owner };
  const mine = ownerLabelValue(owner);
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const r of releases) {
    const key = releaseKey(r.releaseNamespace, r.releaseName);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      const last = await new ReleaseStorage(target, r.releaseNamespace).last(r.releaseName);
      if (last === undefined || last.labels?.[OWNER_LABEL] !== mine) continue;
      const h = charts.find(
        (c) => c.releaseName === r.releaseName && c.releaseNamespace === r.releaseNamespace,
      );
      await uninstallRelease(cfg, h, r.releaseNamespace, r.releaseName);
    } catch (err) {
      errors.push(`release ${key} (${where}): uninstall failed: ${errorMessage(err)}`);
    }
  }
  return errors;
}

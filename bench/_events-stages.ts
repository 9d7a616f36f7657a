/**
 * Where an event's time goes: watches of the management cluster record when the chain's
 * intermediate objects appear for a source Service — its EventReport (agent), the generated
 * ClusterProfile (EventTrigger), the profile's first and last ClusterSummary (add-on profile
 * controller). Times are performance.now(), subtracted from the event's t0 by the caller.
 */
import type { ClusterProfile, EventReport } from '../src/api/index.js';
import type { KubeClient, KubeObject } from '../src/kube/index.js';
import { Informer } from '../src/runtime/index.js';

const RESOURCE_LABEL = 'eventtrigger.lib.projectsveltos.io/resourcename';
const PROFILE_LABEL = 'projectsveltos.io/cluster-profile-name';

export interface StageTimes {
  report?: number;
  profile?: number;
  firstSummary?: number;
  lastSummary?: number;
}

export class Stages {
  private readonly byService = new Map<string, StageTimes & { summaries: number }>();
  private readonly byProfile = new Map<string, StageTimes & { summaries: number }>();
  private readonly informers: {
    start(s: AbortSignal): Promise<void>;
    waitForSync(s: AbortSignal): Promise<boolean>;
  }[];

  constructor(mgmt: KubeClient) {
    const reports = new Informer<EventReport>(mgmt, {
      apiVersion: 'lib.projectsveltos.io/v1beta1',
      kind: 'EventReport',
    });
    const profiles = new Informer<ClusterProfile>(mgmt, {
      apiVersion: 'config.projectsveltos.io/v1beta1',
      kind: 'ClusterProfile',
    });
    const summaries = new Informer(mgmt, {
      apiVersion: 'config.projectsveltos.io/v1beta1',
      kind: 'ClusterSummary',
    });
    const onReport = (r: EventReport) => {
      const now = performance.now();
      for (const m of r.spec?.matchingResources ?? []) {
        const t = this.byService.get(m.name ?? '');
        if (t && t.report === undefined) t.report = now;
      }
    };
    reports.addHandler({ onAdd: onReport, onUpdate: (_a, b) => onReport(b) });
    profiles.addHandler({
      onAdd: (p) => {
        const t = this.byService.get(p.metadata?.labels?.[RESOURCE_LABEL] ?? '');
        if (!t || t.profile !== undefined) return;
        t.profile = performance.now();
        this.byProfile.set(p.metadata?.name ?? '', t);
      },
    });
    summaries.addHandler({
      onAdd: (s: KubeObject) => {
        const t = this.byProfile.get(s.metadata?.labels?.[PROFILE_LABEL] ?? '');
        if (!t) return;
        const now = performance.now();
        t.firstSummary ??= now;
        t.lastSummary = now;
        t.summaries++;
      },
    });
    this.informers = [reports, profiles, summaries];
  }

  async start(signal: AbortSignal): Promise<Promise<void>[]> {
    const runs = this.informers.map((i) => i.start(signal));
    for (const i of this.informers) await i.waitForSync(signal);
    return runs;
  }

  /** Starts recording the stages of source Service `name`. */
  expect(name: string): void {
    this.byService.set(name, { summaries: 0 });
  }

  /** The recorded times of `name` (and stops tracking it). */
  take(name: string): StageTimes {
    const t = this.byService.get(name) ?? { summaries: 0 };
    this.byService.delete(name);
    for (const [k, v] of this.byProfile) if (v === t) this.byProfile.delete(k);
    const { summaries: _n, ...times } = t;
    return times;
  }
}

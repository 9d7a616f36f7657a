/**
 * Pure decisions of the deployer: for each rendered object, whether to create, update, leave or
 * report a conflict (tiers); which previously deployed objects to remove; the DryRun report.
 */
import { ANNOTATION } from './names.js';
import type { ReportAction, ResourceReport } from './types.js';

export interface Owner {
  kind: string;
  name: string;
  tier: number;
}

export interface SourceRef {
  kind: string;
  namespace: string;
  name: string;
  tier: number;
}

/** `group/version/kind/namespace/name`: one object in one cluster. */
export type ObjectId = string;

export interface DesiredObject {
  id: ObjectId;
  obj: Record<string, unknown>;
  source: SourceRef;
  /** `projectsveltos.io/hash` of `obj`. */
  hash: string;
}

/** What the target cluster holds under an id (only the metadata that decides ownership). */
export interface CurrentObject {
  id: ObjectId;
  annotations: Readonly<Record<string, string>>;
  /** `projectsveltos.io/reason`: the feature that deployed it (Resources, Kustomize). */
  reason?: string;
}

export interface ObjectAction {
  id: ObjectId;
  action: Exclude<ReportAction, 'Delete' | 'Error'>;
  /** Objects to apply (everything but conflicts and objects after a stopping conflict). */
  apply: boolean;
  message?: string;
  desired: DesiredObject;
  /** Owner the object was taken from (strictly lower tier steals). */
  stolenFrom?: { kind: string; name: string };
}

export interface DeployPlan {
  actions: ObjectAction[];
  /** Ids owned by this profile that the desired set no longer holds. */
  remove: ObjectId[];
  conflicts: number;
}

export const DEFAULT_TIER = 100;

function tierOf(v: string | undefined): number {
  const n = v === undefined ? Number.NaN : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : DEFAULT_TIER;
}

export function isOwnedBy(
  annotations: Readonly<Record<string, string>> | undefined,
  owner: Omit<Owner, 'tier'>,
): boolean {
  return (
    annotations?.[ANNOTATION.ownerKind] === owner.kind && annotations?.[ANNOTATION.ownerName] === owner.name
  );
}

/**
 * Decides per object. Another profile's object is taken only with a strictly lower profile tier
 * (equal tier: the incumbent keeps it). Within one profile, two sources producing one object:
 * the lower reference tier wins, equal tiers conflict. Without `continueOnConflict` nothing after
 * the first conflict is applied. Removals are withheld when `freezeRemovals` (a source could not be
 * read, or rendering/applying failed: never withdraw on partial knowledge).
 */
export function decideDeploy(input: {
  owner: Owner;
  desired: readonly DesiredObject[];
  current: ReadonlyMap<ObjectId, CurrentObject>;
  continueOnConflict: boolean;
  freezeRemovals: boolean;
  /** The deploying feature: only its own objects are removed (default Resources). */
  reason?: string;
}): DeployPlan {
  const { owner } = input;
  const chosen = new Map<ObjectId, DesiredObject>();
  const sameProfileConflicts = new Map<ObjectId, string>();
  for (const d of input.desired) {
    const prev = chosen.get(d.id);
    if (!prev) {
      chosen.set(d.id, d);
      continue;
    }
    if (d.source.tier < prev.source.tier) chosen.set(d.id, d);
    else if (d.source.tier === prev.source.tier && !sameSource(d.source, prev.source)) {
      sameProfileConflicts.set(
        d.id,
        `${describeId(d.id)} is produced by both ${describeSource(prev.source)} and ${describeSource(d.source)} with the same tier ${d.source.tier}: give one reference a lower tier`,
      );
    }
  }
  const actions: ObjectAction[] = [];
  let stopped = false;
  let conflicts = 0;
  const seen = new Set<ObjectId>();
  for (const d of input.desired) {
    if (seen.has(d.id) || chosen.get(d.id) !== d) continue;
    seen.add(d.id);
    const cur = input.current.get(d.id);
    let action: ObjectAction;
    const dup = sameProfileConflicts.get(d.id);
    if (dup) {
      action = { id: d.id, action: 'Conflict', apply: false, message: dup, desired: d };
    } else if (!cur) {
      action = { id: d.id, action: 'Create', apply: true, desired: d };
    } else {
      const a = cur.annotations;
      const curKind = a[ANNOTATION.ownerKind];
      const curName = a[ANNOTATION.ownerName];
      if (!curKind || !curName || (curKind === owner.kind && curName === owner.name)) {
        const same = curKind !== undefined && a[ANNOTATION.hash] === d.hash;
        action = { id: d.id, action: same ? 'No Action' : 'Update', apply: true, desired: d };
      } else {
        const curTier = tierOf(a[ANNOTATION.ownerTier]);
        if (owner.tier < curTier) {
          action = {
            id: d.id,
            action: 'Update',
            apply: true,
            desired: d,
            stolenFrom: { kind: curKind, name: curName },
            message: `taken over from ${curKind} ${curName} (tier ${curTier}) by lower tier ${owner.tier}`,
          };
        } else {
          action = {
            id: d.id,
            action: 'Conflict',
            apply: false,
            desired: d,
            message: `${describeId(d.id)} is already managed by ${curKind} ${curName} (tier ${curTier}); ${owner.kind} ${owner.name} has tier ${owner.tier}: only a strictly lower tier takes it over`,
          };
        }
      }
    }
    if (action.action === 'Conflict') conflicts++;
    if (stopped) action = { ...action, apply: false };
    if (action.action === 'Conflict' && !input.continueOnConflict) stopped = true;
    actions.push(action);
  }
  const remove: ObjectId[] = [];
  if (!input.freezeRemovals) {
    for (const [id, cur] of input.current) {
      if (chosen.has(id)) continue;
      if ((cur.reason ?? 'Resources') !== (input.reason ?? 'Resources')) continue;
      if (isOwnedBy(cur.annotations, owner)) remove.push(id);
    }
    remove.sort();
  }
  return { actions, remove, conflicts };
}

function sameSource(a: SourceRef, b: SourceRef): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

function describeSource(s: SourceRef): string {
  return `${s.kind} ${s.namespace}/${s.name}`;
}

export function objectId(obj: { apiVersion?: unknown; kind?: unknown; metadata?: unknown }): ObjectId {
  const md = (obj.metadata ?? {}) as { namespace?: string; name?: string };
  const av = String(obj.apiVersion ?? '');
  const i = av.indexOf('/');
  const group = i < 0 ? '' : av.slice(0, i);
  const version = i < 0 ? av : av.slice(i + 1);
  return [group, version, String(obj.kind ?? ''), md.namespace ?? '', md.name ?? ''].join('/');
}

export function parseObjectId(id: ObjectId): {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
} {
  const [group = '', version = '', kind = '', namespace = '', ...rest] = id.split('/');
  return { group, version, kind, namespace, name: rest.join('/') };
}

export function describeId(id: ObjectId): string {
  const p = parseObjectId(id);
  return `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`;
}

/** The ClusterReport `resourceReports` of a DryRun: what a deploy would do, changing nothing. */
export function dryRunReport(plan: DeployPlan): ResourceReport[] {
  const out: ResourceReport[] = [];
  const res = (id: ObjectId) => {
    const p = parseObjectId(id);
    return {
      name: p.name,
      ...(p.namespace ? { namespace: p.namespace } : {}),
      group: p.group,
      kind: p.kind,
      version: p.version,
    };
  };
  for (const a of plan.actions) {
    out.push({ resource: res(a.id), action: a.action, ...(a.message ? { message: a.message } : {}) });
  }
  for (const id of plan.remove) out.push({ resource: res(id), action: 'Delete' });
  return out;
}

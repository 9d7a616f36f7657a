/**
 * Compiles an EventSource into per-selector matchers (label filters, selector, namespace, name,
 * Lua `evaluate`, CEL `evaluateCEL`) and evaluates it over objects handed in (the informer
 * caches). Pure: no I/O, so it is tested with plain data.
 */
import type { EventSource, ResourceSelector } from '../../api/index.js';
import { compileCelRules, type CompiledCelRules } from '../../engine/cel/index.js';
import {
  type CompiledLuaScript,
  evaluateAggregatedSelection,
  evaluateSelector,
  type JsonObject,
  type LuaEngine,
} from '../../engine/lua/index.js';
import {
  LabelSelector,
  labelSelectorFromObject,
  newRequirement,
  type Requirement,
} from '../../engine/selector/index.js';
import type { KubeObject, TypeRef } from '../../kube/index.js';

/** What a selector watches: one informer per kind and namespace ("" = all namespaces). */
export interface WatchedType extends TypeRef {
  namespace: string;
}

export interface CompiledSelector {
  readonly index: number;
  readonly type: WatchedType;
  readonly name?: string;
  readonly labels: LabelSelector;
  readonly lua?: CompiledLuaScript;
  readonly cel?: CompiledCelRules;
}

export interface CompiledEventSource {
  readonly name: string;
  readonly selectors: readonly CompiledSelector[];
  readonly aggregated?: CompiledLuaScript;
  readonly collectResources: boolean;
  /** Releases the compiled Lua chunks. */
  dispose(): void;
}

/** A bad EventSource (label filter, selector, Lua syntax): fix the EventSource. */
export class EventSourceError extends Error {
  override readonly name = 'EventSourceError';
  readonly code = 'EventSourceInvalid';
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

function filterRequirement(f: NonNullable<ResourceSelector['labelFilters']>[number]): Requirement {
  switch (f.operation) {
    case 'Equal':
      return newRequirement(f.key, '=', [f.value ?? '']);
    case 'Different':
      return newRequirement(f.key, '!=', [f.value ?? '']);
    case 'Has':
      return newRequirement(f.key, 'exists', undefined);
    case 'DoesNotHave':
      return newRequirement(f.key, '!', undefined);
    default:
      throw new EventSourceError(`unknown label filter operation ${JSON.stringify(f.operation)}`);
  }
}

function labelSelectorOf(sel: ResourceSelector, where: string): LabelSelector {
  try {
    let s = sel.selector
      ? labelSelectorFromObject(sel.selector as never, {
          nullMatches: 'everything',
          emptyMatches: 'everything',
        })
      : LabelSelector.everything;
    const reqs = (sel.labelFilters ?? []).map(filterRequirement);
    if (reqs.length > 0) s = s.add(...reqs);
    return s;
  } catch (err) {
    throw new EventSourceError(
      `${where}: invalid labelFilters/selector: ${(err as Error).message}; fix the EventSource`,
      {
        cause: err,
      },
    );
  }
}

/** Compiles an EventSource; throws EventSourceError naming the selector on bad input. */
export function compileEventSource(es: EventSource, lua: LuaEngine): CompiledEventSource {
  const name = es.metadata?.name ?? '';
  const scripts: CompiledLuaScript[] = [];
  const compileLua = (src: string, what: string) => {
    try {
      const s = lua.compile(src, { name: what });
      scripts.push(s);
      return s;
    } catch (err) {
      for (const s of scripts) s.dispose();
      throw new EventSourceError(`${what}: ${(err as Error).message}; fix the EventSource`, { cause: err });
    }
  };
  const selectors = (es.spec?.resourceSelectors ?? []).map((sel, index): CompiledSelector => {
    const where = `EventSource ${name} resourceSelectors[${index}]`;
    const type: WatchedType = {
      apiVersion: apiVersionOf(sel.group ?? '', sel.version),
      kind: sel.kind,
      namespace: sel.namespace ?? '',
    };
    return {
      index,
      type,
      ...(sel.name ? { name: sel.name } : {}),
      labels: labelSelectorOf(sel, where),
      ...(sel.evaluate ? { lua: compileLua(sel.evaluate, `${where}.evaluate`) } : {}),
      ...(sel.evaluateCEL && sel.evaluateCEL.length > 0 ? { cel: compileCelRules(sel.evaluateCEL) } : {}),
    };
  });
  const aggregated = es.spec?.aggregatedSelection
    ? compileLua(es.spec.aggregatedSelection, `EventSource ${name} aggregatedSelection`)
    : undefined;
  return {
    name,
    selectors,
    ...(aggregated ? { aggregated } : {}),
    collectResources: es.spec?.collectResources === true,
    dispose: () => {
      for (const s of scripts) s.dispose();
    },
  };
}

/** Whether one cached object passes a selector (everything but Lua/CEL, which `evaluate` runs). */
export function passesStatic(sel: CompiledSelector, obj: KubeObject): boolean {
  const m = obj.metadata ?? {};
  if (m.deletionTimestamp) return false;
  if (sel.name && m.name !== sel.name) return false;
  if (sel.type.namespace && m.namespace && m.namespace !== sel.type.namespace) return false;
  return sel.labels.matches(m.labels ?? {});
}

export interface Evaluation {
  /** The matches, sorted by apiVersion, kind, namespace, name. */
  matches: KubeObject[];
  /** Why evaluation of an object or rule failed but counted as no match (CEL), for logging. */
  warnings: string[];
}

/** The objects a selector sees: provided by the caller from its informer caches. */
export type ObjectsOf = (sel: CompiledSelector) => readonly KubeObject[];

export function refKey(o: KubeObject): string {
  return `${o.apiVersion}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name ?? ''}`;
}

/**
 * Per-object verdicts of the script rules (Lua/CEL) by resourceVersion, so a change re-runs the
 * scripts only on the objects that changed. Owned by one compiled EventSource.
 */
export type VerdictMemo = Map<string, { rv: string; match: boolean }>;

/**
 * Evaluates the EventSource: per selector, the static filters then Lua then CEL; the lists are
 * concatenated (an object selected twice counts once) and passed through `aggregatedSelection`.
 * A Lua failure throws (the EventSource is broken); a CEL failure is a non-match (Sveltos).
 * With `memo`, unchanged objects reuse their previous verdict; the memo keeps only live objects.
 */
export function evaluateEventSource(
  es: CompiledEventSource,
  objectsOf: ObjectsOf,
  memo?: VerdictMemo,
): Evaluation {
  const warnings: string[] = [];
  const byKey = new Map<string, KubeObject>();
  const seen = new Set<string>();
  for (const sel of es.selectors) {
    for (const obj of objectsOf(sel)) {
      if (!passesStatic(sel, obj)) continue;
      const typed: KubeObject = {
        ...obj,
        apiVersion: obj.apiVersion ?? sel.type.apiVersion,
        kind: obj.kind ?? sel.type.kind,
      };
      const key = refKey(typed);
      if (sel.lua || sel.cel) {
        const memoKey = `${sel.index}|${key}`;
        const rv = typed.metadata?.resourceVersion;
        const known = rv && memo?.get(memoKey);
        let match: boolean;
        if (known && known.rv === rv) {
          match = known.match;
        } else {
          match =
            (!sel.lua || evaluateSelector(sel.lua, typed as JsonObject).matching) &&
            (!sel.cel ||
              sel.cel.matches(typed, (rule, err) =>
                warnings.push(`selector ${sel.index} CEL rule ${rule} on ${key}: ${err.message}`),
              ));
          if (rv) memo?.set(memoKey, { rv, match });
        }
        seen.add(memoKey);
        if (!match) continue;
      }
      byKey.set(key, typed);
    }
  }
  if (memo) for (const k of [...memo.keys()]) if (!seen.has(k)) memo.delete(k);
  let matches = [...byKey.values()];
  if (es.aggregated) {
    const picked = evaluateAggregatedSelection(es.aggregated, matches as JsonObject[]).resources;
    // Keep the cached object when the script returns one we know: Lua conversion drops fields.
    const out = new Map<string, KubeObject>();
    for (const r of picked) {
      const o = r as KubeObject;
      const k = refKey(o);
      out.set(k, byKey.get(k) ?? o);
    }
    matches = [...out.values()];
  }
  matches.sort((a, b) => (refKey(a) < refKey(b) ? -1 : refKey(a) > refKey(b) ? 1 : 0));
  return { matches, warnings };
}

import type { ClusterCheck, ResourceSelector } from '../../api/index.js';
import { errorMessage } from '../../lib/errors.js';
import { compileCelRules } from '../../engine/cel/index.js';
import {
  evaluateClusterCheck,
  evaluateSelector,
  type JsonObject,
  type LuaEngine,
} from '../../engine/lua/index.js';
import { labelSelectorFromObject } from '../../engine/selector/index.js';
import { isNotFound, type KubeClient, type KubeObject } from '../../kube/index.js';

/** Result of a SveltosCluster's readiness or liveness checks. */
export type CheckResult = { readonly pass: true } | { readonly pass: false; readonly message: string };

/** `labelFilters` as label-selector terms: Equal `k=v`, Different `k!=v`, Has `k`, DoesNotHave `!k`. */
export function labelFilterTerms(sel: ResourceSelector): string[] {
  const terms: string[] = [];
  for (const f of sel.labelFilters ?? []) {
    switch (f.operation) {
      case 'Equal':
        terms.push(`${f.key}=${f.value ?? ''}`);
        break;
      case 'Different':
        terms.push(`${f.key}!=${f.value ?? ''}`);
        break;
      case 'Has':
        terms.push(f.key);
        break;
      case 'DoesNotHave':
        terms.push(`!${f.key}`);
        break;
      default: {
        const never: never = f.operation;
        throw new Error(`unknown label filter operation ${String(never)}`);
      }
    }
  }
  if (sel.selector) {
    const s = labelSelectorFromObject(sel.selector, { emptyMatches: 'everything' }).toString();
    if (s) terms.push(s);
  }
  return terms;
}

/**
 * The objects a ResourceSelector selects in a cluster (API.md 2.6): listed with its label and
 * field selectors, objects being deleted skipped, then filtered per object by `evaluate` (Lua)
 * and `evaluateCEL` (any rule true). A kind the cluster does not serve selects nothing.
 */
export async function selectResources(
  client: KubeClient,
  sel: ResourceSelector,
  lua: LuaEngine,
  signal?: AbortSignal,
): Promise<JsonObject[]> {
  const apiVersion = sel.group ? `${sel.group}/${sel.version}` : sel.version;
  const fields: string[] = [];
  if (sel.name) fields.push(`metadata.name=${sel.name}`);
  const terms = labelFilterTerms(sel);
  let items: KubeObject[];
  try {
    ({ items } = await client.list(
      { apiVersion, kind: sel.kind, ...(sel.namespace ? { namespace: sel.namespace } : {}) },
      {
        ...(terms.length ? { labelSelector: terms.join(',') } : {}),
        ...(fields.length ? { fieldSelector: fields.join(',') } : {}),
        ...(signal ? { signal } : {}),
      },
    ));
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  let out = items.filter((o) => !o.metadata?.deletionTimestamp) as JsonObject[];
  if (sel.evaluate) {
    const script = lua.compile(sel.evaluate, { name: `resourceSelector ${sel.kind}` });
    out = out.filter((o) => evaluateSelector(script, o).matching);
  }
  if (sel.evaluateCEL?.length) {
    const rules = compileCelRules(sel.evaluateCEL);
    out = out.filter((o) => rules.matches(o));
  }
  return out;
}

/**
 * Runs checks in order; the first that does not pass (or fails to run) decides. A check passes
 * when its Lua `condition` returns `{pass = true}` over the selected objects.
 */
export async function runClusterChecks(
  client: KubeClient,
  checks: readonly ClusterCheck[],
  lua: LuaEngine,
  what: 'readiness' | 'liveness',
  signal?: AbortSignal,
): Promise<CheckResult> {
  for (const check of checks) {
    try {
      const resources: JsonObject[] = [];
      for (const sel of check.resourceSelectors)
        resources.push(...(await selectResources(client, sel, lua, signal)));
      const script = lua.compile(check.condition, { name: `${what} check ${check.name}` });
      const r = evaluateClusterCheck(script, resources);
      if (!r.pass) {
        return {
          pass: false,
          message: `${what} check "${check.name}" did not pass${r.message ? `: ${r.message}` : ''}`,
        };
      }
    } catch (err) {
      return { pass: false, message: `${what} check "${check.name}" failed: ${errorMessage(err)}` };
    }
  }
  return { pass: true };
}

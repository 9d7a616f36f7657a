/**
 * The result contracts of Sveltos Lua hooks. Sveltos converts the returned table with
 * ToGoValue and JSON-decodes it into a Go struct: unknown keys are ignored, a missing key is the
 * zero value, and a key of the wrong type is an error. These functions do the same.
 */
import type { JsonObject, JsonValue } from './convert.js';
import type { CompiledLuaScript } from './engine.js';
import { LuaScriptError } from './errors.js';
import { getOwn } from '../../lib/own-props.js';

type Kind = 'bool' | 'string' | 'object' | 'list';

function kindOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
}

function asObject(script: CompiledLuaScript, v: JsonValue, what: string): JsonObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new LuaScriptError(
      'result',
      script.name,
      `${what} must be a table with named fields, got a ${kindOf(v)}`,
    );
  }
  return v;
}

function field(script: CompiledLuaScript, o: JsonObject, key: string, kind: Kind): JsonValue | undefined {
  const v = getOwn(o, key);
  if (v === undefined || v === null) return undefined;
  const k = kindOf(v);
  // An empty Lua table is a map for ToGoValue: Go then fails to decode it into a list.
  if (k !== kind) {
    throw new LuaScriptError(
      'result',
      script.name,
      `field ${key} must be a ${kind}, got a ${k} (${JSON.stringify(v)})`,
    );
  }
  return v;
}

const str = (s: CompiledLuaScript, o: JsonObject, k: string) =>
  (field(s, o, k, 'string') as string | undefined) ?? '';
const bool = (s: CompiledLuaScript, o: JsonObject, k: string) =>
  (field(s, o, k, 'bool') as boolean | undefined) ?? false;

export interface MatchResult {
  matching: boolean;
  message: string;
}

/** ResourceSelector `evaluate` (EventSource, Classifier, HealthCheck selectors): global `obj`. */
export function evaluateSelector(script: CompiledLuaScript, obj: JsonObject): MatchResult {
  const r = asObject(script, script.evaluate({ kind: 'object', obj }), 'the result');
  return { matching: bool(script, r, 'matching'), message: str(script, r, 'message') };
}

/** Classifier `aggregatedClassification`: global `resources`, returns `{matching, message}`. */
export function evaluateAggregatedClassification(
  script: CompiledLuaScript,
  resources: JsonObject[],
): MatchResult {
  const r = asObject(script, script.evaluate({ kind: 'resources', resources }), 'the result');
  return { matching: bool(script, r, 'matching'), message: str(script, r, 'message') };
}

export interface AggregatedSelection {
  resources: JsonObject[];
  message: string;
}

/** EventSource `aggregatedSelection`: global `resources`, returns `{resources = {...}, message}`. */
export function evaluateAggregatedSelection(
  script: CompiledLuaScript,
  resources: JsonObject[],
): AggregatedSelection {
  const r = asObject(script, script.evaluate({ kind: 'resources', resources }), 'the result');
  const list = (field(script, r, 'resources', 'list') as JsonValue[] | undefined) ?? [];
  return {
    resources: list.map((x, i) => asObject(script, x, `resources[${i + 1}]`)),
    message: str(script, r, 'message'),
  };
}

export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended';
const STATUSES = new Set(['Healthy', 'Progressing', 'Degraded', 'Suspended']);

function status(script: CompiledLuaScript, o: JsonObject, where: string): HealthStatus {
  const s = str(script, o, 'status');
  if (!STATUSES.has(s)) {
    throw new LuaScriptError(
      'result',
      script.name,
      `${where}status must be Healthy, Progressing, Degraded or Suspended, got ${JSON.stringify(s)}`,
    );
  }
  return s as HealthStatus;
}

export interface ObjectHealth {
  status: HealthStatus;
  message: string;
  ignore: boolean;
}

/** Per-object health `evaluate(obj)` returning `{status, message, ignore}`. */
export function evaluateObjectHealth(script: CompiledLuaScript, obj: JsonObject): ObjectHealth {
  const r = asObject(script, script.evaluate({ kind: 'object', obj }), 'the result');
  const ignore = bool(script, r, 'ignore');
  return {
    status: ignore && r.status === undefined ? 'Healthy' : status(script, r, ''),
    message: str(script, r, 'message'),
    ignore,
  };
}

export interface ResourceHealth {
  resource: JsonObject;
  status: HealthStatus;
  message: string;
  reEvaluate: boolean;
}

/** HealthCheck `evaluateHealth`: global `resources`, returns `{resources = {{resource, status, message, reEvaluate}}}`. */
export function evaluateHealthCheck(
  script: CompiledLuaScript,
  resources: JsonObject[],
): { resources: ResourceHealth[]; message: string } {
  const r = asObject(script, script.evaluate({ kind: 'resources', resources }), 'the result');
  const list = (field(script, r, 'resources', 'list') as JsonValue[] | undefined) ?? [];
  return {
    message: str(script, r, 'message'),
    resources: list.map((x, i) => {
      const e = asObject(script, x, `resources[${i + 1}]`);
      const resource = asObject(
        script,
        field(script, e, 'resource', 'object') ?? null,
        `resources[${i + 1}].resource`,
      );
      return {
        resource,
        status: status(script, e, `resources[${i + 1}].`),
        message: str(script, e, 'message'),
        reEvaluate: bool(script, e, 'reEvaluate'),
      };
    }),
  };
}

/** ValidateHealth `script`: global `obj` (absent for metric-only checks) and `metrics`; returns `{healthy, message}`. */
export function evaluateValidateHealth(
  script: CompiledLuaScript,
  obj: JsonObject | null,
  metrics: Record<string, number> = {},
): { healthy: boolean; message: string } {
  const globals = { metrics };
  const out =
    obj === null
      ? script.evaluate({ kind: 'none', globals })
      : script.evaluate({ kind: 'object', obj, globals });
  const r = asObject(script, out, 'the result');
  return { healthy: bool(script, r, 'healthy'), message: str(script, r, 'message') };
}

/** SveltosCluster readiness/liveness `condition`: global `resources`; returns `{pass, message}`. */
export function evaluateClusterCheck(
  script: CompiledLuaScript,
  resources: JsonObject[],
): { pass: boolean; message: string } {
  const r = asObject(script, script.evaluate({ kind: 'resources', resources }), 'the result');
  return { pass: bool(script, r, 'pass'), message: str(script, r, 'message') };
}

/** policyRef content annotated `projectsveltos.io/lua`: `resources` = identifier → object; returns the `resources` text. */
export function evaluateLuaTemplate(
  script: CompiledLuaScript,
  resources: Record<string, JsonObject>,
): string {
  const r = asObject(script, script.evaluate({ kind: 'resource-map', resources }), 'the result');
  return str(script, r, 'resources');
}

export interface ClusterRef {
  namespace: string;
  name: string;
  kind: 'SveltosCluster' | 'Cluster';
}

/**
 * ManagementClusterClassifier `classificationLua`: `resources` (list) in, a list of
 * `{namespace, name, kind}` out. Entries with a bad kind or no name are skipped and reported.
 */
export function evaluateClassification(
  script: CompiledLuaScript,
  resources: JsonObject[],
): { clusters: ClusterRef[]; skipped: string[] } {
  const out = script.evaluate({ kind: 'resources', resources });
  // An empty table is a map for ToGoValue: no clusters.
  if (out !== null && typeof out === 'object' && !Array.isArray(out) && Object.keys(out).length === 0) {
    return { clusters: [], skipped: [] };
  }
  if (!Array.isArray(out)) {
    throw new LuaScriptError(
      'result',
      script.name,
      `the result must be a list of {namespace, name, kind}, got a ${kindOf(out)}`,
    );
  }
  const clusters: ClusterRef[] = [];
  const skipped: string[] = [];
  out.forEach((x, i) => {
    const e = x !== null && typeof x === 'object' && !Array.isArray(x) ? x : null;
    const kind = e?.kind;
    if (
      e === null ||
      typeof e.name !== 'string' ||
      e.name === '' ||
      (kind !== 'SveltosCluster' && kind !== 'Cluster')
    ) {
      skipped.push(`entry ${i + 1} (${JSON.stringify(x)}): needs a name and kind SveltosCluster or Cluster`);
      return;
    }
    clusters.push({ namespace: typeof e.namespace === 'string' ? e.namespace : '', name: e.name, kind });
  });
  return { clusters, skipped };
}

/**
 * values.schema.json validation per chart (Helm's ValidateAgainstSchema), with ajv (JSON Schema
 * draft 7, as Helm 3 accepts). Messages follow Helm 3's gojsonschema wording:
 * `values don't meet the specifications of the schema(s) in the following chart(s):\nNAME:\n- FIELD: MSG`.
 */

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Chart } from '../chart/types.js';
import { isTable, type Values } from './coalesce.js';
import { HelmRenderError } from './errors.js';

const compiled = new WeakMap<Uint8Array, ValidateFunction>();
let ajv: Ajv | undefined;

function validator(chart: Chart, schema: Uint8Array): ValidateFunction {
  const hit = compiled.get(schema);
  if (hit !== undefined) return hit;
  ajv ??= new Ajv({ allErrors: true, strict: false, validateFormats: false, validateSchema: false });
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(schema));
  } catch (e) {
    throw new HelmRenderError(
      'helm.schema',
      `chart ${chart.metadata.name}-${chart.metadata.version}: values.schema.json is not valid JSON: ${(e as Error).message}; fix the schema file`,
      { cause: e },
    );
  }
  let fn: ValidateFunction;
  try {
    // Helm does not resolve `$schema` (charts write http and https draft URLs alike).
    const { $schema: _ignored, ...rest } = (doc ?? {}) as Record<string, unknown>;
    fn = ajv.compile(rest);
  } catch (e) {
    throw new HelmRenderError(
      'helm.schema',
      `chart ${chart.metadata.name}-${chart.metadata.version}: values.schema.json is not a valid JSON Schema: ${(e as Error).message}`,
      { cause: e },
    );
  }
  compiled.set(schema, fn);
  return fn;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function field(path: string): string {
  const parts = path
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  return parts.length === 0 ? '(root)' : parts.join('.');
}

function valueAt(root: unknown, path: string): unknown {
  let cur = root;
  for (const p of path.split('/').slice(1)) {
    const k = p.replaceAll('~1', '/').replaceAll('~0', '~');
    cur = (cur as Record<string, unknown> | undefined)?.[k];
  }
  return cur;
}

function describe(e: ErrorObject, root: unknown): string {
  const f = field(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const t = Array.isArray(p.type) ? (p.type as string[]).join(', ') : String(p.type);
      return `- ${f}: Invalid type. Expected: ${t}, given: ${jsonType(valueAt(root, e.instancePath))}`;
    }
    case 'required':
      return `- ${f}: ${String(p.missingProperty)} is required`;
    case 'additionalProperties':
      return `- ${f}: Additional property ${String(p.additionalProperty)} is not allowed`;
    case 'enum':
      return `- ${f}: ${f} must be one of the following: ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    case 'const':
      return `- ${f}: ${f} does not match: ${JSON.stringify(p.allowedValue)}`;
    case 'minimum':
      return `- ${f}: Must be greater than or equal to ${String(p.limit)}`;
    case 'maximum':
      return `- ${f}: Must be less than or equal to ${String(p.limit)}`;
    case 'pattern':
      return `- ${f}: Does not match pattern '${String(p.pattern)}'`;
    case 'minLength':
      return `- ${f}: String length must be greater than or equal to ${String(p.limit)}`;
    case 'maxLength':
      return `- ${f}: String length must be less than or equal to ${String(p.limit)}`;
    default:
      return `- ${f}: ${e.message ?? e.keyword}`;
  }
}

function validateOne(chart: Chart, values: Values, out: string[]): void {
  if (chart.schema !== undefined && chart.schema.length > 0) {
    const fn = validator(chart, chart.schema);
    if (!fn(values)) {
      const lines = (fn.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => describe(e, values));
      out.push(`${chart.metadata.name}:\n${[...new Set(lines)].join('\n')}\n`);
    }
  }
  for (const sub of chart.dependencies) {
    const sv = values[sub.metadata.name];
    validateOne(sub, isTable(sv) ? sv : {}, out);
  }
}

/** Validates the coalesced values of a chart tree; throws HelmRenderError (code helm.schema). */
export function validateValues(chart: Chart, values: Values): void {
  const out: string[] = [];
  validateOne(chart, values, out);
  if (out.length > 0) {
    throw new HelmRenderError(
      'helm.schema',
      `values don't meet the specifications of the schema(s) in the following chart(s):\n${out.join('')}`.trimEnd(),
    );
  }
}

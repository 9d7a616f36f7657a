/**
 * The values of one helmCharts entry for one cluster: `values` (always a Go template, rendered
 * with the same data as policyRefs templates), then the valuesFrom ConfigMaps/Secrets that are
 * not templates, then those that are (annotation `projectsveltos.io/template`), each in list
 * order with its keys sorted. Deep merge, later wins, lists replaced (API.md §5.2).
 */
import { parse as parseYaml } from 'yaml';
import { getOwn, setOwn } from '../../lib/own-props.js';
import { TemplateError } from '../../engine/template/index.js';
import { ANNOTATION } from './names.js';
import { RenderError, renderTemplate, type SourceContent, type TemplateData } from './render.js';

export type Values = Record<string, unknown>;

function isMap(v: unknown): v is Values {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep merge of `src` over `dst` (later wins, maps merged, lists and scalars replaced). */
export function mergeOver(dst: Values, src: Values): Values {
  const out: Values = { ...dst };
  for (const [k, v] of Object.entries(src)) {
    const cur = getOwn(out, k);
    setOwn(out, k, isMap(cur) && isMap(v) ? mergeOver(cur, v) : v);
  }
  return out;
}

function parseValues(text: string, where: string): Values {
  let v: unknown;
  try {
    v = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new RenderError(
      `${where}: not valid YAML${line ? ` at line ${line}` : ''}: ${(err as Error).message.split('\n')[0]}; fix the values so that they render a YAML map`,
    );
  }
  if (v === null || v === undefined) return {};
  if (!isMap(v))
    throw new RenderError(
      `${where}: values must be a YAML map, got ${Array.isArray(v) ? 'a list' : typeof v}`,
    );
  return v;
}

function render(name: string, text: string, data: TemplateData, where: string): string {
  try {
    return renderTemplate(name, text, data, data.MgmtResources);
  } catch (err) {
    const detail = err instanceof TemplateError ? err.message : String((err as Error).message ?? err);
    throw new RenderError(`${where}: ${detail}`, { cause: err });
  }
}

/**
 * The merged user values of a helmCharts entry. `where` names the entry (`helmCharts[0]
 * (release cnpg-system/cnpg)`); a template or YAML error throws RenderError naming the source,
 * the template name and line.
 */
export function helmValues(
  values: string | undefined,
  valuesFrom: readonly SourceContent[],
  data: TemplateData,
  where: string,
): Values {
  let out: Values = {};
  if (values !== undefined && values.trim() !== '') {
    // `helmCharts[0].values:LINE:COL` in template errors.
    const name = `${where.split(' ')[0]}.values`;
    out = parseValues(render(name, values, data, `${where} values`), `${where} values`);
  }
  const plain = valuesFrom.filter((s) => !Object.hasOwn(s.annotations, ANNOTATION.template));
  const templated = valuesFrom.filter((s) => Object.hasOwn(s.annotations, ANNOTATION.template));
  for (const [src, isTemplate] of [
    ...plain.map((s) => [s, false] as const),
    ...templated.map((s) => [s, true] as const),
  ]) {
    for (const [key, text] of src.data) {
      const w = `${where} valuesFrom ${src.kind} ${src.namespace}/${src.name} key ${key}`;
      const body = isTemplate ? render(`${src.namespace}/${src.name}/${key}`, text, data, w) : text;
      out = mergeOver(out, parseValues(body, w));
    }
  }
  return out;
}

/** Go-template rendering for event generation, with errors that name the trigger and template. */
import { TemplateSet } from '../../engine/template/index.js';
import { sveltosFuncs } from '../../engine/template/funcs/index.js';
import { setOwn } from '../../lib/own-props.js';

let funcs: ReturnType<typeof sveltosFuncs> | undefined;
const parsed = new Map<string, TemplateSet>();
const PARSED_MAX = 512;

export class EventRenderError extends Error {
  override readonly name = 'EventRenderError';
  readonly code = 'event.render';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Renders `text` as template `name` (the name shows in errors as `template: NAME:LINE:COL`).
 * Text without `{{` is returned as is. `where` says which trigger/cluster the render is for.
 */
export function render(where: string, name: string, text: string, data: unknown): string {
  if (!text.includes('{{')) return text;
  const key = `${name}\u0000${text}`;
  try {
    let set = parsed.get(key);
    if (!set) {
      funcs ??= sveltosFuncs();
      set = new TemplateSet({ funcs, option: 'missingkey=error', numbers: 'int64' });
      set.parse(name, text);
      if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value as string);
      parsed.set(key, set);
    }
    return set.execute(name, data);
  } catch (err) {
    throw new EventRenderError(
      `${where}: rendering ${name} failed: ${(err as Error).message}; fix the template (the previously generated objects are kept)`,
      { cause: err },
    );
  }
}

/** Renders every string inside a JSON value that holds a template (helmCharts, kustomizationRefs). */
export function renderDeep<T>(where: string, name: string, value: T, data: unknown): T {
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') return render(where, path, v, data);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) setOwn(out, k, walk(x, `${path}.${k}`));
      return out;
    }
    return v;
  };
  return walk(value, name) as T;
}

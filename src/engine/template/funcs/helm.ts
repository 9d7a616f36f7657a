/** Functions Helm's engine adds to sprig: include, tpl, required, lookup (toYaml & co are in encoding.ts). */

import { def, type FuncDef, type FuncMap } from '../funcs-api.js';
import { isNil } from '../value.js';

export function helmOnlyFuncs(): FuncMap {
  const fns: FuncDef[] = [
    def('include', ['string', 'any'], (c, name: string, data: unknown) =>
      c.runtime.executeTemplate(name, data),
    ),
    // Helm's tpl: a clone of the set, the text parsed under the caller's name, "<no value>" removed.
    def('tpl', ['string', 'any'], (c, text: string, data: unknown) => {
      try {
        return c.runtime.parseAndExecute(c.templateName, text, data).replaceAll('<no value>', '');
      } catch (e) {
        throw new Error(
          `error during tpl function execution for ${JSON.stringify(text)}: ${(e as Error).message}`,
          {
            cause: e,
          },
        );
      }
    }),
    def('required', ['string', 'any'], (_c, warn: string, val: unknown) => {
      if (isNil(val) || val === '') throw new Error(warn);
      return val;
    }),
    def(
      'lookup',
      ['string', 'string', 'string', 'string'],
      (c, apiVersion: string, kind: string, ns: string, name: string) => {
        const f = c.injected.lookup;
        return f === undefined ? {} : (f(apiVersion, kind, ns, name) ?? {});
      },
    ),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}

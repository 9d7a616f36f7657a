/**
 * Go RE2 patterns (OpenAPI `pattern`, CEL `matches`) as JavaScript RegExps, through the engine's
 * Go regexp translator. Compiled patterns are cached; an invalid pattern yields Go's error message.
 */
import { GoRegexpError, translateGoRegexp } from '../../engine/go-regexp.js';

const cache = new Map<string, RegExp | string>();

/** The compiled RegExp, or an error message when the pattern is not valid. */
export function compilePattern(pattern: string): RegExp | string {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let out: RegExp | string;
  try {
    const { source, flags } = translateGoRegexp(pattern);
    try {
      // Code-point semantics (as Go's UTF-8 matching) where JS accepts the pattern in `u` mode.
      out = new RegExp(source, flags.includes('u') ? flags : `${flags}u`);
    } catch {
      out = new RegExp(source, flags);
    }
  } catch (err) {
    out = err instanceof GoRegexpError ? err.message : `error parsing regexp: ${(err as Error).message}`;
  }
  if (cache.size > 2000) cache.clear();
  cache.set(pattern, out);
  return out;
}

/** Unanchored match, as Go's `regexp.MatchString`. Invalid patterns never match. */
export function matchPattern(pattern: string, s: string): boolean {
  const re = compilePattern(pattern);
  return typeof re !== 'string' && re.test(s);
}

/**
 * `.helmignore` rules, with the semantics of Helm's pkg/ignore: one pattern a line, `#`
 * comments, `!` negation, a trailing `/` for directories only, a leading `/` anchors at the
 * chart root, patterns with a `/` match the whole relative path and others the base name, all
 * with Go's filepath.Match. `**` is rejected as in Helm.
 */

import { ChartLoadError } from './errors.js';

interface Pattern {
  raw: string;
  negate: boolean;
  mustDir: boolean;
  match: (path: string) => boolean;
}

/** Go filepath.Match as a RegExp (`*`, `?`, `[...]`, `\` escapes; never crosses `/`). */
export function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) re += escapeRe(glob[++i]!);
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) throw new Error(`syntax error in pattern ${JSON.stringify(glob)}`);
      let body = glob.slice(i + 1, end);
      const neg = body.startsWith('^');
      if (neg) body = body.slice(1);
      re += `[${neg ? '^/' : ''}${body.replace(/[\]\\]/g, '\\$&')}]`;
      i = end;
    } else re += escapeRe(c);
  }
  return new RegExp(`${re}$`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

export class HelmIgnore {
  private readonly patterns: Pattern[] = [];

  /** Parses `.helmignore` text; `where` names the file in errors. */
  static parse(text: string, where = '.helmignore'): HelmIgnore {
    const r = new HelmIgnore();
    for (const [n, line] of text.split(/\r?\n/).entries()) {
      try {
        r.add(line);
      } catch (e) {
        throw new ChartLoadError(`${where}:${n + 1}: ${(e as Error).message}; fix or remove the pattern`);
      }
    }
    return r;
  }

  /** Helm's defaults: hidden files under templates/ are always ignored. */
  addDefaults(): this {
    this.add('templates/.?*');
    return this;
  }

  add(line: string): void {
    let rule = line.trim();
    if (rule === '' || rule.startsWith('#')) return;
    if (rule.includes('**')) throw new Error('double-star (**) syntax is not supported');
    const p: Pattern = { raw: rule, negate: false, mustDir: false, match: () => false };
    if (rule.startsWith('!')) {
      p.negate = true;
      rule = rule.slice(1);
    }
    if (rule.endsWith('/')) {
      p.mustDir = true;
      rule = rule.slice(0, -1);
    }
    if (rule.startsWith('/')) {
      const re = globToRegExp(rule.slice(1));
      p.match = (n) => re.test(n);
    } else if (rule.includes('/')) {
      const re = globToRegExp(rule);
      p.match = (n) => re.test(n);
    } else {
      const re = globToRegExp(rule);
      p.match = (n) => re.test(basename(n));
    }
    this.patterns.push(p);
  }

  /** Helm's Rules.Ignore for a `/`-separated path relative to the chart root. */
  ignores(path: string, isDir: boolean): boolean {
    if (path === '' || path === '.' || path === './') return false;
    for (const p of this.patterns) {
      if (p.negate) {
        if (p.mustDir && !isDir) return true;
        if (!p.match(path)) return true;
        continue;
      }
      if (p.mustDir && !isDir) continue;
      if (p.match(path)) return true;
    }
    return false;
  }
}

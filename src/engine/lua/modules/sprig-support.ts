/** Go library behaviour the sprig wrappers need: semver constraints, path, durations, case and wrapping helpers. */

interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string;
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

export function parseVersion(s: string): Version | null {
  const m = VERSION.exec(s.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre: m[4] ?? '' };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const na = /^\d+$/.test(pa[i]);
    const nb = /^\d+$/.test(pb[i]);
    if (na && nb && Number(pa[i]) !== Number(pb[i])) return Number(pa[i]) < Number(pb[i]) ? -1 : 1;
    if (na !== nb) return na ? -1 : 1;
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePre(a.pre, b.pre);
}

const CONSTRAINT =
  /^(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*v?([0-9xX*]+)(?:\.([0-9xX*]+))?(?:\.([0-9xX*]+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const wild = (s: string | undefined) => s === undefined || s === 'x' || s === 'X' || s === '*';

type Check = (v: Version) => boolean;

function constraint(text: string): Check {
  const m = CONSTRAINT.exec(text.trim());
  if (!m) throw new Error(`improper constraint: ${text}`);
  const op = m[1] ?? '=';
  const [major, minor, patch] = [m[2], m[3], m[4]];
  const pre = m[5] ?? '';
  const base: Version = {
    major: wild(major) ? 0 : Number(major),
    minor: wild(minor) ? 0 : Number(minor),
    patch: wild(patch) ? 0 : Number(patch),
    pre,
  };
  // the first wildcard position: 0 major, 1 minor, 2 patch, 3 none
  const wildAt = wild(major) ? 0 : wild(minor) ? 1 : wild(patch) ? 2 : 3;
  const bump = (at: number): Version =>
    at <= 0
      ? { major: Number.MAX_SAFE_INTEGER, minor: 0, patch: 0, pre: '' }
      : at === 1
        ? { major: base.major + 1, minor: 0, patch: 0, pre: '' }
        : { major: base.major, minor: base.minor + 1, patch: 0, pre: '' };
  const ge = (v: Version) => compareVersions(v, base) >= 0;
  const lt = (u: Version) => (v: Version) => compareVersions(v, u) < 0;
  const inRange = (v: Version) => ge(v) && lt(bump(wildAt))(v);
  const c = (v: Version): boolean => {
    switch (op) {
      case '=':
        return wildAt < 3 ? inRange(v) : compareVersions(v, base) === 0;
      case '!=':
        return wildAt < 3 ? !inRange(v) : compareVersions(v, base) !== 0;
      case '>':
        return wildAt < 3 ? compareVersions(v, bump(wildAt)) >= 0 : compareVersions(v, base) > 0;
      case '>=':
      case '=>':
        return ge(v);
      case '<':
        return compareVersions(v, base) < 0;
      case '<=':
      case '=<':
        return wildAt < 3 ? lt(bump(wildAt))(v) : compareVersions(v, base) <= 0;
      case '~':
      case '~>':
        return ge(v) && lt(bump(Math.min(wildAt, 2)))(v);
      default: {
        // caret: the left-most non-zero part is fixed
        const upper =
          base.major > 0 || wildAt <= 1
            ? bump(1)
            : base.minor > 0 || wildAt === 2
              ? bump(2)
              : { major: 0, minor: 0, patch: base.patch + 1, pre: '' };
        return ge(v) && lt(upper)(v);
      }
    }
  };
  return (v) => (v.pre !== '' && pre === '' ? false : c(v));
}

/** Masterminds semver `NewConstraint(c).Check(NewVersion(v))`: `||` alternatives of `,`/space-separated conditions. */
export function semverCompare(constraintText: string, versionText: string): boolean {
  const v = parseVersion(versionText);
  if (v === null) throw new Error(`Invalid Semantic Version`);
  return constraintText.split('||').some((alt) => {
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(alt);
    const parts = hyphen
      ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`]
      : alt
          .replace(/(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)\s+/g, '$1')
          .split(/[\s,]+/)
          .filter((p) => p !== '');
    if (parts.length === 0) throw new Error(`improper constraint: ${constraintText}`);
    return parts.map(constraint).every((check) => check(v));
  });
}

/** Go path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

export function basePath(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

export function dirPath(p: string): string {
  return cleanPath(p.slice(0, p.lastIndexOf('/') + 1));
}

export function extPath(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

/** Go time.Duration.String() for a whole number of seconds. */
export function goDuration(totalSeconds: number): string {
  if (totalSeconds === 0) return '0s';
  const neg = totalSeconds < 0 ? '-' : '';
  let s = Math.abs(Math.trunc(totalSeconds));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h > 0) return `${neg}${h}h${m}m${s}s`;
  if (m > 0) return `${neg}${m}m${s}s`;
  return `${neg}${s}s`;
}

const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go time.ParseDuration, in seconds; null when invalid. */
export function parseGoDuration(s: string): number | null {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(s);
  if (s === '0') return 0;
  if (!m) return null;
  let total = 0;
  for (const part of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g))
    total += Number(part[1]) * UNITS[part[2]];
  return m[1] === '-' ? -total : total;
}

/** sprig durationRound. */
export function durationRound(seconds: number): string {
  const u = Math.abs(seconds);
  const day = 86400;
  if (u > 365 * day) return `${Math.floor(u / (365 * day))}y`;
  if (u > 30 * day) return `${Math.floor(u / (30 * day))}mo`;
  if (u > day) return `${Math.floor(u / day)}d`;
  if (u > 3600) return `${Math.floor(u / 3600)}h`;
  if (u > 60) return `${Math.floor(u / 60)}m`;
  if (u > 1) return `${Math.floor(u)}s`;
  return '0s';
}

/** xstrings word splitting: runs of upper case, capitalised words, lower-case words and digits. */
export function words(s: string): string[] {
  return s.match(/\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?\p{Ll}+|\p{Lu}+|\p{N}+/gu) ?? [];
}

/** goutils.WrapCustom(s, width, sep, false). */
export function wrapText(s: string, width: number, sep: string): string {
  const w = Math.max(width, 1);
  return s
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let cur = '';
      for (const word of line.split(' ')) {
        if (cur === '') cur = word;
        else if ((cur + ' ' + word).length <= w) cur += ' ' + word;
        else {
          out.push(cur);
          cur = word;
        }
      }
      out.push(cur);
      return out.join(sep);
    })
    .join('\n');
}

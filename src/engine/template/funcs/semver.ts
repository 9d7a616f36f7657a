/**
 * Masterminds/semver v3 versions and constraints (sprig `semver`, `semverCompare`; Helm reuses
 * it for chart version ranges).
 */

import { def, type FuncDef, type FuncMap } from '../funcs-api.js';
import { HOST, type HostMethod, type HostObject, mkInt64, NO_FIELD } from '../value.js';

const VERSION_RE =
  /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export class SemverError extends Error {
  override readonly name = 'SemverError';
}

export class Version {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly prerelease: string,
    readonly metadata: string,
    readonly original: string,
  ) {}

  /** semver.NewVersion: "v" prefix and missing minor/patch allowed. */
  static parse(s: string): Version {
    const m = VERSION_RE.exec(s);
    if (m === null) throw new SemverError('Invalid Semantic Version');
    const pre = m[4] ?? '';
    for (const p of pre === '' ? [] : pre.split('.')) {
      if (/^\d+$/.test(p) && p.length > 1 && p.startsWith('0'))
        throw new SemverError('Version segment starts with 0');
    }
    return new Version(BigInt(m[1]!), BigInt(m[2] ?? 0), BigInt(m[3] ?? 0), pre, m[5] ?? '', s);
  }

  toString(): string {
    let s = `${this.major}.${this.minor}.${this.patch}`;
    if (this.prerelease !== '') s += `-${this.prerelease}`;
    if (this.metadata !== '') s += `+${this.metadata}`;
    return s;
  }

  compare(o: Version): number {
    for (const [a, b] of [
      [this.major, o.major],
      [this.minor, o.minor],
      [this.patch, o.patch],
    ] as const) {
      if (a !== b) return a < b ? -1 : 1;
    }
    return comparePrerelease(this.prerelease, o.prerelease);
  }
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const x = as[i];
    const y = bs[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xn) return -1;
    if (yn) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

interface Bound {
  op: string;
  v: Version;
  /** Masterminds' flags: any wildcard/missing part, minor wildcard/missing, patch wildcard/missing. */
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
  hasPre: boolean;
}

const OPS = ['>=', '=>', '<=', '=<', '!=', '~>', '>', '<', '=', '~', '^', ''];
const PART = '(?:[0-9]+|[xX*])';
const CONSTRAINT_RE = new RegExp(
  `^\\s*(>=|=>|<=|=<|!=|~>|>|<|=|~|\\^)?\\s*v?(${PART}(?:\\.${PART})?(?:\\.${PART})?(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?)\\s*$`,
);

const isX = (p: string | undefined): boolean => p === undefined || /^[xX*]$/.test(p);

function parseBound(s: string): Bound {
  const m = CONSTRAINT_RE.exec(s);
  if (m === null) throw new SemverError(`improper constraint: ${s}`);
  const op = m[1] ?? '';
  if (!OPS.includes(op)) throw new SemverError(`improper constraint: ${s}`);
  const raw = m[2]!;
  const cut = raw.search(/[-+]/);
  const core = cut < 0 ? raw : raw.slice(0, cut);
  const tail = cut < 0 ? '' : raw.slice(cut);
  const [maj, min, pat] = core.split('.');
  let ver: string;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  // As Masterminds' parseConstraint: the first wildcard or missing part decides (only one flag is set).
  if (isX(maj)) {
    ver = `0.0.0${tail}`;
    dirty = true;
  } else if (isX(min)) {
    ver = `${maj}.0.0${tail}`;
    dirty = minorDirty = true;
  } else if (isX(pat)) {
    ver = `${maj}.${min}.0${tail}`;
    dirty = patchDirty = true;
  } else ver = raw;
  let v: Version;
  try {
    v = Version.parse(ver);
  } catch {
    throw new SemverError(`improper constraint: ${s}`);
  }
  return { op, v, dirty, minorDirty, patchDirty, hasPre: v.prerelease !== '' };
}

function tilde(b: Bound, v: Version): boolean {
  const c = b.v;
  if (v.compare(c) < 0) return false;
  if (c.major === 0n && c.minor === 0n && c.patch === 0n && !b.minorDirty && !b.patchDirty) return true;
  if (v.major !== c.major) return false;
  if (v.minor !== c.minor && !b.minorDirty) return false;
  return true;
}

function caret(b: Bound, v: Version): boolean {
  const c = b.v;
  if (v.compare(c) < 0) return false;
  if (c.major > 0n || b.minorDirty) return v.major === c.major;
  if (c.major === 0n && v.major > 0n) return false;
  if (c.minor > 0n || b.patchDirty) return v.minor === c.minor;
  if (c.minor === 0n && v.minor > 0n) return false;
  return c.patch === v.patch;
}

/** One constraint against a version, following Masterminds/semver v3's constraint functions. */
function check(b: Bound, v: Version): boolean {
  const c = b.v;
  const cmp = v.compare(c);
  if (v.prerelease !== '' && !b.hasPre) return false;
  switch (b.op) {
    case '':
    case '=':
      return b.dirty ? tilde(b, v) : cmp === 0;
    case '!=':
      if (!b.dirty) return cmp !== 0;
      if (c.major !== v.major) return true;
      if (b.minorDirty) return false;
      if (c.minor !== v.minor) return true;
      if (b.patchDirty) return false;
      return c.patch !== v.patch;
    case '>':
      if (!b.dirty) return cmp > 0;
      if (v.major !== c.major) return v.major > c.major;
      if (b.minorDirty) return false;
      if (b.patchDirty) return v.minor > c.minor;
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
    case '=>':
      return cmp >= 0;
    case '<=':
    case '=<':
      if (!b.dirty) return cmp <= 0;
      if (v.major > c.major) return false;
      if (v.major === c.major && v.minor > c.minor && !b.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(b, v);
    case '^':
      return caret(b, v);
    default:
      return false;
  }
}

/** A parsed constraint: OR of AND groups. */
export class Constraints {
  private constructor(private readonly groups: Bound[][]) {}

  static parse(s: string): Constraints {
    const groups: Bound[][] = [];
    for (const orPart of s.split('||')) {
      const text = orPart.trim();
      const hy = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(text);
      if (hy !== null) {
        groups.push([parseBound(`>=${hy[1]}`), parseBound(`<=${hy[2]}`)]);
        continue;
      }
      const items = text
        .replace(/(>=|=>|<=|=<|!=|~>|>|<|=|~|\^)\s+/g, '$1')
        .split(/[\s,]+/)
        .filter((x) => x !== '');
      if (items.length === 0) throw new SemverError(`improper constraint: ${s}`);
      groups.push(items.map(parseBound));
    }
    return new Constraints(groups);
  }

  check(v: Version): boolean {
    return this.groups.some((g) => g.every((b) => check(b, v)));
  }
}

/** Masterminds semver's *Version as a template host object. */
export function versionObject(v: Version): HostObject {
  const methods: Record<string, HostMethod> = {
    Major: { params: [], fn: () => mkUint(v.major) },
    Minor: { params: [], fn: () => mkUint(v.minor) },
    Patch: { params: [], fn: () => mkUint(v.patch) },
    Prerelease: { params: [], fn: () => v.prerelease },
    Metadata: { params: [], fn: () => v.metadata },
    Original: { params: [], fn: () => v.original },
    String: { params: [], fn: () => v.toString() },
    Compare: { params: ['any'], fn: (o) => mkInt(v.compare(versionOf(o))) },
    LessThan: { params: ['any'], fn: (o) => v.compare(versionOf(o)) < 0 },
    GreaterThan: { params: ['any'], fn: (o) => v.compare(versionOf(o)) > 0 },
    Equal: { params: ['any'], fn: (o) => v.compare(versionOf(o)) === 0 },
  };
  return {
    [HOST]: true,
    field: () => NO_FIELD,
    method: (name) => methods[name],
    goTypeName: () => '*semver.Version',
    format: () => v.toString(),
    version: v,
  } as HostObject & { version: Version };
}

const mkUint = (n: bigint) => mkInt64(n);
const mkInt = (n: number) => mkInt64(n);

function versionOf(o: unknown): Version {
  const v = (o as { version?: unknown } | null)?.version;
  if (v instanceof Version) return v;
  throw new Error('expected a *semver.Version');
}

export function semverFuncs(): FuncMap {
  const fns: FuncDef[] = [
    def('semver', ['string'], (_c, s: string) => versionObject(Version.parse(s))),
    def('semverCompare', ['string', 'string'], (_c, c: string, v: string) => {
      const cons = Constraints.parse(c);
      return cons.check(Version.parse(v));
    }),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}

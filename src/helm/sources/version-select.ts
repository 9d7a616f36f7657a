/**
 * Version selection exactly as Helm does it, on Masterminds/semver v3 (the template library's
 * implementation): an exact string match first, then the highest version satisfying the
 * constraint (`*` when empty, which excludes prereleases).
 */

import { Constraints, SemverError, Version } from '../../engine/template/funcs/semver.js';

/** Sorts version strings highest first; unparsable ones go last (Helm's ChartVersions order). */
export function sortVersionsDesc<T>(items: readonly T[], version: (t: T) => string): T[] {
  const parsed = items.map((item) => {
    try {
      return { item, v: Version.parse(version(item)) as Version | undefined };
    } catch {
      return { item, v: undefined };
    }
  });
  // A stable sort, like Go's sort.Sort on already-ordered input for equal elements is not
  // guaranteed; stability keeps index order for ties, which is what users expect.
  parsed.sort((a, b) => {
    if (a.v === undefined) return b.v === undefined ? 0 : 1;
    if (b.v === undefined) return -1;
    return b.v.compare(a.v);
  });
  return parsed.map((p) => p.item);
}

/** Parses a version range; throws SemverError("improper constraint: ...") for bad input. */
export function parseConstraint(range: string): Constraints {
  return Constraints.parse(range === '' ? '*' : range);
}

/**
 * Helm's IndexFile.Get / GetTagMatchingVersionOrConstraint: `candidates` must be sorted highest
 * first. Returns the chosen candidate or undefined.
 */
export function selectVersion<T>(
  candidates: readonly T[],
  range: string,
  version: (t: T) => string,
): T | undefined {
  if (range !== '') {
    const exact = candidates.find((c) => version(c) === range);
    if (exact !== undefined) return exact;
  }
  const constraint = parseConstraint(range);
  for (const c of candidates) {
    let v: Version;
    try {
      v = Version.parse(version(c));
    } catch {
      continue;
    }
    if (constraint.check(v)) return c;
  }
  return undefined;
}

/** True when `s` is a single version (not a range), as Helm's downloader decides for OCI tags. */
export function isExactVersion(s: string): boolean {
  try {
    Version.parse(s);
    return true;
  } catch (e) {
    if (e instanceof SemverError) return false;
    throw e;
  }
}

/**
 * HTTP(S) chart repositories: `index.yaml` plus `.tgz` downloads, with basic auth (sent to the
 * repository host only, unless passCredentialsAll), a CA bundle and insecureSkipTLSVerify.
 */

import { ChartSourceError } from './errors.js';
import { type SourceCredentials, userPassFor } from './credentials.js';
import { basicAuth, httpGet, statusError } from './http-client.js';
import {
  type IndexChartVersion,
  indexUrl,
  parseRepoIndex,
  type RepoIndex,
  resolveChartUrl,
} from './repo-index.js';
import { parseConstraint, selectVersion } from './version-select.js';

function authFor(repoUrl: string, creds: SourceCredentials | undefined): string | undefined {
  const up = userPassFor(creds, new URL(repoUrl).host);
  return up === undefined ? undefined : basicAuth(up.username, up.password);
}

/** Downloads and parses `<repoUrl>/index.yaml`. */
export async function fetchRepoIndex(repoUrl: string, creds?: SourceCredentials): Promise<RepoIndex> {
  const url = indexUrl(repoUrl);
  const what = `chart repository ${repoUrl} (index ${url})`;
  const res = await httpGet(url, {
    what,
    authorization: authFor(repoUrl, creds),
    caPem: creds?.caPem,
    insecureSkipTLSVerify: creds?.insecureSkipTLSVerify,
    passCredentialsAll: creds?.passCredentialsAll,
  });
  if (res.status !== 200)
    throw statusError(
      res,
      `fetching index.yaml of chart repository ${repoUrl}`,
      'check repositoryURL: it must be a Helm chart repository (the folder holding index.yaml)',
    );
  return parseRepoIndex(new TextDecoder().decode(res.body), url);
}

/** Picks the chart version for a range from an index, with Helm's rules and helpful errors. */
export function findChartVersion(
  index: RepoIndex,
  repoUrl: string,
  chart: string,
  range: string,
): IndexChartVersion {
  const versions = index.entries[chart];
  if (versions === undefined) {
    const names = Object.keys(index.entries).sort();
    const hint =
      names.length === 0 ? 'the repository has no charts' : `it has: ${names.slice(0, 20).join(', ')}`;
    throw new ChartSourceError(
      'not-found',
      `chart ${JSON.stringify(chart)} not found in repository ${repoUrl} (${hint}); check chartName`,
    );
  }
  if (versions.length === 0)
    throw new ChartSourceError(
      'version-not-found',
      `chart ${JSON.stringify(chart)} in repository ${repoUrl} has no versions`,
    );
  try {
    parseConstraint(range);
  } catch (e) {
    if (!versions.some((v) => v.version === range))
      throw new ChartSourceError(
        'invalid-reference',
        `chart ${JSON.stringify(chart)} version ${JSON.stringify(range)}: not a version or version range (${(e as Error).message}); use e.g. 1.2.3, ~1.2 or >=1.0.0 <2.0.0`,
        { cause: e },
      );
  }
  const cv = selectVersion(versions, range, (v) => v.version);
  if (cv === undefined) {
    const avail = versions
      .slice(0, 10)
      .map((v) => v.version)
      .join(', ');
    throw new ChartSourceError(
      'version-not-found',
      `no chart version found for ${chart}-${range} in repository ${repoUrl} (available: ${avail}); check chartVersion`,
    );
  }
  if (cv.urls.length === 0)
    throw new ChartSourceError(
      'bad-response',
      `chart ${chart} version ${cv.version} in repository ${repoUrl} has no download URLs in index.yaml`,
    );
  return cv;
}

/** Downloads a chart archive listed in an index (the first URL, resolved against the repo URL). */
export async function downloadIndexedChart(
  repoUrl: string,
  cv: IndexChartVersion,
  creds?: SourceCredentials,
): Promise<Uint8Array> {
  const url = resolveChartUrl(repoUrl, cv.urls[0]!);
  const what = `chart ${cv.name} version ${cv.version} from ${url}`;
  // As Helm: the repository's credentials go to chart URLs on the repository host only,
  // unless passCredentialsAll.
  const sameHost = new URL(url).host === new URL(repoUrl).host;
  const res = await httpGet(url, {
    what,
    authorization: sameHost || creds?.passCredentialsAll === true ? authFor(repoUrl, creds) : undefined,
    caPem: creds?.caPem,
    insecureSkipTLSVerify: creds?.insecureSkipTLSVerify,
    passCredentialsAll: creds?.passCredentialsAll,
  });
  if (res.status !== 200)
    throw statusError(
      res,
      `downloading ${what} (repository ${repoUrl})`,
      'the repository index lists a URL that does not exist; ask the repository owner to re-index',
    );
  return res.body;
}

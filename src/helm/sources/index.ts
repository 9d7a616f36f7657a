export { ChartCache, digestHex } from './cache.js';
export {
  type ChartRequest,
  ChartSources,
  type ChartSourcesOptions,
  type FetchedChart,
  httpChartName,
  isOciUrl,
  ociChartRef,
  type ResolvedChartRef,
} from './chart-source.js';
export { type SourceCredentials, userPassFor } from './credentials.js';
export { ChartSourceError, type ChartSourceErrorKind } from './errors.js';
export { downloadIndexedChart, fetchRepoIndex, findChartVersion } from './http-repo.js';
export {
  HELM_CHART_MEDIA_TYPE,
  HELM_CONFIG_MEDIA_TYPE,
  HELM_PROV_MEDIA_TYPE,
  LEGACY_CHART_MEDIA_TYPE,
  OciRegistryClient,
  type OciReference,
  parseOciReference,
} from './oci-registry.js';
export {
  type IndexChartVersion,
  indexUrl,
  parseRepoIndex,
  type RepoIndex,
  resolveChartUrl,
} from './repo-index.js';
export { isExactVersion, selectVersion, sortVersionsDesc } from './version-select.js';

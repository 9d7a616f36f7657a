export { type AddonFilter, type AddonRow, addonRows } from './addons.js';
export { type DryRunFilter, type DryRunRow, dryRunRows, reportProfile } from './dryrun.js';
export { explainProfile, failureLocation } from './explain.js';
export { type ExplainRequest, fetchExplanation, ProfileNotFoundError } from './explain-fetch.js';
export { formatExplanation } from './explain-format.js';
export type * from './explain-types.js';
export { listAll, queryAddons, queryDryRun, queryResources, queryUsage } from './fetch.js';
export {
  type ClusterFilter,
  clusterMatches,
  type ProfileRef,
  parseProfileRef,
  profileLabel,
} from './filters.js';
export { connectManagement, managementKubeconfigPath } from './management.js';
export { type ResourceFilter, type ResourceRow, resourceRows } from './resources.js';
export { explainSelector, type SelectorExplanation, type SelectorTerm } from './selector-explain.js';
export { type UsageFilter, type UsageRow, usageKinds, usageRows } from './usage.js';

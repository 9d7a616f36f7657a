export { clusterCapabilities, forgetCapabilities } from './capabilities.js';
export {
  type ActionConfig,
  HelmActionError,
  OWNER_LABEL,
  ownerLabelValue,
  parseObjects,
  resourceKey,
} from './config.js';
export { runHooks } from './hooks.js';
export { install, renderFor } from './install.js';
export type { ActionOutcome, ActionResult, ChartActionOptions } from './options.js';
export { diffValues, type PlannedChange, planChanges, type ValueChange } from './plan.js';
export { MANAGED_BY, RELEASE_NAME, RELEASE_NAMESPACE, RESOURCE_POLICY } from './resources.js';
export { type UninstallOptions, uninstall } from './uninstall.js';
export { installOrUpgrade, type RollbackOptions, rollback, upgrade } from './upgrade.js';

/**
 * The slices of the Sveltos kinds add-on deployment reads and writes (JSON names as the CRDs).
 * Kept local until `src/api/` lands; structurally compatible with the CRD schemas.
 */
import type { FeatureStatus } from '../../api/index.js';
import type { KubeClient, KubeObject } from '../../kube/index.js';
import type { CacheReader } from '../../runtime/index.js';
import type { ClusterType, ProfileKind } from './names.js';

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}

export interface PolicyRef {
  namespace?: string;
  name: string;
  kind?: 'ConfigMap' | 'Secret' | 'GitRepository' | 'OCIRepository' | 'Bucket';
  path?: string;
  deploymentType?: 'Local' | 'Remote';
  optional?: boolean;
  tier?: number;
  skipNamespaceCreation?: boolean;
  force?: boolean;
}

export interface TemplateResourceRef {
  resource: ObjectReference;
  identifier: string;
  optional?: boolean;
  ignoreStatusChanges?: boolean;
  watchFields?: string[];
}

export type SyncMode = 'OneTime' | 'Continuous' | 'ContinuousWithDriftDetection' | 'DryRun';
export type StopMatchingBehavior = 'WithdrawPolicies' | 'LeavePolicies';

export interface ProfileSpec {
  clusterSelector?: LabelSelectorSpec;
  clusterRefs?: ObjectReference[];
  syncMode?: SyncMode;
  tier?: number;
  continueOnConflict?: boolean;
  continueOnError?: boolean;
  stopMatchingBehavior?: StopMatchingBehavior;
  templateResourceRefs?: TemplateResourceRef[];
  dependsOn?: string[];
  policyRefs?: PolicyRef[];
  extraLabels?: Record<string, string>;
  extraAnnotations?: Record<string, string>;
  maxConsecutiveFailures?: number;
  [key: string]: unknown;
}

export interface FailedCluster {
  clusterRef: ObjectReference;
  failureMessage: string;
  lastFailureTime?: string;
}

export interface ProfileStatus {
  matchingClusters?: ObjectReference[];
  failedClusters?: FailedCluster[];
  reconciliationSuspended?: boolean;
  suspensionReason?: string;
  [key: string]: unknown;
}

export interface ProfileObject extends KubeObject {
  kind?: ProfileKind;
  spec?: ProfileSpec;
  status?: ProfileStatus;
}

export type { FeatureStatus };

export interface FeatureSummary {
  featureID: 'Resources' | 'Helm' | 'Kustomize';
  hash?: string;
  consecutiveFailures?: number;
  status?: FeatureStatus;
  failureReason?: string;
  failureMessage?: string;
  lastAppliedTime?: string;
}

export interface ClusterSummarySpec {
  clusterNamespace: string;
  clusterName: string;
  clusterType: ClusterType;
  clusterProfileSpec?: ProfileSpec;
}

export interface ClusterSummaryStatus {
  dependencies?: string;
  featureSummaries?: FeatureSummary[];
  deployedGVKs?: { featureID: string; deployedGroupVersionKind?: string[] }[];
  failureMessage?: string;
  reconciliationSuspended?: boolean;
  [key: string]: unknown;
}

export interface ClusterSummaryObject extends KubeObject {
  spec?: ClusterSummarySpec;
  status?: ClusterSummaryStatus;
}

export interface SveltosClusterObject extends KubeObject {
  spec?: {
    paused?: boolean;
    kubeconfigName?: string;
    kubeconfigKeyName?: string;
    data?: Record<string, string>;
    [key: string]: unknown;
  };
  status?: { ready?: boolean; [key: string]: unknown };
}

/** A deployed resource as listed in ClusterConfiguration / ResourceSummary. */
export interface DeployedResource {
  name: string;
  namespace?: string;
  group: string;
  kind: string;
  version: string;
  lastAppliedTime?: string;
  deploymentType?: 'Local' | 'Remote';
}

export type ReportAction = 'No Action' | 'Create' | 'Update' | 'Delete' | 'Conflict' | 'Error';

export interface ResourceReport {
  resource: { name: string; namespace?: string; group: string; kind: string; version: string };
  action?: ReportAction;
  message?: string;
}

/** What every feature deployer (Helm, Kustomize) is given for one ClusterSummary. */
export interface FeatureInput {
  mgmt: KubeClient;
  /** The managed cluster's client. */
  target: KubeClient;
  cs: ClusterSummaryObject;
  spec: ProfileSpec;
  clusterObj: KubeObject;
  mgmtResources: Record<string, Record<string, unknown>>;
  /** templateResourceRefs failures: they freeze removals. */
  sourceErrors: readonly string[];
  caches: { configMaps: CacheReader; secrets: CacheReader };
  /** The summary's ResourceSummary in the managed cluster (ContinuousWithDriftDetection). */
  resourceSummary: KubeObject | undefined;
  now: () => number;
}

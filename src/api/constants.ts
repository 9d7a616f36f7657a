/** Labels, annotations, finalizers and well-known names of Sveltos (API.md section 13). */

/** Cluster type as written in `spec.clusterType` and status references. */
export type ClusterType = 'Capi' | 'Sveltos';
export const ClusterType = { Capi: 'Capi', Sveltos: 'Sveltos' } as const satisfies Record<
  ClusterType,
  ClusterType
>;

export type FeatureID = 'Resources' | 'Helm' | 'Kustomize';
export const FeatureID = {
  Resources: 'Resources',
  Helm: 'Helm',
  Kustomize: 'Kustomize',
} as const satisfies Record<FeatureID, FeatureID>;

export type FeatureStatus =
  | 'Provisioning'
  | 'Provisioned'
  | 'Failed'
  | 'FailedNonRetriable'
  | 'Removing'
  | 'Removed'
  | 'AgentRemoving';
export type SveltosFeatureStatus = Exclude<FeatureStatus, 'AgentRemoving'>;
export type ReportPhase = 'WaitingForDelivery' | 'Delivering' | 'Processed';
export type ConnectionStatus = 'Healthy' | 'Down';
export type SyncMode = 'OneTime' | 'Continuous' | 'ContinuousWithDriftDetection' | 'DryRun';

/** The management cluster's own registration (API.md section 13). */
export const MGMT_CLUSTER_NAME = 'mgmt';
export const MGMT_CLUSTER_NAMESPACE = 'mgmt';
/** Namespace of Sveltos' own objects in every cluster. */
export const SVELTOS_NAMESPACE = 'projectsveltos';
/** Default `spec.consecutiveFailureThreshold` of a SveltosCluster. */
export const DEFAULT_CONSECUTIVE_FAILURE_THRESHOLD = 3;
/** Secret type required for Secrets consumed as content, values, patches or notification config. */
export const CLUSTER_PROFILE_SECRET_TYPE = 'addons.projectsveltos.io/cluster-profile';

export const Labels = {
  clusterProfileName: 'projectsveltos.io/cluster-profile-name',
  profileName: 'projectsveltos.io/profile-name',
  clusterName: 'projectsveltos.io/cluster-name',
  clusterType: 'projectsveltos.io/cluster-type',
  k8sVersion: 'projectsveltos.io/k8s-version',
  serviceAccountName: 'projectsveltos.io/serviceaccount-name',
  serviceAccountNamespace: 'projectsveltos.io/serviceaccount-namespace',
  eventSourceName: 'projectsveltos.io/eventsource-name',
  eventReportClusterName: 'eventreport.projectsveltos.io/cluster-name',
  eventReportClusterType: 'eventreport.projectsveltos.io/cluster-type',
  classifierName: 'projectsveltos.io/classifier-name',
  classifierReportClusterName: 'classifier.projectsveltos.io/cluster-name',
  classifierReportClusterType: 'classifier.projectsveltos.io/cluster-type',
  managementClusterClassifierName: 'projectsveltos.io/managementclusterclassifier-name',
  healthCheckName: 'projectsveltos.io/healthcheck-name',
  healthCheckReportClusterName: 'healthcheckreport.projectsveltos.io/cluster-name',
  healthCheckReportClusterType: 'healthcheckreport.projectsveltos.io/cluster-type',
  reloaderReportClusterName: 'reloaderreport.projectsveltos.io/cluster-name',
  reloaderReportClusterType: 'reloaderreport.projectsveltos.io/cluster-type',
  accessRequestName: 'projectsveltos.io/access-request-name',
  promotionName: 'config.projectsveltos.io/promotionname',
  pullModeClusterName: 'pullmode.projectsveltos.io/clustername',
  pullModeRequestorKind: 'pullmode.projectsveltos.io/requestorkind',
  pullModeRequestorFeature: 'pullmode.projectsveltos.io/requestorfeature',
  /** Shard assignment of a Cluster/SveltosCluster (also read as an annotation). */
  shardKey: 'sharding.projectsveltos.io/key',
} as const;

export const Annotations = {
  template: 'projectsveltos.io/template',
  instantiate: 'projectsveltos.io/instantiate',
  lua: 'projectsveltos.io/lua',
  /** Spelled "tex" upstream. */
  texTemplate: 'projectsveltos.io/tex-template',
  profilePaused: 'profile.projectsveltos.io/paused',
  driftDetectionIgnore: 'projectsveltos.io/driftDetectionIgnore',
  forceRecreate: 'projectsveltos.io/forceRecreate',
  subresources: 'projectsveltos.io/subresources',
  shardKey: 'sharding.projectsveltos.io/key',
  agentConfigOverrideRef: 'sveltosagent.projectsveltos.io/config-override-ref',
  applierConfigOverrideRef: 'sveltosapplier.projectsveltos.io/config-override-ref',
  reason: 'projectsveltos.io/reason',
  referenceKind: 'projectsveltos.io/reference-kind',
  referenceName: 'projectsveltos.io/reference-name',
  referenceNamespace: 'projectsveltos.io/reference-namespace',
  referenceTier: 'projectsveltos.io/reference-tier',
  hash: 'projectsveltos.io/hash',
  ownerKind: 'projectsveltos.io/owner-kind',
  ownerName: 'projectsveltos.io/owner-name',
  ownerTier: 'projectsveltos.io/owner-tier',
  deployedBySveltos: 'projectsveltos.io/deployed-by-sveltos',
  retrigger: 'projectsveltos.io/retrigger',
  clusterSummaryName: 'projectsveltos.io/cluster-summary-name',
  clusterSummaryNamespace: 'projectsveltos.io/cluster-summary-namespace',
  reloaderReportResourceKind: 'reloaderreport.projectsveltos.io/resource-kind',
  reloaderReportResourceNamespace: 'reloaderreport.projectsveltos.io/resource-namespace',
  reloaderReportResourceName: 'reloaderreport.projectsveltos.io/resource-name',
  pullModeRequestorName: 'pullmode.projectsveltos.io/requestorname',
  pullModeIndex: 'pullmode.projectsveltos.io/index',
} as const;

export const Finalizers = {
  clusterProfile: 'clusterprofilefinalizer.projectsveltos.io',
  profile: 'profilefinalizer.projectsveltos.io',
  clusterSummary: 'clustersummaryfinalizer.projectsveltos.io',
  eventTrigger: 'eventtrigger.finalizer.projectsveltos.io',
  eventSource: 'eventsource.finalizer.projectsveltos.io',
  eventReport: 'eventreport.finalizer.projectsveltos.io',
  classifier: 'classifierfinalizer.projectsveltos.io',
  clusterHealthCheck: 'clusterhcfinalizer.projectsveltos.io',
  healthCheck: 'healthcheck.finalizer.projectsveltos.io',
  healthCheckReport: 'healthcheckreport.finalizer.projectsveltos.io',
  reloader: 'reloader.finalizer.projectsveltos.io',
  reloaderReport: 'reloaderreport.finalizer.projectsveltos.io',
  resourceSummary: 'resourcesummaryfinalizer.projectsveltos.io',
  roleRequest: 'rolerequestfinalizer.projectsveltos.io',
  accessRequest: 'accessrequestfinalizer.projectsveltos.io',
  clusterSet: 'clustersetfinalizer.projectsveltos.io',
  set: 'setfinalizer.projectsveltos.io',
  techsupport: 'techsupportfinalizer.projectsveltos.io',
  managementClusterClassifier: 'managementclusterclassifierfinalizer.projectsveltos.io',
  clusterPromotion: 'config.projectsveltos.io/clusterpromotion',
} as const;

import type { ClusterSummary, LabelSelector } from '../api/index.js';
import type { SelectorExplanation } from './selector-explain.js';

/** A cluster as explain sees it (from a SveltosCluster or a CAPI Cluster). */
export interface ClusterFacts {
  namespace: string;
  name: string;
  type: 'Sveltos' | 'Capi';
  labels: Record<string, string>;
  ready: boolean;
  paused: boolean;
  deleting: boolean;
  connectionStatus?: string;
  failureMessage?: string;
}

/** The profile being explained, reduced to what the decision reads. */
export interface ProfileFacts {
  kind: 'ClusterProfile' | 'Profile';
  name: string;
  namespace?: string;
  clusterSelector?: LabelSelector;
  clusterRefs: { kind?: string; namespace?: string; name?: string }[];
  setRefs: string[];
  /** `namespace/name` of the clusters the referenced ClusterSets/Sets selected, by set name. */
  setClusters: Record<string, string[]>;
  dependsOn: string[];
  syncMode: string;
  tier: number;
  paused: boolean;
  matchingClusters: string[];
}

export interface ExplainInput {
  profile: ProfileFacts;
  /** Clusters to explain (all visible ones, or the one asked about). */
  clusters: ClusterFacts[];
  /** `ns/name` of a cluster asked about that does not exist. */
  missingCluster?: string;
  /** ClusterSummaries of this profile. */
  summaries: ClusterSummary[];
  /** ClusterSummaries of each prerequisite profile, by profile name. */
  dependencySummaries: Record<string, ClusterSummary[]>;
  /** Prerequisite profiles that do not exist. */
  missingDependencies: string[];
}

export type Verdict =
  | 'deployed'
  | 'dry-run'
  | 'not-selected'
  | 'cluster-not-found'
  | 'cluster-not-ready'
  | 'cluster-paused'
  | 'profile-paused'
  | 'waiting-for-dependencies'
  | 'conflict'
  | 'failed'
  | 'provisioning'
  | 'removing'
  | 'pending';

export interface FailureLocation {
  /** `ConfigMap ns/name` (or Secret, GitRepository, ...) whose content failed. */
  object?: string;
  /** Data key of that object. */
  key?: string;
  line?: number;
  column?: number;
}

export interface FeatureExplanation {
  featureID: string;
  status: string;
  consecutiveFailures: number;
  failureReason?: string;
  failureMessage?: string;
  location?: FailureLocation;
  /** For conflicts: the profile that owns the object and its tier. */
  owner?: { kind: string; name: string; tier: number };
}

export interface DependencyExplanation {
  profile: string;
  /** `Provisioned`, another feature status, `not-deployed` (no ClusterSummary) or `missing` (no such profile). */
  status: string;
  provisioned: boolean;
}

export interface ClusterExplanation {
  cluster: string;
  clusterType: string;
  verdict: Verdict;
  /** One sentence: why the profile is, or is not, deployed here. */
  reason: string;
  selection: {
    selected: boolean;
    byClusterRef: boolean;
    /** The ClusterSet/Set (setRefs) that selected the cluster. */
    bySet?: string;
    selector: SelectorExplanation;
    /** Set when a Profile cannot reach the cluster (other namespace). */
    outsideNamespace?: boolean;
  };
  clusterStatus?: { ready: boolean; paused: boolean; connectionStatus?: string; failureMessage?: string };
  dependencies: DependencyExplanation[];
  clusterSummary?: string;
  features: FeatureExplanation[];
  helmConflicts: { release: string; message: string }[];
  summaryFailure?: string;
}

export interface ProfileExplanation {
  kind: string;
  name: string;
  namespace?: string;
  syncMode: string;
  tier: number;
  paused: boolean;
  dependsOn: string[];
  clusters: ClusterExplanation[];
}

// Names the API documentation uses for generated types (the generator names them after fields).
import type { ClusterProfileSpec, ClusterProfileStatus, LabelSelector } from './generated/index.js';

/** A cluster selector (`clusterSelector`, `sourceClusterSelector`, ...): a label selector. */
export type Selector = LabelSelector;
/** Profile and ClusterProfile share spec and status. */
export type ProfileSpec = ClusterProfileSpec;
export type ProfileStatus = ClusterProfileStatus;

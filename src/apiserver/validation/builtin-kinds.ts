/** Dispatch of the kind-specific rules of built-in kinds. */
import type { FieldError, KubeObject, ResourceType } from '../contracts.js';
import {
  validateConfigMap,
  validateEvent,
  validateNamespace,
  validateSecret,
  validateService,
} from './builtin-core.js';
import { validatePodSpec } from './builtin-pod.js';
import { validateIngress, validateRole, validateRoleBinding } from './builtin-rbac-net.js';
import {
  validateCronJob,
  validateDaemonSet,
  validateDeployment,
  validateJob,
  validateReplicaSet,
  validateStatefulSet,
} from './builtin-workloads.js';
import { isObject } from './field-errors.js';

type KindRule = (o: KubeObject, old: KubeObject | undefined, errs: FieldError[]) => void;

const BY_KIND: Record<string, KindRule> = {
  '/Pod': (o, _old, errs) => validatePodSpec(isObject(o.spec) ? o.spec : {}, 'spec', errs),
  '/Service': validateService,
  '/ConfigMap': validateConfigMap,
  '/Secret': validateSecret,
  '/Namespace': validateNamespace,
  '/Event': validateEvent,
  'apps/Deployment': validateDeployment,
  'apps/ReplicaSet': validateReplicaSet,
  'apps/StatefulSet': validateStatefulSet,
  'apps/DaemonSet': validateDaemonSet,
  'batch/Job': validateJob,
  'batch/CronJob': validateCronJob,
  'rbac.authorization.k8s.io/Role': validateRole,
  'rbac.authorization.k8s.io/ClusterRole': validateRole,
  'rbac.authorization.k8s.io/RoleBinding': validateRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': validateRoleBinding,
  'networking.k8s.io/Ingress': validateIngress,
};

export function validateKind(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
  errs: FieldError[],
): void {
  BY_KIND[`${rt.group}/${rt.kind}`]?.(obj, old, errs);
}

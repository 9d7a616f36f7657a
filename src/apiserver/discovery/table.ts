/**
 * Server-side printing: `meta.k8s.io/v1` Tables as kube-apiserver returns them for
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Built-in kinds use kube's printers
 * (every column filled, kubectl hides priority > 0 unless `-o wide`); CRD-defined kinds use the
 * version's `additionalPrinterColumns` after the implicit Name column (default: Age).
 */
import type { KubeObject, PrinterColumn, ResourceType } from '../contracts.js';
import { humanDuration } from './age.js';
import { compileJsonPath, printValue } from './jsonpath.js';
import { age, ageColumn, col, nameColumn, type Printer, printer } from './printer.js';
import {
  configMapPrinter,
  endpointsPrinter,
  eventPrinter,
  namespacePrinter,
  nodePrinter,
  podPrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './printers-core.js';
import {
  clusterRoleBindingPrinter,
  controllerRevisionPrinter,
  createdAtPrinter,
  endpointSlicePrinter,
  ingressPrinter,
  leasePrinter,
  networkPolicyPrinter,
  persistentVolumeClaimPrinter,
  podDisruptionBudgetPrinter,
  priorityClassPrinter,
  roleBindingPrinter,
  storageClassPrinter,
  webhookConfigurationPrinter,
} from './printers-other.js';
import {
  horizontalPodAutoscalerPrinter,
  ingressClassPrinter,
  limitRangePrinter,
  persistentVolumePrinter,
  replicationControllerPrinter,
  resourceQuotaPrinter,
} from './printers-more.js';
import {
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './printers-workloads.js';
import { describe, OBJECT_META } from './swagger.js';

/** Fallback for built-in kinds without a printer of their own: NAME, AGE. */
const defaultPrinter: Printer = printer(
  () => [nameColumn(), ageColumn()],
  (o, now) => [o.metadata?.name ?? '', age(o, now)],
);

const BUILTIN: Record<string, Printer> = {
  '/Namespace': namespacePrinter,
  '/ConfigMap': configMapPrinter,
  '/Secret': secretPrinter,
  '/Service': servicePrinter,
  '/Endpoints': endpointsPrinter,
  '/ServiceAccount': serviceAccountPrinter,
  '/Pod': podPrinter,
  '/Node': nodePrinter,
  '/Event': eventPrinter,
  '/PersistentVolumeClaim': persistentVolumeClaimPrinter,
  '/ReplicationController': replicationControllerPrinter,
  '/PersistentVolume': persistentVolumePrinter,
  '/LimitRange': limitRangePrinter,
  '/ResourceQuota': resourceQuotaPrinter,
  'autoscaling/HorizontalPodAutoscaler': horizontalPodAutoscalerPrinter,
  'networking.k8s.io/IngressClass': ingressClassPrinter,
  'events.k8s.io/Event': eventPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'apps/StatefulSet': statefulSetPrinter,
  'apps/DaemonSet': daemonSetPrinter,
  'apps/ControllerRevision': controllerRevisionPrinter,
  'batch/Job': jobPrinter,
  'batch/CronJob': cronJobPrinter,
  'coordination.k8s.io/Lease': leasePrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
  'apiextensions.k8s.io/CustomResourceDefinition': createdAtPrinter('date'),
  'rbac.authorization.k8s.io/Role': createdAtPrinter('string'),
  'rbac.authorization.k8s.io/ClusterRole': createdAtPrinter('string'),
  'rbac.authorization.k8s.io/RoleBinding': roleBindingPrinter,
  'rbac.authorization.k8s.io/ClusterRoleBinding': clusterRoleBindingPrinter,
  'networking.k8s.io/Ingress': ingressPrinter,
  'networking.k8s.io/NetworkPolicy': networkPolicyPrinter,
  'policy/PodDisruptionBudget': podDisruptionBudgetPrinter,
  'storage.k8s.io/StorageClass': storageClassPrinter,
  'scheduling.k8s.io/PriorityClass': priorityClassPrinter,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': webhookConfigurationPrinter,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': webhookConfigurationPrinter,
};

/** The CRD default when a version declares no additionalPrinterColumns. */
const DEFAULT_CRD_COLUMNS: PrinterColumn[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: '' },
];

/** `cellForJSONValue` of the CRD table convertor. */
function cellFor(type: string, value: unknown, now: Date): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'string':
      return printValue(value);
    case 'date': {
      if (typeof value !== 'string') return null;
      const t = Date.parse(value);
      if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return '<invalid>';
      return humanDuration(now.getTime() - t);
    }
    default:
      return null;
  }
}

const crdPrinters = new WeakMap<readonly PrinterColumn[], Printer>();

/** A printer for a CRD version's columns (compiled once per column list). */
export function crdPrinter(columns: readonly PrinterColumn[] | undefined): Printer {
  const cols = columns && columns.length > 0 ? columns : DEFAULT_CRD_COLUMNS;
  let p = crdPrinters.get(cols);
  if (p) return p;
  const compiled = cols.map((c) => {
    try {
      return compileJsonPath(c.jsonPath);
    } catch {
      return undefined; // kube rejects such CRDs at validation; print empty cells if one slips by
    }
  });
  p = printer(
    () => [
      nameColumn(),
      ...cols.map((c) => {
        const description =
          cols === DEFAULT_CRD_COLUMNS
            ? describe(OBJECT_META, 'creationTimestamp')
            : c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`;
        return col(c.name, c.type, description, c.priority ?? 0, c.format ?? '');
      }),
    ],
    (o, now) => [
      o.metadata?.name ?? '',
      ...cols.map((c, i) => {
        const found = compiled[i]?.find(o) ?? [];
        return found.length === 0 ? null : cellFor(c.type, found[0], now);
      }),
    ],
  );
  crdPrinters.set(cols, p);
  return p;
}

export function printerFor(rt: ResourceType): Printer {
  if (!rt.builtin) return crdPrinter(rt.printerColumns);
  return BUILTIN[`${rt.group}/${rt.kind}`] ?? defaultPrinter;
}

export interface TableOptions {
  includeObject: 'None' | 'Metadata' | 'Object';
  resourceVersion: string;
  continue?: string;
  /** Items left after this page, when known (`metadata.remainingItemCount`). */
  remainingItemCount?: number;
}

function rowObject(obj: KubeObject, mode: TableOptions['includeObject']): unknown {
  if (mode === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
}

/** Builds the Table for a list (or a single object: pass one). */
export function buildTable(
  rt: ResourceType,
  objects: KubeObject[],
  opts: TableOptions,
  now: Date,
): Record<string, unknown> {
  const p = printerFor(rt);
  const rows = objects.map((o) => {
    const row: Record<string, unknown> = { cells: p.cells(o, now) };
    const conditions = p.conditions?.(o);
    if (conditions) row.conditions = conditions;
    if (opts.includeObject !== 'None') row.object = rowObject(o, opts.includeObject);
    return row;
  });
  const metadata: Record<string, unknown> = { resourceVersion: opts.resourceVersion };
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: p.columns(), rows };
}

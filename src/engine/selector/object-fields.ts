/**
 * The field labels each kind supports in field selectors, and how their values are read from an
 * object, as kube-apiserver registers them (`AddFieldLabelConversionsFor*` and the registries'
 * `GetAttrs`). Kinds without their own list support `metadata.name` and `metadata.namespace` and
 * reject anything else with `DefaultMetaV1FieldSelectorConversion`'s message.
 */
import type { FieldGetter, ParseFieldSelectorOptions } from './field-selector.js';

const META = ['metadata.name', 'metadata.namespace'];

/** group/kind -> supported labels, for kinds with their own conversion function. */
const BUILTIN: Record<string, readonly string[]> = {
  '/Pod': [
    ...META,
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  '/Node': ['metadata.name', 'spec.unschedulable'],
  '/ReplicationController': [...META, 'status.replicas'],
  '/Event': [
    ...META,
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  '/Namespace': ['metadata.name', 'status.phase'],
  '/Secret': [...META, 'type'],
  'apps/ReplicaSet': [...META, 'status.replicas'],
  'batch/Job': [...META, 'status.successful'],
  'certificates.k8s.io/CertificateSigningRequest': ['metadata.name', 'spec.signerName'],
};

const quote = (s: string) => JSON.stringify(s);

/** Options for `parseFieldSelector` that enforce a built-in kind's supported field labels. */
export function builtinFieldLabels(group: string, kind: string): Required<ParseFieldSelectorOptions> {
  const own = BUILTIN[`${group}/${kind}`];
  if (own) {
    return { supportedFields: new Set(own), unsupportedMessage: (f) => `field label not supported: ${f}` };
  }
  return {
    supportedFields: new Set(META),
    unsupportedMessage: (f) =>
      `${quote(f)} is not a known field selector: only ${quote('metadata.name')}, ${quote('metadata.namespace')}`,
  };
}

/**
 * Options for a CRD-defined kind: `metadata.name`, `metadata.namespace` and the CRD version's
 * `selectableFields` (their `jsonPath` without the leading dot, e.g. `spec.color`).
 */
export function customFieldLabels(
  selectableJsonPaths: readonly string[] = [],
): Required<ParseFieldSelectorOptions> {
  const fields = [...META, ...selectableJsonPaths.map((p) => (p.startsWith('.') ? p.slice(1) : p))];
  return { supportedFields: new Set(fields), unsupportedMessage: (f) => `field label not supported: ${f}` };
}

/** Renders a scalar the way the Go field sets do (`strconv.FormatBool`, `Itoa`, plain strings). */
function scalar(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function at(obj: unknown, path: string): unknown {
  let cur: any = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Field labels whose value is not simply the object's value at the same dotted path. */
function special(group: string, kind: string, obj: any, field: string): string | undefined | null {
  const gk = `${group}/${kind}`;
  if (gk === '/Pod') {
    if (field === 'spec.hostNetwork') return String(obj?.spec?.hostNetwork === true);
    if (field === 'status.podIPs') {
      const ips = obj?.status?.podIPs;
      return Array.isArray(ips) ? ips.map((x: any) => x?.ip ?? '').join(',') : '';
    }
  }
  if (gk === '/Node' && field === 'spec.unschedulable') return String(obj?.spec?.unschedulable === true);
  if ((gk === '/ReplicationController' || gk === 'apps/ReplicaSet') && field === 'status.replicas') {
    return String(obj?.status?.replicas ?? 0);
  }
  if (gk === 'batch/Job' && field === 'status.successful') return String(obj?.status?.succeeded ?? 0);
  if (gk === '/Event' && field === 'source') return obj?.source?.component ?? '';
  return null;
}

/** A getter reading field labels from an object of the given kind. */
export function objectFieldGetter(group: string, kind: string, obj: unknown): FieldGetter {
  return (field) => {
    const s = special(group, kind, obj, field);
    if (s !== null) return s;
    return scalar(at(obj, field));
  };
}

/** Printers for the remaining built-in kinds a fleet uses (RBAC, networking, leases, CRDs, ...). */
import { rfc3339 } from './age.js';
import { selectorToString } from './printer-selector.js';
import { age, ageColumn, col, int, nameColumn, type Printer, printer } from './printer.js';
import { describe, OBJECT_META } from './swagger.js';

const createdAtColumn = (type: string) => col('Created At', type, describe(OBJECT_META, 'creationTimestamp'));

/** Name and `Created At` (RFC 3339), as kube prints Roles, ClusterRoles and CRDs. */
export const createdAtPrinter = (type: 'string' | 'date'): Printer =>
  printer(
    () => [nameColumn(), createdAtColumn(type)],
    (o) => [o.metadata?.name ?? '', rfc3339(o.metadata?.creationTimestamp)],
  );

function subjects(o: any): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of o.subjects ?? []) {
    if (s?.kind === 'User') users.push(s.name);
    else if (s?.kind === 'Group') groups.push(s.name);
    else if (s?.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

export const roleBindingPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Role', 'string', describe('io.k8s.api.rbac.v1.RoleBinding', 'roleRef')),
    ageColumn(),
    col('Users', 'string', 'Users in the roleBinding', 1),
    col('Groups', 'string', 'Groups in the roleBinding', 1),
    col('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding', 1),
  ],
  (o, now) => [
    o.metadata?.name ?? '',
    `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`,
    age(o, now),
    ...subjects(o),
  ],
);

export const clusterRoleBindingPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Role', 'string', describe('io.k8s.api.rbac.v1.ClusterRoleBinding', 'roleRef')),
    ageColumn(),
    col('Users', 'string', 'Users in the clusterRoleBinding', 1),
    col('Groups', 'string', 'Groups in the clusterRoleBinding', 1),
    col('ServiceAccounts', 'string', 'ServiceAccounts in the clusterRoleBinding', 1),
  ],
  (o, now) => [
    o.metadata?.name ?? '',
    `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`,
    age(o, now),
    ...subjects(o),
  ],
);

export const leasePrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Holder', 'string', describe('io.k8s.api.coordination.v1.LeaseSpec', 'holderIdentity')),
    ageColumn(),
  ],
  (o, now) => [o.metadata?.name ?? '', o.spec?.holderIdentity ?? '', age(o, now)],
);

function limited(items: string[], max: number, unset: string): string {
  if (items.length === 0) return unset;
  if (items.length <= max) return items.join(',');
  return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
}

export const endpointSlicePrinter: Printer = printer(
  () => [
    nameColumn(),
    col('AddressType', 'string', describe('io.k8s.api.discovery.v1.EndpointSlice', 'addressType')),
    col('Ports', 'string', describe('io.k8s.api.discovery.v1.EndpointSlice', 'ports')),
    col('Endpoints', 'string', describe('io.k8s.api.discovery.v1.EndpointSlice', 'endpoints')),
    ageColumn(),
  ],
  (o, now) => {
    const ports = (o.ports ?? []).map((p: any) => (typeof p?.port === 'number' ? String(p.port) : '<unset>'));
    const addrs: string[] = (o.endpoints ?? []).flatMap((e: any) => e?.addresses ?? []);
    return [
      o.metadata?.name ?? '',
      o.addressType ?? '',
      limited(ports, 3, '<unset>'),
      limited(addrs, 3, '<unset>'),
      age(o, now),
    ];
  },
);

function ingressHosts(o: any): string {
  const hosts: string[] = [];
  for (const r of o.spec?.rules ?? []) if (r?.host) hosts.push(r.host);
  if (hosts.length === 0) return '*';
  return hosts.length > 4 ? `${hosts.slice(0, 4).join(',')} + ${hosts.length - 4} more...` : hosts.join(',');
}

export const ingressPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Class', 'string', 'The name of the IngressClass resource that should be used for this Ingress'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  (o, now) => [
    o.metadata?.name ?? '',
    o.spec?.ingressClassName ?? '<none>',
    ingressHosts(o),
    (o.status?.loadBalancer?.ingress ?? []).map((i: any) => i?.ip || i?.hostname || '').join(','),
    (o.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
    age(o, now),
  ],
);

const intOrString = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

export const podDisruptionBudgetPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn(),
  ],
  (o, now) => [
    o.metadata?.name ?? '',
    intOrString(o.spec?.minAvailable),
    intOrString(o.spec?.maxUnavailable),
    int(o.status?.disruptionsAllowed),
    age(o, now),
  ],
);

export const networkPolicyPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Pod-Selector', 'string', describe('io.k8s.api.networking.v1.NetworkPolicySpec', 'podSelector')),
    ageColumn(),
  ],
  (o, now) => [o.metadata?.name ?? '', selectorToString(o.spec?.podSelector), age(o, now)],
);

export const storageClassPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Provisioner', 'string', describe('io.k8s.api.storage.v1.StorageClass', 'provisioner')),
    col('ReclaimPolicy', 'string', describe('io.k8s.api.storage.v1.StorageClass', 'reclaimPolicy')),
    col('VolumeBindingMode', 'string', describe('io.k8s.api.storage.v1.StorageClass', 'volumeBindingMode')),
    col(
      'AllowVolumeExpansion',
      'string',
      describe('io.k8s.api.storage.v1.StorageClass', 'allowVolumeExpansion'),
    ),
    ageColumn(),
  ],
  (o, now) => {
    const isDefault = o.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
    return [
      (o.metadata?.name ?? '') + (isDefault ? ' (default)' : ''),
      o.provisioner ?? '',
      o.reclaimPolicy ?? 'Delete',
      o.volumeBindingMode ?? 'Immediate',
      o.allowVolumeExpansion === true ? 'true' : 'false',
      age(o, now),
    ];
  },
);

export const priorityClassPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Value', 'integer', describe('io.k8s.api.scheduling.v1.PriorityClass', 'value')),
    col('Global-Default', 'boolean', describe('io.k8s.api.scheduling.v1.PriorityClass', 'globalDefault')),
    ageColumn(),
    col('PreemptionPolicy', 'string', describe('io.k8s.api.scheduling.v1.PriorityClass', 'preemptionPolicy')),
  ],
  (o, now) => [
    o.metadata?.name ?? '',
    int(o.value),
    o.globalDefault === true,
    age(o, now),
    o.preemptionPolicy ?? 'PreemptLowerPriority',
  ],
);

export const controllerRevisionPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Controller', 'string', 'Controller of the object'),
    col('Revision', 'string', describe('io.k8s.api.apps.v1.ControllerRevision', 'revision')),
    ageColumn(),
  ],
  (o, now) => {
    const owner = (o.metadata?.ownerReferences ?? []).find((r: any) => r?.controller);
    const controller = owner
      ? `${String(owner.kind).toLowerCase()}.${String(owner.apiVersion).split('/')[0]}/${owner.name}`
      : '<none>';
    return [o.metadata?.name ?? '', controller, int(o.revision), age(o, now)];
  },
);

export const webhookConfigurationPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks in the configuration.'),
    ageColumn(),
  ],
  (o, now) => [o.metadata?.name ?? '', (o.webhooks ?? []).length, age(o, now)],
);

export const persistentVolumeClaimPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Status', 'string', describe('io.k8s.api.core.v1.PersistentVolumeClaimStatus', 'phase')),
    col('Volume', 'string', describe('io.k8s.api.core.v1.PersistentVolumeClaimSpec', 'volumeName')),
    col('Capacity', 'string', describe('io.k8s.api.core.v1.PersistentVolumeClaimStatus', 'capacity')),
    col('Access Modes', 'string', describe('io.k8s.api.core.v1.PersistentVolumeClaimStatus', 'accessModes')),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col(
      'VolumeAttributesClass',
      'string',
      describe('io.k8s.api.core.v1.PersistentVolumeClaimSpec', 'volumeAttributesClassName'),
    ),
    ageColumn(),
    col('VolumeMode', 'string', describe('io.k8s.api.core.v1.PersistentVolumeClaimSpec', 'volumeMode'), 1),
  ],
  (o, now) => {
    const bound = o.spec?.volumeName && o.status?.phase === 'Bound';
    const modes: Record<string, string> = {
      ReadWriteOnce: 'RWO',
      ReadOnlyMany: 'ROX',
      ReadWriteMany: 'RWX',
      ReadWriteOncePod: 'RWOP',
    };
    return [
      o.metadata?.name ?? '',
      o.metadata?.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? ''),
      o.spec?.volumeName ?? '',
      bound ? String(o.status?.capacity?.storage ?? '') : '',
      bound ? (o.status?.accessModes ?? []).map((m: string) => modes[m] ?? m).join(',') : '',
      o.spec?.storageClassName ?? '',
      o.spec?.volumeAttributesClassName || '<unset>',
      age(o, now),
      o.spec?.volumeMode ?? 'Filesystem',
    ];
  },
);

/** Printers for the remaining catalogue kinds: PV, LimitRange, ResourceQuota, RC, HPA, IngressClass. */
import { rfc3339 } from './age.js';
import {
  age,
  ageColumn,
  col,
  containerCells,
  formatLabels,
  int,
  nameColumn,
  type Printer,
  printer,
} from './printer.js';
import { describe, OBJECT_META } from './swagger.js';

const CORE = 'io.k8s.api.core.v1.';
const MODES: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

export const persistentVolumePrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Capacity', 'string', describe(`${CORE}PersistentVolumeSpec`, 'capacity')),
    col('Access Modes', 'string', describe(`${CORE}PersistentVolumeSpec`, 'accessModes')),
    col('Reclaim Policy', 'string', describe(`${CORE}PersistentVolumeSpec`, 'persistentVolumeReclaimPolicy')),
    col('Status', 'string', describe(`${CORE}PersistentVolumeStatus`, 'phase')),
    col('Claim', 'string', describe(`${CORE}PersistentVolumeSpec`, 'claimRef')),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col(
      'VolumeAttributesClass',
      'string',
      describe(`${CORE}PersistentVolumeSpec`, 'volumeAttributesClassName'),
    ),
    col('Reason', 'string', describe(`${CORE}PersistentVolumeStatus`, 'reason')),
    ageColumn(),
    col('VolumeMode', 'string', describe(`${CORE}PersistentVolumeSpec`, 'volumeMode'), 1),
  ],
  (o, now) => {
    const claim = o.spec?.claimRef ? `${o.spec.claimRef.namespace ?? ''}/${o.spec.claimRef.name ?? ''}` : '';
    return [
      o.metadata?.name ?? '',
      String(o.spec?.capacity?.storage ?? ''),
      (o.spec?.accessModes ?? []).map((m: string) => MODES[m] ?? m).join(','),
      o.spec?.persistentVolumeReclaimPolicy ?? '',
      o.metadata?.deletionTimestamp ? 'Terminating' : (o.status?.phase ?? ''),
      claim,
      o.spec?.storageClassName ?? '',
      o.spec?.volumeAttributesClassName || '<unset>',
      o.status?.reason ?? '',
      age(o, now),
      o.spec?.volumeMode ?? 'Filesystem',
    ];
  },
);

export const limitRangePrinter: Printer = printer(
  () => [nameColumn(), col('Created At', 'date', describe(OBJECT_META, 'creationTimestamp'))],
  (o) => [o.metadata?.name ?? '', rfc3339(o.metadata?.creationTimestamp)],
);

export const resourceQuotaPrinter: Printer = printer(
  () => [
    nameColumn(),
    ageColumn(),
    col(
      'Request',
      'string',
      'Request represents a minimum amount of cpu/memory that a container may consume.',
    ),
    col(
      'Limit',
      'string',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
  ],
  (o, now) => {
    const hard = o.status?.hard ?? {};
    const used = o.status?.used ?? {};
    const request: string[] = [];
    const limit: string[] = [];
    for (const r of Object.keys(o.spec?.hard ?? {}).sort()) {
      const text = `${r}: ${used[r] ?? '0'}/${hard[r] ?? '0'}`;
      (r.split('.')[0] === 'limits' && r.includes('.') ? limit : request).push(text);
    }
    return [o.metadata?.name ?? '', age(o, now), request.join(', '), limit.join(', ')];
  },
);

export const replicationControllerPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Desired', 'integer', describe(`${CORE}ReplicationControllerSpec`, 'replicas')),
    col('Current', 'integer', describe(`${CORE}ReplicationControllerStatus`, 'replicas')),
    col('Ready', 'integer', describe(`${CORE}ReplicationControllerStatus`, 'readyReplicas')),
    ageColumn(),
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', describe(`${CORE}ReplicationControllerSpec`, 'selector'), 1),
  ],
  (o, now) => {
    const [names, images] = containerCells(o.spec?.template?.spec);
    return [
      o.metadata?.name ?? '',
      int(o.spec?.replicas ?? 1),
      int(o.status?.replicas),
      int(o.status?.readyReplicas),
      age(o, now),
      names,
      images,
      formatLabels(o.spec?.selector),
    ];
  },
);

/** The TARGETS cell of an autoscaling/v2 HPA: up to two metrics, then `+ N more...`. */
function hpaTargets(o: any): string {
  const specs: any[] = o.spec?.metrics ?? [];
  if (specs.length === 0) return '<none>';
  const current: any[] = o.status?.currentMetrics ?? [];
  const list = specs.map((m, i) => {
    const cur = current[i];
    if (m?.type === 'Resource' || m?.type === 'ContainerResource') {
      const src = m.resource ?? m.containerResource ?? {};
      const curSrc = cur?.resource ?? cur?.containerResource;
      if (src.target?.averageUtilization !== undefined) {
        const c = curSrc?.current?.averageUtilization;
        return `${src.name}: ${c !== undefined ? `${c}%` : '<unknown>'}/${src.target.averageUtilization}%`;
      }
      const c = curSrc?.current?.averageValue;
      return `${src.name}: ${c ?? '<unknown>'}/${src.target?.averageValue ?? src.target?.value ?? '<unknown>'}`;
    }
    const target = m?.[String(m?.type ?? '').replace(/^./, (x: string) => x.toLowerCase())]?.target ?? {};
    const want = target.averageValue ?? target.value ?? target.averageUtilization;
    return `<unknown>/${want ?? '<unknown>'}`;
  });
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

export const horizontalPodAutoscalerPrinter: Printer = printer(
  () => [
    nameColumn(),
    col(
      'Reference',
      'string',
      describe('io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec', 'scaleTargetRef'),
    ),
    col('Targets', 'string', describe('io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec', 'metrics')),
    col(
      'MinPods',
      'string',
      describe('io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec', 'minReplicas'),
    ),
    col(
      'MaxPods',
      'integer',
      describe('io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec', 'maxReplicas'),
    ),
    col(
      'Replicas',
      'integer',
      describe('io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus', 'currentReplicas'),
    ),
    ageColumn(),
  ],
  (o, now) => [
    o.metadata?.name ?? '',
    `${o.spec?.scaleTargetRef?.kind ?? ''}/${o.spec?.scaleTargetRef?.name ?? ''}`,
    hpaTargets(o),
    typeof o.spec?.minReplicas === 'number' ? String(o.spec.minReplicas) : '<unset>',
    int(o.spec?.maxReplicas),
    int(o.status?.currentReplicas),
    age(o, now),
  ],
);

export const ingressClassPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn(),
  ],
  (o, now) => {
    const p = o.spec?.parameters;
    const params = p ? `${p.kind ?? ''}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name ?? ''}` : '<none>';
    return [o.metadata?.name ?? '', o.spec?.controller ?? '', params, age(o, now)];
  },
);

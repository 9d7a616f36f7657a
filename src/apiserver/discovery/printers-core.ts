/** Printers for core/v1 kinds a fleet uses, after kube's pkg/printers/internalversion. */
import { age, ageColumn, col, formatLabels, int, nameColumn, type Printer, printer } from './printer.js';
import { since } from './age.js';
import { describe } from './swagger.js';

const CORE = 'io.k8s.api.core.v1.';

export const namespacePrinter: Printer = printer(
  () => [nameColumn(), col('Status', 'string', 'The status of the namespace'), ageColumn()],
  (o, now) => [o.metadata?.name ?? '', o.status?.phase ?? '', age(o, now)],
);

export const configMapPrinter: Printer = printer(
  () => [nameColumn(), col('Data', 'string', describe(`${CORE}ConfigMap`, 'data')), ageColumn()],
  (o, now) => [
    o.metadata?.name ?? '',
    Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
    age(o, now),
  ],
);

export const secretPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Type', 'string', describe(`${CORE}Secret`, 'type')),
    col('Data', 'string', describe(`${CORE}Secret`, 'data')),
    ageColumn(),
  ],
  (o, now) => [o.metadata?.name ?? '', o.type ?? '', Object.keys(o.data ?? {}).length, age(o, now)],
);

export const serviceAccountPrinter: Printer = printer(
  () => [nameColumn(), col('Secrets', 'string', describe(`${CORE}ServiceAccount`, 'secrets')), ageColumn()],
  (o, now) => [o.metadata?.name ?? '', (o.secrets ?? []).length, age(o, now)],
);

function loadBalancerStatus(lb: any): string {
  return (lb?.ingress ?? [])
    .map((i: any) => i?.ip || i?.hostname || '')
    .filter((s: string) => s !== '')
    .join(',');
}

function serviceExternalIP(svc: any): string {
  const ext: string[] = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length > 0 ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatus(svc.status?.loadBalancer);
      if (ext.length > 0) return [...(lb ? lb.split(',') : []), ...ext].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function servicePorts(ports: any[] | undefined): string {
  if (!ports || ports.length === 0) return '<none>';
  return ports
    .map((p) => {
      const proto = p?.protocol ?? 'TCP';
      return p?.nodePort ? `${p.port}:${p.nodePort}/${proto}` : `${p?.port}/${proto}`;
    })
    .join(',');
}

export const servicePrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Type', 'string', describe(`${CORE}ServiceSpec`, 'type')),
    col('Cluster-IP', 'string', describe(`${CORE}ServiceSpec`, 'clusterIP')),
    col('External-IP', 'string', describe(`${CORE}ServiceSpec`, 'externalIPs')),
    col('Port(s)', 'string', describe(`${CORE}ServiceSpec`, 'ports')),
    ageColumn(),
    col('Selector', 'string', describe(`${CORE}ServiceSpec`, 'selector'), 1),
  ],
  (o, now) => [
    o.metadata?.name ?? '',
    o.spec?.type ?? '',
    o.spec?.clusterIP || '<none>',
    serviceExternalIP(o),
    servicePorts(o.spec?.ports),
    age(o, now),
    formatLabels(o.spec?.selector),
  ],
);

function joinHostPort(ip: string, port: unknown): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** `formatEndpoints`: up to three `ip:port`, then `+ N more...`. */
export function formatEndpoints(ep: any): string {
  const subsets: any[] = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs: any[] = ss?.addresses ?? [];
    const ports: any[] = ss?.ports ?? [];
    if (ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a?.ip ?? '');
      }
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a?.ip ?? '', p?.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsPrinter: Printer = printer(
  () => [nameColumn(), col('Endpoints', 'string', describe(`${CORE}Endpoints`, 'subsets')), ageColumn()],
  (o, now) => [o.metadata?.name ?? '', formatEndpoints(o), age(o, now)],
);

function isRestartable(c: any): boolean {
  return c?.restartPolicy === 'Always';
}

/** The READY, STATUS and RESTARTS cells of `printPod`. */
export function podStatus(pod: any, now: Date): { ready: string; reason: string; restarts: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableInitRestarts = 0;
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let lastRestart = 0;
  let reason: string = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) {
    if (c?.type === 'PodScheduled' && c?.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const initSpecs = new Map<string, any>((spec.initContainers ?? []).map((c: any) => [c?.name, c]));
  for (const c of spec.initContainers ?? []) if (isRestartable(c)) total++;
  const noteRestart = (cs: any) => {
    const t = Date.parse(cs?.lastState?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(t) && t > lastRestart) lastRestart = t;
  };
  let initializing = false;
  const initStatuses: any[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    restarts += int(cs?.restartCount);
    noteRestart(cs);
    if (isRestartable(initSpecs.get(cs?.name))) {
      restartableInitRestarts += int(cs?.restartCount);
      if (cs?.started && cs?.ready) ready++;
      continue;
    }
    const term = cs?.state?.terminated;
    const wait = cs?.state?.waiting;
    if (term && int(term.exitCode) === 0) continue;
    if (term) {
      reason = term.reason
        ? `Init:${term.reason}`
        : term.signal
          ? `Init:Signal:${term.signal}`
          : `Init:ExitCode:${int(term.exitCode)}`;
    } else if (wait?.reason && wait.reason !== 'PodInitializing') reason = `Init:${wait.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }
  const initialized = (status.conditions ?? []).some(
    (c: any) => c?.type === 'Initialized' && c?.status === 'True',
  );
  if (!initializing || initialized) {
    restarts = restartableInitRestarts;
    let hasRunning = false;
    const statuses: any[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += int(cs?.restartCount);
      noteRestart(cs);
      const st = cs?.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated?.reason) reason = st.terminated.reason;
      else if (st.terminated)
        reason = st.terminated.signal
          ? `Signal:${st.terminated.signal}`
          : `ExitCode:${int(st.terminated.exitCode)}`;
      else if (cs?.ready && st.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some(
        (c: any) => c?.type === 'Ready' && c?.status === 'True',
      );
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed')
    reason = 'Terminating';
  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart !== 0)
    restartsStr = `${restarts} (${since(new Date(lastRestart).toISOString(), now)} ago)`;
  return { ready: `${ready}/${total}`, reason, restarts: restartsStr };
}

const podCells: Printer = printer(
  () => [
    nameColumn(),
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn(),
    col('IP', 'string', describe(`${CORE}PodStatus`, 'podIP'), 1),
    col('Node', 'string', describe(`${CORE}PodSpec`, 'nodeName'), 1),
    col('Nominated Node', 'string', describe(`${CORE}PodStatus`, 'nominatedNodeName'), 1),
    col('Readiness Gates', 'string', describe(`${CORE}PodSpec`, 'readinessGates'), 1),
  ],
  (o, now) => {
    const s = podStatus(o, now);
    const gates: any[] = o.spec?.readinessGates ?? [];
    let gatesCell = '<none>';
    if (gates.length > 0) {
      const trueConds = gates.filter((g) =>
        (o.status?.conditions ?? []).some((c: any) => c?.type === g?.conditionType && c?.status === 'True'),
      ).length;
      gatesCell = `${trueConds}/${gates.length}`;
    }
    return [
      o.metadata?.name ?? '',
      s.ready,
      s.reason,
      s.restarts,
      age(o, now),
      o.status?.podIP || '<none>',
      o.spec?.nodeName || '<none>',
      o.status?.nominatedNodeName || '<none>',
      gatesCell,
    ];
  },
);

/** Finished pods carry a `Completed` row condition, as kube's printPod sets it. */
export const podPrinter: Printer = {
  columns: podCells.columns,
  cells: podCells.cells,
  conditions(o) {
    const phase = o.status?.phase;
    if (phase === 'Succeeded') {
      return [
        {
          type: 'Completed',
          status: 'True',
          reason: 'Succeeded',
          message: 'The pod has completed successfully.',
        },
      ];
    }
    if (phase === 'Failed')
      return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
};

function nodeStatus(node: any): string {
  const conds: any[] = node.status?.conditions ?? [];
  const readyCond = conds.find((c) => c?.type === 'Ready');
  const out: string[] = [];
  if (!readyCond) out.push('Unknown');
  else
    out.push(readyCond.status === 'True' ? 'Ready' : readyCond.status === 'False' ? 'NotReady' : 'Unknown');
  if (node.spec?.unschedulable) out.push('SchedulingDisabled');
  return out.join(',');
}

function nodeRoles(node: any): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: any, type: string): string {
  return (node.status?.addresses ?? []).find((a: any) => a?.type === type)?.address ?? '<none>';
}

export const nodePrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    col('Version', 'string', describe(`${CORE}NodeSystemInfo`, 'kubeletVersion')),
    col('Internal-IP', 'string', describe(`${CORE}NodeStatus`, 'addresses'), 1),
    col('External-IP', 'string', describe(`${CORE}NodeStatus`, 'addresses'), 1),
    col('OS-Image', 'string', describe(`${CORE}NodeSystemInfo`, 'osImage'), 1),
    col('Kernel-Version', 'string', describe(`${CORE}NodeSystemInfo`, 'kernelVersion'), 1),
    col('Container-Runtime', 'string', describe(`${CORE}NodeSystemInfo`, 'containerRuntimeVersion'), 1),
  ],
  (o, now) => {
    const info = o.status?.nodeInfo ?? {};
    return [
      o.metadata?.name ?? '',
      nodeStatus(o),
      nodeRoles(o),
      age(o, now),
      info.kubeletVersion ?? '',
      nodeAddress(o, 'InternalIP'),
      nodeAddress(o, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
);

/** Events: core/v1 and events.k8s.io/v1 (its fields mapped onto the core ones, as kube converts). */
export const eventPrinter: Printer = printer(
  () => [
    col('Last Seen', 'string', describe(`${CORE}Event`, 'lastTimestamp')),
    col('Type', 'string', describe(`${CORE}Event`, 'type')),
    col('Reason', 'string', describe(`${CORE}Event`, 'reason')),
    col('Object', 'string', describe(`${CORE}Event`, 'involvedObject')),
    col('Subobject', 'string', describe(`${CORE}ObjectReference`, 'fieldPath'), 1),
    col('Source', 'string', describe(`${CORE}Event`, 'source'), 1),
    col('Message', 'string', describe(`${CORE}Event`, 'message')),
    col('First Seen', 'string', describe(`${CORE}Event`, 'firstTimestamp'), 1),
    col('Count', 'string', describe(`${CORE}Event`, 'count'), 1),
    col('Name', 'string', describe('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'name'), 1, 'name'),
  ],
  (o, now) => {
    const isNew = o.apiVersion === 'events.k8s.io/v1' || o.regarding !== undefined || o.note !== undefined;
    const involved = (isNew ? o.regarding : o.involvedObject) ?? {};
    const first = isNew ? o.deprecatedFirstTimestamp : o.firstTimestamp;
    const last = isNew ? o.deprecatedLastTimestamp : o.lastTimestamp;
    const source = (isNew ? o.deprecatedSource : o.source) ?? {};
    let count = int(isNew ? o.deprecatedCount : o.count);
    const message = (isNew ? o.note : o.message) ?? '';
    let firstTs = first ? since(first, now) : since(o.eventTime, now);
    if (!first && !o.eventTime) firstTs = '<unknown>';
    let lastTs = last ? since(last, now) : firstTs;
    if (o.series) {
      lastTs = since(o.series.lastObservedTime, now);
      count = int(o.series.count);
    } else if (count === 0) count = 1;
    const kind = String(involved.kind ?? '').toLowerCase();
    const target = involved.name ? `${kind}/${involved.name}` : kind;
    const component = source.component || o.reportingController || '';
    const instance = source.host || o.reportingInstance || '';
    return [
      lastTs,
      o.type ?? '',
      o.reason ?? '',
      target,
      involved.fieldPath ?? '',
      instance ? `${component}, ${instance}` : component,
      String(message).trim(),
      firstTs,
      count,
      o.metadata?.name ?? '',
    ];
  },
);

import type { KubeObject } from '../contracts.js';
import type { VirtualCluster } from '../registry/cluster.js';

/**
 * What kube's Service REST layer does around validation: allocate the cluster IP and node ports,
 * carry the allocated values over on updates that leave them out (patchAllocatedValues) and drop
 * them when the type no longer needs them (dropTypeDependentFields).
 */
type Spec = Record<string, unknown>;
type Port = Record<string, unknown>;

const SERVICE_CIDR_BASE = ipToNum('10.96.0.0');
const SERVICE_CIDR_SIZE = 1 << 20;
const NODE_PORT_MIN = 30000;
const NODE_PORT_COUNT = 2768;

function ipToNum(ip: string): number {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

function numToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function needsClusterIP(s: Spec): boolean {
  return s.type !== 'ExternalName';
}

function needsNodePort(s: Spec): boolean {
  return s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
}

function portsOf(s: Spec): Port[] {
  return Array.isArray(s.ports) ? (s.ports as unknown[]).filter((p): p is Port => isObject(p)) : [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nodePorts(s: Spec): Set<number> {
  const out = new Set<number>();
  for (const p of portsOf(s)) if (typeof p.nodePort === 'number' && p.nodePort !== 0) out.add(p.nodePort);
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** kube's patchAllocatedValues: an update without them keeps the values allocated before. */
function patchAllocatedValues(spec: Spec, old: Spec): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (!spec.clusterIP) spec.clusterIP = old.clusterIP;
    const ips = spec.clusterIPs;
    if (
      (!Array.isArray(ips) || ips.length === 0) &&
      Array.isArray(old.clusterIPs) &&
      old.clusterIPs.length > 0
    )
      spec.clusterIPs = old.clusterIPs;
  }
  if (needsNodePort(old) && needsNodePort(spec)) {
    const oldPorts = nodePorts(old);
    const used = new Set([...nodePorts(spec)].filter((n) => oldPorts.has(n)));
    const byName = new Map<unknown, unknown>();
    for (const p of portsOf(old)) byName.set(p.name ?? '', p.nodePort);
    for (const p of portsOf(spec)) {
      if (typeof p.nodePort === 'number' && p.nodePort !== 0) continue;
      const n = byName.get(p.name ?? '');
      if (typeof n === 'number' && n !== 0 && !used.has(n)) p.nodePort = n;
    }
  }
  if (
    old.type === 'LoadBalancer' &&
    spec.type === 'LoadBalancer' &&
    old.externalTrafficPolicy === 'Local' &&
    spec.externalTrafficPolicy === 'Local' &&
    !spec.healthCheckNodePort &&
    old.healthCheckNodePort
  )
    spec.healthCheckNodePort = old.healthCheckNodePort;
}

/** kube's dropTypeDependentFields: values still equal to the old ones go with a type change. */
function dropTypeDependentFields(spec: Spec, old: Spec): void {
  if (needsClusterIP(old) && !needsClusterIP(spec) && sameJson(spec.clusterIPs, old.clusterIPs)) {
    if (sameJson(spec.clusterIP, old.clusterIP)) delete spec.clusterIP;
    delete spec.clusterIPs;
    if (sameJson(spec.ipFamilies, old.ipFamilies)) delete spec.ipFamilies;
    if (sameJson(spec.ipFamilyPolicy, old.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(spec) && sameJson([...nodePorts(spec)], [...nodePorts(old)]))
    for (const p of portsOf(spec)) delete p.nodePort;
}

function allocateClusterIP(c: VirtualCluster, spec: Spec): void {
  const used = new Set<string>();
  for (const e of c.store.list('/services')) {
    const ip = (e.obj.spec as Spec | undefined)?.clusterIP;
    if (typeof ip === 'string') used.add(ip);
  }
  let n = 1 + (used.size % (SERVICE_CIDR_SIZE - 2));
  while (used.has(numToIp(SERVICE_CIDR_BASE + n))) n = (n % (SERVICE_CIDR_SIZE - 2)) + 1;
  spec.clusterIP = numToIp(SERVICE_CIDR_BASE + n);
}

function allocateNodePorts(c: VirtualCluster, spec: Spec, name: string, ns: string): void {
  const missing = portsOf(spec).filter((p) => typeof p.nodePort !== 'number' || p.nodePort === 0);
  if (missing.length === 0) return;
  const used = nodePorts(spec);
  for (const e of c.store.list('/services')) {
    const m = e.obj.metadata;
    if (m?.name === name && m.namespace === ns) continue;
    for (const n of nodePorts((e.obj.spec as Spec | undefined) ?? {})) used.add(n);
  }
  let i = used.size;
  for (const p of missing) {
    if (used.size >= NODE_PORT_COUNT) return; // validation reports the missing port
    while (used.has(NODE_PORT_MIN + (i % NODE_PORT_COUNT))) i++;
    p.nodePort = NODE_PORT_MIN + (i % NODE_PORT_COUNT);
    used.add(p.nodePort as number);
  }
}

/** Defaults, carried-over and newly allocated values of a Service being created or updated. */
export function prepareService(c: VirtualCluster, obj: KubeObject, old: KubeObject | undefined): void {
  if (!isObject(obj.spec)) obj.spec = {};
  const spec = obj.spec as Spec;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  const oldSpec = isObject(old?.spec) ? (old.spec as Spec) : undefined;
  if (oldSpec) {
    patchAllocatedValues(spec, oldSpec);
    dropTypeDependentFields(spec, oldSpec);
  }
  for (const p of portsOf(spec)) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
  if (!needsClusterIP(spec)) return;
  if (!spec.clusterIP && Array.isArray(spec.clusterIPs) && typeof spec.clusterIPs[0] === 'string')
    spec.clusterIP = spec.clusterIPs[0];
  if (!spec.clusterIP) allocateClusterIP(c, spec);
  if (!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0) spec.clusterIPs = [spec.clusterIP];
  if (spec.clusterIP !== 'None') {
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  spec.internalTrafficPolicy ??= 'Cluster';
  if (needsNodePort(spec))
    allocateNodePorts(c, spec, String(obj.metadata?.name ?? ''), String(obj.metadata?.namespace ?? ''));
}

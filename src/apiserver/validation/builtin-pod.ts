/**
 * Pod spec validation (pkg/apis/core/validation ValidatePodSpec), the subset kubectl users hit:
 * containers (names, images, ports, env, mounts, resources, pull policy), volumes, restart and
 * DNS policy. Used for Pods and every pod template.
 */
import type { FieldError } from '../contracts.js';
import { duplicate, invalid, isObject, notSupported, required } from './field-errors.js';
import { isDNS1123Label, isValidPortName, isValidPortNum } from './names.js';

type Obj = Record<string, unknown>;

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

export const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A quantity's numeric value, or undefined when it is not a valid quantity. */
export function quantityValue(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY_RE.exec(q);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (Number.isNaN(n)) return undefined;
  const suffix = m[2];
  if (suffix in SUFFIX) return n * SUFFIX[suffix];
  const exp = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
  return exp ? n * 10 ** Number(exp[1]) : undefined;
}

function validateResources(r: unknown, path: string, errs: FieldError[]): void {
  if (!isObject(r)) return;
  const limits = isObject(r.limits) ? r.limits : {};
  const requests = isObject(r.requests) ? r.requests : {};
  for (const [kind, list] of [
    ['limits', limits],
    ['requests', requests],
  ] as const) {
    for (const [name, q] of Object.entries(list)) {
      const v = quantityValue(q);
      if (v === undefined) {
        errs.push(
          invalid(
            `${path}.${kind}[${name}]`,
            q,
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
          ),
        );
      } else if (v < 0) {
        errs.push(invalid(`${path}.${kind}[${name}]`, q, 'must be greater than or equal to 0'));
      }
    }
  }
  for (const [name, q] of Object.entries(requests)) {
    const lim = quantityValue(limits[name]);
    const req = quantityValue(q);
    if (lim !== undefined && req !== undefined && req > lim) {
      errs.push(
        invalid(
          `${path}.requests`,
          String(q),
          `must be less than or equal to ${name} limit of ${String(limits[name])}`,
        ),
      );
    }
  }
}

function validatePorts(ports: unknown, path: string, errs: FieldError[]): void {
  if (!Array.isArray(ports)) return;
  ports.forEach((p, i) => {
    if (!isObject(p)) return;
    const pp = `${path}[${i}]`;
    if (typeof p.name === 'string' && p.name) {
      for (const msg of isValidPortName(p.name)) errs.push(invalid(`${pp}.name`, p.name, msg));
    }
    if (typeof p.containerPort === 'number') {
      for (const msg of isValidPortNum(p.containerPort))
        errs.push(invalid(`${pp}.containerPort`, p.containerPort, msg));
    }
    if (typeof p.hostPort === 'number' && p.hostPort !== 0) {
      for (const msg of isValidPortNum(p.hostPort)) errs.push(invalid(`${pp}.hostPort`, p.hostPort, msg));
    }
    if (typeof p.protocol === 'string' && !PROTOCOLS.includes(p.protocol)) {
      errs.push(notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
    }
  });
}

function validateEnv(env: unknown, path: string, errs: FieldError[]): void {
  if (!Array.isArray(env)) return;
  env.forEach((e, i) => {
    if (!isObject(e)) return;
    const p = `${path}[${i}]`;
    const name = typeof e.name === 'string' ? e.name : '';
    if (!name) errs.push(required(`${p}.name`));
    else if (!/^[\x20-\x3c\x3e-\x7e]+$/.test(name)) {
      errs.push(
        invalid(
          `${p}.name`,
          name,
          "a valid environment variable name must consist only of printable ASCII characters other than '='",
        ),
      );
    }
    if (e.value !== undefined && e.valueFrom !== undefined && e.value !== '') {
      errs.push(invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    }
  });
}

function validateContainer(c: Obj, path: string, volumes: Set<string>, errs: FieldError[]): void {
  const name = typeof c.name === 'string' ? c.name : '';
  if (!name) errs.push(required(`${path}.name`));
  else for (const msg of isDNS1123Label(name)) errs.push(invalid(`${path}.name`, name, msg));
  if (typeof c.image !== 'string' || c.image.trim() === '') errs.push(required(`${path}.image`));
  if (typeof c.imagePullPolicy === 'string' && !PULL_POLICIES.includes(c.imagePullPolicy)) {
    errs.push(notSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  }
  if (
    typeof c.terminationMessagePolicy === 'string' &&
    !TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)
  ) {
    errs.push(
      notSupported(
        `${path}.terminationMessagePolicy`,
        c.terminationMessagePolicy,
        TERMINATION_MESSAGE_POLICIES,
      ),
    );
  }
  validatePorts(c.ports, `${path}.ports`, errs);
  validateEnv(c.env, `${path}.env`, errs);
  validateResources(c.resources, `${path}.resources`, errs);
  if (Array.isArray(c.volumeMounts)) {
    const paths = new Set<string>();
    c.volumeMounts.forEach((m, i) => {
      if (!isObject(m)) return;
      const p = `${path}.volumeMounts[${i}]`;
      const vn = typeof m.name === 'string' ? m.name : '';
      if (!vn) errs.push(required(`${p}.name`));
      else if (!volumes.has(vn))
        errs.push({ type: 'FieldValueInvalid', field: `${p}.name`, message: `Not found: "${vn}"` });
      const mp = typeof m.mountPath === 'string' ? m.mountPath : '';
      if (!mp) errs.push(required(`${p}.mountPath`));
      else if (paths.has(mp)) errs.push(invalid(`${p}.mountPath`, mp, 'must be unique'));
      paths.add(mp);
    });
  }
}

function validateVolumes(vols: unknown, path: string, errs: FieldError[]): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(vols)) return names;
  vols.forEach((v, i) => {
    if (!isObject(v)) return;
    const p = `${path}[${i}]`;
    const name = typeof v.name === 'string' ? v.name : '';
    if (!name) errs.push(required(`${p}.name`));
    else {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, name, msg));
      if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    }
    names.add(name);
    const sources = VOLUME_SOURCES.filter((s) => v[s] !== undefined && v[s] !== null);
    if (sources.length === 0) errs.push(required(p, 'must specify a volume type'));
    else if (sources.length > 1) {
      errs.push({
        type: 'FieldValueForbidden',
        field: `${p}.${sources[1]}`,
        message: 'Forbidden: may not specify more than 1 volume type',
      });
    }
    if (isObject(v.persistentVolumeClaim) && !v.persistentVolumeClaim.claimName) {
      errs.push(required(`${p}.persistentVolumeClaim.claimName`));
    }
  });
  return names;
}

/** Validates a PodSpec at `path`; `restartPolicies` narrows the allowed restart policies (templates). */
export function validatePodSpec(
  spec: unknown,
  path: string,
  errs: FieldError[],
  restartPolicies = RESTART_POLICIES,
): void {
  if (!isObject(spec)) return;
  const volumes = validateVolumes(spec.volumes, `${path}.volumes`, errs);
  const seen = new Set<string>();
  const containers = Array.isArray(spec.containers) ? spec.containers : undefined;
  if (containers && containers.length === 0) errs.push(required(`${path}.containers`));
  for (const kind of ['initContainers', 'containers'] as const) {
    const list = spec[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (!isObject(c)) return;
      const p = `${path}.${kind}[${i}]`;
      validateContainer(c, p, volumes, errs);
      if (typeof c.name === 'string' && c.name) {
        if (seen.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
        seen.add(c.name);
      }
    });
  }
  if (typeof spec.restartPolicy === 'string' && !restartPolicies.includes(spec.restartPolicy)) {
    errs.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, restartPolicies));
  }
  if (typeof spec.dnsPolicy === 'string' && !DNS_POLICIES.includes(spec.dnsPolicy)) {
    errs.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  }
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    errs.push(
      invalid(
        `${path}.terminationGracePeriodSeconds`,
        spec.terminationGracePeriodSeconds,
        'must be greater than or equal to 0',
      ),
    );
  }
  if (typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds < 1) {
    errs.push(
      invalid(
        `${path}.activeDeadlineSeconds`,
        spec.activeDeadlineSeconds,
        'must be between 1 and 2147483647, inclusive',
      ),
    );
  }
}

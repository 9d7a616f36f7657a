/**
 * Core v1 kinds other than pods: Service, ConfigMap, Secret, Namespace (pkg/apis/core/validation).
 */
import type { FieldError, KubeObject } from '../contracts.js';
import { forbidden, goQuote, invalid, isObject, notSupported, required, tooLong } from './field-errors.js';
import {
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
} from './names.js';
import { validateLabels } from './object-meta.js';
import { jsonEqual } from './openapi-validate.js';
import { getOwn } from '../../lib/own-props.js';

type Obj = Record<string, unknown>;

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_DATA = 1024 * 1024;
const utf8 = new TextEncoder();
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function spec(o: KubeObject | undefined): Obj {
  return o && isObject(o.spec) ? o.spec : {};
}

function validateServicePorts(s: Obj, errs: FieldError[]): void {
  const ports = Array.isArray(s.ports) ? s.ports : [];
  const headless = s.clusterIP === 'None';
  if (ports.length === 0 && s.type !== 'ExternalName' && !headless) errs.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!isObject(p)) return;
    const pp = `spec.ports[${i}]`;
    const name = typeof p.name === 'string' ? p.name : '';
    if (ports.length > 1 && !name) errs.push(required(`${pp}.name`));
    if (name) {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(`${pp}.name`, name, msg));
      if (names.has(name))
        errs.push({
          type: 'FieldValueDuplicate',
          field: `${pp}.name`,
          message: `Duplicate value: ${goQuote(name)}`,
        });
      names.add(name);
    }
    if (typeof p.port === 'number')
      for (const msg of isValidPortNum(p.port)) errs.push(invalid(`${pp}.port`, p.port, msg));
    if (typeof p.protocol === 'string' && !PROTOCOLS.includes(p.protocol)) {
      errs.push(notSupported(`${pp}.protocol`, p.protocol, PROTOCOLS));
    }
    const tp = p.targetPort;
    if (typeof tp === 'number')
      for (const msg of isValidPortNum(tp)) errs.push(invalid(`${pp}.targetPort`, tp, msg));
    else if (typeof tp === 'string')
      for (const msg of isValidPortName(tp)) errs.push(invalid(`${pp}.targetPort`, tp, msg));
    if (p.nodePort !== undefined && p.nodePort !== null && p.nodePort !== 0) {
      if (s.type === 'ClusterIP' || s.type === 'ExternalName') {
        errs.push(forbidden(`${pp}.nodePort`, `may not be used when \`type\` is '${s.type}'`));
      } else if (typeof p.nodePort === 'number') {
        for (const msg of isValidPortNum(p.nodePort)) errs.push(invalid(`${pp}.nodePort`, p.nodePort, msg));
      }
    }
  });
}

export function validateService(o: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const s = spec(o);
  if (typeof s.type === 'string' && !SERVICE_TYPES.includes(s.type))
    errs.push(notSupported('spec.type', s.type, SERVICE_TYPES));
  if (s.type === 'ExternalName') {
    const en = typeof s.externalName === 'string' ? s.externalName.replace(/\.$/, '') : '';
    if (!en) errs.push(required('spec.externalName'));
    else
      for (const msg of isDNS1123Subdomain(en)) errs.push(invalid('spec.externalName', s.externalName, msg));
  }
  validateServicePorts(s, errs);
  if (typeof s.sessionAffinity === 'string' && !['ClientIP', 'None'].includes(s.sessionAffinity)) {
    errs.push(notSupported('spec.sessionAffinity', s.sessionAffinity, ['ClientIP', 'None']));
  }
  validateLabels(s.selector, 'spec.selector', errs);
  for (const [f, values] of [
    ['externalTrafficPolicy', ['Cluster', 'Local']],
    ['internalTrafficPolicy', ['Cluster', 'Local']],
    ['ipFamilyPolicy', ['SingleStack', 'PreferDualStack', 'RequireDualStack']],
  ] as const) {
    const v = s[f];
    if (typeof v === 'string' && !(values as readonly string[]).includes(v))
      errs.push(notSupported(`spec.${f}`, v, values));
  }
  if (!old) return;
  const os = spec(old);
  const oldIP = typeof os.clusterIP === 'string' ? os.clusterIP : '';
  const newIP = typeof s.clusterIP === 'string' ? s.clusterIP : '';
  if (oldIP && newIP && oldIP !== newIP && os.type !== 'ExternalName' && s.type !== 'ExternalName') {
    errs.push(invalid('spec.clusterIPs[0]', newIP, 'may not change once set'));
  }
}

function validateKeys(data: unknown, field: string, errs: FieldError[]): number {
  let size = 0;
  if (!isObject(data)) return size;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(`${field}[${k}]`, k, msg));
    size += typeof v === 'string' ? utf8.encode(v).length : 0;
  }
  return size;
}

function duplicateKeys(a: unknown, b: unknown, field: string, other: string, errs: FieldError[]): void {
  if (!isObject(a) || !isObject(b)) return;
  for (const k of Object.keys(a)) {
    if (Object.hasOwn(b, k)) errs.push(invalid(`${field}[${k}]`, k, `duplicate of key present in ${other}`));
  }
}

function validateImmutable(o: KubeObject, old: KubeObject, fields: string[], errs: FieldError[]): void {
  if (old.immutable !== true) return;
  for (const f of fields) {
    if (!jsonEqual(o[f] ?? {}, old[f] ?? {}))
      errs.push(forbidden(f, 'field is immutable when `immutable` is set'));
  }
  if (o.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
}

export function validateConfigMap(o: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const size = validateKeys(o.data, 'data', errs) + validateKeys(o.binaryData, 'binaryData', errs);
  if (isObject(o.binaryData)) {
    for (const [k, v] of Object.entries(o.binaryData)) {
      if (typeof v === 'string' && !BASE64.test(v))
        errs.push(invalid(`binaryData[${k}]`, v, 'illegal base64 data'));
    }
  }
  duplicateKeys(o.data, o.binaryData, 'data', 'binaryData', errs);
  if (size > MAX_DATA) errs.push(tooLong('', MAX_DATA));
  if (old) validateImmutable(o, old, ['data', 'binaryData'], errs);
}

const SECRET_REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

export function validateSecret(o: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  validateKeys(o.data, 'data', errs);
  let size = 0;
  if (isObject(o.data)) {
    for (const [k, v] of Object.entries(o.data)) {
      if (typeof v !== 'string') continue;
      if (!BASE64.test(v))
        errs.push(invalid(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
      size += Math.floor((v.length * 3) / 4);
    }
  }
  if (size > MAX_DATA) errs.push(tooLong('data', MAX_DATA));
  const type = typeof o.type === 'string' ? o.type : 'Opaque';
  const data = isObject(o.data) ? o.data : {};
  for (const k of getOwn(SECRET_REQUIRED_KEYS, type) ?? [])
    if (!Object.hasOwn(data, k)) errs.push(required(`data[${k}]`));
  if (type === 'kubernetes.io/service-account-token') {
    const ann = o.metadata?.annotations ?? {};
    if (!ann['kubernetes.io/service-account.name']) {
      errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
    }
  }
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(required('data[username]'));
    errs.push(required('data[password]'));
  }
  if (!old) return;
  const oldType = typeof old.type === 'string' ? old.type : 'Opaque';
  if (type !== oldType) errs.push(invalid('type', type, 'field is immutable'));
  validateImmutable(o, old, ['data'], errs);
}

export function validateNamespace(o: KubeObject, _old: KubeObject | undefined, errs: FieldError[]): void {
  const s = spec(o);
  if (!Array.isArray(s.finalizers)) return;
  s.finalizers.forEach((f, i) => {
    if (typeof f !== 'string') return;
    for (const msg of isQualifiedName(f)) errs.push(invalid(`spec.finalizers[${i}]`, f, msg));
  });
}

/** core/v1 Event: the involved object must live in the event's namespace (cluster-scoped: any). */
export function validateEvent(o: KubeObject, _old: KubeObject | undefined, errs: FieldError[]): void {
  const ref = isObject(o.involvedObject) ? o.involvedObject : undefined;
  const ns = o.metadata?.namespace ?? '';
  if (ref && typeof ref.namespace === 'string' && ref.namespace && ns && ref.namespace !== ns) {
    errs.push(invalid('involvedObject.namespace', ref.namespace, 'does not match event.namespace'));
  }
}

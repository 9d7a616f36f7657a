import { setOwn } from '../../lib/own-props.js';
import { ApiError } from '../contracts.js';

/**
 * Decoder for the Kubernetes protobuf envelope (`k8s\0` + runtime.Unknown) for the kinds whose typed
 * clients send protobuf from `kubectl create <kind>` (namespace, configmap, secret, serviceaccount,
 * service, ingress, poddisruptionbudget, priorityclass, quota, deployment, job, cronjob, role,
 * rolebinding, clusterrole, clusterrolebinding), covering the fields those commands set. Other kinds
 * get 415 with advice to send JSON or YAML.
 */
type FieldType =
  | 'string'
  | 'bytes'
  | 'int64'
  | 'int32'
  | 'bool'
  | 'time'
  | 'mapss'
  | 'mapsb'
  /** map<string, resource.Quantity> (the quantity is a message holding its string form). */
  | 'mapsq'
  /** intstr.IntOrString: a number or a string in JSON. */
  | 'intstr'
  | Schema;
interface Field {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** Go pointer fields: a 0 on the wire was set explicitly and must be kept. */
  keepZero?: boolean;
  /** A Go struct embedded with `json:",inline"`: its fields go to the parent. */
  inline?: boolean;
}
type Schema = Record<number, Field>;

const TIME: FieldType = 'time';
const OWNER_REF: Schema = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};
const OBJECT_META: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int64' },
  8: { name: 'creationTimestamp', type: TIME },
  9: { name: 'deletionTimestamp', type: TIME },
  10: { name: 'deletionGracePeriodSeconds', type: 'int64' },
  11: { name: 'labels', type: 'mapss' },
  12: { name: 'annotations', type: 'mapss' },
  13: { name: 'ownerReferences', type: OWNER_REF, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
};
const OBJECT_REF: Schema = {
  1: { name: 'kind', type: 'string' },
  2: { name: 'namespace', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'fieldPath', type: 'string' },
};

const LABEL_SELECTOR: Schema = {
  1: { name: 'matchLabels', type: 'mapss' },
  2: {
    name: 'matchExpressions',
    type: {
      1: { name: 'key', type: 'string' },
      2: { name: 'operator', type: 'string' },
      3: { name: 'values', type: 'string', repeated: true },
    },
    repeated: true,
  },
};
const CONTAINER: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'image', type: 'string' },
  3: { name: 'command', type: 'string', repeated: true },
  4: { name: 'args', type: 'string', repeated: true },
  5: { name: 'workingDir', type: 'string' },
  6: {
    name: 'ports',
    type: {
      1: { name: 'name', type: 'string' },
      2: { name: 'hostPort', type: 'int32' },
      3: { name: 'containerPort', type: 'int32' },
      4: { name: 'protocol', type: 'string' },
      5: { name: 'hostIP', type: 'string' },
    },
    repeated: true,
  },
  7: {
    name: 'env',
    type: { 1: { name: 'name', type: 'string' }, 2: { name: 'value', type: 'string' } },
    repeated: true,
  },
  14: { name: 'imagePullPolicy', type: 'string' },
};
const POD_SPEC: Schema = {
  2: { name: 'containers', type: CONTAINER, repeated: true },
  3: { name: 'restartPolicy', type: 'string' },
  8: { name: 'serviceAccountName', type: 'string' },
  20: { name: 'initContainers', type: CONTAINER, repeated: true },
};
const POD_TEMPLATE: Schema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: { name: 'spec', type: POD_SPEC },
};
const JOB_SPEC: Schema = {
  1: { name: 'parallelism', type: 'int32', keepZero: true },
  2: { name: 'completions', type: 'int32', keepZero: true },
  3: { name: 'activeDeadlineSeconds', type: 'int64' },
  6: { name: 'template', type: POD_TEMPLATE },
  7: { name: 'backoffLimit', type: 'int32', keepZero: true },
};

const POLICY_RULE: Schema = {
  1: { name: 'verbs', type: 'string', repeated: true },
  2: { name: 'apiGroups', type: 'string', repeated: true },
  3: { name: 'resources', type: 'string', repeated: true },
  4: { name: 'resourceNames', type: 'string', repeated: true },
  5: { name: 'nonResourceURLs', type: 'string', repeated: true },
};
const ROLE: Schema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: { name: 'rules', type: POLICY_RULE, repeated: true },
};
const BINDING: Schema = {
  1: { name: 'metadata', type: OBJECT_META },
  2: {
    name: 'subjects',
    type: {
      1: { name: 'kind', type: 'string' },
      2: { name: 'apiGroup', type: 'string' },
      3: { name: 'name', type: 'string' },
      4: { name: 'namespace', type: 'string' },
    },
    repeated: true,
  },
  3: {
    name: 'roleRef',
    type: {
      1: { name: 'apiGroup', type: 'string' },
      2: { name: 'kind', type: 'string' },
      3: { name: 'name', type: 'string' },
    },
  },
};

const SERVICE_SPEC: Schema = {
  1: {
    name: 'ports',
    type: {
      1: { name: 'name', type: 'string' },
      2: { name: 'protocol', type: 'string' },
      3: { name: 'port', type: 'int32' },
      4: { name: 'targetPort', type: 'intstr' },
      5: { name: 'nodePort', type: 'int32' },
      6: { name: 'appProtocol', type: 'string' },
    },
    repeated: true,
  },
  2: { name: 'selector', type: 'mapss' },
  3: { name: 'clusterIP', type: 'string' },
  4: { name: 'type', type: 'string' },
  5: { name: 'externalIPs', type: 'string', repeated: true },
  7: { name: 'sessionAffinity', type: 'string' },
  8: { name: 'loadBalancerIP', type: 'string' },
  9: { name: 'loadBalancerSourceRanges', type: 'string', repeated: true },
  10: { name: 'externalName', type: 'string' },
  11: { name: 'externalTrafficPolicy', type: 'string' },
  12: { name: 'healthCheckNodePort', type: 'int32' },
  13: { name: 'publishNotReadyAddresses', type: 'bool' },
  17: { name: 'ipFamilyPolicy', type: 'string' },
  18: { name: 'clusterIPs', type: 'string', repeated: true },
  19: { name: 'ipFamilies', type: 'string', repeated: true },
  20: { name: 'allocateLoadBalancerNodePorts', type: 'bool' },
  21: { name: 'loadBalancerClass', type: 'string' },
  22: { name: 'internalTrafficPolicy', type: 'string' },
};

const INGRESS_BACKEND: Schema = {
  3: {
    name: 'resource',
    type: {
      1: { name: 'apiGroup', type: 'string' },
      2: { name: 'kind', type: 'string' },
      3: { name: 'name', type: 'string' },
    },
  },
  4: {
    name: 'service',
    type: {
      1: { name: 'name', type: 'string' },
      2: {
        name: 'port',
        type: { 1: { name: 'name', type: 'string' }, 2: { name: 'number', type: 'int32' } },
      },
    },
  },
};
const INGRESS_SPEC: Schema = {
  1: { name: 'defaultBackend', type: INGRESS_BACKEND },
  2: {
    name: 'tls',
    type: { 1: { name: 'hosts', type: 'string', repeated: true }, 2: { name: 'secretName', type: 'string' } },
    repeated: true,
  },
  3: {
    name: 'rules',
    type: {
      1: { name: 'host', type: 'string' },
      2: {
        name: 'ingressRuleValue',
        inline: true,
        type: {
          1: {
            name: 'http',
            type: {
              1: {
                name: 'paths',
                type: {
                  1: { name: 'path', type: 'string' },
                  2: { name: 'backend', type: INGRESS_BACKEND },
                  3: { name: 'pathType', type: 'string' },
                },
                repeated: true,
              },
            },
          },
        },
      },
    },
    repeated: true,
  },
  4: { name: 'ingressClassName', type: 'string' },
};

const PDB_SPEC: Schema = {
  1: { name: 'minAvailable', type: 'intstr' },
  2: { name: 'selector', type: LABEL_SELECTOR },
  3: { name: 'maxUnavailable', type: 'intstr' },
  4: { name: 'unhealthyPodEvictionPolicy', type: 'string' },
};

const QUOTA_SPEC: Schema = {
  1: { name: 'hard', type: 'mapsq' },
  2: { name: 'scopes', type: 'string', repeated: true },
  3: {
    name: 'scopeSelector',
    type: {
      1: {
        name: 'matchExpressions',
        type: {
          1: { name: 'scopeName', type: 'string' },
          2: { name: 'operator', type: 'string' },
          3: { name: 'values', type: 'string', repeated: true },
        },
        repeated: true,
      },
    },
  },
};

const KINDS: Record<string, Schema> = {
  'rbac.authorization.k8s.io/v1/Role': ROLE,
  'rbac.authorization.k8s.io/v1/ClusterRole': ROLE,
  'rbac.authorization.k8s.io/v1/RoleBinding': BINDING,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': BINDING,
  // The fields `kubectl create deployment|job|cronjob` set (other fields are skipped).
  'apps/v1/Deployment': {
    1: { name: 'metadata', type: OBJECT_META },
    2: {
      name: 'spec',
      type: {
        1: { name: 'replicas', type: 'int32', keepZero: true },
        2: { name: 'selector', type: LABEL_SELECTOR },
        3: { name: 'template', type: POD_TEMPLATE },
      },
    },
  },
  'batch/v1/Job': { 1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'spec', type: JOB_SPEC } },
  'batch/v1/CronJob': {
    1: { name: 'metadata', type: OBJECT_META },
    2: {
      name: 'spec',
      type: {
        1: { name: 'schedule', type: 'string' },
        5: {
          name: 'jobTemplate',
          type: { 1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'spec', type: JOB_SPEC } },
        },
      },
    },
  },
  // Self-reviews are answered from the caller's identity: their bodies are not needed.
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {},
  'authorization.k8s.io/v1/SelfSubjectRulesReview': {},
  'authentication.k8s.io/v1/SelfSubjectReview': {},
  // `kubectl create service|ingress|poddisruptionbudget|priorityclass|quota`.
  'v1/Service': { 1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'spec', type: SERVICE_SPEC } },
  'networking.k8s.io/v1/Ingress': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'spec', type: INGRESS_SPEC },
  },
  'policy/v1/PodDisruptionBudget': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'spec', type: PDB_SPEC },
  },
  'scheduling.k8s.io/v1/PriorityClass': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'value', type: 'int32', keepZero: true },
    3: { name: 'globalDefault', type: 'bool' },
    4: { name: 'description', type: 'string' },
    5: { name: 'preemptionPolicy', type: 'string' },
  },
  'v1/ResourceQuota': { 1: { name: 'metadata', type: OBJECT_META }, 2: { name: 'spec', type: QUOTA_SPEC } },
  'v1/Namespace': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'spec', type: { 1: { name: 'finalizers', type: 'string', repeated: true } } },
  },
  'v1/ConfigMap': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'data', type: 'mapss' },
    3: { name: 'binaryData', type: 'mapsb' },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/Secret': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'data', type: 'mapsb' },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: 'mapss' },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ServiceAccount': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'secrets', type: OBJECT_REF, repeated: true },
    3: { name: 'imagePullSecrets', type: { 1: { name: 'name', type: 'string' } }, repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
};

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  eof(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw bad('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw bad('varint too long');
    }
  }
  bytes(): Uint8Array {
    const n = Number(this.varint());
    if (n < 0 || this.pos + n > this.buf.length) throw bad('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw bad(`unsupported wire type ${wire}`);
    if (this.pos > this.buf.length) throw bad('truncated field');
  }
}

function bad(why: string): ApiError {
  return new ApiError(400, 'BadRequest', `error decoding protobuf body: ${why}`);
}

const utf8 = new TextDecoder('utf-8');

function decodeMap(buf: Uint8Array, value: 'mapss' | 'mapsb' | 'mapsq'): [string, string] {
  const r = new Reader(buf);
  let k = '';
  let v = '';
  while (!r.eof()) {
    const tag = Number(r.varint());
    const field = tag >> 3;
    if ((tag & 7) !== 2) {
      r.skip(tag & 7);
      continue;
    }
    const b = r.bytes();
    if (field === 1) k = utf8.decode(b);
    else if (field === 2)
      v =
        value === 'mapsb'
          ? Buffer.from(b).toString('base64')
          : value === 'mapsq'
            ? String(decodeMessage(b, { 1: { name: 's', type: 'string' } }).s ?? '')
            : utf8.decode(b);
  }
  return [k, v];
}

function decodeTime(buf: Uint8Array): string | undefined {
  const r = new Reader(buf);
  let seconds = 0n;
  while (!r.eof()) {
    const tag = Number(r.varint());
    if (tag >> 3 === 1 && (tag & 7) === 0) seconds = r.varint();
    else r.skip(tag & 7);
  }
  if (seconds <= 0n) return undefined;
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

function decodeMessage(buf: Uint8Array, schema: Schema): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.eof()) {
    const tag = Number(r.varint());
    const f = schema[tag >> 3];
    const wire = tag & 7;
    if (!f) {
      r.skip(wire);
      continue;
    }
    let value: unknown;
    if (wire === 0) {
      const v = r.varint();
      value = f.type === 'bool' ? v !== 0n : Number(BigInt.asIntN(64, v));
    } else if (wire === 2) {
      const b = r.bytes();
      if (f.type === 'mapss' || f.type === 'mapsb' || f.type === 'mapsq') {
        const [k, v] = decodeMap(b, f.type);
        const m = (out[f.name] ??= {}) as Record<string, string>;
        setOwn(m, k, v);
        continue;
      }
      if (f.type === 'string') value = utf8.decode(b);
      else if (f.type === 'bytes') value = Buffer.from(b).toString('base64');
      else if (f.type === 'time') value = decodeTime(b);
      else if (f.type === 'intstr') {
        // Type 0 is an int (kept even when 0: the field was set), 1 a string.
        const v = decodeMessage(b, INT_OR_STRING);
        const isString = v.type === 1;
        const iv = isString ? String(v.strVal ?? '') : Number(v.intVal ?? 0);
        if (f.repeated) ((out[f.name] ??= []) as unknown[]).push(iv);
        else out[f.name] = iv;
        continue;
      } else if (typeof f.type === 'object') value = decodeMessage(b, f.type);
      else throw bad(`field ${f.name} has an unexpected wire type`);
    } else {
      r.skip(wire);
      continue;
    }
    // Go's generated code writes empty strings and zero numbers that JSON would omit.
    if (!f.repeated && (value === '' || (value === 0 && !f.keepZero) || value === undefined)) continue;
    if (f.inline && typeof value === 'object' && value !== null) Object.assign(out, value);
    else if (f.repeated) ((out[f.name] ??= []) as unknown[]).push(value);
    else out[f.name] = value;
  }
  return out;
}

const INT_OR_STRING: Schema = {
  1: { name: 'type', type: 'int64' },
  2: { name: 'intVal', type: 'int32' },
  3: { name: 'strVal', type: 'string' },
};

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** Decodes a `application/vnd.kubernetes.protobuf` body into its JSON form. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) throw bad('missing the k8s protobuf prefix');
  const unknown = decodeMessage(body.subarray(4), {
    1: {
      name: 'typeMeta',
      type: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } },
    },
    2: { name: 'raw', type: 'bytes' },
  });
  const tm = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const key = `${tm.apiVersion}/${tm.kind}`;
  const schema = KINDS[key];
  if (!schema)
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `protobuf request bodies are supported for the kinds kubectl create makes (v1 Namespace, ConfigMap, Secret, ServiceAccount, Service and ResourceQuota, apps/v1 Deployment, batch/v1 Job and CronJob, networking.k8s.io/v1 Ingress, policy/v1 PodDisruptionBudget, scheduling.k8s.io/v1 PriorityClass and the rbac.authorization.k8s.io/v1 kinds) only, not ${key}: send JSON or YAML instead (e.g. kubectl create ... --dry-run=client -o yaml | kubectl apply -f -)`,
    );
  const raw = Buffer.from(String(unknown.raw ?? ''), 'base64');
  return { apiVersion: tm.apiVersion, kind: tm.kind, ...decodeMessage(raw, schema) };
}

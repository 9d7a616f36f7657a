/**
 * RBAC (Role, ClusterRole, RoleBinding, ClusterRoleBinding) and networking (Ingress) rules.
 */
import type { FieldError, KubeObject } from '../contracts.js';
import { invalid, isObject, notSupported, required } from './field-errors.js';
import { goRoleRef } from './go-format.js';
import { isDNS1123Subdomain } from './names.js';
import { jsonEqual } from './openapi-validate.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export function validateRole(o: KubeObject, _old: KubeObject | undefined, errs: FieldError[]): void {
  const rules = Array.isArray(o.rules) ? o.rules : [];
  const cluster = o.kind === 'ClusterRole';
  rules.forEach((r, i) => {
    if (!isObject(r)) return;
    const p = `rules[${i}]`;
    const verbs = Array.isArray(r.verbs) ? r.verbs : [];
    if (verbs.length === 0) errs.push(required(`${p}.verbs`, 'verbs must contain at least one value'));
    const urls = Array.isArray(r.nonResourceURLs) ? r.nonResourceURLs : [];
    const resources = Array.isArray(r.resources) ? r.resources : [];
    if (urls.length > 0) {
      if (!cluster)
        errs.push(
          invalid(`${p}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'),
        );
      if (resources.length > 0 || (Array.isArray(r.apiGroups) && r.apiGroups.length > 0)) {
        errs.push(
          invalid(
            `${p}.nonResourceURLs`,
            urls,
            'rules cannot apply to both regular resources and non-resource URLs',
          ),
        );
      }
      return;
    }
    if (!Array.isArray(r.apiGroups) || r.apiGroups.length === 0) {
      errs.push(required(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    }
    if (resources.length === 0)
      errs.push(required(`${p}.resources`, 'resource rules must supply at least one resource'));
  });
}

export function validateRoleBinding(o: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const cluster = o.kind === 'ClusterRoleBinding';
  const ref = isObject(o.roleRef) ? o.roleRef : {};
  if (ref.apiGroup !== RBAC_GROUP)
    errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = cluster ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!kinds.includes(String(ref.kind))) errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(required('roleRef.name'));
  const subjects = Array.isArray(o.subjects) ? o.subjects : [];
  subjects.forEach((s, i) => {
    if (!isObject(s)) return;
    const p = `subjects[${i}]`;
    if (!s.name) errs.push(required(`${p}.name`));
    switch (s.kind) {
      case 'ServiceAccount':
        if (s.apiGroup) errs.push(notSupported(`${p}.apiGroup`, s.apiGroup, ['']));
        if (typeof s.name === 'string' && s.name) {
          for (const msg of isDNS1123Subdomain(s.name)) errs.push(invalid(`${p}.name`, s.name, msg));
        }
        if (!s.namespace && cluster) errs.push(required(`${p}.namespace`));
        break;
      case 'User':
      case 'Group':
        if (s.apiGroup !== RBAC_GROUP)
          errs.push(notSupported(`${p}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        errs.push(notSupported(`${p}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  if (old && old.roleRef !== undefined && !jsonEqual(o.roleRef, old.roleRef)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'roleRef',
      message: `Invalid value: ${goRoleRef(o.roleRef)}: cannot change roleRef`,
    });
  }
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateBackend(b: unknown, path: string, errs: FieldError[]): void {
  if (!isObject(b)) return;
  if (isObject(b.service) && isObject(b.resource)) {
    errs.push(invalid(path, '', 'cannot set both resource and service backends'));
  }
  if (isObject(b.service)) {
    const svc = b.service;
    const name = typeof svc.name === 'string' ? svc.name : '';
    if (!name) errs.push(required(`${path}.service.name`));
    const port = isObject(svc.port) ? svc.port : undefined;
    if (!port) errs.push(required(`${path}.service.port`));
    else if (port.name !== undefined && port.number !== undefined) {
      errs.push(invalid(`${path}.service.port`, '', 'cannot set both port name & port number'));
    } else if (typeof port.number === 'number' && (port.number < 1 || port.number > 65535)) {
      errs.push(
        invalid(`${path}.service.port.number`, port.number, 'must be between 1 and 65535, inclusive'),
      );
    }
  } else if (!isObject(b.resource)) {
    errs.push(invalid(path, '', 'resource or service backend is required'));
  }
}

export function validateIngress(o: KubeObject, _old: KubeObject | undefined, errs: FieldError[]): void {
  const spec = isObject(o.spec) ? o.spec : {};
  if (spec.defaultBackend !== undefined) validateBackend(spec.defaultBackend, 'spec.defaultBackend', errs);
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  if (rules.length === 0 && spec.defaultBackend === undefined) {
    errs.push(invalid('spec.rules', [], 'either `defaultBackend` or `rules` must be specified'));
  }
  rules.forEach((r, i) => {
    if (!isObject(r)) return;
    const p = `spec.rules[${i}]`;
    if (typeof r.host === 'string' && r.host) {
      const host = r.host.startsWith('*.') ? r.host.slice(2) : r.host;
      for (const msg of isDNS1123Subdomain(host)) errs.push(invalid(`${p}.host`, r.host, msg));
    }
    const http = isObject(r.http) ? r.http : undefined;
    if (!http) return;
    const paths = Array.isArray(http.paths) ? http.paths : [];
    if (paths.length === 0) errs.push(required(`${p}.http.paths`));
    paths.forEach((hp, j) => {
      if (!isObject(hp)) return;
      const pp = `${p}.http.paths[${j}]`;
      if (hp.pathType === undefined || hp.pathType === null)
        errs.push(required(`${pp}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(String(hp.pathType)))
        errs.push(notSupported(`${pp}.pathType`, hp.pathType, PATH_TYPES));
      if (typeof hp.path === 'string' && hp.path && !hp.path.startsWith('/')) {
        errs.push(invalid(`${pp}.path`, hp.path, 'must be an absolute path'));
      }
      validateBackend(hp.backend, `${pp}.backend`, errs);
    });
  });
  if (typeof spec.ingressClassName === 'string') {
    for (const msg of isDNS1123Subdomain(spec.ingressClassName))
      errs.push(invalid('spec.ingressClassName', spec.ingressClassName, msg));
  }
}

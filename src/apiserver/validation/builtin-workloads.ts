/**
 * Workload kinds (apps/v1 Deployment, ReplicaSet, StatefulSet, DaemonSet; batch/v1 Job, CronJob):
 * selectors, templates, strategies, and the fields that may not change on update.
 */
import type { FieldError, KubeObject } from '../contracts.js';
import { validatePodSpec } from './builtin-pod.js';
import { forbidden, invalid, isObject, notSupported, required } from './field-errors.js';
import { goLabelSelector, goStringMap, selectorEmpty, selectorMatches } from './go-format.js';
import { jsonEqual } from './openapi-validate.js';
import { validateLabels } from './object-meta.js';

type Obj = Record<string, unknown>;

function spec(o: KubeObject | undefined): Obj {
  return o && isObject(o.spec) ? o.spec : {};
}

function nonNegative(s: Obj, field: string, path: string, errs: FieldError[]): void {
  const v = s[field];
  if (typeof v === 'number' && v < 0)
    errs.push(invalid(`${path}.${field}`, v, 'must be greater than or equal to 0'));
}

function validateSelectorAndTemplate(
  s: Obj,
  path: string,
  kind: string,
  errs: FieldError[],
  restartPolicies: string[],
  selectorRequired = true,
): void {
  const sel = s.selector;
  if (sel === undefined || sel === null) {
    if (selectorRequired) errs.push(required(`${path}.selector`));
  } else if (selectorEmpty(sel)) {
    errs.push(invalid(`${path}.selector`, undefined, `empty selector is invalid for ${kind}`));
    errs[errs.length - 1].message =
      `Invalid value: ${goLabelSelector(sel)}: empty selector is invalid for ${kind}`;
  } else if (isObject(sel)) {
    validateLabels(sel.matchLabels, `${path}.selector.matchLabels`, errs);
  }
  const template = isObject(s.template) ? s.template : undefined;
  if (!template) {
    if (s.template === undefined) errs.push(required(`${path}.template`));
    return;
  }
  const meta = isObject(template.metadata) ? template.metadata : {};
  validateLabels(meta.labels, `${path}.template.metadata.labels`, errs);
  if (isObject(sel) && !selectorEmpty(sel) && !selectorMatches(sel, meta.labels)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: `${path}.template.metadata.labels`,
      message: `Invalid value: ${goStringMap(meta.labels)}: \`selector\` does not match template \`labels\``,
    });
  }
  validatePodSpec(template.spec, `${path}.template.spec`, errs, restartPolicies);
}

function intOrPercent(v: unknown): { n: number; pct: boolean } | undefined {
  if (typeof v === 'number') return { n: v, pct: false };
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    if (m) return { n: Number(m[1]), pct: true };
  }
  return undefined;
}

function validateIntOrPercent(v: unknown, path: string, errs: FieldError[]): number | undefined {
  if (v === undefined || v === null) return undefined;
  const p = intOrPercent(v);
  if (!p) {
    errs.push(
      invalid(
        path,
        v,
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ),
    );
    return undefined;
  }
  if (p.n < 0) errs.push(invalid(path, v, 'must be greater than or equal to 0'));
  if (p.pct && p.n > 100) errs.push(invalid(path, v, 'must not be greater than 100%'));
  return p.n;
}

export function validateDeployment(o: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const s = spec(o);
  nonNegative(s, 'replicas', 'spec', errs);
  nonNegative(s, 'minReadySeconds', 'spec', errs);
  nonNegative(s, 'revisionHistoryLimit', 'spec', errs);
  validateSelectorAndTemplate(s, 'spec', 'deployment', errs, ['Always']);
  const strategy = isObject(s.strategy) ? s.strategy : {};
  const type = strategy.type;
  if (typeof type === 'string' && type !== 'Recreate' && type !== 'RollingUpdate') {
    errs.push(notSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']));
  }
  if (type === 'Recreate' && strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
    errs.push(
      forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"),
    );
  }
  if (type === 'RollingUpdate' && isObject(strategy.rollingUpdate)) {
    const ru = strategy.rollingUpdate;
    const mu = validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable', errs);
    const ms = validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge', errs);
    if (mu === 0 && ms === 0) {
      errs.push(
        invalid(
          'spec.strategy.rollingUpdate.maxUnavailable',
          ru.maxUnavailable,
          'may not be 0 when `maxSurge` is 0',
        ),
      );
    }
  }
  if (typeof s.progressDeadlineSeconds === 'number') {
    if (s.progressDeadlineSeconds < 0)
      errs.push(
        invalid(
          'spec.progressDeadlineSeconds',
          s.progressDeadlineSeconds,
          'must be greater than or equal to 0',
        ),
      );
    else if (s.progressDeadlineSeconds <= (typeof s.minReadySeconds === 'number' ? s.minReadySeconds : 0)) {
      errs.push(
        invalid(
          'spec.progressDeadlineSeconds',
          s.progressDeadlineSeconds,
          'must be greater than minReadySeconds',
        ),
      );
    }
  }
  if (old) immutableSelector(s, spec(old), errs);
}

function immutableSelector(s: Obj, os: Obj, errs: FieldError[], path = 'spec.selector'): void {
  if (os.selector !== undefined && !jsonEqual(s.selector, os.selector)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: path,
      message: `Invalid value: ${goLabelSelector(s.selector)}: field is immutable`,
    });
  }
}

export function validateReplicaSet(o: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const s = spec(o);
  nonNegative(s, 'replicas', 'spec', errs);
  nonNegative(s, 'minReadySeconds', 'spec', errs);
  validateSelectorAndTemplate(s, 'spec', 'replicaset', errs, ['Always']);
  if (old) immutableSelector(s, spec(old), errs);
}

const STS_MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

export function validateStatefulSet(o: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const s = spec(o);
  nonNegative(s, 'replicas', 'spec', errs);
  nonNegative(s, 'minReadySeconds', 'spec', errs);
  validateSelectorAndTemplate(s, 'spec', 'statefulset', errs, ['Always']);
  if (
    typeof s.podManagementPolicy === 'string' &&
    !['OrderedReady', 'Parallel'].includes(s.podManagementPolicy)
  ) {
    errs.push(notSupported('spec.podManagementPolicy', s.podManagementPolicy, ['OrderedReady', 'Parallel']));
  }
  const us = isObject(s.updateStrategy) ? s.updateStrategy : {};
  if (typeof us.type === 'string' && !['OnDelete', 'RollingUpdate'].includes(us.type)) {
    errs.push(notSupported('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate']));
  }
  if (old) {
    const os = spec(old);
    const keys = new Set([...Object.keys(s), ...Object.keys(os)].filter((k) => !STS_MUTABLE.includes(k)));
    if ([...keys].some((k) => !jsonEqual(s[k], os[k]))) {
      errs.push(
        forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
}

export function validateDaemonSet(o: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const s = spec(o);
  nonNegative(s, 'minReadySeconds', 'spec', errs);
  nonNegative(s, 'revisionHistoryLimit', 'spec', errs);
  validateSelectorAndTemplate(s, 'spec', 'daemonset', errs, ['Always']);
  const us = isObject(s.updateStrategy) ? s.updateStrategy : {};
  if (typeof us.type === 'string' && !['OnDelete', 'RollingUpdate'].includes(us.type)) {
    errs.push(notSupported('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate']));
  }
  if (old) immutableSelector(s, spec(old), errs);
}

function validateJobSpec(s: Obj, path: string, errs: FieldError[]): void {
  for (const f of ['parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished'])
    nonNegative(s, f, path, errs);
  if (typeof s.activeDeadlineSeconds === 'number' && s.activeDeadlineSeconds <= 0) {
    errs.push(invalid(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds, 'must be greater than 0'));
  }
  if (typeof s.completionMode === 'string' && !['NonIndexed', 'Indexed'].includes(s.completionMode)) {
    errs.push(notSupported(`${path}.completionMode`, s.completionMode, ['NonIndexed', 'Indexed']));
  }
  if (s.completionMode === 'Indexed' && (s.completions === undefined || s.completions === null)) {
    errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  }
  validateSelectorAndTemplate(s, path, 'job', errs, ['OnFailure', 'Never'], false);
}

export function validateJob(o: KubeObject, old: KubeObject | undefined, errs: FieldError[]): void {
  const s = spec(o);
  validateJobSpec(s, 'spec', errs);
  if (!old) return;
  const os = spec(old);
  immutableSelector(s, os, errs);
  if (os.completions !== undefined && !jsonEqual(s.completions, os.completions)) {
    errs.push(invalid('spec.completions', s.completions ?? null, 'field is immutable'));
  }
  if (os.completionMode !== undefined && s.completionMode !== os.completionMode) {
    errs.push(invalid('spec.completionMode', s.completionMode ?? '', 'field is immutable'));
  }
  if (!jsonEqual(s.template, os.template) && os.suspend !== true) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.template',
      message: 'Invalid value: core.PodTemplateSpec{...}: field is immutable',
    });
  }
}

function cronFieldCount(schedule: string): number {
  const t = schedule.trim();
  if (t.startsWith('@')) return 5;
  return t
    .replace(/^(CRON_)?TZ=\S+\s+/, '')
    .split(/\s+/)
    .filter(Boolean).length;
}

export function validateCronJob(o: KubeObject, _old: KubeObject | undefined, errs: FieldError[]): void {
  const s = spec(o);
  const schedule = typeof s.schedule === 'string' ? s.schedule : '';
  if (!schedule) errs.push(required('spec.schedule'));
  else {
    const n = cronFieldCount(schedule);
    if (n !== 5)
      errs.push(invalid('spec.schedule', schedule, `Expected exactly 5 fields, found ${n}: ${schedule}`));
    if (/TZ=/.test(schedule)) {
      errs.push(
        invalid(
          'spec.schedule',
          schedule,
          'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
        ),
      );
    }
  }
  if (
    typeof s.concurrencyPolicy === 'string' &&
    !['Allow', 'Forbid', 'Replace'].includes(s.concurrencyPolicy)
  ) {
    errs.push(notSupported('spec.concurrencyPolicy', s.concurrencyPolicy, ['Allow', 'Forbid', 'Replace']));
  }
  nonNegative(s, 'startingDeadlineSeconds', 'spec', errs);
  nonNegative(s, 'successfulJobsHistoryLimit', 'spec', errs);
  nonNegative(s, 'failedJobsHistoryLimit', 'spec', errs);
  const jt = isObject(s.jobTemplate) ? s.jobTemplate : undefined;
  if (!jt) return;
  validateJobSpec(isObject(jt.spec) ? jt.spec : {}, 'spec.jobTemplate.spec', errs);
}

/**
 * Validation of built-in kinds: swagger type/required checks, ObjectMeta with the kind's name
 * rule, then the kind-specific rules kube-apiserver applies (builtin-kinds.ts).
 */
import type { FieldError, KubeObject, ResourceType } from '../contracts.js';
import { checkBuiltinSchema } from './builtin-schema-check.js';
import { validateKind } from './builtin-kinds.js';
import {
  type NameValidator,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  nameIsPathSegment,
} from './names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

const NAME_RULES: Record<string, NameValidator> = {
  '/Namespace': nameIsDNSLabel,
  '/Service': nameIsDNS1035Label,
  'rbac.authorization.k8s.io/Role': nameIsPathSegment,
  'rbac.authorization.k8s.io/ClusterRole': nameIsPathSegment,
  'rbac.authorization.k8s.io/RoleBinding': nameIsPathSegment,
  'rbac.authorization.k8s.io/ClusterRoleBinding': nameIsPathSegment,
};

export function nameRule(rt: ResourceType): NameValidator {
  return NAME_RULES[`${rt.group}/${rt.kind}`] ?? nameIsDNSSubdomain;
}

export function validateBuiltin(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
): FieldError[] {
  const errs: FieldError[] = [];
  if (rt.schema) {
    // metadata is checked by validateObjectMeta; an empty stand-in satisfies `required: [metadata]`.
    const { metadata, ...rest } = obj;
    const schemaErrs = checkBuiltinSchema(
      rt.schema,
      metadata === undefined ? rest : { ...rest, metadata: {} },
    );
    // kube rejects a wrongly typed body while decoding, before any other rule runs.
    if (schemaErrs.some((e) => e.type === 'FieldValueTypeInvalid')) {
      return schemaErrs.filter((e) => e.type === 'FieldValueTypeInvalid');
    }
    errs.push(...schemaErrs);
  }
  validateObjectMeta(obj.metadata, rt.namespaced, nameRule(rt), errs);
  if (old) validateObjectMetaUpdate(obj.metadata, old.metadata, errs);
  if (rt.kind === 'CronJob' && typeof obj.metadata?.name === 'string' && obj.metadata.name.length > 52) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${obj.metadata.name}": must be no more than 52 characters`,
    });
  }
  validateKind(rt, obj, old, errs);
  // The swagger's required fields and the kind rules overlap (e.g. `spec.selector`): report once.
  const seen = new Set<string>();
  // A kind rule's worded `Required value: <detail>` replaces the swagger's bare one.
  const detailed = new Set(
    errs.filter((e) => e.type === 'FieldValueRequired' && e.message !== 'Required value').map((e) => e.field),
  );
  return errs.filter((e) => {
    if (e.type === 'FieldValueRequired' && e.message === 'Required value' && detailed.has(e.field))
      return false;
    const k = `${e.field}\n${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

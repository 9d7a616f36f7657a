import { gvString } from '../registry/types.js';
import type { KubeObject, ResourceType } from '../contracts.js';
import type { RequestContext } from './context.js';

/**
 * Self-review kinds (`kubectl auth can-i`, `kubectl auth whoami`): answered from the caller's
 * identity and the authorization hook, never stored. The admin token may do everything.
 */
export function review(ctx: RequestContext, rt: ResourceType, body: KubeObject): KubeObject {
  const base: KubeObject = {
    ...body,
    apiVersion: gvString(rt.group, rt.version),
    kind: rt.kind,
    metadata: {},
  };
  switch (rt.kind) {
    case 'SelfSubjectAccessReview':
      return { ...base, status: { allowed: true, reason: 'the flotilla admin token may do everything' } };
    case 'SelfSubjectRulesReview':
      return {
        ...base,
        status: {
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
          incomplete: false,
        },
      };
    default:
      return { ...base, status: { userInfo: { username: ctx.user.name, groups: ctx.user.groups } } };
  }
}

/**
 * `/openapi/v2` for one virtual cluster: the built-in swagger restricted to the paths the cluster
 * serves, plus definitions and paths for each CRD-defined type. All built-in definitions are kept
 * (kubectl looks kinds up by `x-kubernetes-group-version-kind`; unserved ones are never asked for).
 */
import type { ResourceType } from '../contracts.js';
import { crdDefinitions, crdPaths, groupPaths } from './crd-openapi.js';
import { pathOwner, ServedSet } from './served-paths.js';
import { DEF_PREFIX_V2, swagger } from './swagger.js';

let builtinPathOwners: [string, ReturnType<typeof pathOwner>][] | undefined;

function pathOwners() {
  builtinPathOwners ??= Object.keys(swagger().paths as object).map((p) => [p, pathOwner(p)]);
  return builtinPathOwners;
}

/**
 * Built-in paths served by `types`, and the CRD types' own paths, in OpenAPI v2 form; only those
 * of one v3 document (`api/v1`, `apis/<g>/<v>`, ...) when `key` is given.
 */
export function servedPathsV2(types: readonly ResourceType[], key?: string): Record<string, any> {
  const all = swagger().paths as Record<string, any>;
  const served = new ServedSet(types.filter((t) => t.builtin));
  const paths: Record<string, any> = {};
  for (const [p, owner] of pathOwners())
    if ((key === undefined || owner.key === key) && served.serves(owner)) paths[p] = all[p];
  for (const t of types) {
    if (t.builtin) continue;
    for (const [p, item] of Object.entries({ ...groupPaths(t.group, t.version), ...crdPaths(t) })) {
      if (key === undefined || pathOwner(p).key === key) paths[p] = item;
    }
  }
  return paths;
}

/** Definitions of the CRD-defined types (object and list), in OpenAPI v2 form. */
export function crdDefinitionsV2(types: readonly ResourceType[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of types)
    if (!t.builtin) Object.assign(out, crdDefinitions(t, { refPrefix: DEF_PREFIX_V2, v2: true }));
  return out;
}

export function buildOpenAPIV2(types: readonly ResourceType[]): Record<string, unknown> {
  const s = swagger();
  const paths = servedPathsV2(types);
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(paths).sort()) sorted[k] = paths[k];
  return {
    swagger: '2.0',
    info: s.info ?? { title: 'Kubernetes', version: 'unversioned' },
    paths: sorted,
    definitions: { ...s.definitions, ...crdDefinitionsV2(types) },
    parameters: s.parameters,
    securityDefinitions: s.securityDefinitions,
    security: s.security,
  };
}

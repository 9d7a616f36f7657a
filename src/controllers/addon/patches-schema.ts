/**
 * The built-in kinds' patch strategies (merge keys of containers, env, ports...) for strategic
 * merge patches in kustomize builds and post-render patches, read once from the Kubernetes
 * swagger the package ships (assets/kubernetes/swagger-v1.35.json.gz).
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type PatchSchemaProvider, swaggerPatchSchemas } from '../../engine/patch/index.js';

let provider: PatchSchemaProvider | undefined;

export function builtinPatchSchemas(): PatchSchemaProvider {
  if (provider) return provider;
  const candidates = [
    new URL('../../../assets/kubernetes/swagger-v1.35.json.gz', import.meta.url),
    new URL('../../../../assets/kubernetes/swagger-v1.35.json.gz', import.meta.url),
  ];
  const file = candidates.find((u) => existsSync(u));
  if (!file)
    throw new Error(
      'assets/kubernetes/swagger-v1.35.json.gz not found: reinstall flotilla (the package ships assets/)',
    );
  provider = swaggerPatchSchemas(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')));
  return provider;
}

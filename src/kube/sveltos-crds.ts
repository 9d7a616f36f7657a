/**
 * The Sveltos CRDs flotilla ships (`assets/sveltos/crds.yaml`), read once and reduced to what
 * server-side apply should own (no status, no server fields). The management plane installs them
 * all; the agent and the deployer install the few a managed cluster needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { FlotillaError } from '../lib/errors.js';
import type { KubeObject } from './types.js';

let cached: KubeObject[] | undefined;

/** Where the CRDs are, from `src/kube` (tsx) or `dist/src/kube` (built). */
export function sveltosCrdsFile(): string {
  const candidates = [
    new URL('../../assets/sveltos/crds.yaml', import.meta.url),
    new URL('../../../assets/sveltos/crds.yaml', import.meta.url),
  ];
  const file = candidates.find((u) => existsSync(u));
  if (!file)
    throw new FlotillaError(
      'crds-missing',
      'assets/sveltos/crds.yaml not found next to flotilla: reinstall flotilla (the package ships assets/)',
    );
  return fileURLToPath(file);
}

/** Every shipped CRD. */
export function sveltosCrds(): KubeObject[] {
  if (cached) return cached;
  const crds: KubeObject[] = [];
  for (const doc of parseAllDocuments(readFileSync(sveltosCrdsFile(), 'utf8'))) {
    const o = doc.toJS() as KubeObject | null;
    if (o?.kind !== 'CustomResourceDefinition') continue;
    crds.push({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: o.metadata?.name, ...(o.metadata?.labels ? { labels: o.metadata.labels } : {}) },
      spec: o.spec,
    });
  }
  cached = crds;
  return crds;
}

/** One shipped CRD by name (`resourcesummaries.lib.projectsveltos.io`). */
export function sveltosCrd(name: string): KubeObject {
  const crd = sveltosCrds().find((c) => c.metadata?.name === name);
  if (!crd)
    throw new FlotillaError(
      'crds-missing',
      `assets/sveltos/crds.yaml has no CustomResourceDefinition ${name}: reinstall flotilla`,
    );
  return crd;
}

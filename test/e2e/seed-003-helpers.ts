// Seed 003 ("Sveltos, NATS and JetStream") YAML and CloudEvents as written in the seed, with only
// what a lab-less test must change: the chart repository URL of step 3 and the NATS server URL
// inside step 4's `sveltos-nats` Secret (user admin / password my-password are kept).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/kube/index.js';

const DIR = new URL(
  import.meta.url.includes('/dist/') ? '../../../test/e2e/testdata/seed-003/' : './testdata/seed-003/',
  import.meta.url,
);

const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

export const SEED_NATS_URL = 'nats://nats.nats.svc.cluster.local:4222';
const SEED_REPO_URL = 'https://nats-io.github.io/k8s/helm/charts/';

/** The login (step 6) and logout (step 7) CloudEvents, byte for byte as in the seed. */
export const LOGIN = read('step6-login.json');
export const LOGOUT = read('step7-logout.json');

export const USER = { user: 'admin', password: 'my-password' };

export function docsOf(yamlText: string): KubeObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((d): d is KubeObject => !!d);
}

/** Step 3: the `nats` ClusterProfile, its chart served by `repositoryURL`. */
export function step3Yaml(repositoryURL: string): string {
  const text = read('step3-nats.yaml');
  assert.ok(text.includes(SEED_REPO_URL));
  return text.replace(SEED_REPO_URL, repositoryURL);
}

/** The `sveltos-nats` JSON of step 4 (decoded twice: policyRef Secret → Secret → JSON). */
export function seedNatsConfigText(): string {
  const inner = unb64(secretValue(read('step4-nats-secret.yaml')));
  return unb64(secretValue(inner));
}

/**
 * Step 4: the `deploy-deploy-sveltos-nats-secret` ClusterProfile and its policyRef Secret, the
 * `sveltos-nats` configuration inside pointing at `natsUrl` (or replaced by `config`, e.g. a
 * `jetstream` configuration), everything else unchanged.
 */
export function step4Yaml(natsUrl: string, config?: object): string {
  const text = read('step4-nats-secret.yaml');
  const outer = secretValue(text);
  const inner = unb64(outer);
  const json = seedNatsConfigText();
  assert.ok(json.includes(`"url": "${SEED_NATS_URL}"`), 'seed 003 step 4 names its NATS URL');
  const next = config ? JSON.stringify(config, null, 2) : json.replace(SEED_NATS_URL, natsUrl);
  return text.replace(outer, b64(inner.replace(secretValue(inner), b64(next))));
}

/** A `jetstream` configuration for the seed's user, consuming `stream` (subjects `user-operation`). */
export function jetStreamConfig(natsUrl: string, stream: string): object {
  return {
    jetstream: {
      configuration: {
        url: natsUrl,
        streams: [{ name: stream, subjects: ['user-operation'] }],
        authorization: { user: USER },
      },
    },
  };
}

/** Step 5: the `user-operation` EventSource, the `manage-namespace` EventTrigger and its ConfigMap. */
export const step5Yaml = (): string => read('step5-manage-namespace.yaml');

/** The base64 `data.sveltos-nats` of a Secret's YAML (both the policyRef Secret and the inner one use that key). */
function secretValue(yamlText: string): string {
  const m = /^ {2}sveltos-nats: (\S+)$/m.exec(yamlText);
  assert.ok(m, 'the Secret has data.sveltos-nats');
  return m[1];
}

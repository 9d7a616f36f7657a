import { stringify } from 'yaml';

/** A kubeconfig for one virtual cluster: context, cluster and user are all named after it. */
export function kubeconfigYaml(name: string, server: string, caPem: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    users: [{ name, user: { token } }],
    preferences: {},
  });
}

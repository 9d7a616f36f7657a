export { KubeClient, type KubeClientOptions } from './client.js';
export { Discovery } from './discovery.js';
export * from './errors.js';
export {
  type ClusterConnection,
  type KubeconfigOptions,
  type KubeconfigSource,
  loadKubeconfig,
  type TlsOptions,
} from './kubeconfig.js';
export type { TransportOptions } from './transport.js';
export * from './types.js';

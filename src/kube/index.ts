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
export { sveltosCrd, sveltosCrds, sveltosCrdsFile } from './sveltos-crds.js';
export type { TransportOptions } from './transport.js';
export * from './types.js';

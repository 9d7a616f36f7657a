import { UsageError } from '../lib/errors.js';

/** Everything needed to talk to one cluster: address, TLS material and how to authenticate. */
export interface ClusterConnection {
  /** The cluster's name in flotilla (used in logs and error messages). */
  name: string;
  /** Base URL, possibly with a path prefix (e.g. `https://127.0.0.1:6443/clusters/c1`). */
  server: string;
  /** Namespace of the kubeconfig context, the default for namespaced objects without one. */
  namespace: string;
  tls: TlsOptions;
  /**
   * The `Authorization` header value. A function when credentials can change (exec plugins, auth
   * providers); it is called per request and caches on its own.
   */
  authorization?: string | (() => Promise<string | undefined>);
}

export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
  servername?: string;
}

export interface KubeconfigSource {
  /** Path of a kubeconfig file (relative paths inside it resolve against its folder). */
  file?: string;
  /** Kubeconfig YAML text. */
  yaml?: string;
  /** Context to use instead of `current-context`. */
  context?: string;
  /** Use the pod's service account (KUBERNETES_SERVICE_HOST, /var/run/secrets/kubernetes.io/...). */
  inCluster?: boolean;
}

export interface KubeconfigOptions {
  /** Name of the cluster for flotilla (default: the kubeconfig cluster name). */
  name?: string;
  /**
   * Run `exec` credential plugins. Off by default: a kubeconfig taken from a Secret must not be
   * able to run commands on the management plane.
   */
  allowExec?: boolean;
}

/**
 * Loads a kubeconfig with @kubernetes/client-node's parser and auth support (bearer tokens,
 * token files, client certificates, CA data/files, insecure-skip-tls-verify, auth providers and,
 * only when allowed, exec plugins) and returns a connection for our own HTTP client.
 */
export async function loadKubeconfig(
  source: KubeconfigSource,
  options: KubeconfigOptions = {},
): Promise<ClusterConnection> {
  // Loaded lazily: the package pulls in every generated API and costs startup time.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  const where = source.file ? `kubeconfig ${source.file}` : 'kubeconfig';
  try {
    if (source.file) kc.loadFromFile(source.file);
    else if (source.yaml !== undefined) kc.loadFromString(source.yaml);
    else if (source.inCluster) {
      if (!process.env.KUBERNETES_SERVICE_HOST)
        throw new Error('not running in a pod: KUBERNETES_SERVICE_HOST is unset');
      kc.loadFromCluster();
    } else throw new Error('neither a file, YAML text nor in-cluster was given');
    if (source.context) kc.setCurrentContext(source.context);
  } catch (err) {
    throw new UsageError(`cannot load ${where}: ${(err as Error).message}. Pass a valid kubeconfig`, {
      cause: err,
    });
  }
  const contextName = kc.getCurrentContext();
  const context = contextName ? kc.getContextObject(contextName) : null;
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new UsageError(
      `${where} has no cluster for context "${contextName || '(none)'}": set current-context or pass a context`,
    );
  }
  const user = kc.getCurrentUser();
  if (user?.exec && !options.allowExec) {
    const cmd = (user.exec as { command?: string }).command ?? '?';
    throw new UsageError(
      `${where} user "${user.name}" authenticates with an exec plugin (command "${cmd}"), which is disabled: allow exec plugins explicitly or use a token or client certificate`,
    );
  }
  const opts: { headers?: Record<string, unknown>; [k: string]: unknown } = {};
  try {
    await kc.applyToHTTPSOptions(opts as never);
  } catch (err) {
    throw new UsageError(`cannot apply credentials of ${where}: ${(err as Error).message}`, { cause: err });
  }
  const tls: TlsOptions = {
    rejectUnauthorized: !cluster.skipTLSVerify,
    ...(opts.ca ? { ca: opts.ca as Buffer } : {}),
    ...(opts.cert ? { cert: opts.cert as Buffer } : {}),
    ...(opts.key ? { key: opts.key as Buffer } : {}),
    ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
  };
  let authorization: ClusterConnection['authorization'];
  if (user?.exec || user?.authProvider) {
    authorization = async () => {
      const o: { headers?: Record<string, unknown> } = {};
      await kc.applyToHTTPSOptions(o as never);
      const h = o.headers?.Authorization;
      return typeof h === 'string' ? h : undefined;
    };
  } else if (typeof opts.headers?.Authorization === 'string') {
    authorization = opts.headers.Authorization;
  } else if (user?.username) {
    authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  }
  return {
    name: options.name ?? cluster.name,
    server: cluster.server.replace(/\/+$/, ''),
    namespace: context?.namespace ?? 'default',
    tls,
    ...(authorization !== undefined ? { authorization } : {}),
  };
}

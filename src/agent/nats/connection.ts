/**
 * NATS connection options from the `sveltos-nats` configuration: authorization, TLS and the
 * reconnect policy (reconnect forever once connected).
 */
import type { ConnectionOptions } from '@nats-io/transport-node';
import type { NatsAuth } from './config.js';

export interface ReconnectPolicy {
  /** Wait between reconnect attempts. Default 1,000 ms. */
  reconnectTimeWaitMs?: number;
}

export function connectionOptions(
  url: string,
  auth: NatsAuth,
  name: string,
  policy: ReconnectPolicy = {},
): ConnectionOptions {
  const opts: ConnectionOptions = {
    servers: url.split(',').map((s) => s.trim()),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: policy.reconnectTimeWaitMs ?? 1000,
    // The first connect is retried by the watcher (cancellable when the config changes).
    waitOnFirstConnect: false,
    // Keep the server list as configured: discovered cluster peers may be unreachable from here.
    ignoreClusterUpdates: true,
  };
  if (auth.user) {
    opts.user = auth.user.user;
    opts.pass = auth.user.password;
  }
  if (auth.token) opts.token = auth.token;
  if (auth.clientCert || auth.rootCA) {
    opts.tls = {
      ...(auth.rootCA ? { ca: auth.rootCA } : {}),
      ...(auth.clientCert ? { cert: auth.clientCert.certPem, key: auth.clientCert.keyPem } : {}),
    };
  }
  return opts;
}

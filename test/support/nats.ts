/** The real nats-server helper for end-to-end tests (see src/agent/nats/testing/nats-server.ts). */
// Must come first: @peculiar/x509 needs the reflect polyfill when it loads.
import '../../src/lib/reflect-shim.js';
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as x509 from '@peculiar/x509';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { parseAllDocuments } from 'yaml';
import { createAgent } from '../../src/agent/index.js';
import {
  type Disposition,
  decodeCloudEvents,
  NatsAgentModule,
  type NatsModuleOptions,
} from '../../src/agent/nats/index.js';
import type { MessagingMatchCriteria } from '../../src/api/generated/event-source.js';
import type { EventReport } from '../../src/api/index.js';
import { type ApiServer, startApiServer } from '../../src/apiserver/index.js';
// Also sets up @peculiar/x509 (reflect shim, crypto provider).
import { generateTls } from '../../src/apiserver/tls/certs.js';
import { isNotFound, KubeClient, type KubeObject } from '../../src/kube/index.js';
import { createLogger } from '../../src/runtime/index.js';

const LIB = 'lib.projectsveltos.io/v1beta1';
const NS = 'projectsveltos';

/** Polls `cond` every 25 ms until truthy; fails with `what` after `ms` (a liveness bound, not a timing assertion). */
export async function until<T>(
  what: string,
  cond: () => Promise<T | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A managed cluster (embedded API server, cluster `c1`) with the agent running only the NATS
 * module, restartable, and helpers to write the `sveltos-nats` Secret and EventSources and read
 * the recorded CloudEvents.
 */
export class NatsAgentHarness {
  api!: ApiServer;
  client!: KubeClient;
  module: NatsAgentModule | undefined;
  readonly dispositions: { d: Disposition; subject: string }[] = [];
  logText = '';
  /** The agent's metrics (kept across agent restarts). */
  readonly registry = new Registry();
  private stopper: AbortController | undefined;
  private run: Promise<void> | undefined;

  constructor(public moduleOpts: NatsModuleOptions = {}) {}

  async open(): Promise<void> {
    this.api = await startApiServer({ memory: true, port: 0, clusters: ['c1'] });
    this.client = await KubeClient.fromKubeconfig({ yaml: this.api.kubeconfig('c1') }, { name: 'c1' });
    await this.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const crds = new URL(
      import.meta.url.includes('/dist/')
        ? '../../../assets/sveltos/crds.yaml'
        : '../../assets/sveltos/crds.yaml',
      import.meta.url,
    );
    for (const d of parseAllDocuments(readFileSync(crds, 'utf8'))) {
      const crd = d.toJS() as KubeObject | null;
      const name = crd?.metadata?.name;
      if (name !== 'eventsources.lib.projectsveltos.io' && name !== 'eventreports.lib.projectsveltos.io')
        continue;
      await this.client.create({
        apiVersion: crd?.apiVersion,
        kind: crd?.kind,
        metadata: { name },
        spec: crd?.spec,
      });
    }
  }

  async startAgent(): Promise<void> {
    if (this.run) return;
    const stopper = new AbortController();
    this.stopper = stopper;
    const logger = createLogger({
      level: 'debug',
      destination: new Writable({
        write: (chunk, _enc, cb) => {
          this.logText += String(chunk);
          cb();
        },
      }),
    });
    const agent = createAgent({
      client: this.client,
      clusterName: 'c1',
      clusterNamespace: 'fleet',
      clusterType: 'Sveltos',
      logger,
      registry: this.registry,
      modules: [
        {
          name: 'nats',
          create: (ctx) => {
            const m = new NatsAgentModule(ctx, {
              reconnectTimeWaitMs: 250,
              streamRetryMs: 250,
              ...this.moduleOpts,
            });
            m.events.on('disposition', (d, subject) => this.dispositions.push({ d, subject }));
            this.module = m;
            return m;
          },
        },
      ],
    });
    this.run = agent.start(stopper.signal);
  }

  async stopAgent(): Promise<void> {
    this.stopper?.abort();
    await this.run;
    this.run = undefined;
    this.module = undefined;
  }

  async close(): Promise<void> {
    await this.stopAgent();
    this.client?.close();
    await this.api?.stop();
  }

  /** Creates or replaces the `sveltos-nats` Secret with this configuration. */
  async setSecret(config: unknown): Promise<void> {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sveltos-nats', namespace: NS },
      type: 'Opaque',
      data: { 'sveltos-nats': Buffer.from(JSON.stringify(config)).toString('base64') },
    } as KubeObject;
    try {
      const cur = await this.client.get({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: NS,
        name: 'sveltos-nats',
      });
      await this.client.update({
        ...secret,
        metadata: { ...secret.metadata, resourceVersion: cur.metadata?.resourceVersion },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await this.client.create(secret);
    }
  }

  async eventSource(name: string, criteria: MessagingMatchCriteria[]): Promise<void> {
    await this.client.create({
      apiVersion: LIB,
      kind: 'EventSource',
      metadata: { name },
      spec: { messagingMatchCriteria: criteria },
    });
  }

  async report(name: string): Promise<EventReport | undefined> {
    try {
      return await this.client.get<EventReport & KubeObject>({
        apiVersion: LIB,
        kind: 'EventReport',
        namespace: NS,
        name,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The CloudEvents recorded for an EventSource, decoded. */
  async cloudEvents(name: string): Promise<Record<string, unknown>[]> {
    return decodeCloudEvents((await this.report(name))?.spec?.cloudEvents);
  }
}

/** A structured-mode JSON CloudEvent body. */
export function cloudEvent(fields: {
  id: string;
  type?: string;
  source?: string;
  subject?: string;
  data?: unknown;
}): string {
  return JSON.stringify({
    specversion: '1.0',
    type: fields.type ?? 'auth.example.com.login',
    source: fields.source ?? 'auth.example.com',
    id: fields.id,
    ...(fields.subject !== undefined ? { subject: fields.subject } : {}),
    datacontenttype: 'application/json',
    data: fields.data ?? { message: 'hello' },
  });
}

export {
  freePort,
  type NatsServer,
  type NatsServerOptions,
  startNatsServer,
} from '../../src/agent/nats/testing/nats-server.js';

/** TLS material for a NATS server on 127.0.0.1 and a client certificate, both signed by one CA. */
export async function natsTlsMaterial(): Promise<{
  caPem: string;
  server: { certPem: string; keyPem: string };
  client: { certPem: string; keyPem: string };
}> {
  const tls = await generateTls();
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(tls.caKeyPem),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const ca = new x509.X509Certificate(tls.caPem);
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '01',
    subject: 'CN=flotilla-agent',
    issuer: ca.subject,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + 24 * 3600_000),
    signingAlgorithm: alg,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  const keyPem = x509.PemConverter.encode(
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
    'PRIVATE KEY',
  );
  return {
    caPem: tls.caPem,
    server: { certPem: tls.certPem, keyPem: tls.keyPem },
    client: { certPem: cert.toString('pem'), keyPem },
  };
}

/** Go `[]byte` in JSON: the Secret carries PEM base64-encoded. */
export const b64 = (s: string): string => Buffer.from(s).toString('base64');

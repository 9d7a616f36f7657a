/**
 * The `sveltos-nats` Secret (API.md §7.6): parsing and validation of its JSON. Certificate fields
 * are Go `[]byte` upstream, so they arrive as base64-encoded PEM inside the JSON.
 */
import { createHash } from 'node:crypto';
import { FlotillaError } from '../../lib/errors.js';

export const NATS_SECRET_NAME = 'sveltos-nats';
export const NATS_SECRET_KEY = 'sveltos-nats';

export interface NatsAuth {
  user?: { user: string; password: string };
  token?: string;
  /** Decoded PEM text. */
  clientCert?: { certPem: string; keyPem: string };
  /** Decoded PEM text. */
  rootCA?: string;
}

export interface CoreNatsConfig {
  url: string;
  subjects: string[];
  auth: NatsAuth;
}

export interface StreamConfig {
  name: string;
  /** Subjects (NATS wildcards allowed) of the stream the agent wants; empty = all. */
  subjects: string[];
}

export interface JetStreamConfig {
  url: string;
  streams: StreamConfig[];
  auth: NatsAuth;
}

export interface NatsConfig {
  nats?: CoreNatsConfig;
  jetstream?: JetStreamConfig;
}

/** The Secret's content is not a valid `sveltos-nats` configuration; `field` is the JSON path. */
export class NatsConfigError extends FlotillaError {
  override readonly name = 'NatsConfigError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(
      'nats.config',
      `Secret projectsveltos/${NATS_SECRET_NAME} key "${NATS_SECRET_KEY}": ${field}: ${problem}; fix the Secret (format: API.md §7.6)`,
    );
  }
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, field: string, required: boolean): Json | undefined {
  if (v === undefined || v === null) {
    if (required) throw new NatsConfigError(field, 'is required');
    return undefined;
  }
  if (!isObject(v)) throw new NatsConfigError(field, `must be an object, got ${JSON.stringify(v)}`);
  return v;
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.trim() === '')
    throw new NatsConfigError(field, 'must be a non-empty string');
  return v;
}

function strList(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new NatsConfigError(field, 'must be a list of strings');
  return v.map((s, i) => {
    const subject = str(s, `${field}[${i}]`);
    if (/\s/.test(subject))
      throw new NatsConfigError(`${field}[${i}]`, 'a NATS subject cannot contain spaces');
    return subject;
  });
}

function url(v: unknown, field: string): string {
  const s = str(v, field);
  const withScheme = s.includes('://') ? s : `nats://${s}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    throw new NatsConfigError(field, `"${s}" is not a URL (expected nats://host:port)`);
  }
  if (!['nats:', 'tls:', 'ws:', 'wss:'].includes(parsed.protocol)) {
    throw new NatsConfigError(field, `scheme "${parsed.protocol}" is not supported (use nats:// or tls://)`);
  }
  return s;
}

/** Base64 (Go []byte) holding PEM text. */
function pem(v: unknown, field: string): string {
  const s = str(v, field).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) {
    throw new NatsConfigError(field, 'must be base64-encoded PEM (Go []byte in JSON)');
  }
  const text = Buffer.from(s, 'base64').toString('utf8');
  if (!text.includes('-----BEGIN ')) {
    throw new NatsConfigError(field, 'decodes to something that is not PEM (no "-----BEGIN" line)');
  }
  return text;
}

function auth(v: unknown, field: string): NatsAuth {
  const a = obj(v, field, false);
  if (!a) return {};
  const out: NatsAuth = {};
  const user = obj(a.user, `${field}.user`, false);
  if (user) {
    out.user = {
      user: str(user.user, `${field}.user.user`),
      password: str(user.password, `${field}.user.password`),
    };
  }
  if (a.token !== undefined && a.token !== '') out.token = str(a.token, `${field}.token`);
  const cert = obj(a.clientCert, `${field}.clientCert`, false);
  if (cert) {
    out.clientCert = {
      certPem: pem(cert.certPem, `${field}.clientCert.certPem`),
      keyPem: pem(cert.keyPem, `${field}.clientCert.keyPem`),
    };
  }
  if (a.rootCA !== undefined && a.rootCA !== '') out.rootCA = pem(a.rootCA, `${field}.rootCA`);
  if (out.user && out.token) {
    throw new NatsConfigError(field, 'set either user or token, not both');
  }
  return out;
}

function streams(conf: Json, field: string): StreamConfig[] {
  if (conf.streams !== undefined && conf.streams !== null) {
    if (!Array.isArray(conf.streams)) throw new NatsConfigError(`${field}.streams`, 'must be a list');
    const seen = new Set<string>();
    return conf.streams.map((s, i) => {
      const f = `${field}.streams[${i}]`;
      const o = obj(s, f, true) as Json;
      const name = str(o.name, `${f}.name`);
      if (/[\s.*>]/.test(name))
        throw new NatsConfigError(`${f}.name`, 'a stream name cannot contain spaces, ".", "*" or ">"');
      if (seen.has(name)) throw new NatsConfigError(`${f}.name`, `stream "${name}" is listed twice`);
      seen.add(name);
      return { name, subjects: strList(o.subjects, `${f}.subjects`) };
    });
  }
  // v0.51 agents: `subjects` held stream names.
  return strList(conf.subjects, `${field}.subjects`).map((name) => ({ name, subjects: [] }));
}

/** Parses and validates the Secret's JSON. Throws NatsConfigError naming the field. */
export function parseNatsConfig(text: string): NatsConfig {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw new NatsConfigError('(root)', `is not JSON (${(err as Error).message})`);
  }
  const r = obj(root, '(root)', true) as Json;
  const out: NatsConfig = {};
  const nats = obj(r.nats, 'nats', false);
  if (nats) {
    const c = obj(nats.configuration, 'nats.configuration', true) as Json;
    out.nats = {
      url: url(c.url, 'nats.configuration.url'),
      subjects: strList(c.subjects, 'nats.configuration.subjects'),
      auth: auth(c.authorization, 'nats.configuration.authorization'),
    };
  }
  const js = obj(r.jetstream, 'jetstream', false);
  if (js) {
    const c = obj(js.configuration, 'jetstream.configuration', true) as Json;
    out.jetstream = {
      url: url(c.url, 'jetstream.configuration.url'),
      streams: streams(c, 'jetstream.configuration'),
      auth: auth(c.authorization, 'jetstream.configuration.authorization'),
    };
  }
  if (!out.nats && !out.jetstream) {
    throw new NatsConfigError('(root)', 'has neither "nats" nor "jetstream": nothing to connect to');
  }
  return out;
}

/** The Secret's value as text (`data` is base64; `stringData` as written). Undefined when absent. */
export function secretConfigText(secret: {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}): string | undefined {
  const b64 = secret.data?.[NATS_SECRET_KEY];
  if (b64 !== undefined) return Buffer.from(b64, 'base64').toString('utf8');
  return secret.stringData?.[NATS_SECRET_KEY];
}

/** Content hash: the messaging part restarts when it changes. */
export function configHash(text: string | undefined): string {
  return text === undefined ? '' : createHash('sha256').update(text).digest('hex');
}

/**
 * Node implementation of the template engine's injected crypto services (sprig derivePassword,
 * genPrivateKey, buildCustomCert, encryptAES/decryptAES). Structurally matches
 * `TemplateCrypto` in src/engine/template/funcs/injected.ts (lib cannot import engine).
 */

import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  scryptSync,
  X509Certificate,
} from 'node:crypto';
import { isIP } from 'node:net';
import bcryptjs from 'bcryptjs';

interface CertPair {
  readonly Cert: string;
  readonly Key: string;
}

const SEED = 'com.lyndir.masterpassword';
const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv',
    'CvcvCvcvnoCvcv',
    'CvcvCvcvCvcvno',
    'CvccnoCvcvCvcv',
    'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno',
    'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv',
    'CvcvCvccCvcvno',
    'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc',
    'CvcvCvcvCvccno',
    'CvccnoCvccCvcv',
    'CvccCvccnoCvcv',
    'CvccCvccCvcvno',
    'CvcvnoCvccCvcc',
    'CvcvCvccnoCvcc',
    'CvcvCvccCvccno',
    'CvccnoCvcvCvcc',
    'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const CHARS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/** Master Password derivation, byte-for-byte as sprig's derivePassword. */
export function derivePassword(
  counter: number,
  type: string,
  password: string,
  user: string,
  site: string,
): string {
  const templates = TEMPLATES[type];
  if (templates === undefined) return `cannot find password template ${type}`;
  const userB = Buffer.from(user);
  const salt = Buffer.concat([Buffer.from(SEED), u32(userB.length), userB]);
  const key = scryptSync(Buffer.from(password), salt, 64, {
    N: 32768,
    r: 8,
    p: 2,
    maxmem: 128 * 1024 * 1024,
  });
  const siteB = Buffer.from(site);
  const seed = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(SEED), u32(siteB.length), siteB, u32(counter)]))
    .digest();
  const tmpl = templates[seed[0]! % templates.length]!;
  let out = '';
  for (let i = 0; i < tmpl.length; i++) {
    const chars = CHARS[tmpl[i]!]!;
    out += chars[seed[i + 1]! % chars.length];
  }
  return out;
}

/** sprig genPrivateKey: PEM of a new key; an unknown type yields the message "Unknown type X". */
export function genPrivateKey(type: string): string {
  switch (type) {
    case '':
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: 4096 })
        .privateKey.export({ type: 'pkcs1', format: 'pem' })
        .toString();
    case 'ecdsa':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'sec1', format: 'pem' })
        .toString();
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    case 'dsa':
      return generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
    default:
      return `Unknown type ${type}`;
  }
}

function pemBlock(text: string): string | undefined {
  const m = /-----BEGIN ([A-Z ]+)-----\r?\n[\s\S]*?-----END \1-----/.exec(text);
  return m === null ? undefined : m[0];
}

/** sprig buildCustomCert: validates base64 PEM certificate and key and returns them. */
export function buildCustomCert(b64Cert: string, b64Key: string): CertPair {
  const cert = Buffer.from(b64Cert, 'base64').toString('utf8');
  const key = Buffer.from(b64Key, 'base64').toString('utf8');
  const certPem = pemBlock(cert);
  if (certPem === undefined) throw new Error('unable to decode certificate');
  try {
    new X509Certificate(certPem);
  } catch (e) {
    throw new Error(`error parsing certificate: decodedCert.Bytes: ${(e as Error).message}`);
  }
  if (pemBlock(key) === undefined) throw new Error('unable to decode key');
  return { Cert: cert, Key: key };
}

function aesKey(password: string): Buffer {
  const k = Buffer.alloc(32);
  Buffer.from(password).copy(k);
  return k;
}

/** sprig encryptAES: AES-256-CBC, key = password zero-padded to 32 bytes, random IV prepended, base64. */
export function encryptAES(password: string, plaintext: string): string {
  const data = Buffer.from(plaintext);
  const padLen = 16 - (data.length % 16);
  const padded = Buffer.concat([data, Buffer.alloc(padLen, padLen)]);
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', aesKey(password), iv);
  c.setAutoPadding(false);
  return Buffer.concat([iv, c.update(padded), c.final()]).toString('base64');
}

export function decryptAES(password: string, b64: string): string {
  const data = Buffer.from(b64, 'base64');
  if (data.length < 16 || data.length % 16 !== 0)
    throw new Error('ciphertext is not a multiple of the block size');
  const d = createDecipheriv('aes-256-cbc', aesKey(password), data.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(data.subarray(16)), d.final()]);
  const padLen = plain[plain.length - 1] ?? 0;
  return plain.subarray(0, plain.length - padLen).toString('utf8');
}

// --- X.509 (sprig genCA / genSelfSignedCert / genSignedCert): a minimal DER writer. ---

function der(tag: number, body: Buffer): Buffer {
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let x = n; x > 0; x >>= 8) bytes.unshift(x & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...xs: Buffer[]) => der(0x30, Buffer.concat(xs));
const set = (...xs: Buffer[]) => der(0x31, Buffer.concat(xs));
const explicit = (n: number, x: Buffer) => der(0xa0 + n, x);

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const b: number[] = [p & 0x7f];
    for (let x = p >>> 7; x > 0; x >>>= 7) b.unshift(0x80 | (x & 0x7f));
    out.push(...b);
  }
  return der(0x06, Buffer.from(out));
}

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return der(0x02, v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return d.getUTCFullYear() < 2050
    ? der(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : der(0x18, Buffer.from(`${iso}Z`));
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), der(0x0c, Buffer.from(cn)))));
const bitString = (b: Buffer, unused = 0) => der(0x03, Buffer.concat([Buffer.from([unused]), b]));
const ext = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [der(0x01, Buffer.from([0xff]))] : []), der(0x04, value));

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(groups.flatMap((g: string) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

function sigAlg(key: KeyObject): { alg: Buffer; hash: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { alg: seq(oid('1.2.840.113549.1.1.11'), der(0x05, Buffer.alloc(0))), hash: 'sha256' };
    case 'ec':
      return { alg: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
    case 'ed25519':
      return { alg: seq(oid('1.3.101.112')), hash: null };
    default:
      throw new Error(`unsupported private key type ${key.asymmetricKeyType}`);
  }
}

interface CertSpec {
  cn: string;
  ips: string[];
  dns: string[];
  days: number;
  isCA: boolean;
  issuer: string;
  subjectKey: KeyObject;
  signer: KeyObject;
}

function certificatePem(spec: CertSpec): string {
  for (const ip of spec.ips) if (isIP(ip) === 0) throw new Error(`error parsing ip: ${ip}`);
  const now = new Date();
  const notAfter = new Date(now.getTime() + spec.days * 86400000);
  const { alg, hash } = sigAlg(spec.signer);
  // digitalSignature | keyEncipherment (| keyCertSign for a CA), as sprig's templates set them.
  const keyUsage = spec.isCA ? bitString(Buffer.from([0xa4]), 2) : bitString(Buffer.from([0xa0]), 5);
  const exts = [
    ext('2.5.29.15', true, keyUsage),
    ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
    ext('2.5.29.19', true, spec.isCA ? seq(der(0x01, Buffer.from([0xff]))) : seq()),
  ];
  if (spec.ips.length + spec.dns.length > 0) {
    const names = [
      ...spec.dns.map((d) => der(0x82, Buffer.from(d))),
      ...spec.ips.map((ip) => der(0x87, ipBytes(ip))),
    ];
    exts.push(ext('2.5.29.17', false, seq(...names)));
  }
  const spki = createPublicKey(spec.subjectKey).export({ type: 'spki', format: 'der' });
  const serial = randomBytes(16);
  const tbs = seq(
    explicit(0, der(0x02, Buffer.from([2]))),
    integer(serial),
    alg,
    name(spec.issuer),
    seq(time(now), time(notAfter)),
    name(spec.cn),
    spki,
    explicit(3, seq(...exts)),
  );
  const signature = sign(hash, tbs, spec.signer);
  const cert = seq(tbs, alg, bitString(signature));
  const b64 = cert.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

function keyPem(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return key.export({ type: 'pkcs1', format: 'pem' }).toString();
  if (key.asymmetricKeyType === 'ec') return key.export({ type: 'sec1', format: 'pem' }).toString();
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function keyFrom(pem: string | undefined): KeyObject {
  if (pem === undefined) return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  try {
    return createPrivateKey(pem);
  } catch {
    throw new Error('unable to decode key');
  }
}

/** sprig genCA / genCAWithKey: a self-signed CA (RSA 2048 unless a key is given). */
export function genCA(cn: string, days: number, key?: string): CertPair {
  const k = keyFrom(key);
  return {
    Cert: certificatePem({ cn, ips: [], dns: [], days, isCA: true, issuer: cn, subjectKey: k, signer: k }),
    Key: keyPem(k),
  };
}

/** sprig genSelfSignedCert / genSelfSignedCertWithKey. */
export function genSelfSignedCert(
  cn: string,
  ips: string[],
  dns: string[],
  days: number,
  key?: string,
): CertPair {
  const k = keyFrom(key);
  return {
    Cert: certificatePem({ cn, ips, dns, days, isCA: false, issuer: cn, subjectKey: k, signer: k }),
    Key: keyPem(k),
  };
}

/** sprig genSignedCert / genSignedCertWithKey: signed by `ca` (whose Cert/Key are PEM). */
export function genSignedCert(
  cn: string,
  ips: string[],
  dns: string[],
  days: number,
  ca: CertPair,
  key?: string,
): CertPair {
  let issuer: string;
  try {
    issuer = /CN=([^\n,]*)/.exec(new X509Certificate(ca.Cert).subject)?.[1] ?? '';
  } catch (e) {
    throw new Error(`error parsing ca certificate: ${(e as Error).message}`);
  }
  const signer = keyFrom(ca.Key);
  const k = keyFrom(key);
  return {
    Cert: certificatePem({ cn, ips, dns, days, isCA: false, issuer, subjectKey: k, signer }),
    Key: keyPem(k),
  };
}

/** sprig bcrypt: cost 10 with Go's "$2a$" prefix (same algorithm as bcryptjs' "$2b$" for short inputs). */
export function bcrypt(input: string): string {
  return bcryptjs.hashSync(input, bcryptjs.genSaltSync(10)).replace(/^\$2b\$/, '$2a$');
}

/** sprig htpasswd: "user:hash" with bcrypt (default) or "{SHA}" base64 SHA-1. */
export function htpasswd(user: string, password: string, algo: string): string {
  if (user.includes(':')) return `invalid username: ${user}`;
  if (algo === 'sha') return `${user}:{SHA}${createHash('sha1').update(password).digest('base64')}`;
  return `${user}:${bcrypt(password)}`;
}

/** The crypto services object to inject under `crypto` in a template render. */
export function nodeTemplateCrypto() {
  return {
    derivePassword,
    genPrivateKey,
    buildCustomCert,
    encryptAES,
    decryptAES,
    genCA,
    genSelfSignedCert,
    genSignedCert,
    bcrypt,
    htpasswd,
  };
}

/**
 * Every service a render can be given (funcs-api.ts `Injected`): cryptographic randomness, a
 * clock (pass the project Clock's `now` in tests), the crypto services and, for sprig `env`,
 * an environment map (Helm removes env; Sveltos keeps it, so pass one only when that is wanted).
 */
export function nodeTemplateInjected(
  opts: { now?: () => number; env?: Record<string, string | undefined> } = {},
) {
  return {
    random: (): number => randomBytes(6).readUIntBE(0, 6) / 2 ** 48,
    randomBytes: (n: number): Uint8Array => new Uint8Array(randomBytes(n)),
    now: opts.now ?? (() => Date.now()),
    crypto: nodeTemplateCrypto(),
    ...(opts.env === undefined ? {} : { env: opts.env }),
  };
}

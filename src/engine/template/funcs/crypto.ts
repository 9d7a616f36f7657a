/** sprig's digest, random and crypto functions (crypto.go). Keys, certs, scrypt, bcrypt and AES come from the injected host. */

import { def, type FuncContext, type FuncDef, type FuncMap } from '../funcs-api.js';
import { isMap } from '../value.js';
import { adler32, hexDigest, utf8 } from './hash.js';
import { CRYPTO_KEY, type CertPair, type TemplateCrypto } from './injected.js';
import { bytesToBase64 } from './encoding.js';
import { strval } from './util.js';

function host(ctx: FuncContext, fn: string): TemplateCrypto {
  const c = ctx.injected[CRYPTO_KEY] as TemplateCrypto | undefined;
  if (c === undefined)
    throw new Error(`${fn}: no crypto host injected into this render (see src/lib/template-host.ts)`);
  return c;
}

function randomIndex(ctx: FuncContext, fn: string, n: number): number {
  const r = ctx.injected.random;
  if (r === undefined) throw new Error(`${fn}: no random source injected into this render`);
  return Math.floor(r() * n);
}

function randomFrom(ctx: FuncContext, fn: string, alphabet: string, count: number): string {
  if (count < 0) throw new Error(`${fn}: count must be non-negative`);
  let s = '';
  for (let i = 0; i < count; i++) s += alphabet[randomIndex(ctx, fn, alphabet.length)];
  return s;
}

function randomBytes(ctx: FuncContext, fn: string, n: number): Uint8Array {
  const rb = ctx.injected.randomBytes;
  if (rb !== undefined) return rb(n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = randomIndex(ctx, fn, 256);
  return out;
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUM = '0123456789';
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

function certArg(v: unknown): CertPair {
  if (isMap(v) && typeof v.Cert === 'string' && typeof v.Key === 'string')
    return { Cert: v.Cert, Key: v.Key };
  throw new Error('expected a certificate (a value with Cert and Key) as the CA');
}

const strs = (xs: unknown[], c: FuncContext): string[] => xs.map((x) => strval(x, c.numbers));

export function cryptoFuncs(): FuncMap {
  const fns: FuncDef[] = [
    def('sha1sum', ['string'], (_c, s: string) => hexDigest.sha1(s)),
    def('sha256sum', ['string'], (_c, s: string) => hexDigest.sha256(s)),
    def('sha512sum', ['string'], (_c, s: string) => hexDigest.sha512(s)),
    def('adler32sum', ['string'], (_c, s: string) => String(adler32(utf8(s)))),
    def('randAlphaNum', ['int'], (c, n: number) => randomFrom(c, 'randAlphaNum', ALPHA + NUM, n)),
    def('randAlpha', ['int'], (c, n: number) => randomFrom(c, 'randAlpha', ALPHA, n)),
    def('randNumeric', ['int'], (c, n: number) => randomFrom(c, 'randNumeric', NUM, n)),
    def('randAscii', ['int'], (c, n: number) => randomFrom(c, 'randAscii', ASCII, n)),
    def('shuffle', ['string'], (c, s: string) => {
      const cs = Array.from(s);
      for (let i = cs.length - 1; i > 0; i--) {
        const j = randomIndex(c, 'shuffle', i + 1);
        [cs[i], cs[j]] = [cs[j]!, cs[i]!];
      }
      return cs.join('');
    }),
    def('randBytes', ['int'], (c, n: number) => bytesToBase64(randomBytes(c, 'randBytes', n))),
    def('uuidv4', [], (c) => {
      const b = randomBytes(c, 'uuidv4', 16);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }),
    def('derivePassword', ['uint32', 'string', 'string', 'string', 'string'], (c, n, t, p, u, s) =>
      host(c, 'derivePassword').derivePassword(n, t, p, u, s),
    ),
    def('genPrivateKey', ['string'], (c, t: string) => host(c, 'genPrivateKey').genPrivateKey(t)),
    def('buildCustomCert', ['string', 'string'], (c, cert: string, key: string) =>
      host(c, 'buildCustomCert').buildCustomCert(cert, key),
    ),
    def('genCA', ['string', 'int'], (c, cn: string, days: number) => host(c, 'genCA').genCA(cn, days)),
    def('genCAWithKey', ['string', 'int', 'string'], (c, cn: string, days: number, key: string) =>
      host(c, 'genCAWithKey').genCA(cn, days, key),
    ),
    def('genSelfSignedCert', ['string', '[]any', '[]any', 'int'], (c, cn, ips, dns, days) =>
      host(c, 'genSelfSignedCert').genSelfSignedCert(cn, strs(ips, c), strs(dns, c), days),
    ),
    def(
      'genSelfSignedCertWithKey',
      ['string', '[]any', '[]any', 'int', 'string'],
      (c, cn, ips, dns, days, key) =>
        host(c, 'genSelfSignedCertWithKey').genSelfSignedCert(cn, strs(ips, c), strs(dns, c), days, key),
    ),
    def('genSignedCert', ['string', '[]any', '[]any', 'int', 'any'], (c, cn, ips, dns, days, ca) =>
      host(c, 'genSignedCert').genSignedCert(cn, strs(ips, c), strs(dns, c), days, certArg(ca)),
    ),
    def(
      'genSignedCertWithKey',
      ['string', '[]any', '[]any', 'int', 'any', 'string'],
      (c, cn, ips, dns, days, ca, k) =>
        host(c, 'genSignedCertWithKey').genSignedCert(cn, strs(ips, c), strs(dns, c), days, certArg(ca), k),
    ),
    def('encryptAES', ['string', 'string'], (c, pw: string, text: string) =>
      host(c, 'encryptAES').encryptAES(pw, text),
    ),
    def('decryptAES', ['string', 'string'], (c, pw: string, b64: string) =>
      host(c, 'decryptAES').decryptAES(pw, b64),
    ),
    def('bcrypt', ['string'], (c, s: string) => host(c, 'bcrypt').bcrypt(s)),
    def('htpasswd', ['string', 'string', '...string'], (c, u: string, p: string, ...algo: string[]) =>
      host(c, 'htpasswd').htpasswd(u, p, algo[0] ?? 'bcrypt'),
    ),
  ];
  return Object.fromEntries(fns.map((f) => [f.name, f]));
}

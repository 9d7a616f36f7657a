/**
 * Kubernetes CEL libraries for URLs and quantities (`isURL`, `url(...).getHost()`, `isQuantity`,
 * `quantity(...).compareTo(...)`), on stand-in maps marked with a private key.
 */
import { type CelFunc, CelScalar, celFunc, celMethod, isCelMap, listType } from '@bufbuild/cel';
import { QUANTITY_RE, quantityValue } from './builtin-pod.js';
import { isCIDR, isIPv4, isIPv6 } from './formats.js';

const URL_KEY = '@flotilla/url';
const QUANTITY_KEY = '@flotilla/quantity';

function parseURL(s: string): URL | undefined {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(s) && !s.startsWith('/')) return undefined;
  try {
    return new URL(s, s.startsWith('/') ? 'http://placeholder.invalid' : undefined);
  } catch {
    return undefined;
  }
}

function urlOf(v: unknown): { raw: string; url: URL; relative: boolean } {
  if (!isCelMap(v) || !v.has(URL_KEY)) throw new Error('no such overload');
  const raw = String(v.get(URL_KEY));
  return { raw, url: parseURL(raw)!, relative: raw.startsWith('/') };
}

function quantityOf(v: unknown): { raw: string; value: number } {
  if (!isCelMap(v) || !v.has(QUANTITY_KEY)) throw new Error('no such overload');
  const raw = String(v.get(QUANTITY_KEY));
  return { raw, value: quantityValue(raw)! };
}

function quantity(s: string): Map<string, unknown> {
  if (!QUANTITY_RE.test(s) || quantityValue(s) === undefined)
    throw new Error(
      `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  return new Map([[QUANTITY_KEY, s]]);
}

const D = CelScalar.DYN;
const DL = listType(CelScalar.DYN);

function same(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return Number(a) === Number(b);
  }
  return a === b;
}

function within(items: Iterable<unknown>, of: Iterable<unknown>): boolean {
  const pool = [...of];
  return [...items].every((x) => pool.some((y) => same(x, y)));
}

const IP_KEY = '@flotilla/ip';
const CIDR_KEY = '@flotilla/cidr';

function ipBits(ip: string): bigint {
  if (isIPv4(ip)) return ip.split('.').reduce((a, p) => (a << 8n) | BigInt(p), 0n);
  const [head, tail = ''] = ip.split('::');
  const groups = (x: string) => (x === '' ? [] : x.split(':'));
  const h = groups(head);
  const t = groups(tail);
  const all = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return all.reduce((a, g) => (a << 16n) | BigInt(`0x${g}`), 0n);
}

function taggedString(v: unknown, key: string): string {
  if (!isCelMap(v) || !v.has(key)) throw new Error('no such overload');
  return String(v.get(key));
}

export const k8sTypeFuncs: CelFunc[] = [
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s) => isIPv4(s) || (isIPv6(s) && !s.includes('.'))),
  celFunc('ip', [CelScalar.STRING], D, (s) => {
    if (!isIPv4(s) && !isIPv6(s))
      throw new Error(`IP Address '${s}' parse error during conversion from string`);
    return new Map([[IP_KEY, s]]) as never;
  }),
  celMethod('family', D, [], CelScalar.INT, function () {
    return isIPv4(taggedString(this, IP_KEY)) ? 4n : 6n;
  }),
  celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, (s) => isCIDR(s)),
  celFunc('cidr', [CelScalar.STRING], D, (s) => {
    if (!isCIDR(s)) throw new Error(`network address parse error during conversion from string: ${s}`);
    return new Map([[CIDR_KEY, s]]) as never;
  }),
  celMethod('containsIP', D, [CelScalar.STRING], CelScalar.BOOL, function (ip) {
    const [net, bitsText] = taggedString(this, CIDR_KEY).split('/');
    const v4 = isIPv4(net);
    if (v4 !== isIPv4(ip) || (!v4 && !isIPv6(ip))) return false;
    const width = v4 ? 32n : 128n;
    const shift = width - BigInt(bitsText);
    return ipBits(net) >> shift === ipBits(ip) >> shift;
  }),
  celFunc('sets.contains', [DL, DL], CelScalar.BOOL, (a, b) => within(b, a)),
  celFunc('sets.equivalent', [DL, DL], CelScalar.BOOL, (a, b) => within(a, b) && within(b, a)),
  celFunc('sets.intersects', [DL, DL], CelScalar.BOOL, (a, b) =>
    [...a].some((x) => [...b].some((y) => same(x, y))),
  ),
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (s) => parseURL(s) !== undefined),
  celFunc('url', [CelScalar.STRING], D, (s) => {
    if (!parseURL(s)) throw new Error(`URL parse error during conversion from string: ${s}`);
    return new Map([[URL_KEY, s]]) as never;
  }),
  celMethod('getScheme', D, [], CelScalar.STRING, function () {
    const u = urlOf(this);
    return u.relative ? '' : u.url.protocol.replace(/:$/, '');
  }),
  celMethod('getHost', D, [], CelScalar.STRING, function () {
    const u = urlOf(this);
    return u.relative ? '' : u.url.host;
  }),
  celMethod('getHostname', D, [], CelScalar.STRING, function () {
    const u = urlOf(this);
    return u.relative ? '' : u.url.hostname.replace(/^\[(.*)\]$/, '$1');
  }),
  celMethod('getPort', D, [], CelScalar.STRING, function () {
    const u = urlOf(this);
    return u.relative ? '' : u.url.port;
  }),
  celMethod('getEscapedPath', D, [], CelScalar.STRING, function () {
    return urlOf(this).url.pathname;
  }),
  celFunc(
    'isQuantity',
    [CelScalar.STRING],
    CelScalar.BOOL,
    (s) => QUANTITY_RE.test(s) && quantityValue(s) !== undefined,
  ),
  celFunc('quantity', [CelScalar.STRING], D, (s) => quantity(s) as never),
  celMethod('isInteger', D, [], CelScalar.BOOL, function () {
    return Number.isInteger(quantityOf(this).value);
  }),
  celMethod('asInteger', D, [], CelScalar.INT, function () {
    const q = quantityOf(this).value;
    if (!Number.isInteger(q)) throw new Error('cannot convert value to integer');
    return BigInt(q);
  }),
  celMethod('asApproximateFloat', D, [], CelScalar.DOUBLE, function () {
    return quantityOf(this).value;
  }),
  celMethod('sign', D, [], CelScalar.INT, function () {
    return BigInt(Math.sign(quantityOf(this).value));
  }),
  celMethod('compareTo', D, [D], CelScalar.INT, function (o) {
    return BigInt(Math.sign(quantityOf(this).value - quantityOf(o).value));
  }),
  celMethod('isGreaterThan', D, [D], CelScalar.BOOL, function (o) {
    return quantityOf(this).value > quantityOf(o).value;
  }),
  celMethod('isLessThan', D, [D], CelScalar.BOOL, function (o) {
    return quantityOf(this).value < quantityOf(o).value;
  }),
];

/** Namespaced functions, called as `<namespace>.<name>(...)`. */
export const K8S_NAMESPACED_FUNCTIONS = new Set(['sets.contains', 'sets.equivalent', 'sets.intersects']);

export const K8S_TYPE_FUNCTION_NAMES = [
  'isIP',
  'ip',
  'family',
  'isCIDR',
  'cidr',
  'containsIP',
  'isURL',
  'url',
  'getScheme',
  'getHost',
  'getHostname',
  'getPort',
  'getEscapedPath',
  'isQuantity',
  'quantity',
  'isInteger',
  'asInteger',
  'asApproximateFloat',
  'sign',
  'compareTo',
  'isGreaterThan',
  'isLessThan',
];

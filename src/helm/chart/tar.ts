/**
 * A small tar reader and writer for chart archives (`.tgz`). Reads ustar, pax (`x`/`g`) and GNU
 * long-name (`L`) headers as Go's archive/tar does; writes ustar, with a pax header for long
 * names. Only regular files matter to Helm: directories, links and devices are skipped on read.
 */

import { gunzipSync, gzipSync } from 'node:zlib';
import { ChartLoadError } from './errors.js';

export interface TarEntry {
  /** The path inside the archive, `/`-separated, as stored (e.g. `mychart/Chart.yaml`). */
  name: string;
  data: Uint8Array;
}

const BLOCK = 512;
/** Helm's limit on the decompressed size of a chart archive (pkg/chart/loader MaxDecompressedChartSize). */
export const MAX_DECOMPRESSED_SIZE = 100 * 1024 * 1024;

const dec = new TextDecoder();
const enc = new TextEncoder();

function cString(buf: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && buf[end] !== 0) end++;
  return dec.decode(buf.subarray(off, end));
}

function octal(buf: Uint8Array, off: number, len: number, where: string): number {
  // GNU base-256 encoding for large sizes: high bit of the first byte set.
  if ((buf[off]! & 0x80) !== 0) {
    let n = 0;
    for (let i = off + 1; i < off + len; i++) n = n * 256 + buf[i]!;
    return n;
  }
  const s = cString(buf, off, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s))
    throw new ChartLoadError(`${where}: invalid tar header (size field ${JSON.stringify(s)})`);
  return Number.parseInt(s, 8);
}

function parsePax(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const text = dec.decode(data);
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(' ', i);
    if (sp < 0) break;
    const len = Number.parseInt(text.slice(i, sp), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = text.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** Reads a gzipped tar archive. `where` names the archive in errors. */
export function readTarGz(gz: Uint8Array, where: string): TarEntry[] {
  let raw: Buffer;
  try {
    raw = gunzipSync(gz, { maxOutputLength: MAX_DECOMPRESSED_SIZE });
  } catch (e) {
    throw new ChartLoadError(
      `${where}: not a gzipped chart archive (${(e as Error).message}); pass a .tgz made by "helm package" or a chart directory`,
      { cause: e },
    );
  }
  return readTar(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), where);
}

/** Reads an uncompressed tar archive, returning regular files only. */
export function readTar(buf: Uint8Array, where: string): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = octal(h, 124, 12, where);
    const type = String.fromCharCode(h[156]! || 0x30);
    const dataStart = off + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > buf.length) throw new ChartLoadError(`${where}: truncated tar archive`);
    const data = buf.subarray(dataStart, dataEnd);
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      pax = parsePax(data);
      continue;
    }
    if (type === 'g') {
      globalPax = { ...globalPax, ...parsePax(data) };
      continue;
    }
    if (type === 'L') {
      longName = cString(data, 0, data.length);
      continue;
    }
    let name = cString(h, 0, 100);
    const magic = cString(h, 257, 6);
    if (magic.startsWith('ustar')) {
      const prefix = cString(h, 345, 155);
      if (prefix !== '') name = `${prefix}/${name}`;
    }
    name = pax.path ?? globalPax.path ?? longName ?? name;
    longName = undefined;
    pax = {};
    // '0' and NUL are regular files; '7' is contiguous (treated as regular by Go).
    if (type !== '0' && type !== '7' && type !== '\0') continue;
    out.push({ name, data: data.slice() });
  }
  return out;
}

function writeOctal(h: Uint8Array, off: number, len: number, n: number): void {
  const s = n.toString(8).padStart(len - 1, '0');
  h.set(enc.encode(s), off);
  h[off + len - 1] = 0;
}

function header(name: string, size: number, type: string, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  h.set(enc.encode(name).subarray(0, 100), 0);
  writeOctal(h, 100, 8, 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156);
  h[156] = type.charCodeAt(0);
  h.set(enc.encode('ustar\u000000'), 257);
  let sum = 0;
  for (const b of h) sum += b;
  const cs = sum.toString(8).padStart(6, '0');
  h.set(enc.encode(cs), 148);
  h[154] = 0;
  h[155] = 0x20;
  return h;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLen = enc.encode(body).length;
  // The length prefix counts its own digits.
  let len = bodyLen + 1;
  while (len !== bodyLen + String(len).length) len = bodyLen + String(len).length;
  return `${len}${body}`;
}

/**
 * Writes a gzipped tar archive of regular files, in the given order. `mtime` (unix seconds,
 * default 0) is used for every entry, so the same files always give the same bytes (and digest).
 */
export function writeTarGz(entries: readonly TarEntry[], mtime = 0): Uint8Array {
  const parts: Uint8Array[] = [];
  const pad = (n: number) => {
    const r = n % BLOCK;
    if (r !== 0) parts.push(new Uint8Array(BLOCK - r));
  };
  for (const e of entries) {
    const nameBytes = enc.encode(e.name);
    if (nameBytes.length > 100) {
      const rec = enc.encode(paxRecord('path', e.name));
      parts.push(header('PaxHeaders/long-name', rec.length, 'x', mtime), rec);
      pad(rec.length);
    }
    parts.push(header(e.name, e.data.length, '0', mtime), e.data);
    pad(e.data.length);
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const tar = Buffer.concat(parts);
  const gz = gzipSync(tar, { level: 9 });
  return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength);
}

/**
 * The local chart cache: `.tgz` bytes stored by content digest (sha256) under a directory, so a
 * chart version already downloaded is never fetched again, whatever repository it came from.
 * Writes go through a temporary file and a rename, so concurrent writers and crashes never leave
 * a partial archive under its final name; reads re-check the digest.
 */

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const HEX64 = /^[0-9a-f]{64}$/;

/** Accepts `sha256:<hex>` or `<hex>`; returns the hex, or undefined if it is not a sha256 digest. */
export function digestHex(digest: string): string | undefined {
  const hex = digest.startsWith('sha256:') ? digest.slice(7) : digest;
  return HEX64.test(hex) ? hex : undefined;
}

export class ChartCache {
  constructor(readonly dir: string) {}

  private path(hex: string): string {
    return join(this.dir, 'sha256', hex.slice(0, 2), `${hex}.tgz`);
  }

  /** The cached bytes for a digest, or undefined (also when the file is corrupt: it is removed). */
  async get(digest: string): Promise<Uint8Array | undefined> {
    const hex = digestHex(digest);
    if (hex === undefined) return undefined;
    let data: Buffer;
    try {
      data = await readFile(this.path(hex));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    if (createHash('sha256').update(data).digest('hex') !== hex) {
      await rm(this.path(hex), { force: true });
      return undefined;
    }
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }

  /** Stores bytes and returns their digest hex. */
  async put(data: Uint8Array): Promise<string> {
    const hex = createHash('sha256').update(data).digest('hex');
    const final = this.path(hex);
    await mkdir(join(this.dir, 'sha256', hex.slice(0, 2)), { recursive: true });
    const tmp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, final);
    return hex;
  }
}

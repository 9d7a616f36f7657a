// The Lua sprig module hashes with the template engine's pure implementations (one copy of each).
import { adler32, sha1, sha256, sha512 } from '../../template/funcs/hash.js';

const hex = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
};

export const sha1Hex = (msg: Uint8Array): string => hex(sha1(msg));
export const sha256Hex = (msg: Uint8Array): string => hex(sha256(msg));
export const sha512Hex = (msg: Uint8Array): string => hex(sha512(msg));
export { adler32 };

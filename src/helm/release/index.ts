export { decodeRelease, encodeRelease, releaseChart } from './codec.js';
export { ReleaseStorageError } from './errors.js';
export { ReleaseStorage, SECRET_TYPE, secretName } from './storage.js';
export * from './types.js';

/**
 * The in-memory directory tree a kustomization is built from: POSIX paths relative to the root,
 * no leading `./` or `/`, file contents as bytes. Directories are implied by the paths.
 */
import { parseAllDocuments } from 'yaml';
import { KustomizeError } from './errors.js';

export type FileTree = ReadonlyMap<string, Uint8Array>;

/** Joins and normalises a path (`.`/`..` resolved); '' is the root. Escaping the root is an error. */
export function joinPath(base: string, rel: string, where: string): string {
  const parts = rel.startsWith('/') ? [] : base.split('/').filter((p) => p !== '');
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0)
        throw new KustomizeError(
          `${where}: path "${rel}" leaves the kustomization tree (relative to "${base || '.'}")`,
        );
      parts.pop();
    } else parts.push(p);
  }
  return parts.join('/');
}

export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function isFile(tree: FileTree, path: string): boolean {
  return tree.has(path);
}

export function isDir(tree: FileTree, path: string): boolean {
  if (path === '') return tree.size > 0;
  const prefix = `${path}/`;
  for (const k of tree.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

/** Files directly under `dir`, sorted; and the names of its direct sub-directories, sorted. */
export function listDir(tree: FileTree, dir: string): { files: string[]; dirs: string[] } {
  const prefix = dir === '' ? '' : `${dir}/`;
  const files: string[] = [];
  const dirs = new Set<string>();
  for (const k of tree.keys()) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    const i = rest.indexOf('/');
    if (i < 0) files.push(k);
    else dirs.add(prefix + rest.slice(0, i));
  }
  return { files: files.sort(), dirs: [...dirs].sort() };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text of a file, or undefined when the bytes are not valid UTF-8. */
export function textOf(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

export function readText(tree: FileTree, path: string, where: string): string {
  const bytes = tree.get(path);
  if (!bytes) throw new KustomizeError(`${where}: file "${path}" does not exist in the kustomization tree`);
  const t = textOf(bytes);
  if (t === undefined) throw new KustomizeError(`${where}: file "${path}" is not UTF-8 text`);
  return t;
}

/** The non-empty YAML/JSON documents of a text; parse errors name the file and line. */
export function parseDocs(text: string, file: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const line = e?.linePos?.[0]?.line;
      throw new KustomizeError(
        `${file}${line ? `:${line}` : ''}: invalid YAML: ${e?.message.split('\n')[0]}; fix the file`,
      );
    }
    const v = doc.toJS({ maxAliasCount: 100 });
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (no Buffer in the engine). */
export function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += b64[a >> 2];
    out += b64[((a & 3) << 4) | ((b ?? 0) >> 4)];
    out += b === undefined ? '=' : b64[((b & 15) << 2) | ((c ?? 0) >> 6)];
    out += c === undefined ? '=' : b64[c & 63];
  }
  return out;
}

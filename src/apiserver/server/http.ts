import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, type Status } from '../contracts.js';
import { serialized } from '../storage/object-store.js';
import { decodeProtobuf } from './protobuf.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Reads the request body, failing with 413 past 3 MiB (the limit kube-apiserver applies). */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) reject(new ApiError(400, 'BadRequest', `reading the request body failed: ${err.message}`));
    });
  });
}

function tooLarge(): ApiError {
  return new ApiError(
    413,
    'RequestEntityTooLarge',
    'the server has received a request that is too large: limit is 3145728 bytes',
  );
}

/** Decodes a JSON or YAML body (by Content-Type), or fails with 400 and the parser's reason. */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const ct = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (ct === 'application/vnd.kubernetes.protobuf') return decodeProtobuf(body);
  const text = body.toString('utf8');
  if (text.trim() === '')
    throw new ApiError(400, 'BadRequest', 'the request body is empty: send a JSON or YAML object');
  if (ct.endsWith('yaml')) {
    // Clients (ours, kubectl) send apply bodies as JSON, which is YAML: parse it as such, fast.
    if (text.trimStart().startsWith('{')) {
      try {
        return JSON.parse(text);
      } catch {
        // not JSON after all: YAML below
      }
    }
    try {
      return parseYaml(text, { maxAliasCount: 100 });
    } catch (err) {
      throw new ApiError(400, 'BadRequest', `error decoding YAML: ${(err as Error).message}`);
    }
  }
  if (ct.includes('protobuf'))
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(
      400,
      'BadRequest',
      `couldn't get version/kind; json parse error: ${(err as Error).message}`,
    );
  }
}

/** Writes a JSON response; `body` may be pre-serialised. */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  warnings?: string[],
  contentType = 'application/json',
): void {
  const text =
    typeof body === 'string'
      ? body
      : (body !== null && typeof body === 'object' && serialized.get(body)) || JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings && warnings.length > 0) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(text);
}

export function statusOf(err: unknown): Status {
  if (err instanceof ApiError) return err.toStatus();
  if (err && typeof err === 'object' && (err as { name?: string }).name === 'SelectorError')
    return new ApiError(400, 'BadRequest', (err as Error).message).toStatus();
  const msg = err instanceof Error ? err.message : String(err);
  return new ApiError(500, 'InternalError', `Internal error occurred: ${msg}`).toStatus();
}

export function sendError(res: ServerResponse, err: unknown, warnings?: string[]): void {
  const status = statusOf(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status.code, status, warnings);
}

export function successStatus(details?: Status['details']): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    ...(details ? { details } : {}),
  };
}

import { Discovery } from './discovery.js';
import {
  errorFromStatus,
  KubeError,
  NotFoundError,
  type RequestContext,
  UnreachableError,
} from './errors.js';
import {
  type ClusterConnection,
  type KubeconfigOptions,
  type KubeconfigSource,
  loadKubeconfig,
} from './kubeconfig.js';
import { Transport, type TransportOptions, type TransportRequest } from './transport.js';
import {
  type ApplyOptions,
  type DeleteOptions,
  describeRef,
  type KubeObject,
  type ListOptions,
  type ListResult,
  type ObjectRef,
  type PatchOptions,
  type PatchType,
  type ResourceInfo,
  type ServerVersion,
  type TypeRef,
  type WatchEvent,
  type WatchOptions,
  type WriteOptions,
} from './types.js';
import { LineDecoder } from './watch-decoder.js';

export interface KubeClientOptions extends TransportOptions {
  /** Field manager for writes that do not name one. Default `flotilla`. */
  fieldManager?: string;
}

const patchTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/**
 * A client for one cluster. Objects are addressed by `{apiVersion, kind, namespace, name}`; the
 * resource path is resolved through discovery. Failures reject with the KubeError subclass of
 * the Status reason, or UnreachableError.
 */
export class KubeClient {
  readonly cluster: string;
  readonly discovery: Discovery;
  private readonly transport: Transport;
  private readonly defaultNamespace: string;
  private readonly fieldManager: string;

  constructor(conn: ClusterConnection, options: KubeClientOptions = {}) {
    this.cluster = conn.name;
    this.transport = new Transport(conn, options);
    this.defaultNamespace = conn.namespace;
    this.fieldManager = options.fieldManager ?? 'flotilla';
    this.discovery = new Discovery(this.cluster, (path) =>
      this.send({ method: 'GET', path }, { cluster: this.cluster, verb: 'discover', target: path }),
    );
  }

  static async fromKubeconfig(
    source: KubeconfigSource,
    options: KubeconfigOptions & KubeClientOptions = {},
  ): Promise<KubeClient> {
    return new KubeClient(await loadKubeconfig(source, options), options);
  }

  /** Closes idle connections. Pending watches end when their signals abort. */
  close(): void {
    this.transport.close();
  }

  async serverVersion(): Promise<ServerVersion> {
    return (await this.send(
      { method: 'GET', path: '/version' },
      { cluster: this.cluster, verb: 'get', target: '/version' },
    )) as ServerVersion;
  }

  /** The resource serving a kind (plural, scope, verbs). */
  resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    return this.discovery.resource(apiVersion, kind);
  }

  async get<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    opts: { signal?: AbortSignal } = {},
  ): Promise<T> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    return (await this.call(info, 'get', ref, {
      method: 'GET',
      path: this.path(info, ref.namespace, ref.name),
      ...signal(opts),
    })) as T;
  }

  /** Lists every page (following `continue`) and returns all items with the list's resourceVersion. */
  async list<T extends KubeObject = KubeObject>(
    type: TypeRef,
    opts: ListOptions = {},
  ): Promise<ListResult<T>> {
    const info = await this.resource(type.apiVersion, type.kind);
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page = (await this.call(info, 'list', type, {
        method: 'GET',
        path: this.path(info, info.namespaced ? type.namespace : undefined),
        query: {
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          limit: opts.limit,
          continue: cont,
          // A resourceVersion applies to the first page only; continue tokens carry it after.
          resourceVersion: cont ? undefined : opts.resourceVersion,
          resourceVersionMatch: cont ? undefined : opts.resourceVersionMatch,
        },
        ...signal(opts),
      })) as { items?: T[]; metadata?: { resourceVersion?: string; continue?: string } };
      const kind = type.kind;
      for (const it of page.items ?? []) {
        // Lists omit apiVersion/kind on items; restore them so objects are self-describing.
        it.apiVersion ??= type.apiVersion;
        it.kind ??= kind;
        items.push(it);
      }
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return { items, resourceVersion };
  }

  async create<T extends KubeObject = KubeObject>(obj: NoInfer<T>, opts: WriteOptions = {}): Promise<T> {
    const ref = refOf(obj);
    const info = await this.resource(ref.apiVersion, ref.kind);
    return (await this.call(info, 'create', ref, {
      method: 'POST',
      path: this.path(info, ref.namespace || this.defaultNamespace),
      query: writeQuery(opts, this.fieldManager),
      body: JSON.stringify(obj),
      ...signal(opts),
    })) as T;
  }

  /** Replaces the object (PUT). Set `metadata.resourceVersion` for optimistic concurrency. */
  async update<T extends KubeObject = KubeObject>(obj: NoInfer<T>, opts: WriteOptions = {}): Promise<T> {
    return this.put(obj, undefined, opts);
  }

  /** Replaces the status subresource. */
  async updateStatus<T extends KubeObject = KubeObject>(
    obj: NoInfer<T>,
    opts: WriteOptions = {},
  ): Promise<T> {
    return this.put(obj, 'status', opts);
  }

  async patch<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    patch: unknown,
    type: PatchType,
    opts: PatchOptions = {},
  ): Promise<T> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    return (await this.call(info, `patch (${type})`, ref, {
      method: 'PATCH',
      path: this.path(info, ref.namespace, ref.name, opts.subresource),
      query: writeQuery(opts, this.fieldManager),
      body: JSON.stringify(patch),
      contentType: patchTypes[type],
      ...signal(opts),
    })) as T;
  }

  /** Server-side apply: the object states the fields `fieldManager` owns. */
  async apply<T extends KubeObject = KubeObject>(obj: NoInfer<T>, opts: ApplyOptions): Promise<T> {
    const ref = refOf(obj);
    const info = await this.resource(ref.apiVersion, ref.kind);
    return (await this.call(info, 'apply', ref, {
      method: 'PATCH',
      path: this.path(info, ref.namespace, ref.name, opts.subresource),
      query: {
        fieldManager: opts.fieldManager,
        force: opts.force ? true : undefined,
        dryRun: opts.dryRun ? 'All' : undefined,
      },
      // JSON is YAML: no YAML serialiser needed.
      body: JSON.stringify(obj),
      contentType: 'application/apply-patch+yaml',
      ...signal(opts),
    })) as T;
  }

  /** Deletes an object; returns the server's answer (the object while finalizers run, or a Status). */
  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<KubeObject> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    if (opts.preconditions) body.preconditions = opts.preconditions;
    if (opts.dryRun) body.dryRun = ['All'];
    return (await this.call(info, 'delete', ref, {
      method: 'DELETE',
      path: this.path(info, ref.namespace, ref.name),
      body: JSON.stringify(body),
      ...signal(opts),
    })) as KubeObject;
  }

  /**
   * Watches a kind from `resourceVersion`. Yields events until the server ends the stream (e.g.
   * `timeoutSeconds`) or the signal aborts (then it just returns). A watch ERROR event rejects
   * with its KubeError (GoneError when the resourceVersion is too old).
   */
  async *watch<T extends KubeObject = KubeObject>(
    type: TypeRef,
    opts: WatchOptions = {},
  ): AsyncGenerator<WatchEvent<T>> {
    const info = await this.resource(type.apiVersion, type.kind);
    const ctx = this.ctx('watch', type);
    const req: TransportRequest = {
      method: 'GET',
      path: this.path(info, info.namespaced ? type.namespace : undefined),
      query: {
        watch: 'true',
        resourceVersion: opts.resourceVersion,
        allowWatchBookmarks: opts.allowWatchBookmarks ? true : undefined,
        timeoutSeconds: opts.timeoutSeconds,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
      },
      // The server ends the watch after timeoutSeconds; silence well past that means a dead link.
      idleTimeoutMs: ((opts.timeoutSeconds ?? 1800) + 60) * 1000,
      ...signal(opts),
    };
    let res: Awaited<ReturnType<Transport['stream']>>;
    try {
      res = await this.transport.stream(req);
    } catch (err) {
      if (opts.signal?.aborted) return;
      throw new UnreachableError(ctx, this.transport.server.origin, err);
    }
    try {
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        throw this.fail(info, ctx, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
      }
      const decoder = new LineDecoder();
      for await (const chunk of res) {
        for (const ev of decoder.push(chunk as Buffer)) yield this.event<T>(ev, ctx);
      }
      for (const ev of decoder.end()) yield this.event<T>(ev, ctx);
    } catch (err) {
      if (opts.signal?.aborted) return;
      if (err instanceof KubeError) throw err;
      throw new UnreachableError(ctx, this.transport.server.origin, err);
    } finally {
      res.destroy();
    }
  }

  private event<T extends KubeObject>(ev: unknown, ctx: RequestContext): WatchEvent<T> {
    const e = ev as { type?: string; object?: unknown };
    if (e.type === 'ERROR') {
      const st = e.object as { code?: number } | undefined;
      throw errorFromStatus(ctx, st?.code ?? 500, st);
    }
    return e as WatchEvent<T>;
  }

  private async put<T extends KubeObject>(obj: T, sub: string | undefined, opts: WriteOptions): Promise<T> {
    const ref = refOf(obj);
    const info = await this.resource(ref.apiVersion, ref.kind);
    return (await this.call(info, sub ? 'update status' : 'update', ref, {
      method: 'PUT',
      path: this.path(info, ref.namespace, ref.name, sub),
      query: writeQuery(opts, this.fieldManager),
      body: JSON.stringify(obj),
      ...signal(opts),
    })) as T;
  }

  private path(info: ResourceInfo, namespace?: string, name?: string, sub?: string): string {
    let p = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
    if (info.namespaced && (namespace || name !== undefined)) {
      p += `/namespaces/${encodeURIComponent(namespace || this.defaultNamespace)}`;
    }
    p += `/${info.plural}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (sub) p += `/${sub}`;
    return p;
  }

  private ctx(verb: string, ref: Partial<ObjectRef>): RequestContext {
    return { cluster: this.cluster, verb, target: describeRef(ref) };
  }

  private call(
    info: ResourceInfo,
    verb: string,
    ref: Partial<ObjectRef>,
    req: TransportRequest,
  ): Promise<unknown> {
    const ctx = this.ctx(verb, ref);
    return this.send(req, ctx).catch((err) => {
      if (err instanceof NotFoundError) this.maybeInvalidate(info, err);
      throw err;
    });
  }

  private fail(info: ResourceInfo, ctx: RequestContext, status: number, body: string): KubeError {
    const err = errorFromStatus(ctx, status, parse(body));
    if (err instanceof NotFoundError) this.maybeInvalidate(info, err);
    return err;
  }

  /** A 404 without an object name means the resource type itself is gone: rediscover it. */
  private maybeInvalidate(info: ResourceInfo, err: KubeError): void {
    if (!err.status?.details?.name) {
      this.discovery.invalidate(info.group ? `${info.group}/${info.version}` : info.version);
    }
  }

  private async send(req: TransportRequest, ctx: RequestContext): Promise<unknown> {
    let res: { status: number; body: string };
    try {
      res = await this.transport.request(req);
    } catch (err) {
      if (req.signal?.aborted) throw err;
      throw new UnreachableError(ctx, this.transport.server.origin, err);
    }
    const body = parse(res.body);
    if (res.status >= 200 && res.status < 300) return body;
    throw errorFromStatus(ctx, res.status, body);
  }
}

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function refOf(obj: KubeObject): ObjectRef {
  const name = obj.metadata?.name;
  return {
    apiVersion: obj.apiVersion ?? '',
    kind: obj.kind ?? '',
    name: name ?? '',
    ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
  };
}

function writeQuery(opts: WriteOptions, defaultManager: string): TransportRequest['query'] {
  return { fieldManager: opts.fieldManager ?? defaultManager, dryRun: opts.dryRun ? 'All' : undefined };
}

function signal(opts: { signal?: AbortSignal }): { signal?: AbortSignal } {
  return opts.signal ? { signal: opts.signal } : {};
}

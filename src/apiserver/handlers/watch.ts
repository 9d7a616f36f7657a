import { ApiError, type KubeObject, type ResourceType } from '../contracts.js';
import { atVersion } from '../lifecycle/write.js';
import { gvString, resourceKey } from '../registry/types.js';
import { isCloseEvent, type WatchEvent } from '../watch/hub.js';
import type { RequestContext } from './context.js';
import { matches, parseSelectors } from './list.js';
import { partialObject, wantsPartial } from './partial.js';
import { tableForWatch } from './table.js';

const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

type Line = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Per-event cache of serialised watch lines, shared by all watchers of the storage version. */
const lineCache = new WeakMap<WatchEvent, Partial<Record<Line, string>>>();

function line(type: Line, json: string): string {
  return `{"type":"${type}","object":${json}}\n`;
}

/**
 * Serves a watch: optional initial ADDED events (no resourceVersion, or sendInitialEvents), replay
 * from the event window (410 Expired when too old), then live events as JSON lines, with
 * selector transitions (an object leaving the selection is seen as DELETED), bookmarks and
 * timeoutSeconds.
 */
export function handleWatch(
  ctx: RequestContext,
  rt: ResourceType,
  namespace: string | undefined,
  name: string | undefined,
): void {
  const { c, res, query } = ctx;
  const sel = parseSelectors(rt, query);
  const rvParam = query.get('resourceVersion') ?? '';
  if (rvParam !== '' && !/^\d+$/.test(rvParam))
    throw new ApiError(
      400,
      'BadRequest',
      `invalid resource version "${rvParam}": resourceVersion must be an unsigned integer`,
    );
  const bookmarks = query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1';
  const sendInitial = query.get('sendInitialEvents');
  const timeout = Number(query.get('timeoutSeconds') ?? 0);
  const key = resourceKey(rt);
  const ns = rt.namespaced ? namespace : undefined;
  const av = gvString(rt.group, rt.version);
  const sameVersion = av === gvString(rt.group, rt.storageVersion);
  const table = tableForWatch(ctx, rt);
  const partial = !table && wantsPartial(ctx.req.headers.accept);

  const wanted = (obj: KubeObject | undefined): boolean => {
    if (!obj) return false;
    if (name !== undefined && obj.metadata?.name !== name) return false;
    return matches(rt, sel, obj);
  };

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.socket?.setNoDelay(true);
  res.flushHeaders();

  let closed = false;
  // Lines are coalesced per event-loop turn: one TLS record for a burst of events.
  let pending = '';
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    if (closed || pending === '') return;
    const chunk = pending;
    pending = '';
    res.write(chunk);
    // A watcher that stops reading is cut off (it re-lists or resumes) instead of growing memory.
    if (res.writableLength > MAX_BUFFERED_BYTES) end();
  };
  const write = (s: string) => {
    if (closed) return;
    pending += s;
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };
  const objectJson = (ev: { obj: KubeObject; json: string }) => {
    if (table) return JSON.stringify(table(atVersion(rt, ev.obj)));
    if (partial) return JSON.stringify(partialObject(ev.obj));
    return sameVersion ? ev.json : JSON.stringify(atVersion(rt, ev.obj));
  };
  const send = (type: Line, ev: WatchEvent) => {
    if (table || partial || !sameVersion) {
      write(line(type, objectJson(ev)));
      return;
    }
    let cache = lineCache.get(ev);
    if (!cache) lineCache.set(ev, (cache = {}));
    const l = (cache[type] ??= line(type, ev.json));
    write(l);
  };
  const deliver = (ev: WatchEvent) => {
    if (isCloseEvent(ev)) {
      end();
      return;
    }
    const now = ev.type === 'DELETED' ? false : wanted(ev.obj);
    const before = ev.type === 'ADDED' ? false : wanted(ev.prev);
    if (ev.type === 'DELETED') {
      if (wanted(ev.obj)) send('DELETED', ev);
    } else if (now && before) send('MODIFIED', ev);
    else if (now) send('ADDED', ev);
    else if (before) send('DELETED', ev);
  };
  const bookmark = (rv: number, initialEnd = false) => {
    const meta: Record<string, unknown> = { resourceVersion: String(rv) };
    if (initialEnd) meta.annotations = { 'k8s.io/initial-events-end': 'true' };
    write(line('BOOKMARK', JSON.stringify({ kind: rt.kind, apiVersion: av, metadata: meta })));
  };

  const initial = sendInitial === 'true' || (sendInitial === null && (rvParam === '' || rvParam === '0'));
  if (initial) {
    for (const e of c.store.list(key, ns)) {
      if (!wanted(e.obj)) continue;
      write(line('ADDED', objectJson(e)));
    }
    if (sendInitial === 'true' && bookmarks) bookmark(c.store.rv, true);
  } else {
    const since = c.store.hub.since(Number(rvParam), key);
    if (!since) {
      const oldest = c.store.hub.compactedRv + 1;
      const status = new ApiError(
        410,
        'Expired',
        `too old resource version: ${rvParam} (${oldest})`,
      ).toStatus();
      res.end(line('ERROR', JSON.stringify(status)));
      return;
    }
    for (const ev of since) if (ns === undefined || ev.namespace === ns) deliver(ev);
  }

  const unsubscribe = c.store.hub.add({ resource: key, namespace: ns, deliver });
  const timers: NodeJS.Timeout[] = [];
  if (bookmarks && ctx.bookmarkIntervalMs > 0)
    timers.push(setInterval(() => bookmark(c.store.rv), ctx.bookmarkIntervalMs).unref());
  if (timeout > 0) timers.push(setTimeout(() => end(), timeout * 1000).unref());

  function end(): void {
    if (closed) return;
    flush();
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    res.end();
  }
  res.on('close', () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
  });
}

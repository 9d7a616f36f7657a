/**
 * @peculiar/x509 pulls in tsyringe, which refuses to load without a Reflect metadata polyfill.
 * It only needs get/define of decorator metadata, so a WeakMap-backed shim is enough and saves a
 * dependency. Imported for its side effect before @peculiar/x509.
 */
type Target = object;
const store = new WeakMap<Target, Map<unknown, Map<unknown, unknown>>>();

function bucket(target: Target, prop: unknown, create: boolean): Map<unknown, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    store.set(target, byProp);
  }
  let m = byProp.get(prop);
  if (!m && create) {
    m = new Map();
    byProp.set(prop, m);
  }
  return m;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== 'function') {
  const getOwn = (key: unknown, target: Target, prop?: unknown) => bucket(target, prop, false)?.get(key);
  const get = (key: unknown, target: Target, prop?: unknown): unknown => {
    for (let t: Target | null = target; t; t = Object.getPrototypeOf(t)) {
      const m = bucket(t, prop, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  const define = (key: unknown, value: unknown, target: Target, prop?: unknown) => {
    bucket(target, prop, true)!.set(key, value);
  };
  R.getOwnMetadata = getOwn;
  R.getMetadata = get;
  R.hasOwnMetadata = (key: unknown, target: Target, prop?: unknown) =>
    bucket(target, prop, false)?.has(key) ?? false;
  R.hasMetadata = (key: unknown, target: Target, prop?: unknown) => get(key, target, prop) !== undefined;
  R.defineMetadata = define;
  R.metadata = (key: unknown, value: unknown) => (target: Target, prop?: unknown) =>
    define(key, value, target, prop);
}

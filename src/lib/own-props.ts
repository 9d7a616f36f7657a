/**
 * Own-property access for plain objects used as string-keyed maps holding user data.
 *
 * Keys such as `__proto__`, `constructor` or `toString` are valid Kubernetes map keys (ConfigMap
 * data, labels, Helm values). `obj[k] = v` with k = `__proto__` changes the prototype instead of
 * adding a key (and, on a shared object, pollutes every object); `obj[k]` with k = `constructor`
 * returns an Object.prototype member. Use these helpers wherever the key comes from user data.
 *
 * ```ts
 * setOwn(m, '__proto__', 'x'); // m now has an own enumerable key "__proto__"
 * getOwn({}, 'constructor');   // undefined
 * ```
 */

/** Sets `obj[key] = value` as an own, enumerable, writable data property whatever the key is. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: NoInfer<T>): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** `obj[key]` if `key` is an own property of `obj`, otherwise undefined (never a prototype member). */
export function getOwn<T>(obj: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

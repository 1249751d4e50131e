/**
 * `compute`, kept per object (a syntax tree, an option): computed on first use and dropped with the object. For the
 * indexes the editor features and the fixes build of a tree, which several requests on one version read.
 * `compute` never returns undefined (an undefined value would be computed again on every call).
 */
export function perObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}

/**
 * Several rules read the same analysis of one node pair (a pairing, a set of changes); it is
 * computed once per node, on first use, and forgotten with the node.
 */
export function perNode<N extends object, T>(compute: (node: N) => T): (node: N) => T {
  const cache = new WeakMap<N, T>();
  return (node) => {
    if (cache.has(node)) return cache.get(node) as T;
    const value = compute(node);
    cache.set(node, value);
    return value;
  };
}

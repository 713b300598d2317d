/**
 * Several rules read the same analysis of one node pair (a pairing, a set of changes). The
 * dispatcher hands a node to all its rules one after another, so remembering the last node is
 * enough for each analysis to run once per node, without a WeakMap entry (and its garbage) for
 * each of the many thousands of schema pairs a large document has.
 */
const caches: { forget(): void }[] = [];

export function perNode<N extends object, T>(compute: (node: N) => T): (node: N) => T {
  let last: N | undefined;
  let value: T | undefined;
  caches.push({
    forget() {
      last = undefined;
      value = undefined;
    },
  });
  return (node) => {
    if (node !== last) {
      value = compute(node);
      last = node;
    }
    return value as T;
  };
}

/** Drops every remembered node, so a finished diff does not keep its documents alive. */
export function forgetNodes(): void {
  for (const cache of caches) cache.forget();
}

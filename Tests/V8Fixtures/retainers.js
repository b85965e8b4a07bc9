// Objects with known retainers, in one snapshot:
// - closures: each handler closes over its own BigPayload (an array of 2,000 numbers);
// - a Map used as a cache: key string → CacheEntry holding an array of 500 numbers;
// - a detached subgraph held only through a WeakMap: the value of weakKey in a WeakMap
//   is a DetachedRoot whose array holds DetachedLeaf objects; nothing else refers to it.
// A global also holds the classes and one spare object of each detached class, so their
// shapes (V8 maps) are shared and no single object retains them: a retained size is then
// exactly the objects named above.
// Usage: node retainers.js FILE — writes the snapshot and prints the counts as JSON.
'use strict';
const v8 = require('v8');

class BigPayload {
  constructor(seed) { this.numbers = new Array(2000).fill(seed); }
}
class CacheEntry {
  constructor(seed) { this.values = new Array(500).fill(seed); }
}
class WeakKey {}
class DetachedRoot {
  constructor(leaves) { this.leaves = leaves; }
}
class DetachedLeaf {
  constructor(index) { this.index = index; }
}

function makeHandler(seed) {
  const payload = new BigPayload(seed);
  return function handler() { return payload.numbers.length; };
}
globalThis.handlers = [];
for (let i = 0; i < 6; i++) globalThis.handlers.push(makeHandler(i));

globalThis.cache = new Map();
for (let i = 0; i < 12; i++) globalThis.cache.set(`entry-${i}`, new CacheEntry(i));

globalThis.detachedStore = new WeakMap();
globalThis.weakKey = new WeakKey();
(function detach() {
  const leaves = [];
  for (let i = 0; i < 7; i++) leaves.push(new DetachedLeaf(i));
  globalThis.detachedStore.set(globalThis.weakKey, new DetachedRoot(leaves));
})();

globalThis.shapes = {
  WeakKey, DetachedRoot, DetachedLeaf,
  spareRoot: new DetachedRoot([]), spareLeaf: new DetachedLeaf(-1),
};

v8.writeHeapSnapshot(process.argv[2]);
console.log(JSON.stringify({
  BigPayload: globalThis.handlers.length, CacheEntry: globalThis.cache.size,
  WeakKey: 1, DetachedRoot: 2, DetachedLeaf: 8,
}));

// A listener list that grows: a Registry held by a global keeps every Listener it was
// given in an array. Three snapshots, with more listeners each time.
// Usage: node listeners.js DIR  — writes DIR/listeners-1..3.heapsnapshot and prints, as
// JSON, how many Listener objects were alive at each snapshot.
'use strict';
const v8 = require('v8');
const path = require('path');

class Listener {
  constructor(index) { this.index = index; }
}
class Registry {
  constructor() { this.listeners = []; }
  add(listener) { this.listeners.push(listener); }
}

globalThis.registry = new Registry();
const counts = [];
const steps = [20, 45, 80];
for (let step = 0; step < steps.length; step++) {
  while (globalThis.registry.listeners.length < steps[step]) {
    globalThis.registry.add(new Listener(globalThis.registry.listeners.length));
  }
  v8.writeHeapSnapshot(path.join(process.argv[2], `listeners-${step + 1}.heapsnapshot`));
  counts.push(globalThis.registry.listeners.length);
}
console.log(JSON.stringify({ Listener: counts, Registry: 1 }));

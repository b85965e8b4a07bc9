// Loads .heapsnapshot files with Chrome DevTools' own heap-snapshot code (fetched from the
// local chromium by fetch-frontend.mjs) and prints what DevTools' Memory panel would show,
// as one JSON object per file (a JSON array in all), for the tests to compare with ours.
//
//   node scripts/devtools/heap-snapshot-check.mjs FRONTEND_ROOT [--retainers NAME]... FILE...
//
// FRONTEND_ROOT is the "root" fetch-frontend.mjs printed (the directory holding
// entrypoints/, models/, core/). For each file: the node and edge counts, DevTools' total
// size, the Summary view's class aggregates (count, self size, max retained size, distance),
// every node's retained size and distance by id, and for each object named NAME (class
// name as the Summary view shows it) its retainers and the shortest retaining path to the
// root that the Retainers view opens with. A file DevTools cannot load gives {"error": ...}.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, ...rest] = process.argv.slice(2);
if (!root || rest.length === 0) {
  console.error('usage: heap-snapshot-check.mjs FRONTEND_ROOT [--retainers NAME]... FILE...');
  process.exit(64);
}
const retainerNames = [];
const files = [];
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--retainers' && i + 1 < rest.length) retainerNames.push(rest[++i]);
  else files.push(rest[i]);
}

// DevTools targets current Chrome; node 20 lacks Promise.withResolvers (node 22 has it).
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((yes, no) => { resolve = yes; reject = no; });
    return { promise, resolve, reject };
  };
}

const worker = await import(pathToFileURL(join(root, 'entrypoints/heap_snapshot_worker/heap_snapshot_worker.js')).href);
const model = await import(pathToFileURL(join(root, 'models/heap_snapshot/heap_snapshot.js')).href);
const { HeapSnapshotLoader } = worker.HeapSnapshotLoader;
const { SecondaryInitManager } = worker.HeapSnapshot;

// What the Memory panel does on "Load profile": the file's text goes to the loader in
// chunks, then the snapshot is built; its second half (dominators, retained sizes) runs in
// a second worker reached through a MessagePort, here a SecondaryInitManager in-process.
async function load(file) {
  const text = readFileSync(file, 'utf8');
  const problems = [];
  const dispatcher = { sendEvent(name, data) { if (name === model.HeapSnapshotModel.HeapSnapshotProgressEvent.BrokenSnapshot) problems.push(data); } };
  const loader = new HeapSnapshotLoader(dispatcher);
  const chunk = 64 * 1024;
  for (let offset = 0; offset < text.length; offset += chunk) loader.write(text.slice(offset, offset + chunk));
  loader.close();
  const channel = new MessageChannel();
  new SecondaryInitManager(channel.port2);
  const snapshot = await loader.buildSnapshot(channel.port1);
  channel.port1.close();
  channel.port2.close();
  return { snapshot, problems };
}

function edgeLabel(edge) {
  return edge.toString();
}

// The retaining path the Retainers view expands first: at each step the retainer with the
// smallest distance (DevTools sorts retainers by distance), up to a user root (distance 1),
// then the edge by which the snapshot's root holds that user root.
function shortestPath(snapshot, nodeIndex) {
  const steps = [];
  const node = snapshot.createNode(nodeIndex);
  const visited = new Set([nodeIndex]);
  while (steps.length < 100) {
    let best = null;
    let fromRoot = null;
    for (let it = node.retainers(); it.hasNext(); it.next()) {
      const edge = it.item();
      const from = edge.node();
      if (from.nodeIndex === snapshot.rootNodeIndex) fromRoot = { edge: edgeLabel(edge.edge()), from: '(root)', id: from.id(), distance: 0 };
      if (edge.isWeak() || visited.has(from.nodeIndex)) continue;
      const distance = from.distanceForRetainersView();
      if (best === null || distance < best.distance) best = { distance, label: edgeLabel(edge.edge()), index: from.nodeIndex, name: from.name(), id: from.id() };
    }
    if (node.distance() <= 1) {
      if (fromRoot !== null) steps.push(fromRoot);
      break;
    }
    if (best === null) break;
    steps.push({ edge: best.label, from: best.name, id: best.id, distance: best.distance });
    visited.add(best.index);
    node.nodeIndex = best.index;
  }
  return steps;
}

async function report(file) {
  const { snapshot, problems } = await load(file);
  const aggregates = snapshot.aggregatesWithFilter(new model.HeapSnapshotModel.NodeFilter());
  const classes = {};
  for (const aggregate of Object.values(aggregates)) {
    const entry = classes[aggregate.name] ?? { count: 0, self: 0, maxRetained: 0, distance: aggregate.distance };
    entry.count += aggregate.count;
    entry.self += aggregate.self;
    entry.maxRetained = Math.max(entry.maxRetained, aggregate.maxRet);
    entry.distance = Math.min(entry.distance, aggregate.distance);
    classes[aggregate.name] = entry;
  }
  const nodes = {};
  const node = snapshot.rootNode();
  const named = [];
  for (let ordinal = 0; ordinal < snapshot.nodeCount; ordinal++) {
    node.nodeIndex = ordinal * snapshot.nodeFieldCount;
    nodes[node.id()] = { retained: node.retainedSize(), distance: node.distance(), self: node.selfSize(), name: node.name(), className: node.className() };
    if (retainerNames.includes(node.className())) named.push(node.nodeIndex);
  }
  const retainers = [];
  for (const nodeIndex of named.slice(0, 20)) {
    const target = snapshot.createNode(nodeIndex);
    const list = [];
    for (let it = target.retainers(); it.hasNext(); it.next()) {
      const edge = it.item();
      const from = edge.node();
      list.push({ edge: edgeLabel(edge.edge()), type: edge.type(), from: from.name(), fromClass: from.className(), id: from.id(), distance: from.distanceForRetainersView() });
    }
    retainers.push({ id: target.id(), className: target.className(), distance: target.distance(), retained: target.retainedSize(), retainers: list, path: shortestPath(snapshot, nodeIndex) });
  }
  return {
    file,
    problems,
    nodeCount: snapshot.nodeCount,
    totalSize: snapshot.totalSize,
    rootId: snapshot.rootNode().id(),
    classes,
    nodes,
    retainers,
  };
}

const results = [];
for (const file of files) {
  try {
    results.push(await report(file));
  } catch (error) {
    results.push({ file, error: String(error?.stack ?? error) });
  }
}
console.log(JSON.stringify(results));

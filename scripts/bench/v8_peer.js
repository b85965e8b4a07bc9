// The peer of scripts/bench/v8-snapshots: node reads a .heapsnapshot and JSON.parse()s the
// whole text, as DevTools-style readers that do not stream must; prints one JSON line
// (or why node gave up: V8 strings stop at 2^29 - 24 characters).
const fs = require("fs"); const file = process.argv[2];
const size = fs.statSync(file).size; const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
let text;
try { text = fs.readFileSync(file, "utf8"); }
catch (e) { console.log(JSON.stringify({peer: "node", bytes: size, failed: "readFileSync: " + e.message})); process.exit(0); }
const t1 = process.hrtime.bigint();
let parsed;
try { parsed = JSON.parse(text); }
catch (e) { console.log(JSON.stringify({peer: "node", bytes: size, failed: "JSON.parse: " + e.message})); process.exit(0); }
const t2 = process.hrtime.bigint();
const cpu = process.cpuUsage(cpu0);
const s = (n) => Number(n) / 1e9;
console.log(JSON.stringify({peer: "node", bytes: size, read_s: s(t1 - t0), parse_s: s(t2 - t1), total_s: s(t2 - t0),
  mb_s: size / 1e6 / s(t2 - t0), cpu_s: (cpu.user + cpu.system) / 1e6, cpu_mb_s: size / 1e6 / ((cpu.user + cpu.system) / 1e6),
  nodes: parsed.snapshot.node_count, max_rss: process.resourceUsage().maxRSS * 1024}));

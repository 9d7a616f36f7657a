#!/usr/bin/env node
// Runs benchmarks: `npm run bench` runs all, `npm run bench -- NAME [...]` runs bench/NAME.ts.
// Each benchmark prints one JSON object on stdout.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const all = readdirSync('dist/bench')
  .filter((f) => f.endsWith('.js') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const extra = process.argv.slice(2).filter((a) => a.startsWith('-'));
for (const name of wanted) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${all.join(', ')}`);
    process.exit(2);
  }
}
let status = 0;
for (const name of wanted.length ? wanted : all) {
  const r = spawnSync(process.execPath, ['--expose-gc', `dist/bench/${name}.js`, ...extra], {
    stdio: 'inherit',
  });
  if (r.status !== 0) status = r.status ?? 1;
}
process.exit(status);

// Builds the native backend (binding.gyp -> build/Release/paddle_native.node) with node-gyp
// and the machine's C++ compiler. Run by `npm install` / `npm ci` (the package's install
// script) and by `npm run build:native`. It never fails the install: if the build fails, it
// prints a warning and paddle-ts runs on its portable JavaScript kernels.
// PADDLE_TS_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const strict = process.argv.includes('--strict');

function warn(msg) {
  console.warn(`paddle-ts: ${msg}; the portable JavaScript kernels will be used (see README, "Native backend").`);
  process.exit(strict ? 1 : 0);
}

if (process.env.PADDLE_TS_SKIP_NATIVE) {
  console.log('paddle-ts: PADDLE_TS_SKIP_NATIVE is set, not building the native backend');
  process.exit(0);
}
if (!existsSync(join(root, 'binding.gyp'))) warn('binding.gyp is missing, the native backend cannot be built');

// node-gyp: this package's dependency, else the one npm ships (npm_config_node_gyp)
let gyp = null;
try {
  gyp = createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
} catch {
  gyp = process.env.npm_config_node_gyp || null;
}
if (!gyp || !existsSync(gyp)) warn('node-gyp was not found, the native backend was not built');

const args = [gyp, 'rebuild', '--release', '-j', 'max'];
// Node's headers: npm passes its nodedir setting; outside npm, use the headers installed next
// to this node (as Debian's nodejs and the official tarballs have them) rather than download
if (!process.env.npm_config_nodedir) {
  const prefix = join(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
}
const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter((l) => /error|Error|not found/.test(l)).slice(0, 15).join('\n');
  if (log) console.warn(log);
  warn(`building the native backend failed (node-gyp exited with ${r.status ?? r.signal})`);
}
console.log('paddle-ts: built the native backend (build/Release/paddle_native.node)');

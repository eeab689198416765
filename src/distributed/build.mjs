// Builds the Gloo binding of paddle.distributed (src/distributed/binding.gyp ->
// src/distributed/build/Release/paddle_gloo.node). Run by the package's install script after the
// native backend. It never fails the install: without Debian's libgloo-dev it prints a warning,
// and everything single-process works (init_parallel_env with world size > 1 then says what to install).
// --strict: exit 1 on failure. PADDLE_TS_SKIP_GLOO=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const strict = process.argv.includes('--strict');
function warn(msg) {
  console.warn(`paddle-ts: ${msg}; multi-process paddle.distributed is unavailable (single-process use is unaffected).`);
  process.exit(strict ? 1 : 0);
}
if (process.env.PADDLE_TS_SKIP_GLOO) process.exit(0);
if (!existsSync('/usr/include/gloo/allreduce.h') && !existsSync('/usr/local/include/gloo/allreduce.h'))
  warn("the Gloo headers were not found: install Debian's libgloo-dev (apt-get install libgloo-dev) and reinstall");
let gyp = null;
try {
  gyp = createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
} catch {
  gyp = process.env.npm_config_node_gyp || null;
}
if (!gyp || !existsSync(gyp)) warn('node-gyp was not found, the Gloo binding was not built');
const args = [gyp, 'rebuild', '--release', '--directory', here];
if (!process.env.npm_config_nodedir) {
  const prefix = join(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
}
const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter((l) => /error|not found/.test(l)).slice(0, 15).join('\n');
  if (log) console.warn(log);
  warn(`building the Gloo binding failed (node-gyp exited with ${r.status ?? r.signal})`);
}
console.log('paddle-ts: built the Gloo binding (src/distributed/build/Release/paddle_gloo.node)');

// Runs Python oracles (NumPy, protobuf) from tests: finds a python3 that has the modules a
// test needs (Debian's /usr/bin/python3 with python3-numpy/python3-protobuf, which .ci/run
// installs, or another python3 on the PATH).
import { execFileSync, spawnSync } from 'node:child_process';

const cache = new Map<string, string | null>();

/** A python3 executable that can import every module in `modules`, or null. */
export function pythonWith(...modules: string[]): string | null {
  const key = modules.join(',');
  if (cache.has(key)) return cache.get(key)!;
  for (const exe of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(exe, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
    if (r.status === 0) {
      cache.set(key, exe);
      return exe;
    }
  }
  cache.set(key, null);
  return null;
}

/** Runs a Python script with the modules available and returns its stdout (throws on error). */
export function runPython(script: string, modules: string[], input?: Uint8Array | string): string {
  const exe = pythonWith(...modules);
  if (!exe) throw new Error(`no python3 with ${modules.join(', ')}: install Debian's python3-${modules[0]} (.ci/run does)`);
  return execFileSync(exe, ['-c', script], { input, maxBuffer: 1 << 28 }).toString();
}

/**
 * For tests that need the `python3` on the PATH with NumPy (NumPy 2 module paths): the skip
 * reason when it is absent (false when present), and a runner returning stdout as text.
 */
export const SKIP_PY3_NUMPY: string | false =
  spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0 ? false : 'python3 with numpy is not available: skipping the checks against Python';

export function python3(code: string, opts: { input?: Uint8Array; args?: string[] } = {}): string {
  const r = spawnSync('python3', ['-c', code, ...(opts.args ?? [])], { input: opts.input, maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return r.stdout;
}

// Loads the Gloo binding (src/distributed/build/Release/paddle_gloo.node, built by
// src/distributed/build.mjs from binding.gyp when Debian's libgloo-dev is installed).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One Gloo context (full mesh) with its own communication thread (FIFO). */
export interface NativeGroup {
  allreduce(buf: ArrayBufferView, op: number, async?: false): void;
  allreduce(buf: ArrayBufferView, op: number, async: true): Promise<void>;
  /** Queues the allreduce and returns a work id for wait(). */
  allreduce(buf: ArrayBufferView, op: number, async: 'handle'): number;
  /** Blocks until the work `id` (started in 'handle' form) is done; throws its error. */
  wait(id: number): void;
  broadcast(buf: ArrayBufferView, root: number, async?: boolean): void | Promise<void>;
  reduce(buf: ArrayBufferView, root: number, op: number, async?: boolean): void | Promise<void>;
  allgather(input: ArrayBufferView, output: ArrayBufferView, async?: boolean): void | Promise<void>;
  scatter(inputs: ArrayBufferView[] | null, output: ArrayBufferView, root: number, async?: boolean): void | Promise<void>;
  barrier(async?: boolean): void | Promise<void>;
  close(): void;
}

export interface GlooBinding {
  Group: new (storeHost: string, storePort: number, prefix: string, rank: number, size: number, hostname: string, timeoutMs: number) => NativeGroup;
  ops: { SUM: number; MAX: number; MIN: number; PROD: number };
}

let cached: GlooBinding | null | undefined;
let loadError = '';

/** The binding, or null when it was not built (libgloo-dev missing). */
export function gloo(): GlooBinding | null {
  if (cached !== undefined) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, 'build', 'Release', 'paddle_gloo.node'),
    join(here, '..', '..', 'src', 'distributed', 'build', 'Release', 'paddle_gloo.node'),
  ];
  cached = null;
  // PADDLE_TS_DISABLE_GLOO=1 behaves as if the binding were not built (tests of the fallback)
  if (process.env.PADDLE_TS_DISABLE_GLOO === '1') return cached;
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    try {
      cached = createRequire(import.meta.url)(c) as GlooBinding;
      break;
    } catch (e) {
      loadError = (e as Error).message;
    }
  }
  return cached;
}

/** Why the binding is unavailable, for error messages. */
export function glooMissingMessage(): string {
  return 'the Gloo collective binding of paddle-ts is not built' + (loadError ? ` (${loadError})` : '') +
    ": install Debian's package `libgloo-dev` (apt-get install libgloo-dev), then rebuild it with " +
    '`node src/distributed/build.mjs` (or reinstall paddle-ts)';
}

// Synchronous RPC for the executor's thread: the gRPC work runs on a worker thread
// (rpc_thread.ts); calls here post to it and block with Atomics.wait until the answer arrives
// (receiveMessageOnPort), as Paddle's operators block on their RPC client.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { fail, UnavailableError } from '../../core/errors.js';
import { decodeMessage, encodeMessage, type VariableMessage } from './wire.js';

interface Incoming { kind: string; id: number; body?: Uint8Array; error?: string; method?: string }

class RpcBridge {
  private seq = 0;
  private backlog: Incoming[] = [];
  constructor(readonly worker: Worker, readonly port: MessagePort, readonly signal: Int32Array) {}

  /** The next message from the thread (blocking up to timeoutMs); null on timeout. */
  private receive(timeoutMs: number, want: (m: Incoming) => boolean): Incoming | null {
    const i = this.backlog.findIndex(want);
    if (i >= 0) return this.backlog.splice(i, 1)[0];
    const end = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      let got = receiveMessageOnPort(this.port);
      while (got) {
        const m = got.message as Incoming;
        if (want(m)) return m;
        this.backlog.push(m);
        got = receiveMessageOnPort(this.port);
      }
      const left = end - Date.now();
      if (left <= 0) return null;
      Atomics.wait(this.signal, 0, seen, Math.min(left, 1000));
    }
  }

  private roundTrip(msg: Record<string, unknown>, api: string, timeoutMs: number): Incoming {
    const id = this.seq++;
    this.port.postMessage({ ...msg, id });
    const r = this.receive(timeoutMs + 5000, (m) => m.kind === 'result' && m.id === id);
    if (!r) fail(api, `no answer from the RPC thread within ${timeoutMs} ms`, UnavailableError);
    if (r.error) fail(api, r.error, UnavailableError);
    return r;
  }

  call(api: string, ep: string, method: string, msg: VariableMessage, timeoutMs = rpcTimeoutMs()): VariableMessage {
    const r = this.roundTrip({ kind: 'call', ep, method, body: encodeMessage(msg), timeoutMs }, api, timeoutMs);
    return decodeMessage(r.body ?? new Uint8Array(4));
  }

  serve(api: string, ep: string): void {
    this.roundTrip({ kind: 'serve', ep }, api, 30000);
  }

  /** The next request to this pserver, or null after timeoutMs. */
  nextRequest(timeoutMs: number): { id: number; method: string; msg: VariableMessage } | null {
    const m = this.receive(timeoutMs, (x) => x.kind === 'request');
    return m ? { id: m.id, method: m.method!, msg: decodeMessage(m.body!) } : null;
  }

  reply(id: number, msg: VariableMessage | null, error?: string): void {
    this.port.postMessage({ kind: 'reply', id, body: msg ? encodeMessage(msg) : encodeMessage({ varname: '' }), error });
  }

  close(): void {
    try { this.roundTrip({ kind: 'close' }, 'rpc close', 5000); } catch { /* the thread is gone */ }
    void this.worker.terminate();
  }
}

/** PADDLE_TS_RPC_TIMEOUT_MS (default 120 s), Paddle's FLAGS_rpc_deadline. */
export function rpcTimeoutMs(): number {
  const v = Number(process.env.PADDLE_TS_RPC_TIMEOUT_MS ?? process.env.FLAGS_rpc_deadline ?? 120000);
  return Number.isFinite(v) && v > 0 ? v : 120000;
}

let bridge: RpcBridge | null = null;

/** This process's RPC thread (started on first use). */
export function rpc(): RpcBridge {
  if (bridge) return bridge;
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(`./rpc_thread${ext}`, import.meta.url).href;
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  // TypeScript sources (tests, tsx): the worker registers tsx's loader before importing the thread
  let tsx = '';
  if (ext === '.ts') try { tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs'); } catch { /* run without */ }
  const code = `const { workerData } = require('node:worker_threads');
(async () => {
  if (${JSON.stringify(tsx)}) (await import(${JSON.stringify(tsx)})).register();
  const m = await import(${JSON.stringify(url)});
  m.runRpcThread(workerData.port, workerData.signal);
})().catch((e) => { console.error('paddle-ts RPC thread:', e); process.exit(1); });`;
  const w = new Worker(code, { eval: true, workerData: { port: port2, signal }, transferList: [port2] });
  w.unref();
  port1.unref?.();
  bridge = new RpcBridge(w, port1, signal);
  return bridge;
}

/** Whether this process has started its RPC thread. */
export function rpcStarted(): boolean {
  return bridge !== null;
}

export function closeRpc(): void {
  bridge?.close();
  bridge = null;
}

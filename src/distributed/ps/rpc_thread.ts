// The gRPC thread of a parameter-server process (a worker thread): clients of the pservers and,
// on a pserver, the SendRecvService server. The executor's thread talks to it with
// postMessage and waits synchronously (Atomics.wait + receiveMessageOnPort, see rpc.ts); each
// message this thread posts to it is followed by a bump of the shared signal word.
import * as grpc from '@grpc/grpc-js';
import type { MessagePort } from 'node:worker_threads';

const SERVICE = 'sendrecv.SendRecvService';
const ident = (b: Buffer): Buffer => b;
const method = (name: string) => ({
  path: `/${SERVICE}/${name}`, requestStream: false, responseStream: false,
  requestSerialize: ident, requestDeserialize: ident, responseSerialize: ident, responseDeserialize: ident,
});
/** Paddle's SendRecvService (send_recv.proto), with VariableMessage as header + raw bytes. */
export const serviceDefinition = {
  SendVariable: method('SendVariable'),
  GetVariable: method('GetVariable'),
  PrefetchVariable: method('PrefetchVariable'),
  CheckpointNotify: method('CheckpointNotify'),
  DistributeNotify: method('DistributeNotify'),
  GetVariableNoBarrier: method('GetVariableNoBarrier'),
} as const;
const Client = grpc.makeGenericClientConstructor(serviceDefinition as unknown as grpc.ServiceDefinition, 'SendRecvService');

const MAX = 1 << 30;
const channelOptions = {
  'grpc.max_send_message_length': MAX, 'grpc.max_receive_message_length': MAX,
  'grpc-node.flow_control_window': 1 << 26, 'grpc.http2.lookahead_bytes': 1 << 26,
};

export function runRpcThread(port: MessagePort, signal: Int32Array): void {
  const post = (m: unknown): void => {
    port.postMessage(m);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  const clients = new Map<string, grpc.Client>();
  const client = (ep: string): grpc.Client => {
    let c = clients.get(ep);
    if (!c) clients.set(ep, (c = new Client(ep, grpc.credentials.createInsecure(), channelOptions)));
    return c;
  };
  let server: grpc.Server | null = null;
  let nextReq = 0;
  const pending = new Map<number, (err: Error | null, body?: Buffer) => void>();

  port.on('message', (m: { kind: string; id: number; ep?: string; method?: string; body?: Uint8Array; timeoutMs?: number; error?: string }) => {
    if (m.kind === 'call') {
      // a pserver that is not listening yet (UNAVAILABLE) is retried until the deadline
      const end = Date.now() + (m.timeoutMs ?? 120000);
      const body = Buffer.from(m.body!);
      const attempt = (): void => {
        client(m.ep!).makeUnaryRequest(`/${SERVICE}/${m.method}`, ident, ident, body, new grpc.Metadata(), { deadline: new Date(end) },
          (err: grpc.ServiceError | null, res?: Buffer) => {
            if (err && err.code === grpc.status.UNAVAILABLE && Date.now() + 200 < end) { setTimeout(attempt, 200); return; }
            post(err ? { kind: 'result', id: m.id, error: `${m.method} to ${m.ep}: ${err.details || err.message}` } : { kind: 'result', id: m.id, body: res });
          });
      };
      attempt();
    } else if (m.kind === 'serve') {
      server = new grpc.Server(channelOptions);
      const handler = (name: string) => (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
        const id = nextReq++;
        pending.set(id, (err, body) => (err ? cb({ code: grpc.status.INTERNAL, details: err.message }) : cb(null, body)));
        post({ kind: 'request', id, method: name, body: call.request });
      };
      const impl: Record<string, grpc.handleUnaryCall<Buffer, Buffer>> = {};
      for (const k of Object.keys(serviceDefinition)) impl[k] = handler(k);
      server.addService(serviceDefinition as unknown as grpc.ServiceDefinition, impl);
      server.bindAsync(m.ep!, grpc.ServerCredentials.createInsecure(), (err) => {
        post(err ? { kind: 'result', id: m.id, error: `cannot listen on ${m.ep}: ${err.message}` } : { kind: 'result', id: m.id });
      });
    } else if (m.kind === 'reply') {
      const cb = pending.get(m.id);
      pending.delete(m.id);
      cb?.(m.error ? new Error(m.error) : null, Buffer.from(m.body ?? new Uint8Array(0)));
    } else if (m.kind === 'close') {
      for (const c of clients.values()) c.close();
      clients.clear();
      const done = (): void => post({ kind: 'result', id: m.id });
      if (server) server.tryShutdown(() => done());
      else done();
      server = null;
    }
  });
}

// The rendezvous store: a small TCP key-value server (node:net) that the Gloo binding's
// TcpStore (src/distributed/csrc/gloo_binding.cc) talks to, as Paddle's HTTP store serves its
// ranks. The launcher of node 0 starts it at the first trainer endpoint; without the launcher,
// rank 0 serves it from a worker thread (its own event loop, since rendezvous blocks the main one).
//
// Frames (integers are big-endian u32):
//   'S' klen key vlen value -> 'K'                    set
//   'G' klen key            -> vlen value             get, answered once the key exists
//   'W' n (klen key){n}     -> 'K'                    wait until every key exists
import * as net from 'node:net';

export interface StoreServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the store server on host:port (port 0 picks a free one). */
export function startStoreServer(host: string, port: number): Promise<StoreServer> {
  const data = new Map<string, Buffer>();
  const waiters: Array<{ keys: string[]; done: () => void }> = [];
  const sockets = new Set<net.Socket>();
  const settle = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.keys.every((k) => data.has(k))) {
        waiters.splice(i, 1);
        w.done();
      }
    }
  };
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.setNoDelay(true);
    let buf = Buffer.alloc(0);
    // requests on one connection are answered in order
    let chain: Promise<void> = Promise.resolve();
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    sock.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        let req: Request | null;
        try {
          req = parse(buf);
        } catch {
          // not the store protocol (a stray client on this port): drop that connection only
          sock.destroy();
          return;
        }
        if (!req) break;
        buf = buf.subarray(req.used);
        chain = chain.then(() => handle(req));
      }
    });
    const handle = (req: Request): Promise<void> => new Promise((resolve) => {
      if (req.op === 'S') {
        data.set(req.keys[0], req.value!);
        sock.write('K');
        settle();
        resolve();
        return;
      }
      waiters.push({
        keys: req.keys,
        done: () => {
          if (req.op === 'G') {
            const v = data.get(req.keys[0])!;
            const h = Buffer.alloc(4);
            h.writeUInt32BE(v.length);
            sock.write(Buffer.concat([h, v]));
          } else sock.write('K');
          resolve();
        },
      });
      settle();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address() as net.AddressInfo;
      server.unref();
      resolve({
        port: addr.port,
        close: () => new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
      });
    });
  });
}

interface Request { op: string; keys: string[]; value?: Buffer; used: number }

function parse(b: Buffer): Request | null {
  if (b.length < 1) return null;
  const op = String.fromCharCode(b[0]);
  let o = 1;
  const str = (): Buffer | null => {
    if (b.length < o + 4) return null;
    const n = b.readUInt32BE(o);
    if (b.length < o + 4 + n) return null;
    const s = b.subarray(o + 4, o + 4 + n);
    o += 4 + n;
    return s;
  };
  if (op === 'S') {
    const k = str();
    if (!k) return null;
    const v = str();
    if (!v) return null;
    return { op, keys: [k.toString('latin1')], value: Buffer.from(v), used: o };
  }
  if (op === 'G') {
    const k = str();
    if (!k) return null;
    return { op, keys: [k.toString('latin1')], used: o };
  }
  if (op === 'W') {
    if (b.length < 5) return null;
    const n = b.readUInt32BE(1);
    o = 5;
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = str();
      if (!k) return null;
      keys.push(k.toString('latin1'));
    }
    return { op, keys, used: o };
  }
  throw new Error(`rendezvous store: bad request byte ${b[0]}`);
}

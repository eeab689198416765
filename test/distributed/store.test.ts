// The rendezvous store: set / get / wait frames by hand, and a stray client speaking another
// protocol (an HTTP/2 preface from a gRPC client that found the wrong port) loses only its own
// connection; the server keeps serving the ranks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startStoreServer } from '../../src/distributed/store.js';

const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
const str = (s: string): Buffer => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s, 'latin1')]);

/** Opens a connection and returns it with a reader of exactly n bytes. */
async function open(port: number): Promise<{ sock: Socket; read(n: number): Promise<Buffer> }> {
  const sock = connect(port, '127.0.0.1');
  await new Promise<void>((r, j) => { sock.once('connect', r); sock.once('error', j); });
  let buf = Buffer.alloc(0);
  let want: { n: number; done: (b: Buffer) => void } | null = null;
  const pump = (): void => {
    if (want && buf.length >= want.n) {
      const out = buf.subarray(0, want.n);
      buf = buf.subarray(want.n);
      const w = want;
      want = null;
      w.done(out);
    }
  };
  sock.on('data', (d) => { buf = Buffer.concat([buf, d]); pump(); });
  return { sock, read: (n) => new Promise((done) => { want = { n, done }; pump(); }) };
}

test('store: set, get (answered once the key exists), wait; a stray protocol is dropped alone', { timeout: 10000 }, async () => {
  const store = await startStoreServer('127.0.0.1', 0);
  try {
    const a = await open(store.port);
    const b = await open(store.port);
    // b asks first; the answer comes when a sets the key
    b.sock.write(Buffer.concat([Buffer.from('G'), str('rank0/addr')]));
    const got = b.read(4 + 5);
    a.sock.write(Buffer.concat([Buffer.from('S'), str('rank0/addr'), str('hello')]));
    assert.equal((await a.read(1)).toString(), 'K');
    const reply = await got;
    assert.equal(reply.readUInt32BE(0), 5);
    assert.equal(reply.subarray(4).toString(), 'hello');
    // a gRPC client on the wrong port: its connection is closed, the store lives on
    const stray = await open(store.port);
    const closed = new Promise<void>((r) => stray.sock.once('close', () => r()));
    stray.sock.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    await closed;
    b.sock.write(Buffer.concat([Buffer.from('W'), u32(1), str('rank0/addr')]));
    assert.equal((await b.read(1)).toString(), 'K');
    a.sock.destroy();
    b.sock.destroy();
  } finally {
    await store.close();
  }
});

// The pickle-like encoding that sends datasets to worker threads: values, shared references
// and cycles survive a structured clone; classes travel as references; closures do not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as paddle from '../../src/index.js';
import { decode, encode, resolverFor, Unsendable } from '../../src/io/transfer.js';
import { Scaler, TableDataset } from './fixtures.js';

const roundTrip = (v: unknown, modules: Map<string, Record<string, unknown>> | null = null) =>
  decode(structuredClone(encode(v, { userRefs: true, root: 'value' })), resolverFor(modules));

test('data, shared references and cycles survive', () => {
  const shared = { s: 1 };
  const big = new Float32Array(100);
  const view = big.subarray(10, 12);
  view.set([1, 2]);
  const v: Record<string, unknown> = {
    n: 1.5, b: true, s: 'x', z: null, u: undefined, big: 12n, arr: [1, [2, shared]], shared, map: new Map([['k', shared]]),
    set: new Set([1, 2]), view, t: paddle.to_tensor([[1, 2]], { dtype: 'int64' }), err: new RangeError('bad'), date: new Date(0),
  };
  v.self = v;
  const r = roundTrip(v) as Record<string, any>;
  assert.equal(r.n, 1.5);
  assert.equal(r.big, 12n);
  assert.equal(r.self, r);
  assert.equal(r.arr[1][1], r.shared);
  assert.equal(r.map.get('k'), r.shared);
  assert.deepEqual([...r.set], [1, 2]);
  assert.ok(r.view instanceof Float32Array && r.view.length === 2 && r.view.buffer.byteLength === 8, 'a view travels without the rest of its buffer');
  assert.ok(r.t instanceof paddle.Tensor);
  assert.deepEqual(r.t.tolist(), [[1, 2]]);
  assert.equal(r.t.dtype, 'int64');
  assert.equal(r.err.name, 'RangeError');
  assert.equal(r.date.getTime(), 0);
});

test('class instances: paddle-ts classes by namespace path, module classes by URL and name', async () => {
  const ds = new TableDataset(3);
  const enc = encode({ ds, scaler: new Scaler(2), g: new paddle.Generator(5) }, { userRefs: true, root: 'value' });
  const mod = (await import('./fixtures.js')) as unknown as Record<string, unknown>;
  const url = new URL('./fixtures.ts', import.meta.url).href;
  const r = decode(structuredClone(enc), resolverFor(new Map([[url, mod]]))) as { ds: TableDataset; scaler: Scaler; g: paddle.Generator };
  assert.ok(r.ds instanceof TableDataset && r.ds !== ds);
  assert.equal(r.ds.__len__(), 3);
  assert.equal(r.scaler.apply(3), 6);
  assert.equal(r.g.random(), new paddle.Generator(5).random());
  // without the module loaded, a module class cannot be resolved
  assert.throws(() => decode(structuredClone(enc), resolverFor(null)), Unsendable);
});

test('closures, symbols and anonymous classes cannot travel; messages name the path', () => {
  assert.throws(() => encode({ a: [() => 1] }, { userRefs: true, root: 'value' }), (e: Error) => e instanceof Unsendable && /value\.a\[0\]: function/.test(e.message));
  assert.throws(() => encode({ s: Symbol('x') }, { userRefs: true, root: 'value' }), /value\.s is a symbol/);
  assert.throws(() => encode(new (class {})(), { userRefs: true, root: 'value' }), /cannot be found by a worker thread/);
  // from a worker, only data and paddle-ts classes
  assert.throws(() => encode(new Scaler(1), { userRefs: false, root: 'the batch' }), /not a paddle-ts class or function/);
});

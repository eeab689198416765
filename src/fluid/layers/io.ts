// fluid.layers' input functions (python/paddle/fluid/layers/io.py at 2.0): data, and the
// Python-fed readers py_reader, create_py_reader_by_data, double_buffer and read_file.
//
// A py_reader is a READER variable: the startup program's `create_py_reader` operator binds it
// to a blocking queue, and `read` operators (read_file) take the next batch from it each time
// the main program runs. The queue is fed from a JS generator: decorate the reader with a
// function returning an iterable of batches (decorate_batch_generator: lists of Tensors / arrays
// per batch; decorate_sample_list_generator / decorate_paddle_reader: lists of samples,
// converted by a DataFeeder), call start(), and run the program until Executor.run throws
// fluid.core.EOFException; then reset() and start() again for the next epoch. Executor.run is
// synchronous, so the generator is pulled lazily, one batch per run (no thread; `capacity` is
// recorded only); generators must be synchronous.
import { defineApi, p } from '../../core/args.js';
import { T } from '../../core/convert.js';
import { DType, PROTO_DTYPE, convertStorage, parseDType } from '../../core/dtype.js';
import { describe, fail, InvalidArgumentError, NotFoundError, PreconditionNotMetError } from '../../core/errors.js';
import { state } from '../../core/state.js';
import { Tensor } from '../../core/tensor.js';
import { Operator, Program, Variable } from '../../static/framework.js';
import { ExecContext, executorOps, global_scope, Scope } from '../../static/executor.js';
import { default_main_program, default_startup_program, program_guard } from '../../static/mode.js';
import { generate } from '../../static/unique_name.js';
import { EOFException } from '../core.js';
import { DataFeeder } from '../data_feeder.js';
import { LoDTensor } from '../lod_tensor.js';

// ---- data ---------------------------------------------------------------------------------

const VAR_KINDS = ['LOD_TENSOR', 'SELECTED_ROWS', 'LOD_TENSOR_ARRAY'] as const;

/**
 * Declares an input variable (legacy, static mode). With append_batch_size (the default) a -1
 * batch dimension is put in front of `shape`, unless the shape already has a None/-1 entry.
 * Fed values are not checked against the shape (use fluid.data for checked inputs).
 * @param name the variable's name
 * @param shape the shape of one sample (or the full shape with None/-1 entries)
 * @param append_batch_size prepend a -1 batch dimension
 * @param dtype default 'float32'
 * @param lod_level LoD levels (sequence inputs)
 * @param type 'LOD_TENSOR' (default), 'SELECTED_ROWS' or 'LOD_TENSOR_ARRAY'
 * @param stop_gradient whether gradients stop at it (true)
 * @example const x = fluid.layers.data('x', [784])   // shape [-1, 784]
 */
export const data = defineApi(
  'paddle.fluid.layers.data',
  [
    p('name', T.str),
    p('shape', T.any),
    p('append_batch_size', T.bool, true),
    p('dtype', T.dtype, 'float32' as DType),
    p('lod_level', T.int, 0),
    p('type', T.str, 'LOD_TENSOR'),
    p('stop_gradient', T.bool, true),
  ],
  (a): Variable => {
    const api = 'paddle.fluid.layers.data';
    if (!Array.isArray(a.shape) || !a.shape.every((d) => d === null || Number.isInteger(d)))
      fail(api, `The type of 'shape' in data must be list or tuple, but received ${describe(a.shape)}.`);
    if (!state.staticMode) fail(api, 'fluid.layers.data declares an input of a static program: call paddle.enable_static() first', PreconditionNotMetError);
    if (!(VAR_KINDS as readonly string[]).includes(a.type)) fail(api, `argument 'type' must be one of ${VAR_KINDS.join(', ')}, but got '${a.type}'`);
    let append = a.append_batch_size;
    const shape = (a.shape as (number | null)[]).map((d) => {
      if (d === null || d < 0) append = false;
      return d === null ? -1 : d;
    });
    const dims = append ? [-1, ...shape] : shape;
    return default_main_program().global_block().create_var({
      name: a.name, shape: dims, dtype: a.dtype, type: a.type as (typeof VAR_KINDS)[number], stop_gradient: a.stop_gradient, lod_level: a.lod_level, is_data: true,
    });
  },
);

// ---- the queue and the reader variables --------------------------------------------------

interface ReaderMeta {
  shapes: number[][];
  dtypes: DType[];
  lod_levels: number[];
}

/** A batch provider: a function returning an iterable of batches (lists of Tensors/arrays). */
type Provider = () => Iterable<readonly unknown[]>;

/** The queue a py_reader's operators read from (Paddle's LoDTensorBlockingQueue), fed lazily. */
export class LoDTensorBlockingQueue {
  private it: Iterator<readonly unknown[]> | null = null;
  private closed = false;
  constructor(readonly capacity: number, readonly name: string) {}
  /** @internal Starts a pass over the provider. */
  _start(provider: Provider): void {
    const iterable = provider();
    if (!iterable || typeof (iterable as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      if (iterable && typeof (iterable as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function')
        fail('py_reader.start', 'an async generator cannot feed a reader: Executor.run is synchronous, use a synchronous generator (function*)');
      fail('py_reader.start', `the decorated generator must return an iterable of batches (a generator), but returned ${describe(iterable)}`);
    }
    this.it = (iterable as Iterable<readonly unknown[]>)[Symbol.iterator]();
    this.closed = false;
  }
  /** The next batch, or null at the end of the pass. */
  pop(): readonly unknown[] | null {
    if (this.closed) return null;
    if (!this.it) return fail('read', 'the py_reader is not started: call reader.start() before running the program', PreconditionNotMetError);
    const r = this.it.next();
    if (r.done) {
      this.close();
      return null;
    }
    return r.value;
  }
  /** Ends the pass (the next read raises EOFException). */
  close(): void {
    this.closed = true;
    this.it = null;
  }
  /** Drops the pass (reset). */
  kill(): void {
    this.it?.return?.();
    this.close();
  }
  /** Whether a pass is running. */
  get started(): boolean {
    return this.it !== null;
  }
  size(): number {
    return 0;
  }
  is_closed(): boolean {
    return this.closed;
  }
}

/** What the scope holds for a reader variable. */
interface ReaderHolder {
  readonly queue: LoDTensorBlockingQueue;
  readonly meta: ReaderMeta;
}

/** A reader Variable with the py_reader methods. */
export interface PyReader extends Variable {
  /** The queue the reader reads from. */
  queue: LoDTensorBlockingQueue;
  /** @internal */
  _reader_meta: ReaderMeta;
  /** Starts a pass: the next runs read batches from the decorated generator. */
  start(): void;
  /** Ends the pass (after EOFException, or to stop early). */
  reset(): void;
  /** Feeds batches: `func()` returns an iterable of lists of Tensors/arrays, one per slot. */
  decorate_tensor_provider(func: Provider): void;
  /** Same as decorate_tensor_provider. */
  decorate_batch_generator(func: Provider, places?: unknown): void;
  /** Feeds batches of samples: `reader()` returns an iterable of lists of samples, converted by a DataFeeder. */
  decorate_paddle_reader(reader: () => Iterable<Iterable<readonly unknown[]>>, places?: unknown): void;
  /** Same as decorate_paddle_reader. */
  decorate_sample_list_generator(reader: () => Iterable<Iterable<readonly unknown[]>>, places?: unknown): void;
}

function metaOf(api: string, reader: unknown): ReaderMeta {
  const m = (reader as { _reader_meta?: ReaderMeta })?._reader_meta;
  if (!(reader instanceof Variable) || !m) return fail(api, `argument 'reader' expected a reader (from fluid.layers.py_reader or create_py_reader_by_data), but got ${describe(reader)}`);
  return m;
}

function rootScope(s: Scope): Scope {
  while (s.parent) s = s.parent;
  return s;
}

function pyReaderImpl(api: string, capacity: number, meta: ReaderMeta, name: string | null, useDoubleBuffer: boolean, feedList: Variable[] | null): PyReader {
  if (!state.staticMode) fail(api, 'readers belong to static programs: call paddle.enable_static() first', PreconditionNotMetError);
  const queueName = name === null ? generate('lod_tensor_blocking_queue') : `${name}_queue`;
  const readerName = name === null ? generate('create_py_reader') : `${name}_reader`;
  const doubleBufferName = name === null ? generate('double_buffer') : `${name}_double_buffer`;
  const queue = new LoDTensorBlockingQueue(capacity, queueName);
  global_scope().set(queueName, queue);
  const shapeConcat = meta.shapes.flat();
  const ranks = meta.shapes.map((s) => s.length);
  const startup = default_startup_program().current_block();
  const startupVar = startup.create_var({ name: readerName, type: 'READER', persistable: true });
  startup.append_op({
    type: 'create_py_reader', inputs: { blocking_queue: [queueName] }, outputs: { Out: [startupVar] },
    attrs: { shape_concat: shapeConcat, lod_levels: meta.lod_levels, dtypes: meta.dtypes.map((d) => PROTO_DTYPE[d]), ranks },
  });
  const mainVar = default_main_program().current_block().create_var({ name: readerName, type: 'READER', persistable: true }) as PyReader;
  mainVar._reader_meta = meta;
  let reader: PyReader = mainVar;
  if (useDoubleBuffer) reader = double_buffer(mainVar, null, doubleBufferName) as PyReader;
  let provider: Provider | null = null;
  reader.queue = queue;
  reader.decorate_tensor_provider = (func: Provider): void => {
    if (typeof func !== 'function') fail(`${api}.decorate_tensor_provider`, `expected a function returning an iterable of batches, but got ${describe(func)}`);
    provider = func;
  };
  reader.decorate_batch_generator = (func: Provider, _places?: unknown): void => reader.decorate_tensor_provider(func);
  reader.decorate_paddle_reader = (paddleReader, _places?: unknown): void => {
    if (typeof paddleReader !== 'function') fail(`${api}.decorate_paddle_reader`, `expected a function returning an iterable of batches of samples, but got ${describe(paddleReader)}`);
    let vars: Variable[];
    const names: string[] = [];
    const feeder = program_guard(new Program(), new Program(), () => {
      vars = feedList ?? meta.shapes.map((shape, i) => data(String(i), shape, { dtype: meta.dtypes[i], lod_level: meta.lod_levels[i] }));
      for (const v of vars) names.push(v.name);
      return new DataFeeder(vars, null);
    });
    const batches = feeder.decorate_reader(paddleReader, false) as () => Iterable<Record<string, LoDTensor>>;
    provider = function* () {
      for (const slots of batches()) yield names.map((n) => slots[n]);
    };
  };
  reader.decorate_sample_list_generator = (r, places?: unknown): void => reader.decorate_paddle_reader(r, places);
  reader.start = (): void => {
    if (!provider) fail(`${api}.start`, 'the reader has no data source: decorate it first (decorate_batch_generator, decorate_sample_list_generator...)', PreconditionNotMetError);
    if (queue.started) fail(`${api}.start`, 'the reader is already started: call reset() before starting it again', PreconditionNotMetError);
    queue._start(provider!);
  };
  reader.reset = (): void => queue.kill();
  return reader;
}

const shapesTy = {
  desc: 'a list of shapes',
  parse: (v: unknown, api: string, arg: string): number[][] => {
    if (!Array.isArray(v) || !v.every((s) => Array.isArray(s) && s.every((d) => d === null || Number.isInteger(d))))
      return fail(api, `argument '${arg}' expected a list of shapes (lists of ints, None/-1 for unknown sizes), but got ${describe(v)}`);
    return (v as (number | null)[][]).map((s) => s.map((d) => (d === null ? -1 : d)));
  },
};

/**
 * Creates a reader fed from JS (static mode): a queue of batches whose slots have the given
 * shapes, dtypes and LoD levels. Decorate it with a generator, then `read_file(reader)` gives
 * the variables each run reads.
 * @param capacity the queue's capacity (recorded)
 * @param shapes one shape per slot, e.g. [[-1, 784], [-1, 1]]
 * @param dtypes one dtype per slot, e.g. ['float32', 'int64']
 * @param lod_levels one LoD level per slot (default 0s)
 * @param name a name prefix for the reader's variables
 * @param use_double_buffer wrap the reader in a double buffer (true)
 * @example
 * const reader = fluid.layers.py_reader(64, [[-1, 784], [-1, 1]], ['float32', 'int64']);
 * reader.decorate_batch_generator(function* () { yield [images, labels]; });
 * const [img, label] = fluid.layers.read_file(reader);
 */
export const py_reader = defineApi(
  'paddle.fluid.layers.py_reader',
  [p('capacity', T.int), p('shapes', shapesTy), p('dtypes', T.any), p('lod_levels', T.nullable(T.ints), null), p('name', T.nullable(T.str), null), p('use_double_buffer', T.bool, true)],
  (a): PyReader => {
    const api = 'paddle.fluid.layers.py_reader';
    if (!Array.isArray(a.dtypes) || a.dtypes.length !== a.shapes.length)
      fail(api, `argument 'dtypes' must be a list with one dtype per shape (${a.shapes.length}), but got ${describe(a.dtypes)}`);
    const dtypes = (a.dtypes as unknown[]).map((d) => parseDType(d) ?? fail(api, `argument 'dtypes' holds ${describe(d)}, which is not a dtype`));
    const lod = a.lod_levels ?? a.shapes.map(() => 0);
    if (lod.length !== a.shapes.length) fail(api, `argument 'lod_levels' must have one entry per shape (${a.shapes.length}), but has ${lod.length}`);
    return pyReaderImpl(api, a.capacity, { shapes: a.shapes, dtypes, lod_levels: lod }, a.name, a.use_double_buffer, null);
  },
);

/**
 * Creates a reader (as py_reader) whose slots mirror the given input variables.
 * @param capacity the queue's capacity
 * @param feed_list the input Variables (fluid.data)
 * @param name a name prefix
 * @param use_double_buffer wrap in a double buffer (true)
 * @example const reader = fluid.layers.create_py_reader_by_data(64, [image, label])
 */
export const create_py_reader_by_data = defineApi(
  'paddle.fluid.layers.create_py_reader_by_data',
  [p('capacity', T.int), p('feed_list', T.any), p('name', T.nullable(T.str), null), p('use_double_buffer', T.bool, true)],
  (a): PyReader => {
    const api = 'paddle.fluid.layers.create_py_reader_by_data';
    if (!Array.isArray(a.feed_list) || !a.feed_list.every((v) => v instanceof Variable))
      fail(api, `argument 'feed_list' expected a list of Variables, but got ${describe(a.feed_list)}`);
    const vars = a.feed_list as Variable[];
    const meta = { shapes: vars.map((v) => v.dims.slice()), dtypes: vars.map((v) => v.dtype), lod_levels: vars.map((v) => v.lod_level) };
    return pyReaderImpl(api, a.capacity, meta, a.name, a.use_double_buffer, vars);
  },
);

/**
 * Wraps a reader in a double buffer (Paddle prefetches the next batch to the device; here the
 * batches pass through). Keeps the reader's methods.
 * @param reader a reader variable
 * @param place the device to prefetch to
 * @param name the new reader's name
 */
export const double_buffer = defineApi(
  'paddle.fluid.layers.double_buffer',
  [p('reader', T.any), p('place', T.any, null), p('name', T.nullable(T.str), null)],
  (a): PyReader => {
    const api = 'paddle.fluid.layers.double_buffer';
    const meta = metaOf(api, a.reader);
    const attrs: Record<string, unknown> = {};
    if (a.place !== null && a.place !== undefined) attrs.place = String(a.place).toUpperCase();
    const block = default_main_program().current_block();
    const out = block.create_var({ name: a.name ?? generate('create_double_buffer_reader'), type: 'READER' }) as PyReader;
    block.append_op({ type: 'create_double_buffer_reader', inputs: { UnderlyingReader: [a.reader as Variable] }, outputs: { Out: [out] }, attrs });
    out._reader_meta = meta;
    // a double buffer over a py_reader keeps its methods (Paddle moves reset over; the others follow)
    const src = a.reader as Partial<PyReader>;
    for (const k of ['queue', 'start', 'reset', 'decorate_tensor_provider', 'decorate_batch_generator', 'decorate_paddle_reader', 'decorate_sample_list_generator'] as const)
      if (src[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = src[k];
    return out;
  },
);

/**
 * Appends a `read` operator: the variables one batch of `reader` fills at each run, with the
 * reader's shapes, dtypes and LoD levels (one variable, or a list).
 * @param reader a reader variable
 * @example const [img, label] = fluid.layers.read_file(reader)
 */
export const read_file = defineApi('paddle.fluid.layers.read_file', [p('reader', T.any)], (a): Variable | Variable[] => {
  const api = 'paddle.fluid.layers.read_file';
  const meta = metaOf(api, a.reader);
  const block = default_main_program().current_block();
  const base = generate('read_file');
  const outs = meta.shapes.map((shape, i) =>
    block.create_var({ name: `${base}.tmp_${i}`, shape, dtype: meta.dtypes[i], lod_level: meta.lod_levels[i], stop_gradient: true }),
  );
  block.append_op({ type: 'read', inputs: { Reader: [a.reader as Variable] }, outputs: { Out: outs }, attrs: { throw_eof_exp: true, infer_out: true } });
  return outs.length === 1 ? outs[0] : outs;
});

// ---- the executor side -----------------------------------------------------------------------

function holderOf(op: Operator, ctx: ExecContext, slot: string): ReaderHolder {
  const name = op.input(slot)[0];
  const h = ctx.scope.find_var(name) as unknown as ReaderHolder | undefined;
  if (!h || !(h.queue instanceof LoDTensorBlockingQueue))
    return fail('Executor.run', `operator ${op.type} needs the reader '${name}', which is not created: run the startup program first (in the scope where the reader was created)`, PreconditionNotMetError);
  return h;
}

executorOps.set('create_py_reader', (op, ctx) => {
  const qName = op.input('blocking_queue')[0];
  const queue = ctx.scope.find_var(qName) as unknown;
  if (!(queue instanceof LoDTensorBlockingQueue))
    fail('Executor.run', `create_py_reader: the queue '${qName}' is not in the scope; run the startup program in the scope where the py_reader was created`, NotFoundError);
  const shapes: number[][] = [];
  const concat = op.attrs.shape_concat as number[];
  let k = 0;
  for (const r of op.attrs.ranks as number[]) {
    shapes.push(concat.slice(k, k + r));
    k += r;
  }
  const dtypes = (op.attrs.dtypes as number[]).map((d) => parseDType(d) ?? 'float32');
  const holder: ReaderHolder = { queue: queue as LoDTensorBlockingQueue, meta: { shapes, dtypes, lod_levels: op.attrs.lod_levels as number[] } };
  rootScope(ctx.scope).set(op.output('Out')[0], holder);
});

executorOps.set('create_double_buffer_reader', (op, ctx) => {
  const holder = holderOf(op, ctx, 'UnderlyingReader');
  const out = op.output('Out')[0];
  if (ctx.scope.find_var(out) !== (holder as unknown)) rootScope(ctx.scope).set(out, holder);
});

/** A fed slot as a tensor of the slot's dtype, checked against its shape; a LoD is kept. */
function slotTensor(value: unknown, dtype: DType, shape: number[], i: number): Tensor {
  let t: Tensor;
  if (value instanceof Tensor) t = value;
  else {
    const l = new LoDTensor();
    l.set(value);
    t = l;
  }
  const lod = Array.from(t.lod, (l) => Array.from(l));
  const data = t.dtype === dtype ? t.data : convertStorage(t.data, t.dtype, dtype);
  const out = new Tensor(data, t.dims.slice(), dtype);
  out.lod = lod;
  const ok = out.dims.length === shape.length && shape.every((d, j) => d < 0 || d === out.dims[j]);
  if (!ok)
    fail('Executor.run', `read: slot ${i} of the batch has shape [${out.dims.join(', ')}], but the reader declares [${shape.join(', ')}] (-1 for any size)`, InvalidArgumentError);
  return out;
}

executorOps.set('read', (op, ctx) => {
  const holder = holderOf(op, ctx, 'Reader');
  const batch = holder.queue.pop();
  const outs = op.output('Out');
  if (batch === null) {
    if (op.attrs.throw_eof_exp === false) return;
    throw new EOFException('There is no next data. (the reader reached the end of its data: catch fluid.core.EOFException, call reader.reset() and start() again for the next pass)');
  }
  if (!Array.isArray(batch) || batch.length !== outs.length)
    fail('Executor.run', `read: a batch must be a list of ${outs.length} slots (Tensors or arrays), but the generator yielded ${describe(batch)}`);
  const { shapes, dtypes } = holder.meta;
  outs.forEach((n, i) => ctx.scope.set(n, slotTensor(batch[i], dtypes[i], shapes[i], i)));
});

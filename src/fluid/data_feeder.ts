// paddle.fluid.DataFeeder (python/paddle/fluid/data_feeder.py at 2.0): converts mini-batches
// of samples into a feed dict of LoDTensors for the given variables, following each variable's
// dtype, shape and lod_level; and paddle.fluid.DataFeedDesc (data_feed_desc.py): a
// DataFeedDesc text proto (paddle/fluid/framework/data_feed.proto) parsed, edited and printed
// as protobuf's text_format does.
import * as fs from 'node:fs';
import { defineApi, p } from '../core/args.js';
import { T, tensorFromData } from '../core/convert.js';
import { DType, allocStorage } from '../core/dtype.js';
import { describe, fail, InvalidArgumentError, NotFoundError } from '../core/errors.js';
import { numel } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { Program, Variable } from '../static/framework.js';
import { default_main_program } from '../static/mode.js';
import { LoDTensor } from './lod_tensor.js';

// ---- DataToLoDTensorConverter -----------------------------------------------------------

/** Stacks a batch of samples (numbers, nested arrays, Tensors or typed arrays) into one tensor. */
export function stackSamples(items: readonly unknown[], dtype: DType, api: string, what: string): Tensor {
  if (items.length > 0 && items.every((x) => x instanceof Tensor || (ArrayBuffer.isView(x) && !(x instanceof DataView)))) {
    const parts = items.map((x) => tensorFromData(x, dtype, api, what));
    const dims = parts[0].dims;
    for (const t of parts)
      if (t.dims.length !== dims.length || t.dims.some((d, i) => d !== dims[i]))
        fail(api, `${what}: the samples of a batch must have the same shape, but got [${dims.join(', ')}] and [${t.dims.join(', ')}]`);
    const len = parts[0].data.length;
    const out = allocStorage(dtype, parts.length * numel(dims)) as Float64Array;
    parts.forEach((t, i) => out.set(t.data as Float64Array, i * len));
    return new Tensor(out, [parts.length, ...dims], dtype);
  }
  if (items.length === 0) return new Tensor(allocStorage(dtype, 0), [0], dtype);
  // numbers and nested lists: one nested list (Tensors and typed arrays inside become their values)
  return tensorFromData(items.map(toPlain), dtype, api, what);
}

/** Nested lists with Tensors and typed arrays replaced by their values (as np.array reads them). */
function toPlain(x: unknown): unknown {
  if (x instanceof Tensor) return x.dims.length === 1 && x.size === 1 ? x.flatValues()[0] : x.tolist();
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return Array.from(x as unknown as ArrayLike<number>);
  if (Array.isArray(x)) return x.map(toPlain);
  return x;
}

/** Collects one slot's samples, then builds its LoDTensor (Paddle's DataToLoDTensorConverter). */
export class DataToLoDTensorConverter {
  readonly shape: number[] | null;
  data: unknown[] = [];
  lod: number[][] = [];
  constructor(
    readonly place: unknown,
    readonly lod_level: number,
    shape: readonly number[],
    readonly dtype: DType,
    readonly name = '',
  ) {
    // with more than one unknown dimension the shape cannot be used to reshape
    this.shape = shape.filter((d) => d < 0).length > 1 ? null : shape.slice();
    this._reset();
  }
  _reset(): void {
    this.data = [];
    this.lod = Array.from({ length: this.lod_level }, () => []);
  }
  feed(data: unknown): void {
    this.feedImpl(data, this.lod, this.lod_level);
  }
  private feedImpl(data: unknown, lod: number[][], level: number): void {
    if (level === 0) {
      this.data.push(data);
      return;
    }
    const seq = data instanceof Tensor ? (data.dims.length ? unstackRows(data) : [data]) : data;
    if (!Array.isArray(seq) && !(ArrayBuffer.isView(seq) && !(seq instanceof DataView)))
      fail('DataFeeder.feed', `the data of '${this.name}' (lod_level ${this.lod_level}) must be a sequence at LoD depth ${this.lod_level - level}, but got ${describe(data)}`);
    const list = Array.from(seq as ArrayLike<unknown>);
    lod[0].push(list.length);
    for (const each of list) this.feedImpl(each, lod.slice(1), level - 1);
  }
  /** The batch as a LoDTensor; the converter is reset. */
  done(): LoDTensor {
    const api = 'DataFeeder.feed';
    let arr = stackSamples(this.data, this.dtype, api, `the data of '${this.name}'`);
    if (this.shape && arr.dims.length !== this.shape.length) {
      const target = this.shape.slice();
      const known = target.filter((d) => d >= 0).reduce((a, b) => a * b, 1);
      const unk = target.indexOf(-1);
      const n = arr.size;
      if (unk >= 0) {
        if (known === 0 || n % known !== 0)
          fail(api, `Reshape error. What is defined in data layer is [${this.shape.join(', ')}], but receive [${arr.dims.join(', ')}]`);
        target[unk] = n / known;
      } else if (known !== n) fail(api, `Reshape error. What is defined in data layer is [${this.shape.join(', ')}], but receive [${arr.dims.join(', ')}]`);
      arr = new Tensor(arr.data, target, arr.dtype);
    }
    const t = new LoDTensor();
    t.set(arr, this.place);
    if (this.lod_level > 0) t.set_recursive_sequence_lengths(this.lod);
    this._reset();
    return t;
  }
}

/** The rows of a tensor along its first dimension (copies). */
function unstackRows(t: Tensor): Tensor[] {
  const n = t.dims[0];
  const rowDims = t.dims.slice(1);
  const per = t.data.length / Math.max(n, 1);
  return Array.from({ length: n }, (_, i) => new Tensor(t.data.slice(i * per, (i + 1) * per), rowDims.length ? rowDims : [1], t.dtype));
}

/** CPU_NUM, as Paddle's _cpu_num (1 when unset). */
function cpuNum(): number {
  const v = Number(process.env.CPU_NUM ?? '1');
  return Number.isInteger(v) && v > 0 ? v : 1;
}

// ---- DataFeeder --------------------------------------------------------------------------

/**
 * Converts mini-batches of samples into a feed dict (variable name -> LoDTensor) for
 * Executor.run, following the variables' dtype, shape and lod_level.
 * @param feed_list the input Variables (or their names in `program`)
 * @param place where the tensors go (CPUPlace)
 * @param program the program holding named variables (default: the default main program)
 * @example
 * const feeder = new fluid.DataFeeder([x, label], new paddle.CPUPlace());
 * exe.run(main, { feed: feeder.feed([[[1, 2], [0]], [[3, 4], [1]]]), fetch_list: [loss] });
 */
export class DataFeeder {
  feed_dtypes: DType[] = [];
  feed_names: string[] = [];
  feed_shapes: number[][] = [];
  feed_lod_level: number[] = [];
  place: unknown;

  constructor(...args: unknown[]) {
    const a = parseFeeder(...(args as [])) as { feed_list: unknown[]; place: unknown; program: Program | null };
    const program = a.program ?? default_main_program();
    for (let v of a.feed_list) {
      if (typeof v === 'string') v = program.block(0).var(v);
      if (!(v instanceof Variable)) fail('paddle.fluid.DataFeeder', `Feed list should contain a list of variable, but it holds ${describe(v)}`);
      this.feed_dtypes.push(v.dtype);
      this.feed_names.push(v.name);
      this.feed_lod_level.push(v.lod_level);
      this.feed_shapes.push(v.dims.slice());
    }
    this.place = a.place;
  }

  /**
   * Converts one mini-batch: an iterable of samples, each a list with one entry per feed
   * variable. Returns `{ name: LoDTensor }`.
   */
  feed(iterable: Iterable<readonly unknown[]>): Record<string, LoDTensor> {
    const api = 'DataFeeder.feed';
    if (iterable === null || typeof (iterable as Iterable<unknown>)[Symbol.iterator] !== 'function')
      fail(api, `argument 'iterable' expected an iterable of samples, but got ${describe(iterable)}`);
    const converters = this.feed_names.map((n, i) => new DataToLoDTensorConverter(this.place, this.feed_lod_level[i], this.feed_shapes[i], this.feed_dtypes[i], n));
    for (const sample of iterable) {
      const fields = sample instanceof Tensor ? null : Array.isArray(sample) ? sample : null;
      if (!fields) fail(api, `each sample must be a list with one entry per feed variable, but got ${describe(sample)}`);
      if (fields.length !== converters.length)
        fail(api, `The number of fields in data (${fields.length}) does not match len(feed_list) (${converters.length})`);
      fields.forEach((f, i) => converters[i].feed(f));
    }
    const out: Record<string, LoDTensor> = {};
    this.feed_names.forEach((n, i) => (out[n] = converters[i].done()));
    return out;
  }

  /**
   * Converts several mini-batches, one per device (CPU_NUM places on the CPU); yields one
   * feed dict per batch.
   */
  *feed_parallel(iterable: readonly Iterable<readonly unknown[]>[], num_places: number | null = null): Generator<Record<string, LoDTensor>> {
    const n = this._get_number_of_places_(num_places);
    const batches = Array.from(iterable);
    if (batches.length !== n)
      fail('DataFeeder.feed_parallel', 'feed_parallel takes multiple mini-batches. Each mini-batch will be feed on each device. The number of devices and number of mini-batches must be same.');
    for (const b of batches) yield this.feed(b);
  }

  /** @internal */
  _get_number_of_places_(num_places: number | null): number {
    return num_places !== null && num_places !== undefined ? Math.trunc(num_places) : cpuNum();
  }

  /**
   * Wraps a batch reader (a function returning an iterable of mini-batches) into one yielding
   * feed dicts (with multi_devices, lists of them, one per place).
   */
  decorate_reader(reader: () => Iterable<Iterable<readonly unknown[]>>, multi_devices: boolean, num_places: number | null = null, drop_last = true): () => Generator<Record<string, LoDTensor> | Record<string, LoDTensor>[]> {
    if (typeof reader !== 'function') fail('DataFeeder.decorate_reader', `argument 'reader' expected a function returning an iterable of batches, but got ${describe(reader)}`);
    const self = this;
    return function* () {
      if (!multi_devices) {
        for (const item of reader()) yield self.feed(item);
        return;
      }
      const num = self._get_number_of_places_(num_places);
      let item: Iterable<readonly unknown[]>[] = [];
      for (const batch of reader()) {
        item.push(batch);
        if (item.length === num) {
          yield [...self.feed_parallel(item, num)];
          item = [];
        }
      }
      if (!drop_last && item.length !== 0)
        fail('DataFeeder.decorate_reader', 'The data batch which cannot fit for devices will be dropped is not implementation. Other strategies are not implemented');
    };
  }
}

const parseFeeder = defineApi(
  'paddle.fluid.DataFeeder',
  [p('feed_list', T.any), p('place', T.any), p('program', T.nullable(T.instance(Program)), null)],
  (a) => {
    if (!Array.isArray(a.feed_list)) fail('paddle.fluid.DataFeeder', `argument 'feed_list' expected a list of Variables, but got ${describe(a.feed_list)}`);
    return a;
  },
);

// ---- DataFeedDesc: text proto ---------------------------------------------------------------

type FieldKind = 'string' | 'int32' | 'bool' | 'message';
interface FieldSpec {
  readonly num: number;
  readonly kind: FieldKind;
  readonly repeated?: boolean;
  readonly required?: boolean;
  readonly message?: string;
}
const SCHEMA: Record<string, Record<string, FieldSpec>> = {
  DataFeedDesc: {
    name: { num: 1, kind: 'string' },
    batch_size: { num: 2, kind: 'int32' },
    multi_slot_desc: { num: 3, kind: 'message', message: 'MultiSlotDesc' },
    pipe_command: { num: 4, kind: 'string' },
    thread_num: { num: 5, kind: 'int32' },
    rank_offset: { num: 6, kind: 'string' },
    pv_batch_size: { num: 7, kind: 'int32' },
    input_type: { num: 8, kind: 'int32' },
  },
  MultiSlotDesc: { slots: { num: 1, kind: 'message', message: 'Slot', repeated: true } },
  Slot: {
    name: { num: 1, kind: 'string', required: true },
    type: { num: 2, kind: 'string', required: true },
    is_dense: { num: 3, kind: 'bool' },
    is_used: { num: 4, kind: 'bool' },
    shape: { num: 5, kind: 'int32', repeated: true },
  },
};

/** A message: the fields that are set, by name (repeated fields as arrays). */
export type ProtoMessage = Record<string, unknown>;

interface Tok {
  t: 'id' | 'num' | 'str' | 'p';
  v: string;
  line: number;
  col: number;
}

function tokenize(text: string, api: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const err = (msg: string): never => fail(api, `${line}:${i - lineStart + 1} : ${msg}`);
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const col = i - lineStart + 1;
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[\w.]/.test(text[j])) j++;
      out.push({ t: 'id', v: text.slice(i, j), line, col });
      i = j;
      continue;
    }
    if (/[-+0-9.]/.test(c)) {
      const m = /^[-+]?(0[xX][0-9a-fA-F]+|\d*\.?\d+(?:[eE][-+]?\d+)?[fF]?)/.exec(text.slice(i));
      if (!m) err(`Couldn't parse number starting at '${text.slice(i, i + 10)}'`);
      out.push({ t: 'num', v: m![0], line, col });
      i += m![0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\n') err('String literals cannot cross line boundaries.');
        if (text[j] === '\\') {
          const e = text[j + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
          if (e in map) {
            s += map[e];
            j += 2;
          } else if (/[0-7]/.test(e)) {
            const m = /^[0-7]{1,3}/.exec(text.slice(j + 1))![0];
            s += String.fromCharCode(parseInt(m, 8));
            j += 1 + m.length;
          } else if (e === 'x') {
            const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(j + 2));
            if (!m) err('Invalid escape sequence');
            s += String.fromCharCode(parseInt(m![0], 16));
            j += 2 + m![0].length;
          } else err(`Invalid escape sequence '\\${e}'`);
          continue;
        }
        s += text[j++];
      }
      if (j >= text.length) err('String literal is not terminated');
      out.push({ t: 'str', v: s, line, col });
      i = j + 1;
      continue;
    }
    if ('{}<>:;,[]'.includes(c)) {
      out.push({ t: 'p', v: c, line, col });
      i++;
      continue;
    }
    err(`Unexpected character '${c}'`);
  }
  return out;
}

/** Parses protobuf text format into a message of `type` (fields checked against the schema). */
export function parseTextProto(text: string, type: string, api: string, into: ProtoMessage = {}): ProtoMessage {
  const toks = tokenize(text, api);
  let k = 0;
  const at = (t: Tok | undefined): string => (t ? `${t.line}:${t.col}` : 'end of input');
  const err = (t: Tok | undefined, msg: string): never => fail(api, `${at(t)} : ${msg}`);
  const scalar = (spec: FieldSpec, field: string, mtype: string): unknown => {
    const t = toks[k++];
    if (!t) return err(t, `Expected a value for field "${field}".`);
    if (spec.kind === 'string') {
      if (t.t !== 'str') return err(t, `Expected string but found "${t.v}".`);
      let s = t.v;
      while (toks[k]?.t === 'str') s += toks[k++].v; // adjacent literals concatenate
      return s;
    }
    if (spec.kind === 'int32') {
      if (t.t !== 'num' || !/^[-+]?(\d+|0[xX][0-9a-fA-F]+)$/.test(t.v)) return err(t, `Expected integer but found "${t.v}".`);
      const n = Number(t.v);
      if (n < -(2 ** 31) || n >= 2 ** 31) return err(t, `Integer out of range (${t.v}) for field "${field}" of message type "paddle.framework.${mtype}".`);
      return n;
    }
    // bool
    if ((t.t === 'id' && /^(true|t|True)$/.test(t.v)) || (t.t === 'num' && t.v === '1')) return true;
    if ((t.t === 'id' && /^(false|f|False)$/.test(t.v)) || (t.t === 'num' && t.v === '0')) return false;
    return err(t, `Invalid value for boolean field "${field}". Value: "${t.v}".`);
  };
  const message = (mtype: string, msg: ProtoMessage, close: string | null): void => {
    const schema = SCHEMA[mtype];
    for (;;) {
      const t = toks[k];
      if (!t) {
        if (close) err(t, `Expected "${close}".`);
        break;
      }
      if (close && t.t === 'p' && t.v === close) {
        k++;
        break;
      }
      if (t.t !== 'id') err(t, `Expected identifier or number, got ${t.v}.`);
      k++;
      const spec = schema[t.v];
      if (!spec) err(t, `Message type "paddle.framework.${mtype}" has no field named "${t.v}".`);
      const sep = toks[k];
      if (spec.kind === 'message') {
        if (sep?.t === 'p' && sep.v === ':') k++;
        const open = toks[k++];
        if (!open || open.t !== 'p' || (open.v !== '{' && open.v !== '<')) err(open, `Expected "{".`);
        const sub: ProtoMessage = spec.repeated ? {} : ((msg[t.v] as ProtoMessage | undefined) ?? {});
        message(spec.message!, sub, open.v === '{' ? '}' : '>');
        if (spec.repeated) ((msg[t.v] ??= []) as ProtoMessage[]).push(sub);
        else msg[t.v] = sub;
      } else {
        if (!(sep?.t === 'p' && sep.v === ':')) err(sep, `Expected ":".`);
        k++;
        if (spec.repeated && toks[k]?.t === 'p' && toks[k].v === '[') {
          k++;
          const list = (msg[t.v] ??= []) as unknown[];
          if (!(toks[k]?.t === 'p' && toks[k].v === ']'))
            for (;;) {
              list.push(scalar(spec, t.v, mtype));
              const n = toks[k++];
              if (n?.t === 'p' && n.v === ']') break;
              if (!(n?.t === 'p' && n.v === ',')) err(n, 'Expected "," or "]".');
            }
          else k++;
        } else {
          if (!spec.repeated && t.v in msg && mtype !== 'DataFeedDesc') err(t, `Message type "paddle.framework.${mtype}" should not have multiple "${t.v}" fields.`);
          const v = scalar(spec, t.v, mtype);
          if (spec.repeated) ((msg[t.v] ??= []) as unknown[]).push(v);
          else msg[t.v] = v;
        }
      }
      const sepAfter = toks[k];
      if (sepAfter?.t === 'p' && (sepAfter.v === ';' || sepAfter.v === ',')) k++;
    }
    for (const [name, spec] of Object.entries(schema))
      if (spec.required && !(name in msg)) fail(api, `Message type "paddle.framework.${mtype}" is missing required field "${name}".`);
  };
  message(type, into, null);
  return into;
}

function quote(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '"') out += '\\"';
    else if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (c < 0x20 || c === 0x7f) out += '\\' + c.toString(8).padStart(3, '0');
    else out += ch;
  }
  return `"${out}"`;
}

/** Prints a message as protobuf's text_format.MessageToString: fields in number order, 2-space indent. */
export function printTextProto(msg: ProtoMessage, type: string, indent = ''): string {
  const schema = SCHEMA[type];
  const fields = Object.entries(schema).sort((a, b) => a[1].num - b[1].num);
  let out = '';
  for (const [name, spec] of fields) {
    if (!(name in msg) || msg[name] === undefined) continue;
    const vals = spec.repeated ? (msg[name] as unknown[]) : [msg[name]];
    for (const v of vals) {
      if (spec.kind === 'message') out += `${indent}${name} {\n${printTextProto(v as ProtoMessage, spec.message!, indent + '  ')}${indent}}\n`;
      else if (spec.kind === 'string') out += `${indent}${name}: ${quote(String(v))}\n`;
      else out += `${indent}${name}: ${String(v)}\n`;
    }
  }
  return out;
}

/**
 * A data feed description (paddle/fluid/framework/data_feed.proto's DataFeedDesc) read from a
 * text proto file, for the Dataset / train_from_dataset pipeline. Edit it with the setters and
 * print it with desc().
 * @param proto_file the path of a text-format DataFeedDesc
 * @example
 * const feed = new fluid.DataFeedDesc('data.proto');
 * feed.set_batch_size(128); feed.set_dense_slots(['words']); feed.set_use_slots(['words']);
 * console.log(feed.desc());
 */
export class DataFeedDesc {
  /** The message: the fields that are set (`name`, `batch_size`, `multi_slot_desc.slots`...). */
  proto_desc: ProtoMessage = {};
  private nameToIndex: Map<string, number> | null = null;

  constructor(...args: unknown[]) {
    const { proto_file } = parseDesc(...(args as [])) as { proto_file: string };
    const api = 'paddle.fluid.DataFeedDesc';
    let text: string;
    try {
      text = fs.readFileSync(proto_file, 'utf8');
    } catch (e) {
      return fail(api, `cannot read proto_file '${proto_file}': ${(e as Error).message}`, NotFoundError);
    }
    this.proto_desc = { pipe_command: 'cat' };
    parseTextProto(text, 'DataFeedDesc', api, this.proto_desc);
    if (this.proto_desc.name === 'MultiSlotDataFeed') {
      const slots = ((this.proto_desc.multi_slot_desc as ProtoMessage | undefined)?.slots ?? []) as ProtoMessage[];
      this.nameToIndex = new Map(slots.map((s, i) => [s.name as string, i]));
    }
  }

  /**
   * Sets the batch size.
   * @param batch_size the number of samples per batch
   */
  set_batch_size(batch_size: number): void {
    if (!Number.isInteger(batch_size)) fail('DataFeedDesc.set_batch_size', `argument 'batch_size' expected an integer, but got ${describe(batch_size)}`);
    this.proto_desc.batch_size = batch_size;
  }

  /**
   * Makes the named slots dense (fed as Tensors rather than LoDTensors; all slots are sparse
   * by default). Only for a MultiSlotDataFeed.
   * @param dense_slots_name the slot names
   */
  set_dense_slots(dense_slots_name: string[]): void {
    for (const s of this.slotsNamed('set_dense_slots', dense_slots_name)) s.is_dense = true;
  }

  /**
   * Marks the named slots as used for training (no slot is used by default). Only for a
   * MultiSlotDataFeed.
   * @param use_slots_name the slot names
   */
  set_use_slots(use_slots_name: string[]): void {
    for (const s of this.slotsNamed('set_use_slots', use_slots_name)) s.is_used = true;
  }

  /** The description as protobuf text (text_format.MessageToString). */
  desc(): string {
    return printTextProto(this.proto_desc, 'DataFeedDesc');
  }
  toString(): string {
    return this.desc();
  }

  private slotsNamed(method: string, names: unknown): ProtoMessage[] {
    const api = `DataFeedDesc.${method}`;
    if (this.proto_desc.name !== 'MultiSlotDataFeed' || !this.nameToIndex)
      fail(api, `Only MultiSlotDataFeed needs ${method}, please check your datafeed.proto`, InvalidArgumentError);
    const list = typeof names === 'string' ? [names] : names;
    if (!Array.isArray(list) || !list.every((n) => typeof n === 'string')) fail(api, `expected a list of slot names, but got ${describe(names)}`);
    const slots = (this.proto_desc.multi_slot_desc as ProtoMessage).slots as ProtoMessage[];
    return (list as string[]).map((n) => {
      const i = this.nameToIndex!.get(n);
      if (i === undefined) return fail(api, `there is no slot named '${n}' (the slots are ${[...this.nameToIndex!.keys()].join(', ')})`, NotFoundError);
      return slots[i];
    });
  }
}

const parseDesc = defineApi('paddle.fluid.DataFeedDesc', [p('proto_file', T.str)], (a) => a);


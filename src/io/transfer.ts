// Sending objects between threads the way Python's pickle sends them between processes:
// a class instance travels as a reference to its class (a module URL and export name, or a
// path in the paddle namespace) plus its own fields, and is rebuilt on the other side with
// `Object.create(Class.prototype)` and those fields, without running the constructor.
// Tensors, typed arrays, arrays, plain objects, Maps, Sets and primitives travel by value;
// shared references and cycles are kept. Closures cannot travel: a function goes only as a
// reference to a module export (`fn.__module__ = import.meta.url`) or a paddle-ts function.
// A callable instance (a function whose prototype chain is a class's with a `__call__`, as
// paddle-ts transforms are) travels as an instance and is called through `__call__`; an
// object behind a Proxy (a paddle.nn.Layer) cannot travel, since its traps would be lost.
//
// Where a class lives: paddle-ts classes are found in the paddle namespace; a class with an
// own static `__module__` (a module URL or path) lives there; a `paddle.io.Dataset` subclass
// records the module that defines it when it is first constructed (read from the call
// stack). The decoding thread imports those modules and looks the class up by name.
import { isMainThread } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { types } from 'node:util';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { isPlainObject } from '../core/args.js';
import { describe } from '../core/errors.js';
import type { DType, Storage } from '../core/dtype.js';
import { Tensor } from '../core/tensor.js';
import * as paddle from '../paddle.js';

/** A value that cannot be sent to (or from) a worker thread; `message` says why. */
export class Unsendable extends Error {}

/** A reference to a class or function: a paddle namespace path, or a module URL + name. */
export type Ref = { p: string } | { m: string; n: string };

/** Encoded values: primitives as themselves, everything else a node with a kind `t`. */
export type Enc = unknown;

// ---- where classes live ---------------------------------------------------------------------

/** Modules that define classes, recorded when their instances are first built. */
const classModules = new WeakMap<Function, string>();

function toUrl(file: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file)) return file;
  return pathToFileURL(isAbsolute(file) ? file : resolvePath(file)).href;
}

interface CallSiteLike {
  isConstructor(): boolean;
  getFunctionName(): string | null;
  getFileName(): string | undefined | null;
}

/**
 * Records which module defines `cls` (called by constructors of base classes such as
 * paddle.io.Dataset with `new.target`): the file of the stack frame running `cls`'s own
 * constructor. Done once per class.
 */
export function noteClassModule(cls: Function): void {
  if (classModules.has(cls)) return;
  let file = '';
  const prevPrepare = Error.prepareStackTrace;
  const prevLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 64;
    Error.prepareStackTrace = (_e, sites) => sites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, noteClassModule);
    const sites = holder.stack as CallSiteLike[] | undefined;
    for (const s of sites ?? []) {
      if (s.isConstructor() && s.getFunctionName() === cls.name) {
        file = s.getFileName() ?? '';
        break;
      }
    }
  } catch {
    file = '';
  } finally {
    Error.prepareStackTrace = prevPrepare;
    Error.stackTraceLimit = prevLimit;
  }
  classModules.set(cls, file ? toUrl(file) : '');
}

let registry: Map<Function, string> | null = null;
const isNamespace = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && (Object.prototype.toString.call(v) === '[object Module]' || isPlainObject(v));

/** paddle-ts classes and functions by identity -> their path in the paddle namespace (shortest first). */
function paddleRegistry(): Map<Function, string> {
  if (registry) return registry;
  const map = new Map<Function, string>();
  const seen = new Set<unknown>([paddle]);
  let level: [string, Record<string, unknown>][] = [['', paddle as unknown as Record<string, unknown>]];
  for (let depth = 0; depth < 5 && level.length; depth++) {
    const next: [string, Record<string, unknown>][] = [];
    for (const [prefix, ns] of level) {
      for (const k of Object.keys(ns)) {
        if (k === 'default') continue;
        let v: unknown;
        try {
          v = ns[k];
        } catch {
          continue;
        }
        if (typeof v === 'function') {
          if (!map.has(v)) map.set(v, prefix + k);
        } else if (isNamespace(v) && !seen.has(v)) {
          seen.add(v);
          next.push([`${prefix}${k}.`, v]);
        }
      }
    }
    level = next;
  }
  return (registry = map);
}

/** The paddle-ts class or function at a namespace path. */
function fromPaddle(path: string): Function {
  let v: unknown = paddle;
  for (const k of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
  if (typeof v !== 'function') throw new Unsendable(`paddle.${path} is not a class or function of this paddle-ts`);
  return v;
}

let mainUrl: string | null | undefined;
/** The URL of the script node was started with (importing it in a worker would run it again). */
function mainScriptUrl(): string | null {
  if (mainUrl === undefined) mainUrl = isMainThread && process.argv[1] ? toUrl(process.argv[1]) : null;
  return mainUrl;
}

/** Where `fn` (a class or a function) can be found by another thread, or a reason it cannot. */
export function refOf(fn: Function): Ref | string {
  const p = paddleRegistry().get(fn);
  if (p !== undefined) return { p };
  const name = fn.name;
  let m = '';
  if (Object.prototype.hasOwnProperty.call(fn, '__module__') && typeof (fn as { __module__?: unknown }).__module__ === 'string')
    m = toUrl((fn as unknown as { __module__: string }).__module__);
  else m = classModules.get(fn) ?? '';
  const what = typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn)) ? `class ${name || '(anonymous)'}` : `function ${name || '(anonymous)'}`;
  if (!m)
    return `${what} cannot be found by a worker thread: export it from a module file and give it \`static __module__ = import.meta.url\` (for a function: \`fn.__module__ = import.meta.url\`)`;
  if (!name) return `${what} has no name, so a worker thread cannot look it up in ${m}`;
  if (m === mainScriptUrl())
    return `${what} is defined in the main script (${m}), which a worker thread would run again on import: move it to a module of its own`;
  return { m, n: name };
}

// ---- encoding --------------------------------------------------------------------------------

export interface EncodeOptions {
  /** Allow references to classes outside paddle-ts (main -> worker; the worker can import them). */
  userRefs: boolean;
  /** Collects ArrayBuffers to transfer instead of copy: the storage of these tensors. */
  transfer?: { list: ArrayBuffer[]; tensors: WeakSet<Tensor> };
  /** Names the value in messages (`dataset`, `batch`). */
  root: string;
}

type Node = { t: string; i?: number; [k: string]: unknown };

/** A typed array without the rest of a larger buffer it may view (structured clone would copy it all). */
function own<T extends ArrayBufferView>(a: T): T {
  if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) return a;
  return (a as unknown as { slice(): T }).slice();
}

/** Encodes `value` into structured-cloneable data; throws Unsendable saying what cannot travel and where. */
export function encode(value: unknown, opts: EncodeOptions): Enc {
  const ids = new Map<object, number>();
  const rec = (v: unknown, path: string): Enc => {
    switch (typeof v) {
      case 'undefined': case 'number': case 'string': case 'boolean': case 'bigint':
        return v;
      case 'symbol':
        throw new Unsendable(`${path} is a symbol, which cannot be sent to another thread`);
    }
    if (v === null) return null;
    const o = v as object;
    const seen = ids.get(o);
    if (seen !== undefined) return { t: '@', i: seen };
    const i = ids.size;
    ids.set(o, i);
    if (types.isProxy(v)) throw new Unsendable(`${path} is ${describe(v)} behind a Proxy (such as a paddle.nn.Layer), which cannot be rebuilt in another thread`);
    if (typeof v === 'function' && isCallableInstance(v)) return instance(v, i, path, true);
    if (typeof v === 'function') {
      const r = opts.userRefs ? refOf(v) : refOrPaddleOnly(v);
      if (typeof r === 'string') throw new Unsendable(`${path}: ${r}`);
      return { t: 'F', i, c: r };
    }
    if (v instanceof Tensor) {
      let d = v.data;
      if (opts.transfer?.tensors.has(v) && d.byteOffset === 0 && d.byteLength === d.buffer.byteLength && !(d.buffer instanceof SharedArrayBuffer))
        opts.transfer.list.push(d.buffer as ArrayBuffer);
      else d = own(d);
      return { t: 'T', i, d, s: v.dims.slice(), y: v.dtype, g: v.stop_gradient };
    }
    if (ArrayBuffer.isView(v)) return { t: 'R', i, v: own(v) };
    if (v instanceof ArrayBuffer || v instanceof SharedArrayBuffer || v instanceof Date || v instanceof RegExp) return { t: 'R', i, v };
    if (Array.isArray(v)) return { t: 'A', i, v: v.map((x, j) => rec(x, `${path}[${j}]`)) };
    if (v instanceof Map) {
      const k: Enc[] = [];
      const vals: Enc[] = [];
      let j = 0;
      for (const [kk, vv] of v) {
        k.push(rec(kk, `${path} key ${j}`));
        vals.push(rec(vv, `${path}.get(${typeof kk === 'string' ? `'${kk}'` : j})`));
        j++;
      }
      return { t: 'M', i, k, v: vals };
    }
    if (v instanceof Set) return { t: 'S', i, v: [...v].map((x, j) => rec(x, `${path} item ${j}`)) };
    if (v instanceof Error) return { t: 'E', i, n: v.name, m: v.message, s: v.stack ?? '' };
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      return { t: 'O', i, z: Object.getPrototypeOf(v) === null, k: keys, v: keys.map((k) => rec(v[k], `${path}.${k}`)) };
    }
    return instance(o, i, path, false);
  };
  /** A class instance: its class and its own data properties (`call`: a callable instance). */
  const instance = (v: object, i: number, path: string, call: boolean): Enc => {
    const proto = Object.getPrototypeOf(v) as { constructor?: Function } | null;
    const ctor = proto && Object.prototype.hasOwnProperty.call(proto, 'constructor') ? proto.constructor : undefined;
    if (typeof ctor !== 'function') throw new Unsendable(`${path} is ${describe(v)} whose class cannot be identified`);
    const r = opts.userRefs ? refOf(ctor) : refOrPaddleOnly(ctor);
    if (typeof r === 'string') throw new Unsendable(`${path} (${describe(v)}): ${r}`);
    const keys: string[] = [];
    const hidden: string[] = [];
    const vals: Enc[] = [];
    for (const k of Object.getOwnPropertyNames(v)) {
      if (call && (k === 'prototype' || k === 'arguments' || k === 'caller')) continue;
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      if (!('value' in d)) continue;
      keys.push(k);
      if (!d.enumerable) hidden.push(k);
      vals.push(rec(d.value, `${path}.${k}`));
    }
    return { t: 'I', i, c: r, k: keys, h: hidden, v: vals, f: call };
  };
  return rec(value, opts.root);
}

/**
 * A callable instance of a class (the pattern of paddle-ts transforms and DataLoader: a
 * function whose prototype chain is the class's, and whose call runs `__call__`).
 */
function isCallableInstance(v: Function): boolean {
  const proto = Object.getPrototypeOf(v) as { __call__?: unknown } | null;
  if (proto === null || proto === Function.prototype || typeof proto.__call__ !== 'function') return false;
  // a class (a constructor with its own `prototype`) is a reference, not an instance
  return !Object.prototype.hasOwnProperty.call(v, 'prototype');
}

function refOrPaddleOnly(fn: Function): Ref | string {
  const p = paddleRegistry().get(fn);
  if (p !== undefined) return { p };
  return `${describe(fn)} ${fn.name || ''} is not a paddle-ts class or function, and values sent from a worker may only hold data (Tensors, typed arrays, numbers, strings, arrays, plain objects, Maps, Sets)`;
}

// ---- decoding --------------------------------------------------------------------------------

/** Module references inside encoded values (to import before decoding). */
export function moduleRefs(values: Enc[]): { m: string; n: string }[] {
  const out: { m: string; n: string }[] = [];
  const walk = (e: Enc): void => {
    if (e === null || typeof e !== 'object') return;
    const n = e as Node;
    if ((n.t === 'F' || n.t === 'I') && n.c && typeof (n.c as { m?: string }).m === 'string') out.push(n.c as { m: string; n: string });
    for (const k of ['v', 'k'] as const) {
      const x = n[k];
      if (Array.isArray(x)) for (const y of x) walk(y);
    }
  };
  for (const v of values) walk(v);
  return out;
}

/** Looks up `name` among a module's exports (by export name, then by the function's own name). */
export function findExport(mod: Record<string, unknown>, name: string, url: string): Function {
  const direct = mod[name];
  if (typeof direct === 'function') return direct;
  for (const v of Object.values(mod)) if (typeof v === 'function' && v.name === name) return v;
  throw new Unsendable(`${name} is not exported by ${url}, so a worker thread cannot rebuild it: export it from that module`);
}

/** Resolves class/function references; `modules` maps module URLs to their imported namespaces. */
export type Resolver = (r: Ref) => Function;
export function resolverFor(modules: Map<string, Record<string, unknown>> | null): Resolver {
  return (r) => {
    if ('p' in r) return fromPaddle(r.p);
    const mod = modules?.get(r.m);
    if (!mod) throw new Unsendable(`${r.n} lives in ${r.m}, which this thread has not loaded; values sent to the main thread may only hold data`);
    return findExport(mod, r.n, r.m);
  };
}

/** Rebuilds a value encoded by `encode`. */
export function decode(enc: Enc, resolve: Resolver): unknown {
  const objs = new Map<number, unknown>();
  const rec = (e: Enc): unknown => {
    if (e === null || typeof e !== 'object') return e;
    const n = e as Node;
    const reg = <T>(x: T): T => {
      objs.set(n.i as number, x);
      return x;
    };
    switch (n.t) {
      case '@':
        return objs.get(n.i as number);
      case 'T': {
        const t = new Tensor(n.d as Storage, n.s as number[], n.y as DType);
        t.stop_gradient = n.g as boolean;
        return reg(t);
      }
      case 'R':
        return reg(n.v);
      case 'F':
        return reg(resolve(n.c as Ref));
      case 'A': {
        const src = n.v as Enc[];
        const a = reg(new Array<unknown>(src.length));
        for (let j = 0; j < src.length; j++) a[j] = rec(src[j]);
        return a;
      }
      case 'M': {
        const m = reg(new Map<unknown, unknown>());
        const ks = n.k as Enc[];
        const vs = n.v as Enc[];
        for (let j = 0; j < ks.length; j++) m.set(rec(ks[j]), rec(vs[j]));
        return m;
      }
      case 'S': {
        const s = reg(new Set<unknown>());
        for (const x of n.v as Enc[]) s.add(rec(x));
        return s;
      }
      case 'E': {
        const err = reg(new Error(n.m as string));
        err.name = n.n as string;
        err.stack = n.s as string;
        return err;
      }
      case 'O': {
        const o = reg((n.z ? Object.create(null) : {}) as Record<string, unknown>);
        const ks = n.k as string[];
        const vs = n.v as Enc[];
        for (let j = 0; j < ks.length; j++) o[ks[j]] = rec(vs[j]);
        return o;
      }
      case 'I': {
        const cls = resolve(n.c as Ref) as { prototype: object };
        let o: Record<string, unknown>;
        if (n.f) {
          // a callable instance: a function that runs the instance's __call__
          const self = (...args: unknown[]): unknown => (self as unknown as { __call__(...a: unknown[]): unknown }).__call__(...args);
          delete (self as { name?: unknown }).name;
          delete (self as { length?: unknown }).length;
          Object.setPrototypeOf(self, cls.prototype);
          o = reg(self as unknown as Record<string, unknown>);
        } else o = reg(Object.create(cls.prototype) as Record<string, unknown>);
        const ks = n.k as string[];
        const hidden = new Set(n.h as string[]);
        const vs = n.v as Enc[];
        for (let j = 0; j < ks.length; j++)
          Object.defineProperty(o, ks[j], { value: rec(vs[j]), writable: true, configurable: true, enumerable: !hidden.has(ks[j]) });
        return o;
      }
      default:
        throw new Unsendable(`unknown encoded value kind '${String(n.t)}'`);
    }
  };
  return rec(enc);
}

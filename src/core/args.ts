// The one argument parser: Paddle's parameters in Paddle's order, any of them also by name
// in a trailing plain object (see API.md, "Calling convention"). Each parameter has a type
// that checks and converts what the user passed, so bad input fails at the call with the API
// and argument named. `defineApi` wraps an implementation into a public function with it.
import { badArg, describe, fail } from './errors.js';

/** A parameter type: `parse` checks a user value and converts it; `In` is what users may pass. */
export interface Ty<T, In = T> {
  readonly desc: string;
  /** Whether a plain object is a valid value (dict-valued parameters, API.md). */
  readonly dict?: boolean;
  parse(v: unknown, api: string, arg: string): T;
  /** Phantom: the type users may pass. */
  readonly __in?: In;
}

export interface Param<N extends string = string, T = unknown, In = T, O extends boolean = boolean> {
  readonly name: N;
  readonly ty: Ty<T, In>;
  readonly optional: O;
  readonly dflt?: T;
}

/** A required parameter. */
export function p<N extends string, T, In>(name: N, ty: Ty<T, In>): Param<N, T, In, false>;
/** An optional parameter with Paddle's default. */
export function p<N extends string, T, In>(name: N, ty: Ty<T, In>, dflt: T): Param<N, T, In, true>;
export function p(name: string, ty: Ty<unknown>, ...rest: unknown[]): Param {
  return rest.length ? { name, ty, optional: true, dflt: rest[0] } : { name, ty, optional: false };
}

type AnyParam = Param<string, any, any, boolean>;
/** The parsed arguments an implementation receives. */
export type ArgsOf<P extends readonly AnyParam[]> = {
  [E in P[number] as E['name']]: E extends Param<string, infer T, any, any> ? T : never;
};
type InOf<E> = E extends Param<string, any, infer In, any> ? In : never;
/** Keyword arguments: any parameter by name (and `name`, which every API accepts). */
export type KwOf<P extends readonly AnyParam[]> = { [E in P[number] as E['name']]?: InOf<E> } & { name?: string | null };
/** Every prefix of the positional parameters, optionally followed by keywords. */
export type CallArgs<P extends readonly AnyParam[], K = KwOf<P>> = P extends readonly [
  infer H,
  ...infer R extends readonly AnyParam[],
]
  ? [kwargs?: K] | [InOf<H> | undefined, ...CallArgs<R, K>]
  : [kwargs?: K];

export interface ApiInfo {
  /** Full Paddle name, e.g. `paddle.sum`. */
  readonly api: string;
  readonly params: readonly AnyParam[];
  /** Method name on paddle.Tensor, if the API is also a Tensor method. */
  readonly method?: string;
}
/** A public API function; `M` records at the type level whether (and as what) it is a Tensor method. */
export type ApiFn<P extends readonly AnyParam[], R, M = undefined> = ((...args: CallArgs<P>) => R) & {
  readonly info: ApiInfo;
  readonly __params?: P;
  readonly __method?: M;
};
/** The Tensor-method form of an API function: the tensor fills the first parameter. */
export type MethodOf<F> = F extends ApiFn<infer P, infer R, any>
  ? P extends readonly [any, ...infer Rest extends readonly AnyParam[]]
    ? (...args: CallArgs<Rest>) => R
    : never
  : never;
/** The Tensor methods a module of API functions contributes, by method name. */
export type MethodsOf<Mod> = {
  [K in keyof Mod as Mod[K] extends { readonly __method?: infer M }
    ? M extends true ? K : M extends string ? M : never
    : never]: MethodOf<Mod[K]>;
};

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The API whose implementation is running, so deeper errors can name it. */
let currentApi = '';
export function apiName(fallback: string): string {
  return currentApi || fallback;
}

/** Builds the parser for a parameter list. */
export function makeParser(api: string, params: readonly AnyParam[]): (args: readonly unknown[]) => Record<string, unknown> {
  const names = new Set(params.map((q) => q.name));
  return (args) => {
    let n = args.length;
    let kw: Record<string, unknown> | undefined;
    if (n > 0 && isPlainObject(args[n - 1])) {
      const last = args[n - 1] as Record<string, unknown>;
      const keys = Object.keys(last);
      const unknown = keys.filter((k) => !names.has(k) && k !== 'name');
      if (unknown.length === 0 && (keys.length > 0 || !params[n - 1]?.ty.dict)) {
        kw = last;
        n--;
      } else if (!params[n - 1]?.ty.dict) {
        fail(api, `got an unexpected keyword argument '${unknown[0]}' (its parameters are ${params.map((q) => q.name).join(', ')})`);
      }
    }
    if (n > params.length)
      fail(api, `takes at most ${params.length} positional argument${params.length === 1 ? '' : 's'} but ${n} were given`);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < params.length; i++) {
      const q = params[i];
      let v = i < n ? args[i] : undefined;
      if (kw !== undefined && q.name in kw) {
        if (v !== undefined) fail(api, `got multiple values for argument '${q.name}'`);
        v = kw[q.name];
      }
      if (v === undefined) {
        if (!q.optional) fail(api, `missing required argument '${q.name}'`);
        out[q.name] = q.dflt;
      } else out[q.name] = q.ty.parse(v, api, q.name);
    }
    return out;
  };
}

/**
 * Makes a public API function: parses positional + keyword arguments against `params`, then
 * runs `impl`. `opts.method` also makes it a `paddle.Tensor` method (the tensor fills the
 * first parameter); `true` uses the API's own name.
 */
export function defineApi<const P extends readonly AnyParam[], R, const M extends boolean | string | undefined = undefined>(
  api: string,
  params: P,
  impl: (a: ArgsOf<P>) => R,
  opts: { method?: M } = {},
): ApiFn<P, R, M> {
  const parse = makeParser(api, params);
  const fn = (...args: unknown[]): R => {
    const a = parse(args) as ArgsOf<P>;
    const prev = currentApi;
    currentApi = api;
    try {
      return impl(a);
    } finally {
      currentApi = prev;
    }
  };
  const method = opts.method === true ? api.slice(api.lastIndexOf('.') + 1) : typeof opts.method === 'string' ? opts.method : undefined;
  Object.defineProperty(fn, 'info', { value: { api, params, method } satisfies ApiInfo });
  Object.defineProperty(fn, 'name', { value: api.slice(api.lastIndexOf('.') + 1) });
  return fn as unknown as ApiFn<P, R, M>;
}

// ---------------------------------------------------------------------------------------
// Parameter types. Each checks a value and converts it; tensors come from './types.ts'.

function ty<T, In = T>(desc: string, parse: (v: unknown, api: string, arg: string) => T, dict = false): Ty<T, In> {
  return { desc, parse, dict };
}
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export const T = {
  any: ty<unknown>('any value', (v) => v),
  int: ty<number>('an integer', (v, api, arg) => (isInt(v) ? v : badArg(api, arg, 'an integer', v))),
  float: ty<number>('a number', (v, api, arg) => (typeof v === 'number' ? v : badArg(api, arg, 'a number', v))),
  bool: ty<boolean>('a boolean', (v, api, arg) => (typeof v === 'boolean' ? v : badArg(api, arg, 'a boolean', v))),
  str: ty<string>('a string', (v, api, arg) => (typeof v === 'string' ? v : badArg(api, arg, 'a string', v))),
  fn: ty<(...a: any[]) => any>('a function', (v, api, arg) =>
    typeof v === 'function' ? (v as (...a: any[]) => any) : badArg(api, arg, 'a function', v),
  ),
  dict: ty<Record<string, unknown>>(
    'a dict (plain object)',
    (v, api, arg) => (isPlainObject(v) ? v : badArg(api, arg, 'a dict (plain object)', v)),
    true,
  ),
  ints: ty<number[]>('a list of integers', (v, api, arg) =>
    Array.isArray(v) && v.every(isInt) ? (v as number[]).slice() : badArg(api, arg, 'a list of integers', v),
  ),
  floats: ty<number[]>('a list of numbers', (v, api, arg) =>
    Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]).slice() : badArg(api, arg, 'a list of numbers', v),
  ),
  strs: ty<string[]>('a list of strings', (v, api, arg) =>
    Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]).slice() : badArg(api, arg, 'a list of strings', v),
  ),
  /** An int or a list of ints, given to the implementation as a list. */
  intOrInts: ty<number[], number | number[]>('an integer or a list of integers', (v, api, arg) => {
    if (isInt(v)) return [v];
    if (Array.isArray(v) && v.every(isInt)) return (v as number[]).slice();
    return badArg(api, arg, 'an integer or a list of integers', v);
  }),
  /** One of the listed strings. */
  oneOf<const S extends string>(...values: S[]): Ty<S> {
    const desc = `one of ${values.map((s) => `'${s}'`).join(', ')}`;
    return ty<S>(desc, (v, api, arg) => (values.includes(v as S) ? (v as S) : badArg(api, arg, desc, v)));
  },
  /** `inner` or null (Python's None). */
  nullable<X, In>(inner: Ty<X, In>): Ty<X | null, In | null> {
    return { desc: `${inner.desc} or None`, dict: inner.dict, parse: (v, api, arg) => (v === null ? null : inner.parse(v, api, arg)) };
  },
  /** Either of two types, tried in order. */
  union<A, AI, B, BI>(a: Ty<A, AI>, b: Ty<B, BI>): Ty<A | B, AI | BI> {
    const desc = `${a.desc} or ${b.desc}`;
    return {
      desc,
      dict: a.dict || b.dict,
      parse(v, api, arg) {
        for (const t of [a, b] as Ty<A | B>[]) {
          try {
            return t.parse(v, api, arg);
          } catch {
            /* try the next */
          }
        }
        return badArg(api, arg, desc, v);
      },
    };
  },
  /** An instance of a class. */
  instance<C>(cls: abstract new (...a: any[]) => C, desc = `a ${cls.name}`): Ty<C> {
    return ty<C>(desc, (v, api, arg) => (v instanceof cls ? (v as C) : badArg(api, arg, desc, v)));
  },
};

export { describe };

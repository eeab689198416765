// paddle.amp.auto_cast (python/paddle/amp/auto_cast.py and fluid/dygraph/amp/auto_cast.py's
// amp_guard at 2.0). Paddle enables automatic mixed precision only on a CUDAPlace; elsewhere it
// warns that the guard "makes no effect" and runs the body with AMP off. paddle-ts computes on
// the CPU, so the body always runs in float32; the white/black lists are still checked and
// recorded (as the tracer's op lists are) for the duration of the call.
import { makeParser, p, type Ty } from '../core/args.js';
import { T } from '../core/convert.js';
import { describe, fail, PreconditionNotMetError } from '../core/errors.js';
import { state, withContext } from '../core/state.js';

/** Operators AMP runs in float16 (numerically safe, performance critical). */
export const WHITE_LIST: ReadonlySet<string> = new Set(['conv2d', 'matmul', 'matmul_v2', 'mul']);
/** Operators AMP keeps in float32 (numerically dangerous). */
export const BLACK_LIST: ReadonlySet<string> = new Set([
  'exp', 'square', 'log', 'mean', 'sum', 'cos_sim', 'softmax', 'softmax_with_cross_entropy',
  'sigmoid_cross_entropy_with_logits', 'cross_entropy', 'cross_entropy2',
]);

/** The tracer's AMP state (`_enable_autocast` and the op lists), saved and restored by auto_cast. */
export const ampState: { enable: boolean; white: ReadonlySet<string>; black: ReadonlySet<string> } = {
  enable: false,
  white: WHITE_LIST,
  black: BLACK_LIST,
};

const warned = new Set<string>();
/** A UserWarning shown once per process (Python shows a warning once per call site). */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, 'UserWarning');
}

/** Paddle's `@dygraph_only`. */
export function dygraphOnly(api: string, fn: string): void {
  if (state.staticMode)
    fail(api, `We only support '${fn}()' in dynamic graph mode, please call 'paddle.disable_static()' to enter dynamic graph mode.`, PreconditionNotMetError);
}

/** Python's `_update_list`: the default lists with the custom ones moved across. */
function updateList(api: string, white: string[] | null, black: string[] | null): [Set<string>, Set<string>] {
  const w = new Set(WHITE_LIST);
  const b = new Set(BLACK_LIST);
  if (white && black) for (const op of white) if (black.includes(op)) fail(api, 'Custom white list overlap custom black list');
  for (const op of white ?? []) {
    b.delete(op);
    w.add(op);
  }
  for (const op of black ?? []) {
    w.delete(op);
    b.add(op);
  }
  return [w, b];
}

/** A set or list of operator names (None allowed). */
const opListTy: Ty<string[] | null, Iterable<string> | null> = {
  desc: 'a set or list of operator names',
  parse: (v, api, arg) => {
    if (v === null) return null;
    const items = v instanceof Set ? [...v] : Array.isArray(v) ? v : null;
    if (!items || !items.every((s) => typeof s === 'string')) return fail(api, `argument '${arg}' expected a set or list of operator names, but got ${describe(v)}`);
    return items as string[];
  },
};

const API = 'paddle.amp.auto_cast';
const parse = makeParser(API, [p('enable', T.bool, true), p('custom_white_list', opListTy, null), p('custom_black_list', opListTy, null)]);

type Kw = { enable?: boolean; custom_white_list?: Iterable<string> | null; custom_black_list?: Iterable<string> | null };

/**
 * Runs `func` with automatic mixed precision, Python's `with paddle.amp.auto_cast(...):`, and
 * returns its result (a promise keeps the context until it settles). AMP needs a CUDAPlace:
 * here, as in Paddle without one, enabling it warns once that it makes no effect and `func`
 * runs in float32.
 * @param enable enable AMP (true)
 * @param custom_white_list operator types to run in float16 besides the defaults
 * @param custom_black_list operator types to keep in float32 besides the defaults
 * @example
 * const y = paddle.amp.auto_cast(() => conv(x));                     // float32 on the CPU
 * paddle.amp.auto_cast({ custom_black_list: ['conv2d'] }, () => conv(x));
 */
export function auto_cast<R>(func: () => R): R;
export function auto_cast<R>(kwargs: Kw, func: () => R): R;
export function auto_cast<R>(enable: boolean, func: () => R): R;
export function auto_cast<R>(enable: boolean, kwargs: Kw, func: () => R): R;
export function auto_cast<R>(enable: boolean, custom_white_list: Iterable<string> | null, func: () => R): R;
export function auto_cast<R>(enable: boolean, custom_white_list: Iterable<string> | null, custom_black_list: Iterable<string> | null, func: () => R): R;
export function auto_cast(...args: unknown[]): unknown {
  const func = args.pop();
  if (typeof func !== 'function')
    return fail(API, `expected a function to run inside the context as the last argument: paddle.amp.auto_cast(() => {...}), but got ${describe(func)}`);
  const a = parse(args) as { enable: boolean; custom_white_list: string[] | null; custom_black_list: string[] | null };
  dygraphOnly(API, 'auto_cast');
  let enable = a.enable;
  if (enable) {
    warnOnce('amp_guard can only be enabled on CUDAPlace, current place is CPUPlace, so it makes no effect.');
    enable = false;
  }
  let white = WHITE_LIST;
  let black = BLACK_LIST;
  if ((a.custom_white_list && a.custom_white_list.length) || (a.custom_black_list && a.custom_black_list.length))
    [white, black] = updateList(API, a.custom_white_list, a.custom_black_list);
  return withContext(
    () => {
      const prev = { ...ampState };
      Object.assign(ampState, { enable, white, black });
      return prev;
    },
    (prev) => void Object.assign(ampState, prev),
    func as () => unknown,
  );
}

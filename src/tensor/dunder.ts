// Python's operator methods of paddle.Tensor (`__add__`, `__radd__`, `__eq__`, `__matmul__`,
// `__getitem__`...), so code ported from Paddle that calls them directly works. JS has no
// operator overloading: `a + b` is `a.add(b)` (or `a.__add__(b)`). They are Tensor methods
// only, not paddle.* functions.
import { defineApi, p } from '../core/args.js';
import { T } from '../core/convert.js';
import { run1 } from '../core/dispatch.js';
import type { Tensor } from '../core/tensor.js';
import { operands } from './binary.js';
import { getitem, setitem } from './indexing.js';
import { matmul } from './linalg.js';
import { equal, greater_equal, greater_than, less_equal, less_than, not_equal } from './logic.js';
import { add, divide, floor_divide, mod, multiply, subtract } from './math.js';
import { neg } from './unary.js';

type Operand = Tensor | number | boolean;
const xy = [p('x', T.tensor), p('y', T.tensorOrScalar)] as const;

function op<const M extends string>(method: M, f: (x: Operand, y: Operand) => Tensor, reflected = false) {
  return defineApi(`paddle.Tensor.${method}`, xy, (a): Tensor => (reflected ? f(a.y, a.x) : f(a.x, a.y)), { method });
}
const call = (fn: unknown) => fn as (x: Operand, y: Operand) => Tensor;
// x ** y with a scalar base or exponent (elementwise_pow after Paddle's operand rules)
const power = (x: Operand, y: Operand): Tensor => {
  const [a, b] = operands(x, y);
  return run1('elementwise_pow', { X: [a], Y: [b] }, { axis: -1 });
};

export const __add__ = op('__add__', call(add));
export const __radd__ = op('__radd__', call(add), true);
export const __sub__ = op('__sub__', call(subtract));
export const __rsub__ = op('__rsub__', call(subtract), true);
export const __mul__ = op('__mul__', call(multiply));
export const __rmul__ = op('__rmul__', call(multiply), true);
export const __div__ = op('__div__', call(divide));
export const __truediv__ = op('__truediv__', call(divide));
export const __rdiv__ = op('__rdiv__', call(divide), true);
export const __rtruediv__ = op('__rtruediv__', call(divide), true);
export const __pow__ = op('__pow__', power);
export const __rpow__ = op('__rpow__', power, true);
export const __floordiv__ = op('__floordiv__', call(floor_divide));
export const __mod__ = op('__mod__', call(mod));
export const __matmul__ = op('__matmul__', call(matmul));
export const __eq__ = op('__eq__', call(equal));
export const __ne__ = op('__ne__', call(not_equal));
export const __lt__ = op('__lt__', call(less_than));
export const __le__ = op('__le__', call(less_equal));
export const __gt__ = op('__gt__', call(greater_than));
export const __ge__ = op('__ge__', call(greater_equal));
export const __neg__ = defineApi('paddle.Tensor.__neg__', [p('x', T.tensor)], (a): Tensor => neg(a.x), { method: '__neg__' });

/** `x.__getitem__(index)` is getitem with Python's single (tuple) argument. */
export const __getitem__ = defineApi('paddle.Tensor.__getitem__', [p('x', T.tensor), p('item', T.any)], (a): Tensor =>
  (getitem as unknown as (x: Tensor, ...i: unknown[]) => Tensor)(a.x, ...(Array.isArray(a.item) ? a.item : [a.item])), { method: '__getitem__' });
/** `x.__setitem__(index, value)` is setitem. */
export const __setitem__ = defineApi('paddle.Tensor.__setitem__', [p('x', T.tensor), p('item', T.any), p('value', T.any)], (a): Tensor =>
  (setitem as unknown as (x: Tensor, i: unknown, v: unknown) => Tensor)(a.x, a.item, a.value), { method: '__setitem__' });

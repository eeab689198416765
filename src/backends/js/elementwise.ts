// Portable kernels of the elementwise binary operators (real dtypes; complex has its own).
import { isComplex, isFloating } from '../../core/dtype.js';
import { registerKernel, Slots } from '../../core/registry.js';
import type { Meta, Tensor } from '../../core/tensor.js';
import { alignY } from '../../ops/util.js';
import { binaryLoop, BinaryLoop, nums, outNumbers, tensorOf } from './loops.js';

/** Python-style modulo: the result takes the divisor's sign. */
function pymod(x: number, y: number): number {
  const r = x % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
}

function binaryKernel(type: string, floatExpr: string, intExpr = floatExpr, env: Record<string, unknown> = {}): void {
  const fl: BinaryLoop = binaryLoop(floatExpr, env);
  const il: BinaryLoop = intExpr === floatExpr ? fl : binaryLoop(intExpr, env);
  registerKernel(type, 'js', (ins: Slots<Tensor>, attrs, outs: Slots<Meta>) => {
    const x = ins.X[0];
    const y = ins.Y[0];
    if (isComplex(x.dtype)) return undefined;
    const o = outs.Out[0];
    const res = outNumbers(o.dtype, o.dims);
    const loop = isFloating(x.dtype) ? fl : il;
    loop(nums(x), x.dims, nums(y), alignY(x.dims, y.dims, attrs.axis, type), res, o.dims);
    return { Out: [tensorOf(res, o.dims.slice(), o.dtype)] };
  });
}

binaryKernel('elementwise_add', 'x + y');
binaryKernel('elementwise_sub', 'x - y');
binaryKernel('elementwise_mul', 'x * y');
// Integer division truncates toward zero, as C++ does.
binaryKernel('elementwise_div', 'x / y', 'Math.trunc(x / y)');
binaryKernel('elementwise_pow', 'Math.pow(x, y)', 'Math.trunc(Math.pow(x, y))');
// NaN handling as Paddle's functors: `a > b ? a : b`.
binaryKernel('elementwise_max', 'x > y ? x : y');
binaryKernel('elementwise_min', 'x < y ? x : y');
// Paddle 2.0's floor_divide truncates toward zero.
binaryKernel('elementwise_floordiv', 'Math.trunc(x / y)');
binaryKernel('elementwise_mod', 'pymod(x, y)', 'pymod(x, y)', { pymod });

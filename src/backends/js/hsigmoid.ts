// Portable kernels of `hierarchical_sigmoid` and its gradient (see src/ops/hsigmoid.ts). Each
// sample's path (default tree from its label, or a row of PathTable/PathCode) is walked once
// per kernel: dot products of x with the path's rows of W, softplus, and for the gradient
// (sigmoid(z) - bit) scattered into dX, dW and dBias.
import { toNumbers } from '../../core/dtype.js';
import { apiName } from '../../core/args.js';
import { fail, NotFoundError } from '../../core/errors.js';
import { opFail } from '../../ops/util.js';
import { registerKernel } from '../../core/registry.js';
import { Tensor } from '../../core/tensor.js';
import { findLastSet } from '../../ops/hsigmoid.js';

type Arr = Float32Array | Float64Array;
const alloc = (dtype: string, n: number): Arr => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));

/** The path of every sample: nodes[i*L + j], bits, and the path lengths. */
interface Paths {
  L: number;
  len: Int32Array;
  node: Int32Array;
  bit: Uint8Array;
}

function pathsOf(ins: Record<string, Tensor[]>, attrs: Record<string, unknown>, N: number, K: number, op: string): Paths {
  const table = ins.PathTable?.[0];
  const code = ins.PathCode?.[0];
  if (table && code) {
    const L = table.dims[1];
    const pt = toNumbers(table.data, table.dtype);
    const pc = toNumbers(code.data, code.dtype);
    const len = new Int32Array(N);
    const node = new Int32Array(N * L);
    const bit = new Uint8Array(N * L);
    for (let i = 0; i < N; i++) {
      let j = 0;
      for (; j < L; j++) {
        const v = pt[i * L + j];
        if (v < 0) break;
        if (v >= K) opFail(op, `path_table[${i}][${j}] = ${v} is out of range: the weight has ${K} rows`);
        node[i * L + j] = v;
        bit[i * L + j] = pc[i * L + j] ? 1 : 0;
      }
      len[i] = j;
    }
    return { L, len, node, bit };
  }
  const nc = Number(attrs.num_classes);
  const L = findLastSet(nc - 1);
  const label = toNumbers(ins.Label[0].data, ins.Label[0].dtype);
  const len = new Int32Array(N);
  const node = new Int32Array(N * L);
  const bit = new Uint8Array(N * L);
  for (let i = 0; i < N; i++) {
    const y = label[i];
    if (!(Number.isInteger(y) && y >= 0 && y < nc)) opFail(op, `label ${y} of sample ${i} is outside [0, ${nc}) (num_classes)`);
    const cc = y + nc;
    const n = findLastSet(cc) - 1;
    len[i] = n;
    for (let j = 0; j < n; j++) {
      node[i * L + j] = Math.floor(cc / 2 ** (j + 1)) - 1;
      bit[i * L + j] = Math.floor(cc / 2 ** j) % 2;
    }
  }
  return { L, len, node, bit };
}

registerKernel('hierarchical_sigmoid', 'js', (ins, attrs) => {
  const op = 'hierarchical_sigmoid';
  const x = ins.X[0];
  const dtype = x.dtype;
  if (dtype !== 'float32' && dtype !== 'float64') return undefined;
  const [N, D] = x.dims;
  const w = ins.W[0];
  const K = w.dims[0];
  const P = pathsOf(ins, attrs, N, K, op);
  const xv = x.data as Arr;
  const wv = w.data as Arr;
  const bv = (ins.Bias?.[0]?.data as Arr | undefined) ?? null;
  const { L } = P;
  const pre = alloc(dtype, N * L);
  const out = alloc(dtype, N);
  for (let i = 0; i < N; i++) {
    let sum = 0;
    let bits = 0;
    for (let j = 0; j < L; j++) {
      let z = 0;
      if (j < P.len[i]) {
        const k = P.node[i * L + j];
        const wo = k * D;
        const xo = i * D;
        let s = bv ? bv[k] : 0;
        for (let q = 0; q < D; q++) s += wv[wo + q] * xv[xo + q];
        z = s < -40 ? -40 : s > 40 ? 40 : s;
        if (P.bit[i * L + j]) bits += z;
      }
      // softplus, also for the steps past a shorter path (z = 0: log 2), as Paddle's kernel
      const sp = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
      pre[i * L + j] = sp;
      sum += sp;
    }
    out[i] = sum - bits;
  }
  return {
    Out: [new Tensor(out, [N, 1], dtype)],
    PreOut: [new Tensor(pre, [N, L], dtype)],
    W_Out: [new Tensor(w.data, w.dims.slice(), w.dtype)],
  };
});

registerKernel('hierarchical_sigmoid_grad', 'js', (ins, attrs) => {
  const op = 'hierarchical_sigmoid_grad';
  const x = ins.X[0];
  const dtype = x.dtype;
  if (dtype !== 'float32' && dtype !== 'float64') return undefined;
  const [N, D] = x.dims;
  const w = ins.W[0];
  const K = w.dims[0];
  if (attrs.is_sparse && !ins.PathTable?.[0]) fail(apiName(op), 'Custom tree must be set for sparse mode! (is_sparse needs path_table and path_code)', NotFoundError);
  const P = pathsOf(ins, attrs, N, K, op);
  const { L } = P;
  const xv = x.data as Arr;
  const wv = w.data as Arr;
  const pre = toNumbers(ins.PreOut[0].data, dtype);
  const og = toNumbers(ins['Out@GRAD'][0].data, ins['Out@GRAD'][0].dtype);
  const dx = alloc(dtype, N * D);
  const dw = alloc(dtype, K * D);
  const b = ins.Bias?.[0];
  const db = b ? alloc(dtype, b.data.length) : null;
  for (let i = 0; i < N; i++) {
    const xo = i * D;
    for (let j = 0; j < P.len[i]; j++) {
      // PreOut = softplus(z), so 1 - 1/exp(PreOut) = sigmoid(z)
      const g = (1 - Math.exp(-pre[i * L + j]) - P.bit[i * L + j]) * og[i];
      const k = P.node[i * L + j];
      const wo = k * D;
      if (db) db[k] += g;
      for (let q = 0; q < D; q++) {
        dw[wo + q] += g * xv[xo + q];
        dx[xo + q] += g * wv[wo + q];
      }
    }
  }
  const res: Record<string, Tensor[]> = {
    'X@GRAD': [new Tensor(dx, x.dims.slice(), dtype)],
    'W@GRAD': [new Tensor(dw, w.dims.slice(), dtype)],
  };
  if (b && db) res['Bias@GRAD'] = [new Tensor(db, b.dims.slice(), dtype)];
  return res;
});

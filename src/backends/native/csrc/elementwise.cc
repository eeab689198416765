// Node-API entry points of the elementwise family (binary ops with bias-style broadcasting,
// relu/sigmoid/tanh/exp, relu_grad, softmax-with-cross-entropy forward and backward over the
// last axis with hard labels, reduce_sum over leading axes, and the fused sgd / momentum /
// adam updates). The vector code lives in elementwise_impl.inc (one copy per ISA, picked to
// match pt::active()); large work is split over the thread pool, small work stays on the
// calling thread. Registered on the addon's exports by register_elementwise (addon.cc).
#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#ifndef NAPI_DISABLE_CPP_EXCEPTIONS
#define NAPI_DISABLE_CPP_EXCEPTIONS
#endif
#include <napi.h>
#include <math.h>
#include <string.h>

#include <string>

#include "common.h"
#include "napi_args.h"
#include "elementwise.h"

namespace pt {

namespace {

const EwTable& ew() {
#if defined(PT_X86)
  const char* n = active().name;
  if (strcmp(n, "avx512") == 0) return avx512::ew_table;
  if (strcmp(n, "avx2") == 0) return avx2::ew_table;
#endif
  return generic::ew_table;
}

/**
 * Elements per task of the memory-bound loops (add, relu_grad, updates, sums): one core
 * already streams near the memory bandwidth, so they split only when very large (waking the
 * pool costs more than it saves below that, and far more on a loaded machine). The
 * transcendental loops (exp, tanh, sigmoid, softmax) are compute-bound and split from kMathGrain.
 */
const idx kGrain = 1 << 20;
const idx kMathGrain = 1 << 14;

/** Runs body(s, e) over [0, n) in chunks on the pool when n is large. */
template <class F>
void split(idx n, idx grain, const F& body) {
  const int nt = available_threads();
  if (n < 2 * grain || nt <= 1) {
    if (n > 0) body((idx)0, n);
    return;
  }
  idx tasks = n / grain;
  if (tasks > 4 * nt) tasks = 4 * nt;
  struct Ctx {
    const F* body;
    idx n, tasks;
  } ctx{&body, n, tasks};
  parallel_for(
      tasks,
      [](void* c, idx t, int) {
        const Ctx& x = *static_cast<Ctx*>(c);
        const idx s = x.n * t / x.tasks, e = x.n * (t + 1) / x.tasks;
        (*x.body)(s, e);
      },
      &ctx);
}

using pt::Arr;
using pt::arr;
using pt::DT;
using pt::fail;

/** Arguments 0..n-1 as float arrays of one dtype, argument n a Float64Array of >= np parameters. */
bool args(const Napi::CallbackInfo& info, size_t n, Arr* a, DT& dt, const double*& p, size_t np, const char* fn) {
  for (size_t i = 0; i < n; i++) {
    a[i] = arr(info[i]);
    if (!a[i].ok || (a[i].dt != DT::F32 && a[i].dt != DT::F64)) {
      fail(info.Env(), std::string(fn) + ": argument " + std::to_string(i) + " must be a float32/float64 array");
      return false;
    }
    if (a[i].dt != a[0].dt) {
      fail(info.Env(), std::string(fn) + ": arrays of one dtype expected");
      return false;
    }
  }
  dt = a[0].dt;
  Arr pa = arr(info[n]);
  if (!pa.ok || pa.dt != DT::F64 || pa.length < np) {
    fail(info.Env(), std::string(fn) + ": a Float64Array of at least " + std::to_string(np) + " parameters expected");
    return false;
  }
  p = static_cast<const double*>(pa.data);
  return true;
}

/** binary(x, y, out, p = [op, total, n, post]): out[i] = x[i] op y[(i / post) % n]. */
Napi::Value Binary(const Napi::CallbackInfo& info) {
  Arr a[3];
  DT dt;
  const double* p;
  if (!args(info, 3, a, dt, p, 4, "ewBinary")) return info.Env().Undefined();
  const int op = (int)p[0];
  const idx total = (idx)p[1], n = (idx)p[2], post = (idx)p[3];
  if (op < 0 || op > 5 || total < 0 || n < 1 || post < 1) return fail(info.Env(), "ewBinary: bad parameters");
  if (a[0].length < (size_t)total || a[2].length < (size_t)total || a[1].length < (size_t)n || (total > 0 && (size_t)(n * post) > (size_t)total))
    return fail(info.Env(), "ewBinary: arrays too short");
  const EwTable& t = ew();
  if (dt == DT::F32)
    split(total, kGrain, [&](idx s, idx e) { t.bin_f32(op, (const float*)a[0].data, (const float*)a[1].data, (float*)a[2].data, n, post, s, e); });
  else
    split(total, kGrain, [&](idx s, idx e) { t.bin_f64(op, (const double*)a[0].data, (const double*)a[1].data, (double*)a[2].data, n, post, s, e); });
  return info.Env().Undefined();
}

/** unary(x, out, p = [op, n]). */
Napi::Value Unary(const Napi::CallbackInfo& info) {
  Arr a[2];
  DT dt;
  const double* p;
  if (!args(info, 2, a, dt, p, 2, "ewUnary")) return info.Env().Undefined();
  const int op = (int)p[0];
  const idx n = (idx)p[1];
  if (op < 0 || op > 3 || n < 0) return fail(info.Env(), "ewUnary: bad parameters");
  if (a[0].length < (size_t)n || a[1].length < (size_t)n) return fail(info.Env(), "ewUnary: arrays too short");
  const EwTable& t = ew();
  const idx grain = op == EW_RELU ? kGrain : kMathGrain;
  if (dt == DT::F32)
    split(n, grain, [&](idx s, idx e) { t.un_f32(op, (const float*)a[0].data, (float*)a[1].data, s, e); });
  else
    split(n, grain, [&](idx s, idx e) { t.un_f64(op, (const double*)a[0].data, (double*)a[1].data, s, e); });
  return info.Env().Undefined();
}

/** reluGrad(out, dout, dx, p = [n]). */
Napi::Value ReluGrad(const Napi::CallbackInfo& info) {
  Arr a[3];
  DT dt;
  const double* p;
  if (!args(info, 3, a, dt, p, 1, "reluGrad")) return info.Env().Undefined();
  const idx n = (idx)p[0];
  if (n < 0 || a[0].length < (size_t)n || a[1].length < (size_t)n || a[2].length < (size_t)n) return fail(info.Env(), "reluGrad: arrays too short");
  const EwTable& t = ew();
  if (dt == DT::F32)
    split(n, kGrain, [&](idx s, idx e) { t.relu_grad_f32((const float*)a[0].data, (const float*)a[1].data, (float*)a[2].data, s, e); });
  else
    split(n, kGrain, [&](idx s, idx e) { t.relu_grad_f64((const double*)a[0].data, (const double*)a[1].data, (double*)a[2].data, s, e); });
  return info.Env().Undefined();
}

/**
 * softmaxCE(logits, label (BigInt64Array), softmax, loss, p = [rows, C, ignore]): returns -1,
 * or the first row whose label is out of range (the caller then lets the portable kernel
 * raise the error).
 */
Napi::Value SoftmaxCE(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Arr x = arr(info[0]), l = arr(info[1]), sm = arr(info[2]), loss = arr(info[3]), pa = arr(info[4]);
  if (!x.ok || !sm.ok || !loss.ok || (x.dt != DT::F32 && x.dt != DT::F64) || sm.dt != x.dt || loss.dt != x.dt) return fail(env, "softmaxCE: float arrays of one dtype expected");
  if (!l.ok || l.dt != DT::I64) return fail(env, "softmaxCE: a BigInt64Array of labels expected");
  if (!pa.ok || pa.dt != DT::F64 || pa.length < 3) return fail(env, "softmaxCE: parameters expected");
  const double* p = (const double*)pa.data;
  const idx rows = (idx)p[0], C = (idx)p[1];
  const int64_t ignore = (int64_t)p[2];
  if (rows < 0 || C < 1) return fail(env, "softmaxCE: bad parameters");
  const size_t tot = (size_t)(rows * C);
  if (x.length < tot || sm.length < tot || l.length < (size_t)rows || loss.length < (size_t)rows) return fail(env, "softmaxCE: arrays too short");
  const EwTable& t = ew();
  // rows are independent: split when the work is large; any bad row is reported
  idx bad = -1;
  struct Ctx {
    const EwTable* t;
    Arr *x, *l, *sm, *loss;
    idx rows, C, tasks;
    int64_t ignore;
    idx bad[1024];
  };
  const int nt = available_threads();
  idx tasks = tot >= (size_t)kMathGrain * 2 && nt > 1 && rows > 1 ? (rows < 4 * nt ? rows : 4 * nt) : 1;
  if (tasks > 1024) tasks = 1024;
  Ctx ctx{&t, &x, &l, &sm, &loss, rows, C, tasks, ignore, {}};
  TaskFn fn = [](void* c, idx k, int) {
    Ctx& q = *static_cast<Ctx*>(c);
    const idx r0 = q.rows * k / q.tasks, r1 = q.rows * (k + 1) / q.tasks;
    if (q.x->dt == DT::F32)
      q.bad[k] = q.t->sce_f32((const float*)q.x->data, (const int64_t*)q.l->data, (float*)q.sm->data, (float*)q.loss->data, q.C, q.ignore, r0, r1);
    else
      q.bad[k] = q.t->sce_f64((const double*)q.x->data, (const int64_t*)q.l->data, (double*)q.sm->data, (double*)q.loss->data, q.C, q.ignore, r0, r1);
  };
  if (tasks == 1)
    fn(&ctx, 0, 0);
  else
    parallel_for(tasks, fn, &ctx);
  for (idx k = 0; k < tasks; k++)
    if (ctx.bad[k] >= 0) {
      bad = ctx.bad[k];
      break;
    }
  return Napi::Number::New(env, (double)bad);
}

template <class T>
idx sce_grad(const T* sm, const int64_t* label, const T* dl, T* g, idx rows, idx C, int64_t ignore) {
  for (idx r = 0; r < rows; r++) {
    const int64_t l = label[r];
    T* gr = g + r * C;
    const T* sr = sm + r * C;
    if (l == ignore) {
      memset(gr, 0, sizeof(T) * C);
      continue;
    }
    if (l < 0 || l >= C) return r;
    const T d = dl[r];
#pragma omp simd
    for (idx i = 0; i < C; i++) gr[i] = d * sr[i];
    gr[l] -= d;
  }
  return -1;
}

/** softmaxCEGrad(softmax, label, dloss, dlogits, p = [rows, C, ignore]): -1 or a bad row. */
Napi::Value SoftmaxCEGrad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Arr sm = arr(info[0]), l = arr(info[1]), dl = arr(info[2]), g = arr(info[3]), pa = arr(info[4]);
  if (!sm.ok || !dl.ok || !g.ok || (sm.dt != DT::F32 && sm.dt != DT::F64) || dl.dt != sm.dt || g.dt != sm.dt) return fail(env, "softmaxCEGrad: float arrays of one dtype expected");
  if (!l.ok || l.dt != DT::I64) return fail(env, "softmaxCEGrad: a BigInt64Array of labels expected");
  if (!pa.ok || pa.dt != DT::F64 || pa.length < 3) return fail(env, "softmaxCEGrad: parameters expected");
  const double* p = (const double*)pa.data;
  const idx rows = (idx)p[0], C = (idx)p[1];
  const int64_t ignore = (int64_t)p[2];
  if (rows < 0 || C < 1) return fail(env, "softmaxCEGrad: bad parameters");
  const size_t tot = (size_t)(rows * C);
  if (sm.length < tot || g.length < tot || l.length < (size_t)rows || dl.length < (size_t)rows) return fail(env, "softmaxCEGrad: arrays too short");
  idx bad;
  if (sm.dt == DT::F32)
    bad = sce_grad((const float*)sm.data, (const int64_t*)l.data, (const float*)dl.data, (float*)g.data, rows, C, ignore);
  else
    bad = sce_grad((const double*)sm.data, (const int64_t*)l.data, (const double*)dl.data, (double*)g.data, rows, C, ignore);
  return Napi::Number::New(env, (double)bad);
}

template <class T>
void sum_rows(const T* __restrict x, T* __restrict out, idx R, idx C, idx c0, idx c1) {
  // out[c] = sum over r of x[r*C + c], accumulated in double (as the portable kernel) in blocks of columns
  const idx B = 256;
  double acc[B];
  for (idx cb = c0; cb < c1; cb += B) {
    const idx w = c1 - cb < B ? c1 - cb : B;
    for (idx j = 0; j < w; j++) acc[j] = 0;
    for (idx r = 0; r < R; r++) {
      const T* xr = x + r * C + cb;
#pragma omp simd
      for (idx j = 0; j < w; j++) acc[j] += (double)xr[j];
    }
    for (idx j = 0; j < w; j++) out[cb + j] = (T)acc[j];
  }
}

template <class T>
void sum_mid(const T* __restrict x, T* __restrict out, idx R, idx C, idx B, idx c0, idx c1) {
  // out[c] = sum over r, b of x[(r*C + c)*B + b]: each (r, c) is a contiguous run of B
  for (idx c = c0; c < c1; c++) {
    double s = 0;
    for (idx r = 0; r < R; r++) {
      const T* xr = x + (r * C + c) * B;
#pragma omp simd reduction(+ : s)
      for (idx b = 0; b < B; b++) s += (double)xr[b];
    }
    out[c] = (T)s;
  }
}

/**
 * sumRows(x, out, p = [R, C, B]): out[c] = sum over r, b of x[r, c, b] (B = 1: column sums of
 * [R, C]; C = 1 and B = 1: the full sum). B > 1 is a reduction around kept middle axes (the
 * bias gradient of a convolution: x [N, C, H*W]).
 */
Napi::Value SumRows(const Napi::CallbackInfo& info) {
  Arr a[2];
  DT dt;
  const double* p;
  if (!args(info, 2, a, dt, p, 3, "sumRows")) return info.Env().Undefined();
  const idx R = (idx)p[0], C = (idx)p[1], B = (idx)p[2];
  if (R < 0 || C < 0 || B < 1 || a[0].length < (size_t)(R * C * B) || a[1].length < (size_t)C) return fail(info.Env(), "sumRows: arrays too short");
  if (B > 1) {
    const idx grain = R * B > 0 ? (kGrain / (R * B) > 1 ? kGrain / (R * B) : 1) : C;
    if (dt == DT::F32)
      split(C, grain, [&](idx s, idx e) { sum_mid((const float*)a[0].data, (float*)a[1].data, R, C, B, s, e); });
    else
      split(C, grain, [&](idx s, idx e) { sum_mid((const double*)a[0].data, (double*)a[1].data, R, C, B, s, e); });
    return info.Env().Undefined();
  }
  if (C == 1) {
    // full reduction: pairwise-friendly blocked double accumulation
    double s = 0;
    if (dt == DT::F32) {
      const float* x = (const float*)a[0].data;
#pragma omp simd reduction(+ : s)
      for (idx i = 0; i < R; i++) s += (double)x[i];
      ((float*)a[1].data)[0] = (float)s;
    } else {
      const double* x = (const double*)a[0].data;
#pragma omp simd reduction(+ : s)
      for (idx i = 0; i < R; i++) s += x[i];
      ((double*)a[1].data)[0] = s;
    }
    return info.Env().Undefined();
  }
  const idx grain = R > 0 ? (kGrain / R > 64 ? kGrain / R : 64) : C;
  if (dt == DT::F32)
    split(C, grain, [&](idx s, idx e) { sum_rows((const float*)a[0].data, (float*)a[1].data, R, C, s, e); });
  else
    split(C, grain, [&](idx s, idx e) { sum_rows((const double*)a[0].data, (double*)a[1].data, R, C, s, e); });
  return info.Env().Undefined();
}

/**
 * update(kind, param, grad, a, b, p): kind 0 sgd p=[n, lr]; 1 momentum (a = velocity)
 * p=[n, lr, mu, rescale, l2, nesterov]; 2 adam (a, b = moments) p=[n, lr', beta1, beta2, epsHat].
 */
template <class T>
void update(int kind, T* __restrict w, const T* __restrict g, T* __restrict a, T* __restrict b, const double* p, idx s, idx e) {
  if (kind == 0) {
    const double lr = p[1];
#pragma omp simd
    for (idx i = s; i < e; i++) w[i] = (T)((double)w[i] - lr * (double)g[i]);
  } else if (kind == 1) {
    const double lr = p[1], mu = p[2], rs = p[3], l2 = p[4];
    if (p[5] != 0) {
#pragma omp simd
      for (idx i = s; i < e; i++) {
        const double gi = (double)g[i] * rs + l2 * (double)w[i];
        const double vi = mu * (double)a[i] + gi;
        a[i] = (T)vi;
        w[i] = (T)((double)w[i] - (gi + mu * vi) * lr);
      }
    } else {
#pragma omp simd
      for (idx i = s; i < e; i++) {
        const double gi = (double)g[i] * rs + l2 * (double)w[i];
        const double vi = mu * (double)a[i] + gi;
        a[i] = (T)vi;
        w[i] = (T)((double)w[i] - lr * vi);
      }
    }
  } else {
    const double lr = p[1], b1 = p[2], b2 = p[3], eh = p[4];
    const double c1 = 1 - p[2], c2 = 1 - p[3];
#pragma omp simd
    for (idx i = s; i < e; i++) {
      const double gi = (double)g[i];
      const double mi = b1 * (double)a[i] + c1 * gi;
      const double vi = b2 * (double)b[i] + c2 * gi * gi;
      a[i] = (T)mi;
      b[i] = (T)vi;
      w[i] = (T)((double)w[i] - lr * (mi / (sqrt(vi) + eh)));
    }
  }
}

Napi::Value Update(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 6 || !info[0].IsNumber()) return fail(env, "update: (kind, param, grad, a, b, params) expected");
  const int kind = info[0].As<Napi::Number>().Int32Value();
  Arr w = arr(info[1]), g = arr(info[2]), a = arr(info[3]), b = arr(info[4]), pa = arr(info[5]);
  if (!w.ok || (w.dt != DT::F32 && w.dt != DT::F64) || !g.ok || g.dt != w.dt) return fail(env, "update: float arrays of one dtype expected");
  if (!pa.ok || pa.dt != DT::F64 || pa.length < 6) return fail(env, "update: parameters expected");
  const double* p = (const double*)pa.data;
  const idx n = (idx)p[0];
  if (kind < 0 || kind > 2 || n < 0 || w.length < (size_t)n || g.length < (size_t)n) return fail(env, "update: arrays too short");
  if (kind >= 1 && (!a.ok || a.dt != w.dt || a.length < (size_t)n)) return fail(env, "update: accumulator array expected");
  if (kind == 2 && (!b.ok || b.dt != w.dt || b.length < (size_t)n)) return fail(env, "update: second moment array expected");
  if (w.dt == DT::F32)
    split(n, kGrain, [&](idx s, idx e) { update(kind, (float*)w.data, (const float*)g.data, (float*)a.data, (float*)b.data, p, s, e); });
  else
    split(n, kGrain, [&](idx s, idx e) { update(kind, (double*)w.data, (const double*)g.data, (double*)a.data, (double*)b.data, p, s, e); });
  return env.Undefined();
}

}  // namespace

void register_elementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("ewBinary", Napi::Function::New(env, Binary));
  exports.Set("ewUnary", Napi::Function::New(env, Unary));
  exports.Set("reluGrad", Napi::Function::New(env, ReluGrad));
  exports.Set("softmaxCE", Napi::Function::New(env, SoftmaxCE));
  exports.Set("softmaxCEGrad", Napi::Function::New(env, SoftmaxCEGrad));
  exports.Set("sumRows", Napi::Function::New(env, SumRows));
  exports.Set("update", Napi::Function::New(env, Update));
}

}  // namespace pt

// The Node-API surface of the native backend (loaded by src/backends/native/index.ts).
// Every kernel works in place on the tensors' typed arrays: inputs and the output arrays are
// allocated in JS and passed in, numbers travel in a Float64Array of parameters. Sizes are
// checked against the arrays' lengths here, so a wrong call throws instead of corrupting
// memory.
#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#ifndef NAPI_DISABLE_CPP_EXCEPTIONS
#define NAPI_DISABLE_CPP_EXCEPTIONS
#endif
#include <napi.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <string>

#include "common.h"
#include "napi_args.h"
#include "ops.h"

namespace pt { void register_elementwise(Napi::Env env, Napi::Object exports); }  // elementwise.cc

namespace {

using pt::idx;

using pt::Arr;
using pt::arr;
using pt::DT;
using pt::fail;

/** Arguments i.. as typed arrays of one float dtype; the last must be a Float64Array of parameters. */
bool floats(const Napi::CallbackInfo& info, size_t n, Arr* out, DT& dt, const char* fn) {
  for (size_t i = 0; i < n; i++) {
    out[i] = arr(info[i]);
    if (!out[i].ok) {
      fail(info.Env(), std::string(fn) + ": argument " + std::to_string(i) + " must be a typed array");
      return false;
    }
  }
  dt = out[0].dt;
  if (dt != DT::F32 && dt != DT::F64) {
    fail(info.Env(), std::string(fn) + ": float32 or float64 arrays expected");
    return false;
  }
  for (size_t i = 1; i < n; i++)
    if (out[i].dt != dt) {
      fail(info.Env(), std::string(fn) + ": arrays of one dtype expected");
      return false;
    }
  return true;
}

const double* params(const Napi::CallbackInfo& info, size_t i, size_t need, const char* fn) {
  Arr p = arr(info[i]);
  if (!p.ok || p.dt != DT::F64 || p.length < need) {
    fail(info.Env(), std::string(fn) + ": a Float64Array of at least " + std::to_string(need) + " parameters expected");
    return nullptr;
  }
  return static_cast<const double*>(p.data);
}

/** Whether base + (r-1)*rs + (c-1)*cs stays inside an array of `len` (non-negative strides). */
bool fits(idx base, idx r, idx rs, idx c, idx cs, size_t len) {
  if (r == 0 || c == 0) return true;
  if (base < 0 || rs < 0 || cs < 0) return false;
  return (size_t)(base + (r - 1) * rs + (c - 1) * cs) < len;
}

inline void call_gemm(const pt::Gemm<float>& g) { pt::active().sgemm(g); }
inline void call_gemm(const pt::Gemm<double>& g) { pt::active().dgemm(g); }

// gemm(A, B, C, p): p = [M, N, K, aOff, ars, acs, bOff, brs, bcs, cOff, crs, ccs, alpha, accumulate]
template <class T>
void run_gemm(const Arr* a, const double* p) {
  pt::Gemm<T> g;
  g.M = (idx)p[0];
  g.N = (idx)p[1];
  g.K = (idx)p[2];
  g.a = {static_cast<const T*>(a[0].data) + (idx)p[3], (idx)p[4], (idx)p[5], nullptr, nullptr};
  g.b = {static_cast<const T*>(a[1].data) + (idx)p[6], (idx)p[7], (idx)p[8], nullptr, nullptr};
  g.c = {static_cast<T*>(a[2].data) + (idx)p[9], (idx)p[10], (idx)p[11], nullptr, nullptr};
  g.alpha = (T)p[12];
  g.accumulate = p[13] != 0;
  g.parallel = true;
  call_gemm(g);
}

bool gemm_fits(const Arr* a, const double* p) {
  const idx M = (idx)p[0], N = (idx)p[1], K = (idx)p[2];
  return M >= 0 && N >= 0 && K >= 0 && fits((idx)p[3], M, (idx)p[4], K, (idx)p[5], a[0].length) &&
         fits((idx)p[6], K, (idx)p[7], N, (idx)p[8], a[1].length) && fits((idx)p[9], M, (idx)p[10], N, (idx)p[11], a[2].length);
}

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Arr a[3];
  DT dt;
  if (!floats(info, 3, a, dt, "gemm")) return info.Env().Undefined();
  const double* p = params(info, 3, 14, "gemm");
  if (!p) return info.Env().Undefined();
  if (!gemm_fits(a, p)) return fail(info.Env(), "gemm: sizes exceed the arrays");
  if (dt == DT::F32) run_gemm<float>(a, p);
  else run_gemm<double>(a, p);
  return info.Env().Undefined();
}

// gemmBatched(A, B, C, p, offs): p as gemm's (offsets ignored); offs = [aOff, bOff, cOff] per batch
template <class T>
struct Batched {
  const Arr* a;
  const double* p;
  const double* offs;
  idx nb;
  static void task(void* ctx, idx t, int) {
    const Batched& b = *(const Batched*)ctx;
    const idx per = (b.nb + 63) / 64;
    for (idx i = t * per, e = i + per < b.nb ? i + per : b.nb; i < e; i++) b.one(i, false);
  }
  void one(idx i, bool parallel) const {
    pt::Gemm<T> g;
    g.M = (idx)p[0];
    g.N = (idx)p[1];
    g.K = (idx)p[2];
    g.a = {static_cast<const T*>(a[0].data) + (idx)offs[3 * i], (idx)p[4], (idx)p[5], nullptr, nullptr};
    g.b = {static_cast<const T*>(a[1].data) + (idx)offs[3 * i + 1], (idx)p[7], (idx)p[8], nullptr, nullptr};
    g.c = {static_cast<T*>(a[2].data) + (idx)offs[3 * i + 2], (idx)p[10], (idx)p[11], nullptr, nullptr};
    g.alpha = (T)p[12];
    g.accumulate = p[13] != 0;
    g.parallel = parallel;
    call_gemm(g);
  }
  void run() const {
    const double work = p[0] * p[1] * p[2];
    if (pt::available_threads() > 1 && nb > 1 && work < 2e6 && work * (double)nb > 2e5) {
      const idx per = (nb + 63) / 64;
      pt::parallel_for((nb + per - 1) / per, task, (void*)this);
    } else {
      for (idx i = 0; i < nb; i++) one(i, true);
    }
  }
};

Napi::Value GemmBatched(const Napi::CallbackInfo& info) {
  Arr a[3];
  DT dt;
  if (!floats(info, 3, a, dt, "gemmBatched")) return info.Env().Undefined();
  const double* p = params(info, 3, 14, "gemmBatched");
  if (!p) return info.Env().Undefined();
  Arr o = arr(info[4]);
  if (!o.ok || o.dt != DT::F64 || o.length % 3 != 0) return fail(info.Env(), "gemmBatched: a Float64Array of offsets expected");
  const double* offs = static_cast<const double*>(o.data);
  const idx nb = (idx)(o.length / 3);
  double q[14];
  memcpy(q, p, sizeof q);
  for (idx i = 0; i < nb; i++) {
    q[3] = offs[3 * i];
    q[6] = offs[3 * i + 1];
    q[9] = offs[3 * i + 2];
    if (!gemm_fits(a, q)) return fail(info.Env(), "gemmBatched: sizes exceed the arrays");
  }
  if (dt == DT::F32) Batched<float>{a, p, offs, nb}.run();
  else Batched<double>{a, p, offs, nb}.run();
  return info.Env().Undefined();
}

// conv*(in0, in1, out, geo): geo = conv_geo's 23 numbers
enum class ConvOp { Forward, BackwardData, BackwardFilter };

template <ConvOp op>
Napi::Value Conv(const Napi::CallbackInfo& info) {
  Arr a[3];
  DT dt;
  if (!floats(info, 3, a, dt, "conv")) return info.Env().Undefined();
  const double* p = params(info, 3, 23, "conv");
  if (!p) return info.Env().Undefined();
  const pt::ConvGeo g = pt::conv_geo(p);
  if (g.G < 1 || g.C % g.G || g.K % g.G || g.N < 0) return fail(info.Env(), "conv: bad geometry");
  const size_t xs = (size_t)(g.N * g.C * g.inP), ws = (size_t)(g.K * g.CRS), os = (size_t)(g.N * g.K * g.outP);
  size_t need[3];
  if (op == ConvOp::Forward) need[0] = xs, need[1] = ws, need[2] = os;
  else if (op == ConvOp::BackwardData) need[0] = os, need[1] = ws, need[2] = xs;
  else need[0] = xs, need[1] = os, need[2] = ws;
  for (int i = 0; i < 3; i++)
    if (a[i].length < need[i]) return fail(info.Env(), "conv: an array is shorter than the geometry needs");
  if (dt == DT::F32) {
    const float* i0 = (const float*)a[0].data;
    const float* i1 = (const float*)a[1].data;
    float* o = (float*)a[2].data;
    if (op == ConvOp::Forward) pt::conv_forward(i0, i1, o, g);
    else if (op == ConvOp::BackwardData) pt::conv_backward_data(i0, i1, o, g);
    else pt::conv_backward_filter(i0, i1, o, g);
  } else {
    const double* i0 = (const double*)a[0].data;
    const double* i1 = (const double*)a[1].data;
    double* o = (double*)a[2].data;
    if (op == ConvOp::Forward) pt::conv_forward(i0, i1, o, g);
    else if (op == ConvOp::BackwardData) pt::conv_backward_data(i0, i1, o, g);
    else pt::conv_backward_filter(i0, i1, o, g);
  }
  return info.Env().Undefined();
}

// addChannelBias(out, bias, p): p = [N, K, P, cl]
Napi::Value AddChannelBias(const Napi::CallbackInfo& info) {
  Arr a[2];
  DT dt;
  if (!floats(info, 2, a, dt, "addChannelBias")) return info.Env().Undefined();
  const double* p = params(info, 2, 4, "addChannelBias");
  if (!p) return info.Env().Undefined();
  const idx N = (idx)p[0], K = (idx)p[1], P = (idx)p[2];
  if (a[0].length < (size_t)(N * K * P) || a[1].length < (size_t)K) return fail(info.Env(), "addChannelBias: arrays too short");
  if (dt == DT::F32) pt::add_channel_bias((float*)a[0].data, (const float*)a[1].data, N, K, P, p[3] != 0);
  else pt::add_channel_bias((double*)a[0].data, (const double*)a[1].data, N, K, P, p[3] != 0);
  return info.Env().Undefined();
}

// pool geometry p = [N, C, ID, IH, IW, OD, OH, OW, cl, max, divByCount]; windows Int32Array:
// start, end, full of D (OD each), then of H, then of W
bool pool_geo(const Napi::CallbackInfo& info, const double* p, size_t wi, pt::PoolGeo& g) {
  g.N = (idx)p[0];
  g.C = (idx)p[1];
  g.ID = (idx)p[2];
  g.IH = (idx)p[3];
  g.IW = (idx)p[4];
  g.OD = (idx)p[5];
  g.OH = (idx)p[6];
  g.OW = (idx)p[7];
  g.cl = p[8] != 0;
  if (!info[wi].IsTypedArray() || info[wi].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    fail(info.Env(), "pool: an Int32Array of windows expected");
    return false;
  }
  Napi::Int32Array w = info[wi].As<Napi::Int32Array>();
  const idx O[3] = {g.OD, g.OH, g.OW};
  const idx I[3] = {g.ID, g.IH, g.IW};
  if (w.ElementLength() < (size_t)(3 * (O[0] + O[1] + O[2]))) {
    fail(info.Env(), "pool: the windows array is too short");
    return false;
  }
  const int32_t* d = w.Data();
  for (int k = 0; k < 3; k++) {
    g.start[k] = d;
    g.end[k] = d + O[k];
    g.full[k] = d + 2 * O[k];
    for (idx o = 0; o < O[k]; o++)
      if (g.start[k][o] < 0 || g.end[k][o] > I[k]) {  // start >= end: an empty window
        fail(info.Env(), "pool: a window lies outside the input");
        return false;
      }
    d += 3 * O[k];
  }
  return true;
}

// poolForward(x, out, p, windows)
Napi::Value PoolForward(const Napi::CallbackInfo& info) {
  Arr a[2];
  DT dt;
  if (!floats(info, 2, a, dt, "poolForward")) return info.Env().Undefined();
  const double* p = params(info, 2, 11, "poolForward");
  if (!p) return info.Env().Undefined();
  pt::PoolGeo g;
  if (!pool_geo(info, p, 3, g)) return info.Env().Undefined();
  if (a[0].length < (size_t)(g.N * g.C * g.ID * g.IH * g.IW) || a[1].length < (size_t)(g.N * g.C * g.OD * g.OH * g.OW))
    return fail(info.Env(), "poolForward: arrays too short");
  if (dt == DT::F32) pt::pool_forward((const float*)a[0].data, (float*)a[1].data, g, p[9] != 0, p[10] != 0);
  else pt::pool_forward((const double*)a[0].data, (double*)a[1].data, g, p[9] != 0, p[10] != 0);
  return info.Env().Undefined();
}

// poolBackward(x, y, dy, dx, p, windows)
Napi::Value PoolBackward(const Napi::CallbackInfo& info) {
  Arr a[4];
  DT dt;
  if (!floats(info, 4, a, dt, "poolBackward")) return info.Env().Undefined();
  const double* p = params(info, 4, 11, "poolBackward");
  if (!p) return info.Env().Undefined();
  pt::PoolGeo g;
  if (!pool_geo(info, p, 5, g)) return info.Env().Undefined();
  const size_t xs = (size_t)(g.N * g.C * g.ID * g.IH * g.IW), ys = (size_t)(g.N * g.C * g.OD * g.OH * g.OW);
  if (a[0].length < xs || a[3].length < xs || a[1].length < ys || a[2].length < ys) return fail(info.Env(), "poolBackward: arrays too short");
  if (dt == DT::F32)
    pt::pool_backward((const float*)a[0].data, (const float*)a[1].data, (const float*)a[2].data, (float*)a[3].data, g, p[9] != 0, p[10] != 0);
  else
    pt::pool_backward((const double*)a[0].data, (const double*)a[1].data, (const double*)a[2].data, (double*)a[3].data, g, p[9] != 0, p[10] != 0);
  return info.Env().Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("isa", pt::active().name);
  o.Set("isas", pt::supported_isas());
  o.Set("threads", pt::num_threads());
  return o;
}

Napi::Value SelectIsa(const Napi::CallbackInfo& info) {
  std::string name = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : std::string("auto");
  return Napi::String::New(info.Env(), pt::select_isa(name.c_str()));
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsNumber()) return fail(info.Env(), "setNumThreads: a number expected");
  int n = info[0].As<Napi::Number>().Int32Value();
  if (n < 1) n = 1;
  if (n > 256) n = 256;
  pt::set_num_threads(n);
  return Napi::Number::New(info.Env(), pt::num_threads());
}

/**
 * Tensors' arrays are malloc'd and freed when the garbage collector gets to them; with
 * glibc's defaults every large one is a fresh mmap (or the heap top is trimmed back), so
 * each new output pays page faults on first touch (about 100 us per MB). Keeping freed
 * memory in the heap makes a new output reuse warm pages, as PyTorch's allocator does.
 * PADDLE_TS_MALLOC_TUNE=0 (or glibc's own MALLOC_*_ environment settings) leave it alone.
 */
void tune_malloc() {
#if defined(__GLIBC__)
  const char* e = getenv("PADDLE_TS_MALLOC_TUNE");
  if (e && strcmp(e, "0") == 0) return;
  if (getenv("MALLOC_MMAP_THRESHOLD_") || getenv("MALLOC_TRIM_THRESHOLD_") || getenv("GLIBC_TUNABLES")) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  static bool tuned = false;
  if (!tuned) {
    tuned = true;
    tune_malloc();
  }
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("selectIsa", Napi::Function::New(env, SelectIsa));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads));
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("gemmBatched", Napi::Function::New(env, GemmBatched));
  exports.Set("convForward", Napi::Function::New(env, Conv<ConvOp::Forward>));
  exports.Set("convBackwardData", Napi::Function::New(env, Conv<ConvOp::BackwardData>));
  exports.Set("convBackwardFilter", Napi::Function::New(env, Conv<ConvOp::BackwardFilter>));
  exports.Set("addChannelBias", Napi::Function::New(env, AddChannelBias));
  exports.Set("poolForward", Napi::Function::New(env, PoolForward));
  exports.Set("poolBackward", Napi::Function::New(env, PoolBackward));
  pt::register_elementwise(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(paddle_native, Init)

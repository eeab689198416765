// Typed-array arguments of the native entry points (addon.cc, elementwise.cc; never the ISA
// units). One napi_get_typedarray_info per array: the wrappers' separate type / length /
// buffer / offset getters cost four more N-API calls each, a large part of a tiny op.
#pragma once
#include <napi.h>

#include <string>

namespace pt {

enum class DT { F32, F64, I64, Other };

/** A typed array's first element, element count and type; ok is false for anything else. */
struct Arr {
  void* data = nullptr;
  size_t length = 0;
  DT dt = DT::Other;
  bool ok = false;
};

inline Arr arr(const Napi::Value& v) {
  Arr a;
  napi_typedarray_type ty;
  size_t length = 0;
  void* data = nullptr;
  // data already points at the first element (byte offset applied); not a typed array: an
  // error status and no JavaScript exception
  if (napi_get_typedarray_info(v.Env(), v, &ty, &length, &data, nullptr, nullptr) != napi_ok) return a;
  a.length = length;
  a.data = data;
  a.dt = ty == napi_float32_array ? DT::F32 : ty == napi_float64_array ? DT::F64 : ty == napi_bigint64_array ? DT::I64 : DT::Other;
  a.ok = true;
  return a;
}

/** Throws a TypeError naming the entry point; returns undefined for the caller to return. */
inline Napi::Value fail(const Napi::Env& env, const std::string& msg) {
  Napi::TypeError::New(env, "paddle-ts native: " + msg).ThrowAsJavaScriptException();
  return env.Undefined();
}

}  // namespace pt

// paddle_gloo: the Node-API binding of paddle.distributed's collectives on Gloo (tcp transport).
//
// - TcpStore: a gloo::rendezvous::Store talking to the project's store server (a small framed
//   key-value protocol served by src/distributed/launch_core.mjs) over a blocking socket.
// - Group: one Gloo context (full mesh) plus one dedicated communication thread. Every collective
//   is queued on that thread in FIFO order. Sync forms block the caller until the operation
//   finishes; async forms return a Promise, and the typed arrays are referenced until it settles;
//   'handle' forms return a work id that wait(id) blocks on (DataParallel overlaps its bucket
//   allreduces with the rest of a synchronous backward this way).
// Errors (a dead peer, a timeout) come back as JS exceptions / rejected promises.
#include <napi.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <gloo/allgather.h>
#include <gloo/allreduce.h>
#include <gloo/barrier.h>
#include <gloo/broadcast.h>
#include <gloo/math.h>
#include <gloo/reduce.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/prefix_store.h>
#include <gloo/rendezvous/store.h>
#include <gloo/scatter.h>
#include <gloo/transport/tcp/device.h>

namespace {

// ---- the store client ------------------------------------------------------------------------

class TcpStore : public gloo::rendezvous::Store {
 public:
  TcpStore(const std::string& host, int port, std::chrono::milliseconds timeout) : timeout_(timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string last;
    while (true) {
      fd_ = tryConnect(host, port, last);
      if (fd_ >= 0) break;
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("cannot reach the rendezvous store at " + host + ":" + std::to_string(port) + " (" + last + ")");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct timeval tv;
    tv.tv_sec = timeout.count() / 1000;
    tv.tv_usec = (timeout.count() % 1000) * 1000;
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  }
  ~TcpStore() override {
    if (fd_ >= 0) close(fd_);
  }

  void set(const std::string& key, const std::vector<char>& data) override {
    std::vector<char> msg{'S'};
    putStr(msg, key.data(), key.size());
    putStr(msg, data.data(), data.size());
    sendAll(msg);
    char ack;
    recvAll(&ack, 1);
  }

  std::vector<char> get(const std::string& key) override {
    std::vector<char> msg{'G'};
    putStr(msg, key.data(), key.size());
    sendAll(msg);
    uint32_t n;
    recvAll(&n, 4);
    n = ntohl(n);
    std::vector<char> out(n);
    if (n) recvAll(out.data(), n);
    return out;
  }

  void wait(const std::vector<std::string>& keys) override { wait(keys, timeout_); }
  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds&) override {
    std::vector<char> msg{'W'};
    putU32(msg, keys.size());
    for (auto& k : keys) putStr(msg, k.data(), k.size());
    sendAll(msg);
    char ack;
    recvAll(&ack, 1);
  }

 private:
  static int tryConnect(const std::string& host, int port, std::string& err) {
    struct addrinfo hints {}, *res = nullptr;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res);
    if (rc != 0) {
      err = gai_strerror(rc);
      return -1;
    }
    int fd = -1;
    for (auto p = res; p; p = p->ai_next) {
      fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
      if (fd < 0) continue;
      if (connect(fd, p->ai_addr, p->ai_addrlen) == 0) break;
      err = strerror(errno);
      close(fd);
      fd = -1;
    }
    freeaddrinfo(res);
    return fd;
  }
  static void putU32(std::vector<char>& m, size_t v) {
    uint32_t n = htonl(static_cast<uint32_t>(v));
    const char* p = reinterpret_cast<const char*>(&n);
    m.insert(m.end(), p, p + 4);
  }
  static void putStr(std::vector<char>& m, const char* s, size_t n) {
    putU32(m, n);
    m.insert(m.end(), s, s + n);
  }
  void sendAll(const std::vector<char>& m) {
    size_t off = 0;
    while (off < m.size()) {
      ssize_t k = send(fd_, m.data() + off, m.size() - off, MSG_NOSIGNAL);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) throw std::runtime_error(std::string("rendezvous store: send failed: ") + strerror(errno));
      off += k;
    }
  }
  void recvAll(void* dst, size_t n) {
    char* p = static_cast<char*>(dst);
    size_t off = 0;
    while (off < n) {
      ssize_t k = recv(fd_, p + off, n - off, 0);
      if (k < 0 && errno == EINTR) continue;
      if (k == 0) throw std::runtime_error("rendezvous store: the store server closed the connection");
      if (k < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
          throw std::runtime_error("rendezvous store: timed out waiting for the other ranks");
        throw std::runtime_error(std::string("rendezvous store: recv failed: ") + strerror(errno));
      }
      off += k;
    }
  }
  int fd_ = -1;
  std::chrono::milliseconds timeout_;
};

// ---- dtypes and reductions -------------------------------------------------------------------

enum Op { kSum = 0, kMax = 1, kMin = 2, kProd = 3 };

using ReduceFn = std::function<void(void*, const void*, const void*, size_t)>;

using RawFn = void (*)(void*, const void*, const void*, size_t);

template <typename T>
ReduceFn reduceFn(int op) {
  switch (op) {
    case kSum: return static_cast<RawFn>(&gloo::sum<T>);
    case kMax: return static_cast<RawFn>(&gloo::max<T>);
    case kMin: return static_cast<RawFn>(&gloo::min<T>);
    case kProd: return static_cast<RawFn>(&gloo::product<T>);
  }
  throw std::runtime_error("unknown reduce op");
}

struct Buf {
  void* ptr = nullptr;
  size_t count = 0;     // elements
  napi_typedarray_type type = napi_float32_array;
};

Buf bufOf(const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a typed array");
  auto ta = v.As<Napi::TypedArray>();
  Buf b;
  b.type = ta.TypedArrayType();
  b.count = ta.ElementLength();
  auto ab = ta.ArrayBuffer();
  b.ptr = static_cast<char*>(ab.Data()) + ta.ByteOffset();
  return b;
}

// Calls f.template operator()<T>() for the element type of a typed array
template <typename F>
void withType(napi_typedarray_type t, F&& f) {
  switch (t) {
    case napi_float32_array: f(float{}); break;
    case napi_float64_array: f(double{}); break;
    case napi_int32_array: f(int32_t{}); break;
    case napi_uint32_array: f(uint32_t{}); break;
    case napi_bigint64_array: f(int64_t{}); break;
    case napi_biguint64_array: f(uint64_t{}); break;
    case napi_int16_array: f(int16_t{}); break;
    case napi_uint16_array: f(uint16_t{}); break;
    case napi_int8_array: f(int8_t{}); break;
    case napi_uint8_array: case napi_uint8_clamped_array: f(uint8_t{}); break;
    default: throw std::runtime_error("unsupported typed array type");
  }
}

// ---- the group: context + communication thread ------------------------------------------------

struct Task {
  std::function<void()> run;
  std::string error;
  bool done = false;
  // async: settled on the JS thread
  Napi::ThreadSafeFunction tsfn;
  std::unique_ptr<Napi::Promise::Deferred> deferred;
  std::vector<Napi::Reference<Napi::Value>> keep;
  int mode = 0;  // kSync, kPromise or kHandle
};

enum { kSync = 0, kPromise = 1, kHandle = 2 };

class Group : public Napi::ObjectWrap<Group> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Group",
                       {InstanceMethod("allreduce", &Group::Allreduce), InstanceMethod("broadcast", &Group::Broadcast),
                        InstanceMethod("reduce", &Group::Reduce), InstanceMethod("allgather", &Group::Allgather),
                        InstanceMethod("scatter", &Group::Scatter), InstanceMethod("barrier", &Group::Barrier),
                        InstanceMethod("wait", &Group::Wait), InstanceMethod("close", &Group::Close)});
  }

  // new Group(storeHost, storePort, prefix, rank, size, hostname, timeoutMs)
  Group(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Group>(info) {
    auto env = info.Env();
    std::string host = info[0].As<Napi::String>();
    int port = info[1].As<Napi::Number>().Int32Value();
    std::string prefix = info[2].As<Napi::String>();
    rank_ = info[3].As<Napi::Number>().Int32Value();
    size_ = info[4].As<Napi::Number>().Int32Value();
    std::string hostname = info[5].As<Napi::String>();
    auto timeout = std::chrono::milliseconds(info[6].As<Napi::Number>().Int64Value());
    try {
      TcpStore base(host, port, timeout);
      gloo::rendezvous::PrefixStore store(prefix, base);
      gloo::transport::tcp::attr attr;
      attr.hostname = hostname;
      auto dev = gloo::transport::tcp::CreateDevice(attr);
      auto ctx = std::make_shared<gloo::rendezvous::Context>(rank_, size_);
      ctx->setTimeout(timeout);
      ctx->connectFullMesh(store, dev);
      ctx_ = ctx;
    } catch (std::exception& e) {
      throw Napi::Error::New(env, std::string("init_parallel_env: Gloo rendezvous failed: ") + e.what());
    }
    worker_ = std::thread([this] { loop(); });
  }

  ~Group() override { shutdown(); }

 private:
  void shutdown() {
    {
      std::lock_guard<std::mutex> g(mu_);
      if (stopping_) return;
      stopping_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
    ctx_.reset();
  }

  void loop() {
    while (true) {
      std::shared_ptr<Task> t;
      {
        std::unique_lock<std::mutex> g(mu_);
        cv_.wait(g, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        t = queue_.front();
        queue_.pop_front();
      }
      if (!broken_.empty()) {
        t->error = broken_;
      } else {
        try {
          t->run();
        } catch (std::exception& e) {
          t->error = e.what();
          // a failed collective leaves the pairs in an unknown state: fail every later one
          broken_ = "an earlier collective failed: " + t->error;
        }
      }
      if (t->mode == kPromise) {
        auto tsfn = t->tsfn;
        tsfn.BlockingCall([t](Napi::Env env, Napi::Function) {
          if (t->error.empty())
            t->deferred->Resolve(env.Undefined());
          else
            t->deferred->Reject(Napi::Error::New(env, "paddle.distributed: " + t->error).Value());
          t->keep.clear();
          t->deferred.reset();
        });
        tsfn.Release();
      } else {
        std::lock_guard<std::mutex> g(mu_);
        t->done = true;
        doneCv_.notify_all();
      }
    }
  }

  // Queues a collective; sync: waits and throws on error; promise: returns a promise; handle:
  // returns a work id for wait().
  Napi::Value submit(const Napi::CallbackInfo& info, int mode, std::function<void()> run,
                     std::vector<Napi::Value> keep) {
    auto env = info.Env();
    if (!ctx_) throw Napi::Error::New(env, "paddle.distributed: the group is closed");
    auto t = std::make_shared<Task>();
    t->run = std::move(run);
    t->mode = mode;
    Napi::Value result = env.Undefined();
    if (mode != kSync)
      for (auto& v : keep) t->keep.push_back(Napi::Persistent(v));
    if (mode == kPromise) {
      t->deferred = std::make_unique<Napi::Promise::Deferred>(env);
      result = t->deferred->Promise();
      t->tsfn = Napi::ThreadSafeFunction::New(env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}),
                                              "paddle_gloo", 0, 1);
    }
    {
      std::lock_guard<std::mutex> g(mu_);
      queue_.push_back(t);
      if (mode == kHandle) {
        uint32_t id = nextWork_++;
        handles_[id] = t;
        result = Napi::Number::New(env, id);
      }
    }
    cv_.notify_all();
    if (mode == kSync) {
      std::unique_lock<std::mutex> g(mu_);
      doneCv_.wait(g, [&] { return t->done; });
      if (!t->error.empty()) throw Napi::Error::New(env, "paddle.distributed: " + t->error);
    }
    return result;
  }

  // The last argument: true -> promise, 'handle' -> work id, anything else -> sync.
  int asyncArg(const Napi::CallbackInfo& info, size_t i) {
    if (info.Length() <= i) return kSync;
    if (info[i].IsBoolean()) return info[i].As<Napi::Boolean>().Value() ? kPromise : kSync;
    if (info[i].IsString() && info[i].As<Napi::String>().Utf8Value() == "handle") return kHandle;
    return kSync;
  }

  // wait(id): blocks until the work started in 'handle' form finishes; throws its error.
  Napi::Value Wait(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    uint32_t id = info[0].As<Napi::Number>().Uint32Value();
    std::shared_ptr<Task> t;
    {
      std::unique_lock<std::mutex> g(mu_);
      auto it = handles_.find(id);
      if (it == handles_.end()) throw Napi::Error::New(env, "paddle.distributed: unknown or already awaited work id");
      t = it->second;
      handles_.erase(it);
      doneCv_.wait(g, [&] { return t->done; });
    }
    t->keep.clear();
    if (!t->error.empty()) throw Napi::Error::New(env, "paddle.distributed: " + t->error);
    return env.Undefined();
  }

  // allreduce(buf, op, async)
  Napi::Value Allreduce(const Napi::CallbackInfo& info) {
    Buf b = bufOf(info[0], "allreduce buffer");
    int op = info[1].As<Napi::Number>().Int32Value();
    auto ctx = ctx_;
    uint32_t tag = nextTag();
    return submit(info, asyncArg(info, 2), [ctx, b, op, tag] {
      withType(b.type, [&](auto z) {
        using T = decltype(z);
        gloo::AllreduceOptions o(ctx);
        o.setOutput(static_cast<T*>(b.ptr), b.count);
        o.setReduceFunction(reduceFn<T>(op));
        o.setTag(tag);
        gloo::allreduce(o);
      });
    }, {info[0]});
  }

  // broadcast(buf, root, async)
  Napi::Value Broadcast(const Napi::CallbackInfo& info) {
    Buf b = bufOf(info[0], "broadcast buffer");
    int root = info[1].As<Napi::Number>().Int32Value();
    auto ctx = ctx_;
    uint32_t tag = nextTag();
    return submit(info, asyncArg(info, 2), [ctx, b, root, tag] {
      withType(b.type, [&](auto z) {
        using T = decltype(z);
        gloo::BroadcastOptions o(ctx);
        o.setOutput(static_cast<T*>(b.ptr), b.count);
        o.setRoot(root);
        o.setTag(tag);
        gloo::broadcast(o);
      });
    }, {info[0]});
  }

  // reduce(buf, root, op, async): the result lands in buf on root (others keep theirs)
  Napi::Value Reduce(const Napi::CallbackInfo& info) {
    Buf b = bufOf(info[0], "reduce buffer");
    int root = info[1].As<Napi::Number>().Int32Value();
    int op = info[2].As<Napi::Number>().Int32Value();
    auto ctx = ctx_;
    uint32_t tag = nextTag();
    int rank = rank_;
    return submit(info, asyncArg(info, 3), [ctx, b, root, op, tag, rank] {
      withType(b.type, [&](auto z) {
        using T = decltype(z);
        // gloo's reduce may scribble on non-root outputs: reduce a copy there
        std::vector<T> scratch;
        T* out = static_cast<T*>(b.ptr);
        if (rank != root) {
          scratch.assign(out, out + b.count);
          out = scratch.data();
        }
        gloo::ReduceOptions o(ctx);
        o.setOutput(out, b.count);
        o.setRoot(root);
        o.setReduceFunction(reduceFn<T>(op));
        o.setTag(tag);
        gloo::reduce(o);
      });
    }, {info[0]});
  }

  // allgather(input, output, async): output holds size * input.length elements, rank order
  Napi::Value Allgather(const Napi::CallbackInfo& info) {
    Buf in = bufOf(info[0], "allgather input");
    Buf out = bufOf(info[1], "allgather output");
    if (in.type != out.type || out.count != in.count * size_)
      throw Napi::Error::New(info.Env(), "allgather: the output must have world_size times the input's elements of the same type");
    auto ctx = ctx_;
    uint32_t tag = nextTag();
    return submit(info, asyncArg(info, 2), [ctx, in, out, tag] {
      withType(in.type, [&](auto z) {
        using T = decltype(z);
        gloo::AllgatherOptions o(ctx);
        o.setInput(static_cast<T*>(in.ptr), in.count);
        o.setOutput(static_cast<T*>(out.ptr), out.count);
        o.setTag(tag);
        gloo::allgather(o);
      });
    }, {info[0], info[1]});
  }

  // scatter(inputs: TypedArray[] | null, output, root, async)
  Napi::Value Scatter(const Napi::CallbackInfo& info) {
    Buf out = bufOf(info[1], "scatter output");
    int root = info[2].As<Napi::Number>().Int32Value();
    std::vector<Buf> ins;
    std::vector<Napi::Value> keep{info[1]};
    if (rank_ == root) {
      auto arr = info[0].As<Napi::Array>();
      if (static_cast<int>(arr.Length()) != size_)
        throw Napi::Error::New(info.Env(), "scatter: the source rank needs world_size input buffers");
      for (uint32_t i = 0; i < arr.Length(); i++) {
        Buf b = bufOf(arr.Get(i), "scatter input");
        if (b.type != out.type || b.count != out.count)
          throw Napi::Error::New(info.Env(), "scatter: every input must match the output's type and length");
        ins.push_back(b);
      }
      keep.push_back(info[0]);
    }
    auto ctx = ctx_;
    uint32_t tag = nextTag();
    int rank = rank_;
    return submit(info, asyncArg(info, 3), [ctx, ins, out, root, tag, rank] {
      withType(out.type, [&](auto z) {
        using T = decltype(z);
        gloo::ScatterOptions o(ctx);
        if (rank == root) {
          std::vector<T*> ptrs;
          for (auto& b : ins) ptrs.push_back(static_cast<T*>(b.ptr));
          o.setInputs(ptrs, out.count);
        }
        o.setOutput(static_cast<T*>(out.ptr), out.count);
        o.setRoot(root);
        o.setTag(tag);
        gloo::scatter(o);
      });
    }, keep);
  }

  Napi::Value Barrier(const Napi::CallbackInfo& info) {
    auto ctx = ctx_;
    uint32_t tag = nextTag();
    return submit(info, asyncArg(info, 0), [ctx, tag] {
      gloo::BarrierOptions o(ctx);
      o.setTag(tag);
      gloo::barrier(o);
    }, {});
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    shutdown();
    return info.Env().Undefined();
  }

  uint32_t nextTag() { return tag_++ & 0x7fffffff; }

  int rank_ = 0, size_ = 1;
  uint32_t tag_ = 1;
  std::shared_ptr<gloo::Context> ctx_;
  std::thread worker_;
  std::mutex mu_;
  std::condition_variable cv_, doneCv_;
  std::deque<std::shared_ptr<Task>> queue_;
  std::unordered_map<uint32_t, std::shared_ptr<Task>> handles_;
  uint32_t nextWork_ = 1;
  bool stopping_ = false;
  std::string broken_;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Group", Group::Init(env));
  exports.Set("ops", [&] {
    auto o = Napi::Object::New(env);
    o.Set("SUM", static_cast<int>(kSum));
    o.Set("MAX", static_cast<int>(kMax));
    o.Set("MIN", static_cast<int>(kMin));
    o.Set("PROD", static_cast<int>(kProd));
    return o;
  }());
  return exports;
}

}  // namespace

NODE_API_MODULE(paddle_gloo, Init)

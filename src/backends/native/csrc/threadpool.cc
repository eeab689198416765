// The thread pool: num_threads() - 1 workers plus the calling thread. A job is a count of
// tasks; every participant claims task indices from one atomic word that also holds the
// job's sequence number, so a worker that wakes late (or reads a finished job) cannot claim
// anything, and the caller never waits for a worker that has not started: it takes the
// remaining tasks itself and waits only for tasks already running. Workers spin briefly
// after a job (the next kernel usually follows at once) and then sleep on a condition
// variable. One job runs at a time: a call made while the pool is busy (another JS thread,
// or a nested call from inside a task) runs its tasks on the calling thread.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdlib.h>
#include <string.h>
#include <thread>
#include <vector>

#include "common.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
static inline void cpu_relax() { _mm_pause(); }
#elif defined(__aarch64__)
static inline void cpu_relax() { asm volatile("yield" ::: "memory"); }
#else
static inline void cpu_relax() {}
#endif

namespace pt {
namespace {

thread_local bool in_parallel = false;

/** A job's fields; slots are reused round-robin, a stale read is caught by the sequence check. */
struct Slot {
  std::atomic<TaskFn> fn{nullptr};
  std::atomic<void*> ctx{nullptr};
  std::atomic<idx> ntasks{0};
  std::atomic<idx> done{0};
};

constexpr int SLOTS = 4;

struct Pool {
  std::vector<std::thread> workers;
  std::mutex m;
  std::condition_variable cv;
  /** (sequence << 32) | next task index of the current job. */
  std::atomic<uint64_t> state{0};
  std::atomic<int> sleepers{0};
  std::atomic<bool> stop{false};
  Slot slots[SLOTS];
  uint32_t seq = 0;
  std::mutex busy;
  int nthreads = 1;

  /** Claims and runs tasks of job `s` until none is left; false if the job is not `s` any more. */
  void work(uint32_t s, int tid) {
    Slot& sl = slots[s % SLOTS];
    uint64_t st = state.load(std::memory_order_acquire);
    for (;;) {
      if ((uint32_t)(st >> 32) != s) return;
      const idx n = sl.ntasks.load(std::memory_order_relaxed);
      const idx t = (idx)(st & 0xffffffffu);
      if (t >= n) return;
      if (!state.compare_exchange_weak(st, st + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
      // the claim succeeded, so job s is live and its fields are the ones published with it
      sl.fn.load(std::memory_order_relaxed)(sl.ctx.load(std::memory_order_relaxed), t, tid);
      sl.done.fetch_add(1, std::memory_order_release);
      st = state.load(std::memory_order_acquire);
    }
  }

  void worker(int index) {
    in_parallel = true;
    uint32_t seen = (uint32_t)(state.load(std::memory_order_acquire) >> 32);
    for (;;) {
      int spins = 0;
      uint32_t s;
      while ((s = (uint32_t)(state.load(std::memory_order_acquire) >> 32)) == seen && !stop.load(std::memory_order_relaxed)) {
        if (++spins < 20000) {
          cpu_relax();
          continue;
        }
        std::unique_lock<std::mutex> lk(m);
        sleepers.fetch_add(1, std::memory_order_seq_cst);
        cv.wait(lk, [&] { return (uint32_t)(state.load(std::memory_order_seq_cst) >> 32) != seen || stop.load(); });
        sleepers.fetch_sub(1, std::memory_order_relaxed);
        spins = 0;
      }
      if (stop.load()) return;
      seen = s;
      work(s, index + 1);
    }
  }

  void shutdown() {
    {
      std::lock_guard<std::mutex> lk(m);
      stop.store(true);
    }
    cv.notify_all();
    for (auto& t : workers) t.join();
    workers.clear();
    stop.store(false);
  }

  void resize(int n) {
    if (n < 1) n = 1;
    std::lock_guard<std::mutex> lk(busy);
    if ((int)workers.size() != n - 1) {
      shutdown();
      for (int i = 0; i < n - 1; i++) workers.emplace_back([this, i] { worker(i); });
    }
    nthreads = n;
  }

  void run(idx ntasks, TaskFn fn, void* ctx) {
    const uint32_t s = ++seq;
    Slot& sl = slots[s % SLOTS];
    sl.fn.store(fn, std::memory_order_relaxed);
    sl.ctx.store(ctx, std::memory_order_relaxed);
    sl.ntasks.store(ntasks, std::memory_order_relaxed);
    sl.done.store(0, std::memory_order_relaxed);
    state.store((uint64_t)s << 32, std::memory_order_seq_cst);
    if (sleepers.load(std::memory_order_seq_cst) > 0) {
      { std::lock_guard<std::mutex> lk(m); }
      cv.notify_all();
    }
    in_parallel = true;
    work(s, 0);
    in_parallel = false;
    // wait for the tasks other threads claimed; yield the core if they are slow
    for (int spins = 0; sl.done.load(std::memory_order_acquire) < ntasks; spins++) {
      if (spins < 2000) cpu_relax();
      else std::this_thread::yield();
    }
  }
};

Pool& pool() {
  // never destroyed: workers must not be joined from a static destructor at process exit
  static Pool* p = [] {
    Pool* q = new Pool();
    unsigned hc = std::thread::hardware_concurrency();
    q->resize(hc ? (int)hc : 1);
    return q;
  }();
  return *p;
}

}  // namespace

int num_threads() { return pool().nthreads; }

void set_num_threads(int n) { pool().resize(n); }

int available_threads() { return in_parallel ? 1 : pool().nthreads; }

void parallel_for(idx ntasks, TaskFn fn, void* ctx) {
  if (ntasks <= 0) return;
  Pool& p = pool();
  if (ntasks == 1 || in_parallel || p.workers.empty() || !p.busy.try_lock()) {
    for (idx t = 0; t < ntasks; t++) fn(ctx, t, 0);
    return;
  }
  p.run(ntasks, fn, ctx);
  p.busy.unlock();
}

namespace {
struct Scratch {
  void* p[8];
  size_t n[8];
};
thread_local Scratch tls_scratch;
}  // namespace

void* scratch(int slot, size_t bytes) {
  Scratch& s = tls_scratch;
  if (s.n[slot] < bytes) {
    free(s.p[slot]);
    size_t n = (bytes + 4095) & ~(size_t)4095;
    void* q = nullptr;
    if (posix_memalign(&q, 64, n) != 0) q = nullptr;
    s.p[slot] = q;
    s.n[slot] = q ? n : 0;
  }
  return s.p[slot];
}

}  // namespace pt

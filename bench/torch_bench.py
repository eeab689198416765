# PyTorch on the workloads of bench/run.ts (run by it when python3 with torch is present).
# Prints one JSON object: workload name -> median seconds. Threads: argv[1] (as paddle-ts).
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
only = set(sys.argv[2].split(",")) if len(sys.argv) > 2 and sys.argv[2] else None
use_min = len(sys.argv) > 3 and sys.argv[3] == "min"
torch.set_num_threads(threads)
torch.manual_seed(0)


def median_time(fn, min_reps=5, min_time=0.5, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_reps or (time.perf_counter() - start < min_time and len(times) < 10000):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[0] if use_min else times[len(times) // 2]


res = {}
with torch.no_grad():
    for n in (256, 512, 1024, 2048):
        if only and f"sgemm{n}" not in only:
            continue
        a = torch.randn(n, n)
        b = torch.randn(n, n)
        res[f"sgemm{n}"] = median_time(lambda: torch.matmul(a, b), min_reps=5 if n < 2048 else 3)
    if not only or "conv" in only:
        x = torch.randn(8, 64, 56, 56)
        w = torch.randn(64, 64, 3, 3)
        res["conv"] = median_time(lambda: F.conv2d(x, w, padding=1))


def train_step(model, opt, x, y):
    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    return step


if not only or "mlp" in only:
    mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    opt = torch.optim.SGD(mlp.parameters(), lr=0.01)
    res["mlp"] = median_time(train_step(mlp, opt, torch.randn(128, 784), torch.randint(0, 10, (128,))), min_reps=20)

if not only or "lenet" in only:
    lenet = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    opt = torch.optim.SGD(lenet.parameters(), lr=0.01)
    res["lenet"] = median_time(train_step(lenet, opt, torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))), min_reps=20)

with torch.no_grad():
    if not only or "add" in only:
        a = torch.randn(1 << 20)
        b = torch.randn(1 << 20)
        res["add"] = median_time(lambda: torch.add(a, b), min_reps=50)
    if not only or "tiny" in only:
        a = torch.randn(1)
        b = torch.randn(1)

        def tiny():
            for _ in range(1000):
                torch.add(a, b)
        res["tiny"] = median_time(tiny, min_reps=20) / 1000

print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": res}))

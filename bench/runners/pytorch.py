"""PyTorch on the CPU (Debian's python3-torch), the same workloads and protocol as the JS runners:
reads --workload JSON, prints one JSON result line. W5 reads the spiral and the initial weights
from the fixture file the orchestrator wrote, so every runner trains from the same start."""
import json
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
wl = json.loads(args["--workload"])
skip_after_ms = float(args.get("--skipAfterMs", 15000))
p = wl["params"]
torch.manual_seed(0)
torch.set_num_threads(1)  # one thread, as xent by default (the orchestrator sets OPENBLAS_NUM_THREADS=1 too)
NAME = "pytorch"


def blas_info():
    """Which BLAS library torch has loaded (from /proc/self/maps) and OpenBLAS's thread count when it is OpenBLAS."""
    import ctypes
    import re
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if re.search(r"blas", line)})
    except OSError:
        libs = []
    names = ", ".join(l.rsplit("/", 1)[-1] for l in libs) or "none found"
    threads = ""
    for lib in libs:
        try:
            n = ctypes.CDLL(lib).openblas_get_num_threads()
            threads = f", OpenBLAS threads {n}"
            break
        except (OSError, AttributeError):
            continue
    return f"BLAS: {names}{threads}"


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def mlp_params(widths):
    """Weights [out, in] and biases with torch.nn.Linear's U(±1/√in) initialisation."""
    ps = []
    for i in range(len(widths) - 1):
        lin = torch.nn.Linear(widths[i], widths[i + 1])
        ps += [lin.weight.detach().clone().requires_grad_(), lin.bias.detach().clone().requires_grad_()]
    return ps


def forward(ps, x):
    h = x
    for i in range(0, len(ps), 2):
        h = F.linear(h, ps[i], ps[i + 1])
        if i + 2 < len(ps):
            h = torch.relu(h)
    return h


def prepare():
    wid = wl["id"]
    if wid == "w1-matmul":
        n = p["n"]
        a, b = torch.randn(n, n), torch.randn(n, n)
        return (lambda: (torch.mm(a, b), 1)[1]), None
    if wid == "w2-xent":
        z = torch.randn(p["batch"], p["classes"], requires_grad=True)
        y = torch.randint(0, p["classes"], (p["batch"],))

        def run():
            z.grad = None
            F.cross_entropy(z, y).backward()
            return 1
        return run, None
    if wid == "w3-mlp":
        widths = [p["in"]] + [p["hidden"]] * p["layers"] + [p["out"]]
        ps = mlp_params(widths)
        x, y = torch.randn(p["batch"], p["in"]), torch.randint(0, p["out"], (p["batch"],))
        opt = torch.optim.SGD(ps, lr=p["lr"])

        def step():
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(forward(ps, x), y).backward()
            opt.step()
        for _ in range(5):
            step()

        def run():
            for _ in range(p["steps"]):
                step()
            return p["steps"]
        return run, None
    if wid == "w5-spiral":
        with open(args["--fixture"]) as f:
            fx = json.load(f)
        x = torch.tensor(fx["x"], dtype=torch.float32).reshape(-1, 2)
        y = torch.tensor(fx["y"], dtype=torch.long)
        state = {"acc": 0.0}

        def run():
            ps = []
            for layer in fx["layers"]:
                ps.append(torch.tensor(layer["weight"], dtype=torch.float32).reshape(layer["outF"], layer["inF"]).requires_grad_())
                ps.append(torch.tensor(layer["bias"], dtype=torch.float32).requires_grad_())
            opt = torch.optim.Adam(ps, lr=p["lr"])
            for _ in range(p["steps"]):
                opt.zero_grad(set_to_none=True)
                loss = F.cross_entropy(forward(ps, x), y)
                loss.backward()
                loss.item()  # a teacher's loop reads the loss every step
                opt.step()
            with torch.no_grad():
                state["acc"] = (forward(ps, x).argmax(1) == y).float().mean().item()
            return 1
        return run, (lambda: {"accuracy": state["acc"]})
    raise RuntimeError("n/a: no scalar engine")


def main():
    try:
        run, after = prepare()
        warm_start, i = time.perf_counter(), 0
        while i < wl["warmup"] or (time.perf_counter() - warm_start) * 1000 < wl.get("warmupMs", 0):
            i += 1
            t0 = time.perf_counter()
            run()
            dt = (time.perf_counter() - t0) * 1000
            if dt > skip_after_ms:
                return {"key": wl["key"], "runner": NAME, "ok": False, "peakMB": peak_mb(),
                        "note": f"skipped: one warm-up run took {dt / 1000:.1f} s (limit {skip_after_ms / 1000:.0f} s)"}
        times, total = [], 0.0
        while len(times) < wl["reps"] or (total < wl["minTimeMs"] and len(times) < wl["maxReps"]):
            t0 = time.perf_counter()
            units = run()
            dt = (time.perf_counter() - t0) * 1000
            total += dt
            times.append(dt / units)
        med = statistics.median(times)
        res = {"key": wl["key"], "runner": NAME, "ok": True, "times": times, "median": med, "min": min(times),
               "max": max(times), "peakMB": peak_mb(), "note": f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), {blas_info()}"}
        if wid_is("w1-matmul"):
            res["gflops"] = 2 * p["n"] ** 3 / (med * 1e6)
        if after:
            res.update(after())
        return res
    except Exception as e:  # noqa: BLE001 - reported, not raised: the orchestrator goes on
        return {"key": wl["key"], "runner": NAME, "ok": False, "note": f"failed: {str(e).splitlines()[0] if str(e) else type(e).__name__}"}


def wid_is(x):
    return wl["id"] == x


print()
print(json.dumps(main()))

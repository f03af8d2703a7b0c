#!/usr/bin/env python3
"""PyTorch as a peer of `gradscope bench`.

Started by the bench (src/bench/torch.ts) once per thread count, with
OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS set to it. It
speaks JSON lines: on start it prints its torch version, thread count and the
BLAS libraries the process mapped (read from /proc/self/maps after one
product); then it answers commands read from stdin, one per line:

  {"cmd": "prepare", "id": ..., "workload": {...}, "amount": N, "weights": PATH, "data": PATH, "labels": PATH}
      builds the workload's network with the given initial weights (raw
      little-endian float32, in the order the workload lists them) and data
  {"cmd": "run", "id": ...}      one timed repetition: N steps or products; answers {"seconds": s}
  {"cmd": "loss", "id": ...}     the loss on the first batch at the current weights
  {"cmd": "dispose", "id": ...}
  {"cmd": "exit"}

The networks are the bench's own: the same layer sizes, activations, loss,
plain SGD with the same learning rate, the same batches in the same order.
"""
import json
import os
import sys
import time


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def mapped_blas():
    """Paths of the BLAS/LAPACK/MKL libraries this process has mapped."""
    paths = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 6 and parts[-1].startswith("/"):
                    name = os.path.basename(parts[-1]).lower()
                    if "blas" in name or "mkl" in name or "lapack" in name:
                        paths.add(parts[-1])
    except OSError:
        pass
    return sorted(paths)


def main():
    try:
        import numpy as np
        import torch
        import torch.nn.functional as F
    except Exception as e:  # noqa: BLE001 - reported to the bench as one sentence
        reply({"error": f"import torch failed: {type(e).__name__}: {e}"})
        return

    threads = int(os.environ.get("GRADSCOPE_TORCH_THREADS", "1"))
    torch.set_num_threads(threads)
    a = torch.ones(256, 256)
    float((a @ a).sum())
    reply({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": mapped_blas()})

    def floats(path):
        return np.fromfile(path, dtype="<f4")

    class Mlp:
        """A bench training workload: Linear layers, the hidden activation, the loss, SGD."""

        def __init__(self, w, amount, weights, data, labels):
            sizes = w["sizes"]
            act = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[w["hidden"]]
            flat = floats(weights)
            self.layers = []
            at = 0
            for i, o in zip(sizes[:-1], sizes[1:]):
                lin = torch.nn.Linear(i, o)
                with torch.no_grad():
                    lin.weight.copy_(torch.from_numpy(flat[at:at + o * i].reshape(o, i).copy()))
                    at += o * i
                    lin.bias.copy_(torch.from_numpy(flat[at:at + o].copy()))
                    at += o
                self.layers.append(lin)
            self.act = act
            self.params = [p for lin in self.layers for p in lin.parameters()]
            self.opt = torch.optim.SGD(self.params, lr=w["lr"])
            n_in = sizes[0]
            self.x = torch.from_numpy(floats(data).reshape(-1, n_in).copy())
            self.labels = torch.from_numpy(np.fromfile(labels, dtype="<i4").astype(np.int64))
            self.y = F.one_hot(self.labels, sizes[-1]).float()
            self.B = w["batch"]
            self.n = self.x.shape[0]
            self.loss_name = w["loss"]
            self.output = w["output"]
            self.amount = amount
            self.cursor = 0

        def loss_of(self, lo):
            h = self.x[lo:lo + self.B]
            for k, lin in enumerate(self.layers):
                h = lin(h)
                if k < len(self.layers) - 1:
                    h = self.act(h)
            if self.loss_name == "cross_entropy":
                return F.cross_entropy(h, self.labels[lo:lo + self.B])
            a = torch.sigmoid(h) if self.output == "sigmoid" else h
            return ((a - self.y[lo:lo + self.B]) ** 2).sum() / (2 * self.B)

        def run(self):
            t0 = time.perf_counter()
            for _ in range(self.amount):
                if self.cursor + self.B > self.n:
                    self.cursor = 0
                lo = self.cursor
                self.cursor += self.B
                self.opt.zero_grad()
                self.loss_of(lo).backward()
                self.opt.step()
            return time.perf_counter() - t0

        def loss(self):
            with torch.no_grad():
                return float(self.loss_of(0))

    class Matmul:
        """C = A·B, n×n float32, into a preallocated C."""

        def __init__(self, w, amount, weights, data, labels):
            n = w["n"]
            flat = floats(data)
            self.a = torch.from_numpy(flat[: n * n].reshape(n, n).copy())
            self.b = torch.from_numpy(flat[n * n: 2 * n * n].reshape(n, n).copy())
            self.c = torch.empty(n, n)
            self.amount = amount

        def run(self):
            t0 = time.perf_counter()
            for _ in range(self.amount):
                torch.mm(self.a, self.b, out=self.c)
            return time.perf_counter() - t0

        def loss(self):
            return float("nan")

    class Lstm:
        """torch.nn.LSTM (time-major) and a Linear head on the last state, cross-entropy, SGD, BPTT over the whole sequence."""

        def __init__(self, w, amount, weights, data, labels):
            T, B, I, H, C = w["T"], w["B"], w["I"], w["H"], w["classes"]
            flat = floats(weights)
            self.lstm = torch.nn.LSTM(I, H)
            self.head = torch.nn.Linear(H, C)
            at = 0

            def take(shape):
                nonlocal at
                size = int(np.prod(shape))
                v = torch.from_numpy(flat[at:at + size].reshape(shape).copy())
                at += size
                return v

            with torch.no_grad():
                # gates [i f g o] in both; torch adds two biases, the bench's LSTM has one: the second stays 0 and is not trained
                self.lstm.weight_ih_l0.copy_(take((4 * H, I)))
                self.lstm.weight_hh_l0.copy_(take((4 * H, H)))
                self.lstm.bias_ih_l0.copy_(take((4 * H,)))
                self.lstm.bias_hh_l0.zero_()
                self.head.weight.copy_(take((C, H)))
                self.head.bias.copy_(take((C,)))
            self.lstm.bias_hh_l0.requires_grad_(False)
            self.batches = w["batches"]
            self.x = torch.from_numpy(floats(data).reshape(self.batches, T, B, I).copy())
            self.labels = torch.from_numpy(np.fromfile(labels, dtype="<i4").astype(np.int64).reshape(self.batches, B))
            trained = [p for p in self.lstm.parameters() if p.requires_grad] + list(self.head.parameters())
            self.opt = torch.optim.SGD(trained, lr=w["lr"])
            self.amount = amount
            self.next = 0

        def loss_of(self, b):
            out, _ = self.lstm(self.x[b])
            return F.cross_entropy(self.head(out[-1]), self.labels[b])

        def run(self):
            t0 = time.perf_counter()
            for _ in range(self.amount):
                b = self.next
                self.next = (self.next + 1) % self.batches
                self.opt.zero_grad()
                self.loss_of(b).backward()
                self.opt.step()
            return time.perf_counter() - t0

        def loss(self):
            with torch.no_grad():
                return float(self.loss_of(0))

    kinds = {"train": Mlp, "matmul": Matmul, "lstm": Lstm}
    trials = {}
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
            cmd = msg.get("cmd")
            if cmd == "exit":
                break
            if cmd == "prepare":
                w = msg["workload"]
                trials[msg["id"]] = kinds[w["kind"]](w, msg["amount"], msg.get("weights"), msg.get("data"), msg.get("labels"))
                reply({"ok": True})
            elif cmd == "run":
                reply({"seconds": trials[msg["id"]].run()})
            elif cmd == "loss":
                reply({"loss": trials[msg["id"]].loss()})
            elif cmd == "dispose":
                trials.pop(msg["id"], None)
                reply({"ok": True})
            else:
                reply({"error": f"unknown command {cmd!r}"})
        except Exception as e:  # noqa: BLE001 - every failure goes back to the bench as one sentence
            reply({"error": f"{type(e).__name__}: {e}"})


if __name__ == "__main__":
    main()

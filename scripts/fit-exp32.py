"""Fits the float32 exp's polynomial in packages/core/wasm/exp.ts and checks the whole pipeline.

e^r = 1 + r + r²·P(r) on |r| ≤ ln2/2, P of degree 4, minimax in relative error of e^r (least squares with
Lawson reweighting), then exp32 simulated step by step in float32 (magic-number rounding, ln 2 in two parts,
Horner, 2ⁿ applied exactly and rounded once) over 2M points of [−104, 88.7] against float64's exp rounded to
float32. Prints the coefficients (highest first, as the K32 table holds them) and the worst and mean ulp error.
Needs numpy: `/usr/bin/python3 scripts/fit-exp32.py`. A development tool; the tests do not run it.
"""
import numpy as np

h = np.log(2) / 2
r = np.cos(np.linspace(0, np.pi, 4001)) * h
r = r[np.abs(r) > 1e-6]
f = (np.expm1(r) - r) / r**2  # the P that makes 1 + r + r²P exact
w = r**2 / np.exp(r)  # an error dP in P is an error r²·dP in e^r, relative to e^r
best = None
for _ in range(60):
    V = np.vander(r, 5, increasing=True)
    c, *_ = np.linalg.lstsq(V * w[:, None], f * w, rcond=None)
    err = (V @ c - f) * r**2 / np.exp(r)
    m = np.max(np.abs(err))
    if best is None or m < best[0]:
        best = (m, c)
    w = w * (np.abs(err) / m + 0.1) ** 0.5
c = best[1].astype(np.float32)
print('max relative error of e^r:', best[0])
print('P, highest coefficient first:', [float(x) for x in c[::-1]])

f32 = np.float32
xs = np.linspace(-104, 88.7, 2_000_001).astype(np.float32)
t = (xs * f32(1.44269504088896341) + f32(12582912)).astype(np.float32)
n = (t - f32(12582912)).astype(np.float32)
rr = (xs - n * f32(0.693359375)).astype(np.float32)
rr = (rr - n * f32(-2.12194440e-4)).astype(np.float32)
p = c[4]
for k in (3, 2, 1, 0):
    p = (p * rr + c[k]).astype(np.float32)
y = (((p * (rr * rr).astype(np.float32)).astype(np.float32) + rr).astype(np.float32) + f32(1)).astype(np.float32)
e = (y.astype(np.float64) * np.exp2(n.astype(np.float64))).astype(np.float32)
ref = np.exp(xs.astype(np.float64)).astype(np.float32)
ok = np.isfinite(ref) & (ref > 0)
d = np.abs(e[ok].view(np.int32).astype(np.int64) - ref[ok].view(np.int32).astype(np.int64))
print('ulp error: max', int(d.max()), 'mean', float(d.mean()))

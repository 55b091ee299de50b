"""Small, seeded NumPy experiments that show why an interview answer is true.

One module per demo; each registers a pure `run(params, rng) -> Outcome` with `registry.demo`.
Rendering lives in `render/demo.py`, apart from the computation.
"""

import os as _os
import sys as _sys

# The demos multiply matrices of at most a few hundred rows, where BLAS threads only add overhead; on a
# loaded machine they thrash: one 128×128 SVD took 0.55 s with OpenBLAS's default threads and 0.006 s
# with one (2 cores, load 12). The variables are read once, when numpy loads, so this works only if
# nothing imported numpy before the demos package; a value the user set is kept.
if "numpy" not in _sys.modules:
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        _os.environ.setdefault(_var, "1")

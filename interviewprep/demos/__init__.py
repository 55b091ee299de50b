"""Small, seeded NumPy experiments that show why an interview answer is true.

One module per demo; each registers a pure `run(params, rng) -> Outcome` with `registry.demo`.
Rendering lives in `render/demo.py`, apart from the computation.
"""

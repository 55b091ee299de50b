"""hessian-vector-product: the R-operator equals the Hessian from second differences of the loss, the
finite-difference error has its ε² / 1/ε shape, and each check fails when its computation is broken."""

from __future__ import annotations

import numpy as np
import pytest

from interviewprep.demos import hessian_vector_product as hv
from tests.demos.helpers import check_named, outcome


def _loss(net, theta, x, t):
    w1, b1, w2, b2 = net.split(theta)
    y = np.tanh(x @ w1.T + b1) @ w2.T + b2
    return 0.5 * float(np.mean((y - t) ** 2))


def test_r_operator_equals_second_differences_of_the_loss_itself():
    # an independent Hessian: H_ij ≈ [L(θ+εe_i+εe_j) − L(θ+εe_i−εe_j) − L(θ−εe_i+εe_j) + L(θ−εe_i−εe_j)] / 4ε²
    rng = np.random.default_rng(3)
    net = hv.Net(2, 3)
    x, theta = rng.standard_normal((10, 2)), rng.standard_normal(net.n)
    t = np.sin(x.sum(1, keepdims=True))
    eps, eye = 1e-4, np.eye(net.n)

    def second_difference(i, j):
        def at(si, sj):
            return _loss(net, theta + eps * (si * eye[i] + sj * eye[j]), x, t)

        return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * eps * eps)

    h_fd = np.array([[second_difference(i, j) for j in range(net.n)] for i in range(net.n)])
    h_r = hv.hvp(net, theta, eye, x, t).T
    assert h_r == pytest.approx(h_fd, abs=1e-5)
    v = rng.standard_normal(net.n)
    assert hv.hvp(net, theta, v, x, t) == pytest.approx(h_r @ v, rel=1e-12, abs=1e-14)


def test_gradient_matches_central_differences_of_the_loss():
    rng = np.random.default_rng(4)
    net = hv.Net(3, 4)
    x, theta = rng.standard_normal((8, 3)), rng.standard_normal(net.n)
    t = np.sin(x.sum(1, keepdims=True))
    eye = np.eye(net.n)
    fd = [(_loss(net, theta + 1e-6 * e, x, t) - _loss(net, theta - 1e-6 * e, x, t)) / 2e-6 for e in eye]
    assert hv.gradient(net, theta, x, t) == pytest.approx(fd, abs=1e-8)


def test_defaults_error_shape_and_sizes():
    out = outcome("hessian-vector-product")
    m = out.metrics
    assert all(c.passed for c in out.checks)
    assert m["params_n"] == 8 * 4 + 8 + 8 + 1 and m["hessian_entries"] == 49**2
    assert 1e-7 <= m["central_best_eps"] <= 1e-3       # near u^(1/3) ≈ 5e-6
    assert 1e-10 <= m["forward_best_eps"] <= 1e-6       # near √u ≈ 1e-8
    assert m["central_best_rel_error"] < 1e-9 < m["forward_best_rel_error"]
    assert m["negative_eigenvalues"] > 0


def test_dropping_the_second_derivative_term_is_gauss_newton_and_fails_the_fd_check(monkeypatch):
    def gauss_newton(net, theta, v, x, t):  # R{da} without dh·(−2h·R{h}) and R{gW2} without r·R{h}: J ᵀJ v
        w1, b1, w2, b2 = net.split(theta)
        vs = np.atleast_2d(v)
        out = []
        for row in vs:
            v1, c1, v2, c2 = net.split(row)
            h = np.tanh(x @ w1.T + b1)
            r_h = (1 - h**2) * (x @ v1.T + c1)
            r_r = (r_h @ w2.T + h @ v2.T + c2) / len(x)
            r_da = (r_r @ w2) * (1 - h**2)
            out.append(np.concatenate([(r_da.T @ x).ravel(), r_da.sum(0), (r_r.T @ h).ravel(), r_r.sum(0)]))
        return np.array(out) if np.ndim(v) == 2 else out[0]

    monkeypatch.setattr(hv, "hvp", gauss_newton)
    out = outcome("hessian-vector-product")
    assert not check_named(out, "matches central differences").passed
    assert check_named(out, "symmetric").passed  # the Gauss-Newton matrix is symmetric too: only the FD check sees it


def test_an_asymmetric_product_fails_the_symmetry_check(monkeypatch):
    real = hv.hvp

    def lopsided(net, theta, v, x, t):
        out = real(net, theta, v, x, t)
        return out + 1e-3 * np.roll(v, 1, axis=-1)  # adds a non-symmetric matrix times v

    monkeypatch.setattr(hv, "hvp", lopsided)
    assert not check_named(outcome("hessian-vector-product"), "symmetric").passed


def test_a_one_sided_difference_fails_the_error_shape_check(monkeypatch):
    monkeypatch.setattr(hv, "central_difference", hv.forward_difference)
    out = outcome("hessian-vector-product")
    assert not check_named(out, "falls as ε²").passed
    assert not check_named(out, "beat forward differences").passed
    assert "not the 2 and −1 expected" in out.takeaway["en"]


def test_too_few_power_iterations_fail_the_eigenvalue_check(monkeypatch):
    monkeypatch.setattr(hv, "POWER_ITERS", 1)
    out = outcome("hessian-vector-product")
    assert not check_named(out, "power iteration").passed
    assert "but the assembled H" in out.takeaway["en"]

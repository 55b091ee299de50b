"""A computational graph and reverse-mode autodiff in ~40 lines (micrograd style).

Each `Value` stores its data, its grad, its parents and a `_backward` closure that pushes its grad to the
parents with the local derivative (chain rule). `backward()` sorts the graph topologically and runs the
closures from the output back. Expression: f = (a·b + c)·σ(d). One backward pass gives all four input
gradients; finite differences need two evaluations per input.
"""

from __future__ import annotations

from interviewprep.demos.registry import demo
from interviewprep.demos.result import Outcome, check, with_failures
from interviewprep.demos.spec import Param
from interviewprep.numeric import functional as F


class Value:
    """A scalar node of the graph."""

    def __init__(self, data, parents=(), op="", label=""):
        self.data, self.grad = float(data), 0.0
        self._parents, self.op, self.label = parents, op, label
        self._backward = lambda: None

    def __add__(self, other):
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # += : a node used twice accumulates both contributions
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def sigmoid(self):
        s = float(F.sigmoid(self.data))
        out = Value(s, (self,), "σ")

        def _backward():
            self.grad += s * (1.0 - s) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if id(v) not in seen:
                seen.add(id(v))
                for parent in v._parents:
                    visit(parent)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()
        return order


def _f(a, b, c, d):
    return (a * b + c) * float(F.sigmoid(d))


@demo(
    id="computational-graph",
    title={"zh": "计算图与反向模式自动微分（micrograd 式）",
           "en": "Computational graph and reverse-mode autodiff (micrograd style)"},
    tags=["computational-graph", "autodiff", "reverse-mode", "backpropagation", "chain-rule", "micrograd",
          "计算图", "自动微分", "反向传播", "链式法则"],
    params=[
        Param("a", float, 2.0, -10.0, 10.0, help={"zh": "输入 a", "en": "input a"}),
        Param("b", float, -3.0, -10.0, 10.0, help={"zh": "输入 b", "en": "input b"}),
        Param("c", float, 10.0, -10.0, 10.0, help={"zh": "输入 c", "en": "input c"}),
        Param("d", float, 0.5, -10.0, 10.0, help={"zh": "输入 d（经过 sigmoid）",
                                                  "en": "input d (goes through a sigmoid)"}),
    ],
)
def run(p, rng) -> Outcome:
    a, b, c, d = (Value(p[k], label=k) for k in "abcd")
    ab = a * b
    ab.label = "a·b"
    e = ab + c
    e.label = "a·b + c"
    s = d.sigmoid()
    s.label = "σ(d)"
    f = e * s
    f.label = "f"
    order = f.backward()
    rows = [[v.label, v.op or "input", v.data, v.grad] for v in order]
    auto = {k: v.grad for k, v in zip("abcd", (a, b, c, d))}
    # finite differences: 2 evaluations per input
    h, fd, evals = 1e-6, {}, 0
    x0 = [p[k] for k in "abcd"]
    for i, k in enumerate("abcd"):
        up, down = list(x0), list(x0)
        up[i] += h
        down[i] -= h
        fd[k] = (_f(*up) - _f(*down)) / (2 * h)
        evals += 2
    fd_err = max(abs(auto[k] - fd[k]) / max(1.0, abs(fd[k])) for k in "abcd")
    sd = float(F.sigmoid(p["d"]))
    closed = {"a": p["b"] * sd, "b": p["a"] * sd, "c": sd, "d": (p["a"] * p["b"] + p["c"]) * sd * (1 - sd)}
    closed_err = max(abs(auto[k] - closed[k]) for k in "abcd")
    # a node used twice: g = x·x must give dg/dx = 2x only because grads accumulate (+=)
    x = Value(p["a"])
    (x * x).backward()
    square_grad = x.grad
    metrics = {"f": f.data, **{f"df_d{k}": auto[k] for k in "abcd"},
               "max_error_vs_finite_differences": fd_err, "max_error_vs_closed_form": closed_err,
               "backward_passes": 1, "finite_difference_evaluations": evals,
               "d_x_squared_at_a": square_grad}
    checks = [
        check("autodiff = closed-form chain rule", closed_err < 1e-12,
              f"∂f/∂a = b·σ(d) = {closed['a']:.6f}, ∂f/∂d = (ab+c)σ(d)(1−σ(d)) = {closed['d']:.6f}; "
              f"max diff {closed_err:.1e}"),
        check("autodiff = central finite differences", fd_err < 1e-6,
              f"max relative diff {fd_err:.1e} ({evals} extra evaluations of f vs 1 backward pass)"),
        check("a node used twice accumulates: d(x·x)/dx = 2x", abs(square_grad - 2 * p["a"]) < 1e-12,
              f"x = {p['a']:g}: grad {square_grad:g}"),
    ]
    takeaway = {
        "zh": (f"前向：a·b={ab.data:g}，加 c 得 {e.data:g}，σ(d)={s.data:.4f}，f={f.data:.4f}。"
               f"反向从 ∂f/∂f=1 出发，每个节点把梯度乘上局部导数传给父节点："
               f"∂f/∂a={auto['a']:.4f}、∂f/∂b={auto['b']:.4f}、∂f/∂c={auto['c']:.4f}、∂f/∂d={auto['d']:.4f}。\n"
               f"一次反向传播得到全部 4 个梯度，与有限差分（{evals} 次前向）相差 {fd_err:.0e}。"
               f"x·x 在 x = {p['a']:g} 处对 x 的梯度算出来是 {square_grad:g}（2x = {2 * p['a']:g}）。"),
        "en": (f"Forward: a·b = {ab.data:g}, + c = {e.data:g}, σ(d) = {s.data:.4f}, f = {f.data:.4f}. "
               f"Backward starts from ∂f/∂f = 1 and each node multiplies by its local derivative: "
               f"∂f/∂a = {auto['a']:.4f}, ∂f/∂b = {auto['b']:.4f}, ∂f/∂c = {auto['c']:.4f}, ∂f/∂d = {auto['d']:.4f}.\n"
               f"One backward pass gives all 4 gradients; they differ from finite differences ({evals} forward "
               f"evaluations) by {fd_err:.0e}. At x = {p['a']:g}, d(x·x)/dx comes out {square_grad:g} "
               f"(2x = {2 * p['a']:g})."),
    }
    claim = {
        "zh": ("反向模式自动微分就是逐节点应用链式法则：一次反向传播就得到每个输入的精确梯度，"
               "而有限差分每个输入要算两次。梯度必须用 += 累加：x·x 对 x 的梯度才是 2x。"),
        "en": ("Reverse-mode autodiff is the chain rule applied node by node: one backward pass gives every input's "
               "exact gradient, where finite differences need two evaluations per input. Gradients must accumulate "
               "with +=: only then is d(x·x)/dx = 2x."),
    }
    table = {"columns": ["node", "op", "value (forward)", "∂f/∂node (backward)"], "rows": rows}
    return Outcome(metrics, checks, with_failures(takeaway, checks), {}, table, claim=claim)

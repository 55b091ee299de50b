"""The demo registry: a decorator fills it from an explicit list of modules, in a fixed order.

Explicit beats discovered: the list below is the table of contents of the demo engine, and
`tests/test_demos.py` checks that every listed module exists and registers what it should.
Importing this module is cheap; `load_all()` imports the demo modules (and so numpy).
"""

from __future__ import annotations

import difflib
import importlib

from interviewprep.demos.result import DemoResult, report_failed_checks
from interviewprep.demos.spec import DemoSpec, Param
from interviewprep.errors import UsageError

MODULES = [
    # activations, gradients, initialization
    "sigmoid_saturation",
    "activation_zoo",
    "dying_relu",
    "no_activation_collapse",
    "xor_mlp",
    "vanishing_depth",
    "exploding_depth",
    "gradient_clipping",
    "weight_init",
    "gradient_check",
    "computational_graph",
    "residual_gradient",
    "hessian_vector_product",
    # optimization
    "gd_learning_rate",
    "sgd_oscillation",
    "minibatch_noise",
    "sgd_noise_ball",
    "momentum",
    "hessian_conditioning",
    "rmsprop",
    "adam_bias_correction",
    "adamw_vs_l2",
    "optimizer_race",
    "lr_schedules",
    "epoch_batch_iteration",
    "local_minima",
    "nesterov_lookahead",
    # losses, metrics, regularization, normalization
    "cross_entropy_vs_mse",
    "softmax_stability",
    "focal_loss",
    "hinge_vs_logistic",
    "accuracy_paradox",
    "roc_auc",
    "class_imbalance",
    "bias_variance",
    "early_stopping",
    "l1_vs_l2",
    "dropout_scaling",
    "dropout_vs_bagging",
    "batchnorm",
    "layernorm_vs_batchnorm",
    "input_normalization",
    "curse_of_dimensionality",
    # convolution and sequences
    "conv_params",
    "receptive_field",
    "padding_stride",
    "weight_sharing",
    "pooling",
    "smoothing_sharpening",
    "fourier_convolution",
    "data_augmentation",
    "transfer_learning",
    "rnn_vanishing",
    "lstm_cell_path",
    "attention_vs_rnn",
    "positional_encoding",
    "attention_scaling",
    # generative models, modern topics, practice
    "autoencoder_pca",
    "gan_1d",
    "diffusion_forward",
    "bandit",
    "behavior_cloning",
    "next_token",
    "nearest_neighbour_lsh",
    "quantization_pruning",
    "data_generator",
    "not_converging",
    "vae_elbo",
    "rbm_cd1",
    # training at scale (deck training-at-scale)
    "mixed_precision",
    "parallel_matmul",
    "lora_update",
    "ring_allreduce_zero",
    "activation_checkpointing",
    "attention_logit_growth",
    # foundation-models deck (tokenization, scaling, MoE, contrastive learning, flow matching, emergence)
    "bpe_tokenizer",
    "compute_optimal",
    "moe_routing",
    "infonce_temperature",
    "flow_matching_2d",
    "emergence_metric",
    # alignment and post-training
    "dpo_loss",
    "grpo_advantage",
    "reward_model_bt",
    "best_of_n",
    "kl_regularised_rl",
    "judge_bias",
    # transformers-at-scale deck
    "kv_cache",
    "tiled_attention",
    "rope_relative",
    "transformer_flops",
    # inference-and-serving (LLM decoding, speculative decoding, batching, roofline)
    "sampling_knobs",
    "speculative_decoding",
    "continuous_batching",
    "decode_roofline",
]

_REGISTRY: dict[str, DemoSpec] = {}


def demo(id: str, title: dict, tags: list[str], params: list[Param] | tuple = ()):
    """Register `run(params, rng) -> Outcome` as demo `id`."""

    def wrap(run):
        if id in _REGISTRY and _REGISTRY[id].run is not run:
            raise RuntimeError(f"demo id '{id}' registered twice")
        _REGISTRY[id] = DemoSpec(id, dict(title), tuple(tags), tuple(params), run)
        return run

    return wrap


def load_all() -> dict[str, DemoSpec]:
    """Every demo, in MODULES order (importing each module registers its demos)."""
    for name in MODULES:
        full = f"interviewprep.demos.{name}"
        try:
            importlib.import_module(full)
        except ModuleNotFoundError as exc:
            if exc.name != full:  # a real import error inside the module: a bug, not a missing demo
                raise
            # listed but not written yet: tests/test_demos.py fails on this, the CLI carries on
    return dict(_REGISTRY)


def get(demo_id: str) -> DemoSpec:
    specs = load_all()
    if demo_id not in specs:
        raise UsageError(unknown_message(demo_id, specs))
    return specs[demo_id]


def unknown_message(topic: str, specs: dict[str, DemoSpec]) -> str:
    close = difflib.get_close_matches(topic, list(specs), n=3, cutoff=0.5)
    hint = f"; closest: {', '.join(close)}" if close else "; `prep demo --list` shows them all"
    return f"no demo matches '{topic}'{hint}"


def search(topic: str) -> list[DemoSpec]:
    """Demos whose id, title (zh or en) or tags contain `topic` (case-insensitive)."""
    needle = topic.strip().lower()
    hits = []
    for spec in load_all().values():
        haystack = [spec.id, *spec.title.values(), *spec.tags]
        if any(needle in text.lower() for text in haystack):
            hits.append(spec)
    return hits


def run(spec: DemoSpec, values: dict | None = None, seed: int = 0) -> DemoResult:
    """Validate parameters, run the experiment with a seeded generator, stamp the result; a check that
    failed is reported in the takeaway (result.report_failed_checks)."""
    import numpy as np

    params = spec.resolve(values or {})
    outcome = report_failed_checks(spec.run(params, np.random.default_rng(seed)))
    return DemoResult(spec.id, spec.title, params, seed, outcome)


def link_problems(link) -> list[str]:
    """Why a card's `demo:` link is invalid (empty when it is fine); used by the bank loader."""
    specs = load_all()
    spec = specs.get(link.id)
    if spec is None:
        return [f"demo: {unknown_message(link.id, specs)}"]
    try:
        spec.resolve(link.params)
    except UsageError as exc:
        return [f"demo: {exc}"]
    return []

"""The demo engine's contract, for every registered demo: runs at defaults, passes its own checks,
is deterministic, and its JSON has the documented shape. Per-demo numbers are in test_demos_*.py."""

from __future__ import annotations

import importlib
import json
import math
import re

import pytest

from interviewprep.demos import registry
from interviewprep.demos.spec import Param
from interviewprep.errors import UsageError
from tests.conftest import prep

SPECS = registry.load_all()


def test_every_listed_module_exists_and_there_are_at_least_40_demos():
    for name in registry.MODULES:
        importlib.import_module(f"interviewprep.demos.{name}")
    assert len(SPECS) >= 40
    assert len(set(SPECS)) == len(SPECS)


@pytest.mark.parametrize("demo_id", sorted(SPECS))
def test_demo_runs_at_defaults_and_passes_its_checks(demo_id):
    spec = SPECS[demo_id]
    result = registry.run(spec, {}, seed=0)
    data = result.to_dict()
    assert set(data) >= {"id", "title", "params", "metrics", "checks", "takeaway", "series"}
    assert set(data["title"]) == {"zh", "en"} and set(data["takeaway"]) == {"zh", "en"}
    assert data["checks"], "a demo must make at least one checked claim"
    failed = [c for c in data["checks"] if not c["passed"]]
    assert not failed, failed
    assert data["metrics"] and all(isinstance(v, (int, float)) or v is None for v in data["metrics"].values())
    for series in data["series"].values():
        assert len(series["x"]) == len(series["y"])
    assert json.loads(json.dumps(data)) == data
    for p in spec.params:
        assert p.help.get("zh") and p.help.get("en"), f"{demo_id}.{p.name} needs help in zh and en"
        assert p.parse(p.default) == p.default


@pytest.mark.parametrize("demo_id", sorted(SPECS))
def test_demo_is_deterministic_for_a_seed(demo_id):
    spec = SPECS[demo_id]
    first = registry.run(spec, {}, seed=7).to_dict()
    again = registry.run(spec, {}, seed=7).to_dict()
    assert first == again


def test_takeaway_numbers_come_from_the_run():
    a = registry.run(SPECS["sigmoid-saturation"], {"z": 5}).to_dict()
    b = registry.run(SPECS["sigmoid-saturation"], {"z": 10}).to_dict()
    assert a["takeaway"]["en"] != b["takeaway"]["en"]
    assert f"{b['metrics']['sigma_prime_z']:.2e}" in b["takeaway"]["en"]


@pytest.mark.parametrize("raw", ["nan", "inf", "-1", "abc", "1e9"])
def test_bad_set_values_exit_2_naming_the_range(raw):
    result = prep("demo", "sigmoid-saturation", "--set", f"z={raw}", "--no-builtin")
    assert result.exit_code == 2
    assert "parameter 'z'" in result.output and "[0.5, 40.0]" in result.output


def test_unknown_parameter_and_topic_exit_2():
    unknown = prep("demo", "sigmoid-saturation", "--set", "w=1", "--no-builtin")
    assert unknown.exit_code == 2 and "no parameter 'w'" in unknown.output
    nothing = prep("demo", "sigmoid-saturatoin", "--no-builtin")
    assert nothing.exit_code == 2 and "sigmoid-saturation" in nothing.output
    bad_form = prep("demo", "sigmoid-saturation", "--set", "z", "--no-builtin")
    assert bad_form.exit_code == 2 and "NAME=VALUE" in bad_form.output


def test_json_output_is_one_object_and_exit_code_follows_checks():
    result = prep("demo", "sigmoid-saturation", "--json", "--no-builtin", "--set", "z=3")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["params"] == {"z": 3.0, "span": 12.0}
    assert math.isclose(data["metrics"]["sigma_prime_z"], math.exp(-3) / (1 + math.exp(-3)) ** 2)


def test_search_by_chinese_and_english_words():
    assert "sigmoid-saturation" in [s.id for s in registry.search("饱和")]
    assert "sigmoid-saturation" in [s.id for s in registry.search("Saturation")]
    listed = prep("demo", "--list", "--json", "--no-builtin")
    rows = json.loads(listed.output)
    assert {"id", "title", "params", "cards"} <= set(rows[0])
    assert len(rows) == len(SPECS)


def test_a_word_that_is_one_demos_title_runs_that_demo_and_names_the_others():
    """`prep demo 动量`: momentum's title is about momentum; optimizer-race only mentions it."""
    result = prep("demo", "动量", "--no-builtin", "--no-plot", "--lang", "en")
    assert result.exit_code == 0
    assert "Momentum: from ~κ to ~√κ" in result.output
    assert "also matching '动量': optimizer-race" in result.output
    as_json = prep("demo", "动量", "--no-builtin", "--json")
    assert json.loads(as_json.output)["id"] == "momentum"


def test_a_word_no_title_is_about_lists_the_matches_instead_of_guessing():
    result = prep("demo", "adam", "--no-builtin", "--lang", "en")
    assert result.exit_code == 0
    assert "several demos match 'adam'" in result.output
    assert "adam-bias-correction" in result.output and "adamw-vs-l2" in result.output


def test_param_parsing_rules():
    p = Param("n", int, 3, 1, 10, help={"zh": "n", "en": "n"})
    assert p.parse("4") == 4 and p.parse(5) == 5
    for bad in ("4.5", "0", "11", "x", True):
        with pytest.raises(UsageError):
            p.parse(bad)
    flag = Param("on", bool, False, help={"zh": "开关", "en": "flag"})
    assert flag.parse("yes") is True and flag.parse("0") is False
    choice = Param("kind", str, "a", choices=("a", "b"), help={"zh": "类型", "en": "kind"})
    with pytest.raises(UsageError):
        choice.parse("c")


def test_plain_output_has_table_plot_checks_and_takeaway_without_control_codes():
    result = prep("demo", "sigmoid-saturation", "--no-builtin", "--lang", "en")
    assert result.exit_code == 0
    out = result.output
    assert "\x1b[" not in out
    for text in ("Measured", "sigma_prime_z", "Curves", "• σ(z)", "✓ σ'(0) = 0.25 is the maximum", "Takeaway"):
        assert text in out, text
    assert "Curves" not in prep("demo", "sigmoid-saturation", "--no-builtin", "--no-plot").output


def _bank_links():
    from interviewprep.bank import loader as banks

    cards = banks.load(banks.bank_dirs()).cards.values()
    pairs = {(c.demo.id, tuple(sorted(c.demo.params.items()))) for c in cards if c.demo}
    return sorted(pairs, key=str), list(cards)


LINKS, BANK_CARDS = _bank_links()


def test_at_least_90_percent_of_the_bank_links_a_demo():
    linked = sum(1 for c in BANK_CARDS if c.demo)
    assert linked / len(BANK_CARDS) >= 0.9, f"{linked}/{len(BANK_CARDS)}"


@pytest.mark.parametrize("demo_id, params", LINKS, ids=[f"{d}{dict(p)}" for d, p in LINKS])
def test_every_linked_demo_passes_its_checks_at_the_cards_parameters(demo_id, params):
    result = registry.run(SPECS[demo_id], dict(params))
    assert result.passed, [c for c in result.to_dict()["checks"] if not c["passed"]]


def test_save_writes_a_png_and_explains_a_missing_matplotlib(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    out = tmp_path / "curve.png"
    result = prep("demo", "sigmoid-saturation", "--no-builtin", "--no-plot", "--save", str(out))
    assert result.exit_code == 0 and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = prep("demo", "sigmoid-saturation", "--no-builtin", "--save", str(tmp_path / "x.gif"))
    assert bad.exit_code == 2 and ".png or .svg" in bad.output
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    missing = prep("demo", "sigmoid-saturation", "--no-builtin", "--save", str(tmp_path / "y.png"))
    assert missing.exit_code == 1 and "pip install 'interviewprep[plot]'" in missing.output


# a template left unformatted: `{name}`, `{d['x']:.3f}`, `{A + 1}`; not math such as Σ_{i>r}
PLACEHOLDER = re.compile(r"\{[A-Za-z_][\w\[\]'\" +.-]*(:[^{}]*)?\}")


def edge_settings(spec):
    yield {}
    for p in spec.params:
        if p.kind in (int, float) and p.low is not None and p.high is not None:
            yield {p.name: p.kind(p.low)}
            yield {p.name: p.kind(p.high)}


@pytest.mark.parametrize("demo_id", sorted(SPECS))
def test_no_unformatted_placeholder_reaches_output_at_defaults_or_edges(demo_id):
    spec = SPECS[demo_id]
    for values in edge_settings(spec):
        data = registry.run(spec, values).to_dict()
        texts = [*data["takeaway"].values(), *(c["name"] + " " + c["detail"] for c in data["checks"])]
        leftovers = [m.group() for text in texts for m in PLACEHOLDER.finditer(text)]
        assert not leftovers, (values, leftovers)


def test_placeholder_pattern_tells_templates_from_math():
    assert PLACEHOLDER.search("ratio {ratio_box:.3f}") and PLACEHOLDER.search("{theory['box']:.3f}")
    assert PLACEHOLDER.search("训练 {HIDDEN + 1} 个") and not PLACEHOLDER.search("√(Σ_{i>r} σᵢ²)")

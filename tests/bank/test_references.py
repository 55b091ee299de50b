"""Cards beyond the seed articles cite papers: `references` load with positions, survive the cache,
and reach `prep show` and the Markdown export."""

from __future__ import annotations

import textwrap

from interviewprep.bank import loader as banks
from tests.conftest import card_yaml, run_prep

REFS = textwrap.indent(textwrap.dedent("""\
    references:
      - {title: "FlashAttention: Fast and Memory-Efficient Exact Attention", authors: "Dao et al.",
         year: 2022, arxiv: 2205.14135}
      - {title: "Automatic Mixed Precision", authors: NVIDIA, year: 2023, url: "https://docs.nvidia.com/amp"}
    """), "    ")


def write_bank(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    head = "deck:\n  id: llm\n  title: {zh: 大模型, en: LLM}\ncards:\n"
    (bank / "llm.yaml").write_text(head + card_yaml("flash-attn").replace('    sources: ["000#1"]\n', "") + REFS,
                                   encoding="utf-8")
    return bank


def test_references_load_in_order_with_their_links(tmp_path):
    bank = write_bank(tmp_path)
    loaded = banks.load([(bank, False)])
    first, second = loaded.cards["flash-attn"].references
    assert (first.authors, first.year, first.arxiv) == ("Dao et al.", 2022, "2205.14135")
    assert first.link == "https://arxiv.org/abs/2205.14135"
    assert second.link == "https://docs.nvidia.com/amp" and second.arxiv == ""
    again = banks.load([(bank, False)])  # the second load comes from the cache
    assert again.cards["flash-attn"].references == loaded.cards["flash-attn"].references


def test_show_and_markdown_export_carry_the_references(tmp_path):
    bank = write_bank(tmp_path)
    shown = run_prep("show", "flash-attn", "--no-builtin", "--bank", str(bank), "--lang", "en")
    assert shown.returncode == 0, shown.stderr
    assert "Dao et al. (2022)" in shown.stdout and "arxiv.org/abs/2205.14135" in shown.stdout
    out = tmp_path / "md"
    exported = run_prep("export", "markdown", "--no-builtin", "--bank", str(bank), "--lang", "en", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    text = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.md"))
    assert "**References**" in text and "<https://arxiv.org/abs/2205.14135>" in text
    assert "NVIDIA (2023). Automatic Mixed Precision." in text

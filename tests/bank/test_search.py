"""`prep search`: Chinese and English, ranking, highlighting, JSON."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from interviewprep.bank import loader as banks
from interviewprep.bank.search import fold, search
from tests.conftest import prep, user
from tests.srs.test_interview import nets  # noqa: F401  (a fixture)


def test_fold_maps_back_to_the_original():
    folded, index = fold("ＲｅＬＵ ok")
    assert folded == "relu ok" and index[:4] == [0, 1, 2, 3]


def test_chinese_and_english_queries(nets):  # noqa: F811
    cards = banks.load([(nets, False)]).select()
    zh = search(cards, "线性变换")
    assert [h.card.id for h in zh] == ["act-role"] and zh[0].where == "key point (zh)"
    assert zh[0].snippet[slice(*zh[0].spans[0])] == "线性变换"
    en = search(cards, "relu")
    assert en[0].card.id == "relu" and en[0].where.startswith("question")
    assert search(cards, "LINEAR  map")[0].card.id == "act-role"      # every word, any case
    assert search(cards, "relu", langs=("zh",))[0].where == "question (zh)"
    assert search(cards, "transformer") == []


def test_question_hits_rank_above_answer_hits(nets):  # noqa: F811
    cards = banks.load([(nets, False)]).select()
    hits = search(cards, "non-linearity")
    assert [h.where for h in hits] == ["key point (en)"]
    assert [h.card.id for h in search(cards, "激活函数")] == ["act-role"]


def test_search_cli_marks_matches_in_plain_output(nets):  # noqa: F811
    result = prep("search", "梯度", *user(nets))
    assert result.exit_code == 0, result.output
    assert "«梯度»" in result.output and "act-role" in result.output and "relu" in result.output
    data = json.loads(prep("search", "ReLU", "--json", *user(nets)).output)
    assert data[0]["id"] == "relu" and data[0]["snippet"][slice(*data[0]["spans"][0])] == "ReLU"
    assert prep("search", "nothing-like-this", *user(nets)).exit_code == 1


QUERIES = ["梯度", "梯", "线性变换", "relu", "ReLU", "LINEAR  map", "non-linearity", "激活函数", "a", "re lu",
           "act-role", "的", "变换 relu", "x", "dying relu", "\"", "'; DROP", "*", "NEAR(", "ｒｅｌｕ", "梯度 消失 x"]


def test_the_index_finds_exactly_what_a_scan_finds(nets):  # noqa: F811
    from interviewprep.bank import cache

    dirs = [(nets, False)]
    cache.load_index(dirs)  # builds the index
    bank = cache.load_index(dirs)  # every card from the cache
    everything = banks.load(dirs).select()
    for query in QUERIES:
        for langs in (("zh", "en"), ("zh",), ("en",)):
            maybe = cache.candidates(bank, query)
            assert maybe is not None
            narrowed = [c for c in bank.select() if c.id in maybe]
            got = [(h.card.id, h.where, h.snippet, h.spans) for h in search(narrowed, query, langs)]
            want = [(h.card.id, h.where, h.snippet, h.spans) for h in search(everything, query, langs)]
            assert got == want, (query, langs)


ALPHABET = "动量梯度ab é"


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=12).filter(str.strip), min_size=1, max_size=4),
       query=st.text(alphabet=ALPHABET, min_size=1, max_size=4).filter(str.strip), data=st.data())
def test_short_and_long_words_at_any_place_are_found_by_the_index(tmp_path_factory, texts, query, data):
    """Words of one and two characters come from the trigram vocabulary: they must be found at a text's very end too."""
    from interviewprep.bank import cache

    end = data.draw(st.sampled_from(texts)).strip()[-data.draw(st.integers(1, 3)):]  # a text's last characters
    bank_dir = tmp_path_factory.mktemp("bank")
    cards = "".join(f"  - id: c{n}\n    level: basic\n    sources: [\"000#1\"]\n    tags: [t]\n"
                    f"    question: {{zh: 问 {n}, en: Q {n}?}}\n    answer: {json.dumps({'zh': t, 'en': t[::-1]})}\n"
                    f"    key_points: {{zh: [点], en: [point]}}\n" for n, t in enumerate(texts))
    (bank_dir / "d.yaml").write_text("deck:\n  id: d\n  title: {zh: 题, en: D}\n  description: {zh: 述, en: d}\n"
                                     "cards:\n" + cards, encoding="utf-8")
    dirs = [(bank_dir, False)]
    cache.load_index(dirs)
    bank = cache.load_index(dirs)
    everything = banks.load(dirs).select()
    for q in (query, end):
        for langs in (("zh", "en"), ("zh",), ("en",)):
            maybe = cache.candidates(bank, q)
            assert maybe is not None
            got = [h.card.id for h in search([c for c in bank.select() if c.id in maybe], q, langs)]
            assert got == [h.card.id for h in search(everything, q, langs)], (q, langs)


def test_search_sees_an_edit_between_two_commands(nets):  # noqa: F811
    from tests.conftest import run_prep

    args = ["--json", "--no-builtin", "--bank", str(nets)]
    assert run_prep("search", "动量", *args).returncode == 1
    path = nets / "nets.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("线性变换", "动量变换"), encoding="utf-8")
    result = run_prep("search", "动量", *args)
    assert result.returncode == 0 and [r["id"] for r in json.loads(result.stdout)] == ["act-role"]
    assert run_prep("search", "线性变换", *args).returncode == 1


def _fold_char_by_char(text):
    import unicodedata

    out, index = [], []
    for i, ch in enumerate(text):
        for piece in unicodedata.normalize("NFKC", ch).casefold():
            out.append(piece)
            index.append(i)
    return "".join(out), index


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ 动量梯度ＲｅＬＵﬁßİΣς①㎏\u0301é\u00ad") | st.characters(), max_size=40))
def test_the_fast_fold_is_the_character_by_character_fold(text):
    assert fold(text) == _fold_char_by_char(text)

"""Content is shown as written: no markup is parsed and no control character reaches the terminal.

Two ways in are tested. Cards built in Python (as a planted cache or a restored database could hand
them over, past the loader) go through every renderer on a colour terminal; and strings a user types
or names (card ids, queries, config values, directory names) go through the real CLI in a subprocess.
"""

from __future__ import annotations

import io
import re
import textwrap

import pytest

from interviewprep.bank import loader as banks
from interviewprep.models import Card, Followup, KeyPoint
from interviewprep.render import cards as render
from interviewprep.render import learn as render_learn
from interviewprep.render.console import SafeConsole
from interviewprep.safetext import FORBIDDEN
from tests.conftest import prep, run_prep, user

CONTROLS = "".join(map(chr, [*range(0x01, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0),
                              *range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
MARKUP = "[/] [bold]not bold[/bold] E[log D(x)] −[a, b]"
SGR = re.compile(r"\x1b\[[0-9;]*m")  # the colour codes the console itself writes on a terminal


def hostile_card() -> Card:
    text = {"zh": f"问题{CONTROLS}{MARKUP}", "en": f"question{CONTROLS}{MARKUP}"}
    return Card(id="c1", deck=f"deck{CONTROLS}", question=text, answer=text,
                key_points={"zh": (KeyPoint(f"要点{CONTROLS}"), KeyPoint(MARKUP)),
                            "en": (KeyPoint(f"point{CONTROLS}"), KeyPoint(MARKUP))},
                level="basic", tags=(f"tag{CONTROLS}",), pitfall=text, followups=(Followup(text, text),))


def colour_console() -> tuple[SafeConsole, io.StringIO]:
    buffer = io.StringIO()
    return SafeConsole(file=buffer, force_terminal=True, color_system="truecolor", width=100), buffer


def test_every_renderer_neutralises_controls_and_keeps_markup_as_text():
    from datetime import datetime, timezone

    from interviewprep.bank.keypoints import card_points, cover

    card, now = hostile_card(), datetime(2026, 1, 1, tzinfo=timezone.utc)
    console, buffer = colour_console()
    console.print(render.question(card, "both", 0, 1, None))
    console.print(render.answer(card, "both", has_demo=True))
    console.print(render.show(card, "both", None, [], {}, now))
    console.print(render.card_table([card], {}, "both", now))
    for line in render.card_lines([card], {}, "both", now, console.width):
        console.print(line, highlight=False, crop=False, soft_wrap=True)
    console.print(render_learn.typed_question(card, "en", 0, 1, None))
    console.print(render_learn.reveal(card, "en", f"typed{CONTROLS}{MARKUP}", cover(card_points(card, "en"), MARKUP)))
    console.print(render_learn.search_results(f"query{CONTROLS}", [], "en"))
    out = SGR.sub("", buffer.getvalue())
    assert not FORBIDDEN.search(out), sorted({f"U+{ord(c):04X}" for c in FORBIDDEN.findall(out)})
    assert "␛" in out and "\\u202e" in out and "\\u009b" in out  # shown, not dropped
    assert out.count("E[log D(x)]") >= 6 and "[bold]not bold[/bold]" in out and "[/]" in out


def test_a_user_bank_with_markup_shows_it_in_quiz_show_list_search_and_interview(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "d.yaml").write_text(textwrap.dedent("""\
        deck: {id: d, title: {en: "D [/]"}}
        cards:
          - id: c1
            level: basic
            question: {en: "Why is [/] shown and E[log D(x)] kept?"}
            answer: {en: "Because [bold]markup[/bold] is text here."}
            key_points: {en: ["[/]", "E[log D(x)] + E[log(1 − D(G(z)))]", "[red]three[/red]"]}
            pitfall: {en: "[link=http://x]not a link[/link]"}
        """), encoding="utf-8")
    own = user(bank, "--lang", "en")
    outputs = {
        "quiz": prep("quiz", *own, input=" \n3\nq\n"),
        "show": prep("show", "c1", *own),
        "list": prep("list", *own),
        "search": prep("search", "[/]", *own),
        "interview": prep("interview", *own, "--report", str(tmp_path / "r.md"),
                                   input="E[x] [/]\n3\nq\n"),
        "check": prep("check", *own[:3]),
    }
    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.output)
    assert "E[log D(x)] + E[log(1 − D(G(z)))]" in outputs["quiz"].output
    assert "[red]three[/red]" in outputs["show"].output and "[link=http://x]not a link[/link]" in outputs["show"].output
    assert "Why is [/] shown" in outputs["list"].output.replace("\n", " ") or "[/]" in outputs["list"].output
    assert "c1" in outputs["search"].output
    assert "E[x] [/]" in outputs["interview"].output


def _visible(text: str) -> str:
    """What a reader sees, give or take layout: no white space, no box drawing."""
    return re.sub(r"[\s│╭╮╰╯─☐☑┃━┏┓┗┛┡┩╇┳┻╋├┤┬┴┼]", "", text)


def test_every_builtin_card_shows_its_question_and_key_points_exactly():
    builtin = banks.load(banks.bank_dirs(builtin=True))
    lost = []
    for card in builtin.cards.values():
        for lang in ("zh", "en"):
            console, buffer = colour_console()
            console.width = 400  # long key points stay on one line, so a lost bracket cannot hide in a wrap
            console.print(render.show(card, lang, None, [], {}, None or __import__("datetime").datetime.now()))
            shown = _visible(SGR.sub("", buffer.getvalue()))
            for text in [card.question[lang], *card.point_texts(lang)]:
                if _visible(text) not in shown:
                    lost.append(f"{card.id} ({lang}): {text}")
    assert not lost, "\n".join(lost[:20])


@pytest.mark.parametrize("args", [
    ["show", "c" + CONTROLS],
    ["search", "q" + CONTROLS],
    ["list", "--deck", "d" + CONTROLS],
    ["config", "set", "lang", "x" + CONTROLS],
    ["demo", "x" + CONTROLS],
    ["check", "--no-builtin", "--bank", "/nonexistent/dir" + CONTROLS],
])
def test_what_a_user_types_is_quoted_without_its_controls(args):
    result = run_prep(*args)
    both = result.stdout + result.stderr
    assert "Traceback" not in both
    assert not FORBIDDEN.search(both), (args, sorted({f"U+{ord(c):04X}" for c in FORBIDDEN.findall(both)}))

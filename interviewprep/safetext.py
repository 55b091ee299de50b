"""Which characters text may carry to a terminal or a card, and how to show the others harmlessly.

Why: banks, caches, restored databases, typed answers and file names can come from someone else. A
control character in them is an instruction to the terminal, not text: ESC starts sequences that
retitle the window, clear the screen, move the cursor to forge output or (OSC 52) write the clipboard;
C1 controls such as U+009B (CSI) do the same in one byte; bidi overrides (U+202E, "Trojan Source")
make text read differently from what it is. The loader refuses them (`forbidden_in`), and every
output path passes text through `visible`, which turns each into a printable stand-in.

The set: Unicode's Cc (C0 and C1 controls and DEL) except tab and newline, all of Cf (format
characters: bidi controls, zero-width characters, the BOM, soft hyphen; no card in the built-in bank
needs one) and the line and paragraph separators U+2028/U+2029. The ranges are written out, not
computed from `unicodedata` at import, so that `prep next` does not pay to scan Unicode;
tests/test_safetext.py checks them against `unicodedata` for every code point.
"""

from __future__ import annotations

import re

C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB "
            "CAN EM SUB ESC FS GS RS US").split()
C1_NAMES = ("PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 DCS PU1 PU2 STS CCH MW "
            "SPA EPA SOS SGCI SCI CSI ST OSC PM APC").split()

# Cc without tab and newline; Cf as of Unicode 15.1; Zl and Zp.
FORBIDDEN_RANGES = (
    (0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F),
    (0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C), (0x6DD, 0x6DD), (0x70F, 0x70F), (0x890, 0x891),
    (0x8E2, 0x8E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x2064),
    (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
    (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)
FORBIDDEN = re.compile("[" + "".join(
    re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in FORBIDDEN_RANGES
) + "]")


def describe(ch: str) -> str:
    """U+001B (ESC), U+009B (CSI), U+202E (RIGHT-TO-LEFT OVERRIDE): what an error message names."""
    code = ord(ch)
    if code < 0x20:
        name = C0_NAMES[code]
    elif code == 0x7F:
        name = "DEL"
    elif 0x80 <= code <= 0x9F:
        name = C1_NAMES[code - 0x80]
    else:
        import unicodedata

        name = unicodedata.name(ch, "format character")
    return f"U+{code:04X} ({name})"


def surely_clean(text: str) -> bool:
    """True when `text` certainly holds no forbidden character; False means "look" (FORBIDDEN.search).

    Every forbidden character is one str.isprintable refuses (it refuses all of Cc, Cf, Zl and Zp), so
    text that is printable apart from its newlines and tabs holds none; that test runs in C at a few times
    the speed of the character class, and clean text is the common case (a whole bank file at once).
    Text with, say, an ideographic space is not printable in this sense and takes the regex.
    """
    return text.replace("\n", "").replace("\t", "").isprintable()


def forbidden_in(text: str) -> list[tuple[int, str]]:
    """(index, character) of every forbidden character in `text`, in order."""
    if surely_clean(text):
        return []
    return [(m.start(), m.group()) for m in FORBIDDEN.finditer(text)]


def _stand_in(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: str) -> str:
    """`text` with every forbidden character replaced by a printable stand-in (␛, \\u202e); the rest unchanged."""
    return text if surely_clean(text) or not FORBIDDEN.search(text) else FORBIDDEN.sub(_stand_in, text)


def json_safe(json_text: str) -> str:
    """JSON text whose strings spell forbidden characters as \\uXXXX escapes: the same values, inert on a terminal.

    json.dumps(ensure_ascii=False) escapes C0 itself, but writes C1 and bidi characters raw.
    """
    def escape(match: re.Match) -> str:
        code = ord(match.group())
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return json_text if surely_clean(json_text) else FORBIDDEN.sub(escape, json_text)

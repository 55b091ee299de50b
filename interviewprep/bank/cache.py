"""The parsed-bank cache: one SQLite database, incremental per bank file, with a search index.

`cache.sqlite3` in the cache dir (config.cache_dir: `$PREP_CACHE`, else the user cache dir) holds:
- `file`: one row per bank file that validated cleanly, keyed by (path, built-in flag) and stamped
  with its size, mtime_ns, ctime_ns and inode plus the seed index's stamp. A file whose stamp
  differs is re-read alone, so editing one deck re-parses only that deck. ctime changes on every
  write (and cannot be set by hand), so an edit that keeps size and mtime is still seen. The row
  keeps the deck and a compact index of its cards, column by column (ids, levels, tags, replaces,
  see_also, lines; each distinct list stored once), so that loading it builds no per-card tuples.
- `card`: each card's full data as the JSON text `prep list --json` prints for it (indent 2, forbidden
  characters escaped by safetext.json_safe), decoded only when a command touches more than the index.
- `fts` (FTS5, trigram tokenizer): the trigrams of every card's folded text (both languages and its
  id), so `prep search` asks an index for candidates and checks only those. Only which cards hold a
  trigram is kept (detail=none, contentless: 2 MB for 10,000 cards where the full index with its
  texts took 80 MB, and half the time to build): a word of 3 characters or more is asked for as all
  of its trigrams, a superset that the search itself narrows. Each text ends in PAD (two spaces,
  which no query word holds), so every occurrence of a word of 1-2 characters, which no trigram
  equals, begins some trigram: such a word is looked up as the trigrams it begins (a range of the
  index's vocabulary). A contentless table cannot delete, so a deleted card's entries stay behind,
  under a card number (`card.n`, AUTOINCREMENT: never given out again) that no card has; meta `dead`
  counts them, and when they outnumber the live cards (and DEAD_MIN) the cache starts afresh.
- `config`: the last KEEP bank configurations (directory lists) used, least recently used evicted;
  files no kept configuration names are deleted with it.

Everything read from the cache is untrusted: every file row and card row carries a checksum bound
to the package version, the path and the stamp; a row that fails it, or that disagrees with its
index, is ignored and the file re-read. A database that cannot be read is deleted and rebuilt.
Cross-file validation (duplicate ids, deck ids, see_also, replaces) runs whenever the set of file
rows making up a configuration changes. A bank with any problem is never cached: it is read by
`loader.load`, which reports every problem. Each write is one transaction in WAL mode, so two
processes writing at once never leave the cache torn.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from pathlib import Path

from interviewprep import __version__
from interviewprep.bank.loader import SEED_INDEX, Bank, bank_files, builtin_dir
from interviewprep.config import cache_dir
from interviewprep.jsontext import dumps_indented
from interviewprep.models import Card, Deck
from interviewprep.safetext import json_safe

FORMAT = 9
DB_NAME = "cache.sqlite3"
KEEP = 8  # bank configurations kept
BUSY_MS = 10_000  # how long a write waits for another process's to end
PAD = "  "  # after each indexed text: see `fts` above (the texts are folded already, hence case_sensitive)
DEAD_MIN = 20_000  # deleted cards' index entries tolerated whatever the bank's size

SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE file (id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL, builtin INTEGER NOT NULL,
                   stamp TEXT NOT NULL, deck TEXT NOT NULL, idx TEXT NOT NULL, sum TEXT NOT NULL,
                   UNIQUE (path, builtin));
CREATE TABLE card (n INTEGER PRIMARY KEY AUTOINCREMENT, file INTEGER NOT NULL, pos INTEGER NOT NULL, data TEXT NOT NULL,
                   sum TEXT NOT NULL, UNIQUE (file, pos));
CREATE TABLE config (key TEXT PRIMARY KEY, files TEXT NOT NULL, used REAL NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(text, tokenize = 'trigram case_sensitive 1', content = '', detail = none);
"""


def _sum(*parts) -> str:
    """Two 32-bit checksums over the parts: tells a damaged or foreign row from ours, and zlib is cheap to load."""
    text = "\x1f".join(str(p) for p in (__version__, FORMAT, *parts)).encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}"


def _stamp(path: Path, seeds_stamp: str) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{seeds_stamp}"


# -- the database ------------------------------------------------------------------------------

def _connect() -> sqlite3.Connection | None:
    """The cache database, created or rebuilt when missing, foreign or unreadable; None when impossible."""
    folder = cache_dir()
    path = folder / DB_NAME
    for attempt in range(2):
        conn = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
            # WAL with synchronous=NORMAL: a commit no longer waits for fsync. A power cut can lose the
            # last writes, never tear the file, and a lost write only means a file is read again.
            conn.execute("PRAGMA synchronous = NORMAL")
            row = conn.execute("SELECT v FROM meta WHERE k = 'format'").fetchone() if _has_meta(conn) else None
            if row is None or row[0] != f"{__version__}/{FORMAT}" or _too_many_dead(conn):
                _create(conn)
            return conn
        except (sqlite3.Error, OSError, ValueError):
            if conn is not None:
                conn.close()
            if attempt == 0:
                _remove(path)
    return None


def _too_many_dead(conn) -> bool:
    """Deleted cards' search entries outnumber the live cards (and DEAD_MIN): time to start afresh (see `fts`)."""
    row = conn.execute("SELECT CAST(v AS INTEGER) FROM meta WHERE k = 'dead'").fetchone()
    return row is not None and row[0] > DEAD_MIN and row[0] > conn.execute("SELECT count(*) FROM card").fetchone()[0]


def _has_meta(conn) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() is not None


def _remove(path: Path) -> None:
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        try:
            (path.parent / name).unlink(missing_ok=True)
        except OSError:
            pass


def _create(conn) -> None:
    """A fresh schema (another version's cache, or one holding too many dead entries, is dropped whole), in one
    transaction."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT v FROM meta WHERE k = 'format'").fetchone() if _has_meta(conn) else None
        if row is None or row[0] != f"{__version__}/{FORMAT}" or _too_many_dead(conn):  # or another process did it
            tables = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                                  " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchall()
            for name, _ in sorted(tables, key=lambda t: not (t[1] or "").upper().startswith("CREATE VIRTUAL")):
                conn.execute(f'DROP TABLE IF EXISTS "{name}"')
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO meta VALUES ('format', ?)", (f"{__version__}/{FORMAT}",))
            conn.execute("INSERT INTO meta VALUES ('dead', '0')")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# -- folded text for the search index ----------------------------------------------------------

def fold_text(text: str) -> str:
    from interviewprep.bank.search import fold_text as fold

    return fold(text)


def _lang_texts(card: Card) -> tuple[str, str]:
    from interviewprep.bank.search import _fields

    return tuple(fold_text(" ".join(t for _, _, t in _fields(card, (code,)))) for code in ("zh", "en"))


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _trigrams_of(word: str) -> str:
    """An FTS5 query for `word` (3 characters or more): every trigram of it (in any order: a superset)."""
    return " AND ".join(_quote(t) for t in dict.fromkeys(word[i:i + 3] for i in range(len(word) - 2)))


def _begun_by(conn, word: str) -> str:
    """An FTS5 query for `word` (1-2 characters): (t1 OR t2 ...) over the indexed trigrams it begins; "" if none.

    The vocabulary is sorted by UTF-8 bytes, which is code-point order, so those trigrams are the range
    [word, word with its last character one higher).
    """
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, fts, row)")
    sql, args = "SELECT term FROM temp.fts_terms WHERE term >= ?", [word]
    last = ord(word[-1]) + 1
    if last <= 0x10FFFF:
        sql += " AND term < ?"
        args.append(word[:-1] + chr(0xE000 if 0xD800 <= last < 0xE000 else last))
    terms = [_quote(term) for (term,) in conn.execute(sql, args) if term.startswith(word)]
    return "(" + " OR ".join(terms) + ")" if terms else ""


# -- reading -----------------------------------------------------------------------------------

class _FileIndex:
    """One file's index, column by column: IndexCards of the file point into it by position."""

    __slots__ = ("ids", "levels", "tags", "replaces", "see_also", "lines", "deck", "path", "file_id", "source")


def _column(name):
    return property(lambda card: getattr(card._f, name)[card._p], doc=f"the card's {name} (from the index)")


def _decoded(name):
    return property(lambda card: getattr(card.full(), name), doc=f"the card's {name} (from the full card)")


class IndexCard:
    """A card as the index knows it (id, deck, level, tags, replaces, see_also, path, line); the rest
    of models.CardView (question, answer, key points, ..., to_dict) comes from the full card, decoded
    from the cache on first use. Each name is declared here, so anything else is an AttributeError.

    It holds only its file's column index and its position there: building 10,000 of them costs a few
    milliseconds, where an object filled with ten attributes each cost tens.
    """

    __slots__ = ("_f", "_p", "_full")

    def __init__(self, index: _FileIndex, pos: int):
        self._f, self._p, self._full = index, pos, None

    id = _column("ids")
    level = _column("levels")
    tags = _column("tags")
    replaces = _column("replaces")
    see_also = _column("see_also")
    line = _column("lines")
    deck = property(lambda card: card._f.deck)
    path = property(lambda card: card._f.path)
    question = _decoded("question")
    answer = _decoded("answer")
    key_points = _decoded("key_points")
    sources = _decoded("sources")
    pitfall = _decoded("pitfall")
    demo = _decoded("demo")
    followups = _decoded("followups")
    references = _decoded("references")
    _source = property(lambda card: card._f.source)
    _at = property(lambda card: (card._f.file_id, card._p))  # (file id, position) in the cache

    def full(self) -> Card:
        if self._full is None:
            self._full = self._f.source.card(self)
        return self._full

    def point_texts(self, lang: str) -> list[str]:
        return self.full().point_texts(lang)

    def to_dict(self) -> dict:
        return self.full().to_dict()

    def __repr__(self) -> str:
        return f"IndexCard({self.id!r})"


def _checked(data: dict, entry: IndexCard) -> Card:
    card = Card.from_dict(data, path=entry.path, line=entry.line)
    if (card.id, card.deck, card.level, card.tags, card.replaces, card.see_also) != (
            entry.id, entry.deck, entry.level, entry.tags, entry.replaces, entry.see_also):
        raise ValueError("card does not match its index")
    return card


class _Source:
    """Where an index card's full data lives: (file id, position) in the cache, checked on the way out."""

    def __init__(self, conn, files: dict[int, tuple[str, str]]):
        self.conn = conn
        self.files = files  # file id -> (path, stamp)
        self.indexes: dict[int, _FileIndex] = {}  # file id -> its column index
        self.parsed: set[str] = set()  # ids of cards parsed in this process (not IndexCards)

    def card(self, entry: IndexCard) -> Card:
        file_id, pos = entry._at
        try:
            row = self.conn.execute("SELECT data, sum FROM card WHERE file = ? AND pos = ?", (file_id, pos)).fetchone()
            path, stamp = self.files[file_id]
            if row is None or row[1] != _sum(path, stamp, pos, row[0]):
                raise ValueError("card row missing or damaged")
            return _checked(json.loads(row[0]), entry)
        except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return self.reread(entry, file_id)

    def texts(self, entries):
        """(entry, its stored JSON text or None) for each entry, in order, a file's rows in one query.

        The text is exactly json_safe(json.dumps(card.to_dict(), ensure_ascii=False, indent=2)), as
        written by _insert_file (through jsontext.dumps_indented, the same text), so `prep list --json`
        prints it without decoding the card. None:
        not an IndexCard, or a row that fails its checksum (the caller uses the full card).
        """
        batch: list = []
        for entry in entries:
            if batch and (not isinstance(entry, IndexCard) or entry._f is not batch[0]._f):
                yield from self._texts_of(batch)
                batch = []
            if isinstance(entry, IndexCard):
                batch.append(entry)
            else:
                yield entry, None
        yield from self._texts_of(batch)

    def _texts_of(self, batch):
        if not batch:
            return
        index = batch[0]._f
        path, stamp = self.files[index.file_id]
        wanted = {entry._p for entry in batch}
        found: dict[int, str] = {}
        try:
            if len(wanted) * 4 < len(index.ids):  # a few cards of a large file: fetch only those
                positions = sorted(wanted)
                for start in range(0, len(positions), 500):
                    chunk = positions[start:start + 500]
                    rows = self.conn.execute(f"SELECT pos, data, sum FROM card WHERE file = ? AND pos IN "
                                             f"({','.join('?' * len(chunk))})", (index.file_id, *chunk))
                    found.update((pos, data) for pos, data, total in rows if total == _sum(path, stamp, pos, data))
            else:
                for pos, data, total in self.conn.execute("SELECT pos, data, sum FROM card WHERE file = ?",
                                                          (index.file_id,)):
                    if pos in wanted and total == _sum(path, stamp, pos, data):
                        found[pos] = data
        except sqlite3.Error:
            found = {}
        for entry in batch:
            yield entry, found.get(entry._p)

    def prefetch(self, entries) -> None:
        """Decode many cards in one query per file (prep list, exports)."""
        wanted: dict[int, dict[int, IndexCard]] = {}
        for entry in entries:
            if isinstance(entry, IndexCard) and entry._full is None:
                file_id, pos = entry._at
                wanted.setdefault(file_id, {})[pos] = entry
        for file_id, by_pos in wanted.items():
            path, stamp = self.files[file_id]
            try:
                for pos, data, total in self.conn.execute("SELECT pos, data, sum FROM card WHERE file = ?", (file_id,)):
                    entry = by_pos.get(pos)
                    if entry is not None and total == _sum(path, stamp, pos, data):
                        entry._full = _checked(json.loads(data), entry)
            except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError, RecursionError):
                pass  # whatever is left is fetched (or re-read) one by one

    def reread(self, entry: IndexCard, file_id: int) -> Card:
        """The cache let us down for this card: parse its file again and forget the file's cache entry."""
        from interviewprep.bank.deckreader import read_deck

        _forget(self.conn, file_id)
        problems: list[str] = []
        deck = read_deck(Path(entry.path), False, {}, problems)
        for card in deck.cards if deck else ():
            if card.id == entry.id:
                return card
        from interviewprep.errors import BankError

        raise BankError([f"{entry.path}:1:1: card '{entry.id}' changed while it was being read; run the command again"])


def _forget(conn, file_id: int) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
        _delete_file(conn, file_id)
        conn.execute("COMMIT")
    except sqlite3.Error:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _delete_file(conn, file_id: int) -> None:
    """The file's rows; its cards' search entries stay behind, counted in meta `dead` (see `fts`)."""
    conn.execute("UPDATE meta SET v = CAST(v AS INTEGER) + (SELECT count(*) FROM card WHERE file = ?) WHERE k = 'dead'",
                 (file_id,))
    conn.execute("DELETE FROM card WHERE file = ?", (file_id,))
    conn.execute("DELETE FROM file WHERE id = ?", (file_id,))


def _config_key(dirs: list[tuple[Path, bool]]) -> str:
    return _sum(*(f"{Path(d).resolve()}|{b}" for d, b in dirs))


def _seeds(conn) -> tuple[str, dict[str, str]]:
    """The seed index's stamp and contents, parsed once per change of the file."""
    from interviewprep.bank.loader import load_seed_index

    path = builtin_dir() / SEED_INDEX
    try:
        st = path.stat()
        stamp = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"
    except OSError:
        return "none", {}
    if conn is not None:
        try:
            row = conn.execute("SELECT v FROM meta WHERE k = 'seeds'").fetchone()
            if row is not None:
                data = json.loads(row[0])
                if data["stamp"] == stamp and data["sum"] == _sum(stamp, json.dumps(data["seeds"], ensure_ascii=False)):
                    return stamp, {str(k): str(v) for k, v in data["seeds"].items()}
        except (sqlite3.Error, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            pass
    seeds = load_seed_index(path)
    if conn is not None:
        text = json.dumps(seeds, ensure_ascii=False)
        try:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('seeds', ?)",
                         (json.dumps({"stamp": stamp, "seeds": seeds, "sum": _sum(stamp, text)}, ensure_ascii=False),))
        except sqlite3.Error:
            pass
    return stamp, seeds


class _Invalid(Exception):
    """The bank has a problem: let loader.load report all of them."""


def _load(dirs: list[tuple[Path, bool]]) -> Bank:
    conn = _connect()
    try:
        return _collector_paused(_assemble, conn, dirs)
    except _Invalid:
        from interviewprep.bank import loader as banks

        return banks.load(dirs)  # raises BankError listing every problem (or, if the files were fixed meanwhile, loads)


def _collector_paused(func, *args):
    """func(*args) with Python's cycle collector off, as read_deck does for one file.

    Why: a cold load keeps every parsed deck (10,000 cards are millions of objects, none of them in a
    cycle), and as that heap grows the collector's full passes over it come ever more often; between
    files they cost a cold 10,000-card load ~0.5 s. Refcounting frees what is dropped; the collector
    runs again afterwards.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return func(*args)
    finally:
        if enabled:
            gc.enable()


def _assemble(conn, dirs) -> Bank:
    seeds_stamp, seeds = _seeds(conn)
    problems: list[str] = []
    wanted: list[tuple[str, bool, str]] = []  # (path, builtin, stamp) in bank order
    for directory, builtin in dirs:
        for path in bank_files(Path(directory), problems):
            try:
                wanted.append((str(path), bool(builtin), _stamp(path, seeds_stamp)))
            except OSError:
                raise _Invalid from None
    if problems:
        raise _Invalid
    rows: dict[tuple[str, bool], tuple] = {}
    config_files, config_used = None, 0.0
    key = _config_key(dirs)
    if conn is not None:
        try:
            conn.execute("BEGIN")
            found = {(p, bool(b)): (i, s) for i, p, b, s in conn.execute("SELECT id, path, builtin, stamp FROM file")}
            fresh = [found[(p, b)][0] for p, b, s in wanted if found.get((p, b), (0, None))[1] == s]
            for start in range(0, len(fresh), 500):
                chunk = fresh[start:start + 500]
                for row in conn.execute(f"SELECT id, path, builtin, stamp, deck, idx, sum FROM file WHERE id IN "
                                        f"({','.join('?' * len(chunk))})", chunk):
                    rows[(row[1], bool(row[2]))] = row
            config = conn.execute("SELECT files, used FROM config WHERE key = ?", (key,)).fetchone()
            conn.execute("COMMIT")
            config_files = json.loads(config[0]) if config else None
            config_used = config[1] if config else 0.0
        except (sqlite3.Error, ValueError, TypeError, RecursionError):
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            rows, config_files = {}, None
    bank = Bank(seeds=seeds)
    source = _Source(conn, {})
    bank.source = source
    cached = [_from_row(rows.get((path, builtin)), stamp, source) for path, builtin, stamp in wanted]
    missing = [entry for entry, found in zip(wanted, cached) if found is None]
    helper, head = _start_helper(conn, missing, seeds)
    try:
        return _assembled(conn, bank, wanted, cached, key, config_files, config_used, helper, head)
    finally:
        if helper is not None:
            helper.close()


def _assembled(conn, bank, wanted, cached, key, config_files, config_used, helper, head) -> Bank:
    """The bank from cached rows and freshly parsed files (the first `head` missing ones here, the rest
    from the helper when there is one), cross-checked, and written back."""
    from interviewprep.bank.loader import cross_check

    # With files to parse, each one's rows go in as soon as it is parsed, in one transaction that
    # commits only once the whole bank holds together: inserting overlaps with the helper's parsing.
    # Another process writing the cache right now: parse first, then wait for it, as before.
    writer = _Writer.begin(conn, wait=False) if conn is not None and None in cached else None
    try:
        parsed, file_ids = _gathered(bank, wanted, cached, helper, head, writer)
        validated = config_files is not None and config_files == file_ids and not parsed
        if not validated and cross_check(bank, None):
            raise _Invalid
    except BaseException:
        if writer is not None:
            writer.abandon()
        raise
    if writer is not None:
        writer.finish(key, file_ids)
    elif conn is not None and (parsed or not validated or time.time() - config_used > 60):
        _write(conn, key, parsed, file_ids)
    return bank


def _gathered(bank, wanted, cached, helper, head, writer) -> tuple[list, list[int]]:
    """Every deck into `bank`, cached or parsed (here or by the helper), each parsed one also into `writer`.

    Returns (parsed, file_ids): (path, builtin, stamp, deck, texts) of each file parsed, texts being
    the helper's when `writer` did not take them; and per file in bank order its id, -1 if parsed.
    """
    source, seeds = bank.source, bank.seeds
    parsed: list[tuple[str, bool, str, Deck, object]] = []
    file_ids: list[int] = []
    from_helper: list | None = None
    for (path, builtin, stamp), deck in zip(wanted, cached):
        if deck is None:
            texts = None
            if helper is not None and len(parsed) >= head:
                if from_helper is None:
                    from_helper = helper.firsts() or []
                    helper_texts = helper.next_second if from_helper else None
                if len(parsed) - head < len(from_helper):
                    deck, texts = from_helper[len(parsed) - head], helper_texts
            if deck is None:
                deck = _parse(path, builtin, seeds)
            source.parsed.update(card.id for card in deck.cards)
            if writer is not None:
                writer.add(path, builtin, stamp, deck, texts)
                texts = None
            parsed.append((path, builtin, stamp, deck, texts))
            file_ids.append(-1)
        else:
            file_ids.append(deck[1])
            deck = deck[0]
        if bank.deck(deck.id):
            raise _Invalid
        bank.decks.append(Deck(deck.id, deck.title, deck.description, deck.path, ()))
        before = len(bank.cards)
        if deck.cards and isinstance(deck.cards[0], IndexCard):
            bank.cards.update(zip(deck.cards[0]._f.ids, deck.cards))
        else:
            bank.cards.update((card.id, card) for card in deck.cards)
        if len(bank.cards) != before + len(deck.cards):  # an id seen twice
            raise _Invalid
    return parsed, file_ids


def _from_row(row, stamp: str, source: _Source):
    """(Deck of IndexCards, file id) from a file row, or None when the row is stale, damaged or foreign."""
    if row is None:
        return None
    file_id, path, builtin, row_stamp, deck_text, idx_text, total = row
    try:
        if row_stamp != stamp or total != _sum(path, builtin, stamp, deck_text, idx_text):
            return None
        meta, idx = json.loads(deck_text), json.loads(idx_text)
        # the checksum says our own writer made these rows, so their types are the ones it wrote
        lists = [tuple(items) for items in idx["lists"]]
        levels = idx["level_names"]
        index = _FileIndex()
        index.ids = idx["ids"]
        count = len(index.ids)
        index.levels = [levels[i] for i in idx["levels"]]
        index.tags = [lists[i] for i in idx["tags"]]
        index.replaces = [lists[i] for i in idx["replaces"]]
        index.see_also = [lists[i] for i in idx["see_also"]]
        index.lines = idx["lines"]
        if any(len(column) != count for column in (index.levels, index.tags, index.replaces, index.see_also,
                                                    index.lines)):
            return None
        index.deck, index.path, index.file_id, index.source = meta["id"], path, file_id, source
        source.files[file_id] = (path, stamp)
        source.indexes[file_id] = index
        cards = tuple(IndexCard(index, pos) for pos in range(count))
        return Deck(meta["id"], meta["title"], meta["description"], path, cards), file_id
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


HELPER_MIN_BYTES = 1 << 20  # below a megabyte of YAML to parse, forking a helper costs more than it saves
HEAD_SHARE = 0.5  # of the bytes to parse, what this process parses: it also inserts every file, its own as it goes


def _start_helper(conn, missing: list[tuple[str, bool, str]], seeds: dict):
    """(a helper.Helper parsing the tail of the missing files, how many this process parses first),
    or (None, all of them) when a helper would not pay or cannot run."""
    from interviewprep.bank import helper

    sizes = [int(stamp.split(":", 1)[0]) for _, _, stamp in missing]
    if conn is None or len(missing) < 2 or sum(sizes) < HELPER_MIN_BYTES or not helper.can_fork():
        return None, len(missing)
    head, done = 0, 0
    while head < len(missing) - 1 and done + sizes[head] <= HEAD_SHARE * sum(sizes):
        done += sizes[head]
        head += 1
    head = max(head, 1)
    return helper.Helper(lambda entry: _prepared(entry, seeds), missing[head:]), head


def _prepared(entry: tuple[str, bool, str], seeds: dict):
    """What the helper computes for one file: its Deck, and the texts its cache rows hold."""
    path, builtin, _ = entry
    deck = _parse(path, builtin, seeds)
    return deck, _row_texts(deck)


def _parse(path: str, builtin: bool, seeds: dict) -> Deck:
    from interviewprep.bank.deckreader import read_deck

    problems: list[str] = []
    deck = read_deck(Path(path), builtin, seeds, problems)
    if problems or deck is None:
        raise _Invalid
    return deck


def _write(conn, key, parsed, file_ids) -> None:
    """Store newly parsed files, the configuration and its LRU position, in one transaction; evict the rest."""
    writer = _Writer.begin(conn)
    if writer is not None:
        for entry in parsed:
            writer.add(*entry)
        writer.finish(key, file_ids)


class _Writer:
    """One write transaction on the cache: parsed files are added one by one, then finish() records the
    configuration, evicts what no kept configuration uses and commits. Any failure rolls all of it back
    and the rest is skipped: the cache is only a cache, and the next command reads those files again."""

    def __init__(self, conn):
        self.conn, self.new_ids, self.ok = conn, [], True

    @classmethod
    def begin(cls, conn, wait: bool = True) -> _Writer | None:
        """The transaction, or None when the cache cannot be written (without `wait`: not at this moment)."""
        try:
            if not wait:
                conn.execute("PRAGMA busy_timeout = 0")
            try:
                conn.execute("BEGIN IMMEDIATE")
            finally:
                if not wait:
                    conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        except sqlite3.Error:
            if conn.in_transaction:  # BEGIN went through, restoring the timeout did not
                cls(conn).abandon()
            return None
        return cls(conn)

    def add(self, path: str, builtin: bool, stamp: str, deck: Deck, texts) -> None:
        """One parsed file's rows, replacing its stale ones; `texts`, the helper's, is called exactly once."""
        texts = texts() if texts is not None else None  # the helper's, in the order it parsed
        if not self.ok:
            return
        try:
            old = self.conn.execute("SELECT id FROM file WHERE path = ? AND builtin = ?", (path, builtin)).fetchone()
            if old is not None:
                _delete_file(self.conn, old[0])
            if not isinstance(texts, list) or len(texts) != len(deck.cards):
                texts = _row_texts(deck)
            self.new_ids.append(_insert_file(self.conn, path, builtin, stamp, deck, texts))
        except (sqlite3.Error, OSError, ValueError, TypeError):
            self.abandon()

    def finish(self, key: str, file_ids: list[int]) -> None:
        """The configuration `key` is `file_ids` in bank order (-1: the next file added); then COMMIT."""
        if not self.ok:
            return
        conn = self.conn
        try:
            new_ids = iter(self.new_ids)
            files = [i if i >= 0 else next(new_ids) for i in file_ids]
            conn.execute("INSERT OR REPLACE INTO config VALUES (?, ?, ?)", (key, json.dumps(files), time.time()))
            keep = conn.execute("SELECT key, files FROM config ORDER BY used DESC").fetchall()
            for old_key, _ in keep[KEEP:]:
                conn.execute("DELETE FROM config WHERE key = ?", (old_key,))
            referenced = set()
            for _, text in keep[:KEEP]:
                try:
                    referenced.update(json.loads(text))
                except (ValueError, TypeError, RecursionError):
                    pass
            for (file_id,) in conn.execute("SELECT id FROM file").fetchall():
                if file_id not in referenced:
                    _delete_file(conn, file_id)
            conn.execute("COMMIT")
        except (sqlite3.Error, OSError, ValueError, TypeError, StopIteration):
            self.abandon()

    def abandon(self) -> None:
        """ROLLBACK: nothing of this transaction stays."""
        self.ok = False
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _row_texts(deck: Deck) -> list[tuple[str, str, str, str]]:
    """Per card, what its rows store: (JSON data as `prep list --json` prints it, folded zh, en and id)."""
    return [(json_safe(dumps_indented(card.to_dict())), *_lang_texts(card), fold_text(card.id)) for card in deck.cards]


def _insert_file(conn, path: str, builtin: bool, stamp: str, deck: Deck, texts: list) -> int:
    """One parsed file's rows (file, card, fts); `texts` are _row_texts(deck), perhaps from the helper."""
    deck_text = json.dumps({"id": deck.id, "title": deck.title, "description": deck.description}, ensure_ascii=False)
    lists: dict[tuple, int] = {}
    level_names: dict[str, int] = {}
    def listed(items) -> int:
        return lists.setdefault(tuple(items), len(lists))

    columns = {"ids": [c.id for c in deck.cards],
               "levels": [level_names.setdefault(c.level, len(level_names)) for c in deck.cards],
               "tags": [listed(c.tags) for c in deck.cards], "replaces": [listed(c.replaces) for c in deck.cards],
               "see_also": [listed(c.see_also) for c in deck.cards], "lines": [c.line for c in deck.cards]}
    idx_text = json.dumps({**columns, "lists": [list(k) for k in lists], "level_names": list(level_names)},
                          ensure_ascii=False)
    cur = conn.execute("INSERT INTO file (path, builtin, stamp, deck, idx, sum) VALUES (?, ?, ?, ?, ?, ?)",
                       (path, int(builtin), stamp, deck_text, idx_text,
                        _sum(path, int(builtin), stamp, deck_text, idx_text)))
    file_id = cur.lastrowid
    # the highest card number ever given out (SQLite keeps it for AUTOINCREMENT, and raises it on these inserts)
    first = conn.execute("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'card'").fetchone()[0] + 1
    conn.executemany("INSERT INTO card (n, file, pos, data, sum) VALUES (?, ?, ?, ?, ?)",
                     ((first + pos, file_id, pos, data, _sum(path, stamp, pos, data))
                      for pos, (data, *_) in enumerate(texts)))
    conn.executemany("INSERT INTO fts (rowid, text) VALUES (?, ?)",
                     ((first + pos, zh + PAD + en + PAD + folded_id + PAD)
                      for pos, (_, zh, en, folded_id) in enumerate(texts)))
    return file_id


# -- the public interface ----------------------------------------------------------------------

def load_index(dirs: list[tuple[Path, bool]]) -> Bank:
    """A validated bank whose cards are IndexCards: ids, decks, tags and levels at once, the rest on first use."""
    return _load(dirs)


def load_cached(dirs: list[tuple[Path, bool]]) -> Bank:
    """A validated bank of full Cards (as loader.load gives), through the cache."""
    return _full(_load(dirs))


def read(dirs: list[tuple[Path, bool]], demo_catalog=None, full: bool = True) -> tuple[Bank, list[str]]:
    """What loader.read answers (the bank and every problem), without parsing files the cache holds.

    For `prep check` and `prep doctor` on a large bank. A file is cached only after it validated with
    no problem, and its row is keyed by its exact stamp under this package version, so a cached file
    has no problem of its own; the checks across files run as for any load. Whenever anything is
    wrong (or a demo link is refused) the answer is loader.read's own, from the YAML, so every
    problem keeps its file, line and column. `full=False` leaves the cards IndexCards (counts, ids).
    """
    from interviewprep.bank import loader as banks

    conn = _connect()
    try:
        bank = _assemble(conn, dirs)
    except _Invalid:
        return banks.read(dirs, demo_catalog)
    if full or demo_catalog is not None:
        bank = _full(bank)
    if demo_catalog is not None and any(c.demo and demo_catalog(c.demo) for c in bank.cards.values()):
        return banks.read(dirs, demo_catalog)
    return bank, []


def _full(bank: Bank) -> Bank:
    """The bank with every IndexCard decoded, and each deck holding its cards again."""
    prefetch(bank, bank.cards.values())
    bank.cards = {cid: c.full() if isinstance(c, IndexCard) else c for cid, c in bank.cards.items()}
    decks = {d.id: [] for d in bank.decks}
    for card in bank.cards.values():
        decks[card.deck].append(card)
    bank.decks = [Deck(d.id, d.title, d.description, d.path, tuple(decks[d.id])) for d in bank.decks]
    return bank


def prefetch(bank: Bank, cards) -> None:
    """Decode these cards' full data now, in a few queries (before printing all of them)."""
    source = getattr(bank, "source", None)
    if source is not None and source.conn is not None:
        source.prefetch(cards)


def card_texts(bank: Bank, cards):
    """(card, stored JSON text or None) for each card in order: see _Source.texts."""
    source = getattr(bank, "source", None)
    if source is None or source.conn is None:
        return ((card, None) for card in cards)
    return source.texts(cards)


def candidates(bank: Bank, query: str) -> set[str] | None:
    """Ids of the cards that may match `query` (every word's trigrams occur, in either language), from the search
    index: a superset of the matches, for search() to check; None: no index."""
    from interviewprep.bank.search import fold

    source = getattr(bank, "source", None)
    if source is None or source.conn is None or not source.files:
        return None
    phrase, _ = fold(" ".join(query.split()))
    words = [w for w in phrase.split(" ") if w]
    if not words:
        return None
    try:
        terms = [_trigrams_of(w) if len(w) >= 3 else _begun_by(source.conn, w) for w in words]
        if "" in terms:  # a short word that begins no trigram occurs nowhere
            return set()
        ids = [r[0] for r in source.conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (" AND ".join(terms),))]
        places: set[tuple[int, int]] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            places.update(source.conn.execute(f"SELECT file, pos FROM card WHERE n IN ({','.join('?' * len(chunk))})",
                                              chunk).fetchall())
    except sqlite3.Error:
        return None
    # cards parsed in this very process are not IndexCards (nor, perhaps, in the index yet): the caller scans them
    found_ids = set(source.parsed)
    for file_id, pos in places:
        index = source.indexes.get(file_id)
        if index is not None and pos < len(index.ids):
            found_ids.add(index.ids[pos])
    return {cid for cid in found_ids if cid in bank.cards}

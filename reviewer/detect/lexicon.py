"""Phrase lexicons per language and category, and the matcher that finds their entries in an utterance's text.

A lexicon folder holds `<language>/<category>.txt`, one entry per line. Space-separated languages (Russian,
English, Lithuanian, ...) match whole words, each compared by its Snowball stem so that inflections match
("бездельников" finds "бездельники"); `word*` matches any word starting with `word`; `a|b` offers alternatives for
one word; the words of an entry must follow one another in the text, whatever punctuation lies between them. Chinese
and Korean entries are plain substrings, with spaces and punctuation ignored on both sides. Case, `ё`/`е`, curly
apostrophes and Unicode compatibility forms (NFKC) never matter.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import snowballstemmer  # type: ignore[import-untyped]  # no stubs; used through one typed wrapper

from reviewer.detect.lexicon_text import normalise, normalise_mapped


class Category(StrEnum):
    """What an entry means: the file stem of its list."""

    PROFANITY = "profanity"
    INSULT = "insult"
    THREAT = "threat"
    SLUR = "slur"
    WARNING = "warning"
    REDIRECT = "redirect"
    SUPERVISOR_DEMAND = "supervisor_demand"
    BANNED = "banned"
    FAREWELL = "farewell"
    PERSONAL_QUESTION = "personal_question"
    SALES_PITCH = "sales_pitch"
    TRANSFER = "transfer"


@dataclass(frozen=True, slots=True)
class Match:
    """One entry found in a text: `start`/`end` are character offsets into the searched text (end exclusive)."""

    category: Category
    language: str
    phrase: str
    start: int
    end: int


class LexiconError(ValueError):
    """A lexicon file that cannot be read; the message names the file, the line and the reason."""


# Snowball algorithms by ISO 639-1 code; a language missing here matches whole words exactly.
_STEMMERS = {
    "ru": "russian", "en": "english", "lt": "lithuanian", "uk": "russian", "de": "german", "fr": "french",
    "es": "spanish", "it": "italian", "pt": "portuguese", "nl": "dutch", "pl": "polish", "sv": "swedish",
    "da": "danish", "no": "norwegian", "fi": "finnish", "et": "estonian", "hu": "hungarian", "tr": "turkish",
    "ro": "romanian", "cs": "czech", "el": "greek",
}  # fmt: skip
_SCRIPTS = {
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "latin": re.compile(r"[a-zA-Z\u00c0-\u024f]"),
}
_UNSPACED = frozenset({"han", "hangul"})  # scripts written without spaces between words: match substrings
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_NOT_WORD = re.compile(r"[\W_]+")
_MAX_VARIANTS = 2_000  # word sequences one entry may spell out with `|`
_STEM_CACHE_LIMIT = 100_000

_Token = tuple[str, int]  # (normalised word, stem or prefix; one of the kinds below)
_STEM, _PREFIX, _EXACT = 0, 1, 2  # _EXACT: a word whose stem is too short to match inflections safely
_MIN_STEM = 3  # "урою" stems to "ур", as "ура" does: shorter stems match the written word only
_Parsed = tuple[tuple[tuple[_Token, ...], ...], ...]  # per written word: its alternatives, each a token run


# ---------------------------------------------------------------------------------------------------------------
# Reading entries.


def _parse_entry(text: str) -> _Parsed:
    """An entry as written, split into words, `|` alternatives and normalised tokens; ValueError says what is wrong."""
    words = []
    for written in text.split():
        alternatives = tuple(_parse_alternative(alternative) for alternative in written.split("|"))
        if any(alternatives):
            if not all(alternatives):
                raise ValueError(f"{written!r} has an empty alternative")
            words.append(alternatives)
    if not words:
        raise ValueError("the entry has no letters or digits once normalised")
    return tuple(words)


def _parse_alternative(alternative: str) -> tuple[_Token, ...]:
    prefix = alternative.endswith("*")
    body = alternative[:-1] if prefix else alternative
    if "*" in body:
        raise ValueError(f"{alternative!r}: '*' may only end a word")
    words = _WORD.findall(normalise(body))
    if prefix and (not words or len(words[-1]) < 2):
        raise ValueError(f"{alternative!r}: a word ending in '*' needs at least two letters before it")
    return tuple((word, _PREFIX if prefix and n == len(words) - 1 else _STEM) for n, word in enumerate(words))


def _variants(parsed: _Parsed) -> list[tuple[_Token, ...]]:
    """Every token run an entry spells out: one alternative chosen for each word."""
    count = 1
    for alternatives in parsed:
        count *= len(alternatives)
    if count > _MAX_VARIANTS:
        raise ValueError(f"the '|' alternatives spell out {count} phrases (at most {_MAX_VARIANTS})")
    return [tuple(itertools.chain.from_iterable(choice)) for choice in itertools.product(*parsed)]


_Table = dict[str, dict[Category, dict[_Parsed, str]]]  # language -> category -> parsed entry -> entry as written


def _read_root(root: Path, table: _Table) -> None:
    """Add (or, for `-entry` lines, remove) the entries of every `<language>/<category>.txt` under root."""
    if not root.is_dir():
        raise LexiconError(f"{root}: not a lexicon folder")
    for folder in sorted(path for path in root.iterdir() if path.is_dir()):
        for file in sorted(folder.glob("*.txt")):
            if file.stem in Category.__members__.values():
                entries = table.setdefault(folder.name, {}).setdefault(Category(file.stem), {})
                _read_file(file, entries)


def _read_file(path: Path, entries: dict[_Parsed, str]) -> None:
    for number, line in enumerate(_lines(path), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            parsed = _parse_line(text)
        except ValueError as error:
            raise LexiconError(f"{path}:{number}: {error}") from None
        if text.startswith("-"):
            entries.pop(parsed, None)
        else:
            entries.setdefault(parsed, text)


def _parse_line(text: str) -> _Parsed:
    """A line's entry, parsed and checked; for a `-entry` line, the entry it removes."""
    entry = text[1:].strip() if text.startswith("-") else text
    if not entry:
        raise ValueError("a '-' line names no entry to remove")
    parsed = _parse_entry(entry)
    _variants(parsed)  # refuses an entry whose alternatives spell out too many phrases
    return parsed


def _lines(path: Path) -> list[str]:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LexiconError(f"{path}:{line}: not UTF-8 ({error.reason} at byte {error.start})") from None


# ---------------------------------------------------------------------------------------------------------------
# Matching.


@dataclass(frozen=True, slots=True)
class _Phrase:
    """One token run to look for, and the entry it came from."""

    category: Category
    phrase: str
    tokens: tuple[_Token, ...]


_Found = tuple[int, int, _Phrase]  # start and end in the normalised text


class _Text:
    """A normalised text and, split on first use and shared by the languages that need them, its words."""

    __slots__ = ("_words", "norm")

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self._words: list[tuple[int, int, str]] | None = None

    @property
    def words(self) -> list[tuple[int, int, str]]:
        """(start, end, word) of every word."""
        if self._words is None:
            self._words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.norm)]
        return self._words


class _Node:
    """A trie node over the words of phrases: children by stem, by exact word and by `word*` prefix."""

    __slots__ = ("ends", "prefixes", "stems", "words")

    def __init__(self) -> None:
        self.stems: dict[str, _Node] = {}
        self.words: dict[str, _Node] = {}
        self.prefixes: dict[str, dict[str, _Node]] = {}  # by the prefix's first two letters, then the prefix
        self.ends: list[_Phrase] = []  # phrases whose last word leads here

    def child(self, value: str, kind: int) -> _Node:
        """The child for a token, made on first use."""
        if kind == _PREFIX:
            return self.prefixes.setdefault(value[:2], {}).setdefault(value, _Node())
        return (self.stems if kind == _STEM else self.words).setdefault(value, _Node())

    def step(self, word: str, stem: str, into: list[_Node]) -> None:
        """Append the children a text word (with its stem) leads to."""
        if (node := self.stems.get(stem)) is not None:
            into.append(node)
        if (node := self.words.get(word)) is not None:
            into.append(node)
        for prefix, node in self.prefixes.get(word[:2], {}).items():
            if word.startswith(prefix):
                into.append(node)


class _WordMatcher:
    """Whole-word runs for a space-separated language: a trie of the phrases' stems, walked from every word."""

    def __init__(self, stemmer: Callable[[str], str], phrases: Iterable[_Phrase]) -> None:
        self._stem_word = stemmer
        self._stems: dict[str, str] = {}
        self._root = _Node()
        for phrase in phrases:
            node = self._root
            for value, kind in phrase.tokens:
                node = node.child(*self._token(value, kind))
            node.ends.append(phrase)

    def _token(self, value: str, kind: int) -> _Token:
        if kind == _PREFIX:
            return value, kind
        stem = self.stem(value)
        return (stem, _STEM) if len(stem) >= _MIN_STEM else (value, _EXACT)

    def stem(self, word: str) -> str:
        """The word's stem, remembered: Snowball in pure Python costs about 20 µs a word."""
        stem = self._stems.get(word)
        if stem is None:
            if len(self._stems) >= _STEM_CACHE_LIMIT:
                self._stems.clear()
            stem = self._stems[word] = self._stem_word(word)
        return stem

    def find(self, text: _Text) -> Iterator[_Found]:
        """Every phrase whose words match consecutive words of the text."""
        words = text.words
        stems = [self.stem(word) for _, _, word in words]
        for first in range(len(words)):
            frontier, at = [self._root], first
            while frontier and at < len(words):
                reached: list[_Node] = []
                for node in frontier:
                    node.step(words[at][2], stems[at], reached)
                for node in reached:
                    for phrase in node.ends:
                        yield words[first][0], words[at][1], phrase
                frontier, at = reached, at + 1


class _SubstringMatcher:
    """Substrings for a language written without spaces, indexed by their first two characters.

    Here `a|b` separates spellings of the whole entry, since spaces mean nothing ("엿 먹어|엿먹어").
    """

    def __init__(self, entries: Iterable[tuple[Category, str]]) -> None:
        self.heads: dict[str, list[tuple[str, _Phrase]]] = {}  # a one-character entry under its one character
        for category, written in entries:
            for spelling in written.split("|"):
                needle = _NOT_WORD.sub("", normalise(spelling))
                phrase = _Phrase(category, written, ((needle, _EXACT),))
                self.heads.setdefault(needle[:2], []).append((needle, phrase))
        self.firsts = frozenset(head[0] for head in self.heads)

    def find(self, text: _Text) -> Iterator[_Found]:
        """Every entry found in the text with its spaces and punctuation taken out."""
        compact = _NOT_WORD.sub("", text.norm)
        padded = compact + "\0"  # so that the two characters at the last position are never one
        where: list[int] | None = None  # compact index -> text index, built on the first hit only
        for i, char in enumerate(compact):
            if char not in self.firsts:
                continue
            for needle, phrase in itertools.chain(self.heads.get(char, ()), self.heads.get(padded[i : i + 2], ())):
                if compact.startswith(needle, i):
                    where = where or [m.start() for m in re.finditer(r"[^\W_]", text.norm)]
                    yield where[i], where[i + len(needle) - 1] + 1, phrase


@dataclass(frozen=True, slots=True)
class _Language:
    """One language's compiled matcher and the script of text it applies to (None: a script not told apart)."""

    code: str
    script: str | None
    matcher: _WordMatcher | _SubstringMatcher


def _script_of(entries: Iterable[str]) -> str | None:
    """The script most of the entries' letters are written in."""
    text = "\n".join(entries)
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS.items()}
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] else None


def _compile(code: str, categories: dict[Category, dict[_Parsed, str]]) -> _Language:
    script = _script_of(written for entries in categories.values() for written in entries.values())
    if script in _UNSPACED:
        written = ((category, text) for category, entries in categories.items() for text in entries.values())
        return _Language(code, script, _SubstringMatcher(written))
    phrases = (
        _Phrase(category, written, tokens)
        for category, entries in categories.items()
        for parsed, written in entries.items()
        for tokens in _variants(parsed)
    )
    return _Language(code, script, _WordMatcher(_stemmer(code), phrases))


def _stemmer(code: str) -> Callable[[str], str]:
    """The Snowball stemmer of a language code ("ru", "en-GB"); the word itself where Snowball has none."""
    algorithm = _STEMMERS.get(re.split(r"[-_]", code, maxsplit=1)[0].lower())
    if algorithm is None:
        return str
    stem_word: Callable[[str], str] = snowballstemmer.stemmer(algorithm).stemWord
    return stem_word


class Lexicons:
    """The entries of every loaded language, compiled once for matching."""

    def __init__(self, table: _Table) -> None:
        self._table = table
        self.languages: tuple[str, ...] = tuple(sorted(table))
        self._compiled = tuple(_compile(code, table[code]) for code in self.languages)
        self._scripts = {language.script for language in self._compiled if language.script}
        self._version = _digest(table)

    @property
    def version(self) -> str:
        """A short SHA-256 of every loaded entry, so a suggestion can record which lexicon made it."""
        return self._version

    def entries(self, language: str, category: Category) -> tuple[str, ...]:
        """The entries of one list as written, in file order (centre additions after the bundled ones)."""
        return tuple(self._table.get(language, {}).get(category, {}).values())

    def find(self, text: str) -> list[Match]:
        """Matches of every language whose script the text uses, by start; one per category where they overlap."""
        norm, starts, ends = normalise_mapped(text)
        present = {name for name in self._scripts if _SCRIPTS[name].search(norm)}
        shared = _Text(norm)
        found = [
            _match(language.code, hit, starts, ends)
            for language in self._compiled
            if language.script is None or language.script in present
            for hit in language.matcher.find(shared)
        ]
        return _one_per_category(found)


def _match(code: str, hit: _Found, starts: list[int] | None, ends: list[int] | None) -> Match:
    start, end, phrase = hit
    if starts is not None and ends is not None:
        start, end = starts[start], ends[end - 1]
    return Match(phrase.category, code, phrase.phrase, start, end)


def _one_per_category(found: list[Match]) -> list[Match]:
    """Sorted by start (longest first); of a category's overlapping matches only the first is kept."""
    found.sort(key=lambda m: (m.start, -m.end))
    reach: dict[Category, int] = {}
    kept = []
    for match in found:
        if match.start >= reach.get(match.category, -1):
            kept.append(match)
        reach[match.category] = max(reach.get(match.category, -1), match.end)
    return kept


def _digest(table: _Table) -> str:
    lines = (
        f"{code}\t{category.value}\t{written}"
        for code in sorted(table)
        for category in sorted(table[code])
        for written in table[code][category].values()
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:12]


def load_lexicons(*roots: Path) -> Lexicons:
    """Load `<language>/<category>.txt` from each root; later roots add entries, and `-entry` lines remove them."""
    table: _Table = {}
    for root in roots:
        _read_root(Path(root), table)
    return Lexicons(table)

"""Read a transcript file as text: BOMs, UTF-16 without one, strict UTF-8, then the seed languages' legacy encodings.

Decoding order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; then UTF-16 without a BOM, recognised by NUL
bytes falling on every other byte; then strict UTF-8; then a guess among the legacy encodings of the seed languages
(cp1251 and KOI8-R for Russian, GBK/GB18030 for Chinese, EUC-KR/cp949 for Korean, ISO-8859-13/cp1257 for
Lithuanian). A guess is scored on the decoded text (letters of the language's script, no words mixing scripts, a
plausible letter mix and letter case, and charset-normalizer's mess ratio); when it is not certain, the encoding
name returned ends in "?" ("cp1251?"), so whoever shows it says which encoding was assumed.
"""

from __future__ import annotations

import codecs
import itertools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer.md import mess_ratio

from reviewer.domain.problems import InputError, ProblemKind

UNSURE = "?"  # suffix of a guessed encoding name: "cp1251?" means decoded as cp1251, but not certainly right

# UTF-32 LE's BOM starts with UTF-16 LE's, so it must be tried first.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_text(path: str, encoding: str | None = None) -> tuple[str, str]:
    """The file's text with newlines normalised to "\\n", and the name of the encoding it was decoded with.

    An explicit `encoding` is used as given; a trailing "?" (copied from an earlier answer) is dropped. Otherwise
    the name is that of the detected encoding ("utf-8", "utf-8-sig", "utf-16-le", "utf-32-be", "cp1251", "koi8-r",
    "gbk", "gb18030", "euc-kr", "cp949", "iso-8859-13", "cp1257"), with a trailing "?" when it was a guess among
    the legacy encodings that could not be made with confidence (the text is short, or another encoding reads it
    almost as well): "cp1251?" means decoded as cp1251, which is probably but not certainly right.
    """
    data = _read_bytes(path)
    if encoding is None:
        text, encoding = _decode_detected(data, path)
    else:
        encoding = encoding.removesuffix(UNSURE)
        text = _decode_explicit(data, encoding, path)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError.of(ProblemKind.EMPTY, path, detail=f"{len(data)} bytes, no text")
    if "\x00" in text:
        # A binary file that happens to be valid UTF-8, or UTF-16 whose NULs did not line up.
        raise InputError.of(
            ProblemKind.NOT_TEXT,
            path,
            where=_where_char(text, text.index("\x00")),
            detail="NUL character in text",
        )
    # Readers count lines on "\n" only; CRLF and lone CR files must give the same line numbers.
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise InputError.of(ProblemKind.UNREADABLE, path, detail=error.strerror or str(error)) from error


def _decode_detected(data: bytes, path: str) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_explicit(data[len(bom) :], name.removesuffix("-sig"), path), name
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        guess = None if _mostly_utf8(data) else _guess_legacy(data)
        if guess is not None:
            return guess
        byte = data[error.start]
        raise InputError.of(
            ProblemKind.NOT_TEXT,
            path,
            where=_where_byte(data, error.start),
            detail=f"byte 0x{byte:02X} is not valid UTF-8, nor text in a legacy encoding this version recognises",
        ) from error


def _mostly_utf8(data: bytes) -> bool:
    """Whether most non-ASCII bytes form valid UTF-8: a UTF-8 file with a stray byte, not a legacy one."""
    text = data.decode("utf-8", errors="surrogateescape")  # each invalid byte becomes one lone surrogate
    invalid = sum(1 for char in text if "\udc80" <= char <= "\udcff")
    valid = sum(len(char.encode()) for char in text if ord(char) > 0x7F and not "\udc80" <= char <= "\udcff")
    return valid >= 4 * invalid


def _decode_explicit(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError as error:
        raise InputError.of(ProblemKind.BAD_VALUE, path, detail=f"unknown encoding {encoding!r}") from error
    except UnicodeDecodeError as error:
        raise InputError.of(
            ProblemKind.NOT_TEXT,
            path,
            where=_where_decoded(data[: error.start], encoding),
            detail=f"bytes at offset {error.start} are not valid {encoding}",
        ) from error
    except UnicodeError as error:  # codecs such as "idna" that refuse without saying where
        raise InputError.of(ProblemKind.NOT_TEXT, path, detail=f"not valid {encoding}: {error}") from error


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a BOM: its ASCII characters (digits, spaces, newlines) put a NUL on every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    nul_even, nul_odd = data[0::2].count(0), data[1::2].count(0)
    # ASCII puts its NUL in the high byte; a few characters put one in the low byte ("一" is U+4E00, "가" U+AC00).
    # Binary data scatters NULs over both.
    if max(nul_even, nul_odd) < max(2, len(data) // 40) or min(nul_even, nul_odd) * 4 > max(nul_even, nul_odd):
        return None
    name = "utf-16-le" if nul_odd > nul_even else "utf-16-be"
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    return (text, name) if _noise(text) == 0 else None


# --- legacy encodings -------------------------------------------------------------------------------------------

_SAMPLE_CHARS = 50_000  # score the head of a long file; every candidate still has to decode all of it
_MIN_SCORE = 0.35  # below this the best candidate is not text in any of the languages
_SURE_MARGIN = 0.3  # how far ahead of the next different reading a guess must be to be certain
_SURE_LETTERS = 6  # letters in words with non-ASCII letters needed before a guess can be certain

# Candidates in order of preference when two read the same text (GBK before its superset GB18030, and so on).
_LEGACY: tuple[tuple[str, str], ...] = (
    ("cp1251", "ru"),
    ("koi8-r", "ru"),
    ("gbk", "zh"),
    ("gb18030", "zh"),
    ("euc-kr", "ko"),
    ("cp949", "ko"),
    ("iso-8859-13", "lt"),
    ("cp1257", "lt"),
)

_RUSSIAN_COMMON = frozenset("оеаинтсрвл")  # the ten most frequent letters: two thirds of Russian text
_LITHUANIAN = frozenset("ąčęėįšųūž")


@dataclass(frozen=True, slots=True)
class _Profile:
    """What the scoring needs from one decoded text: its non-ASCII letters by script, words, noise, mess."""

    scripts: dict[str, int]  # script -> count of non-ASCII letters
    words: tuple[str, ...]  # words (letter runs) holding at least one non-ASCII letter
    spaced: tuple[bool, ...]  # per word: whether an ASCII space touches it
    noise: int  # control, unassigned, private-use and box-drawing characters
    non_ascii: int  # non-ASCII characters of any kind
    mess: float  # charset-normalizer's mess ratio, 0 for clean text

    @property
    def letters(self) -> int:
        """Non-ASCII letters."""
        return sum(self.scripts.values())


@dataclass(frozen=True, slots=True)
class _Reading:
    """One way of decoding the file: the first candidate that reads it so, its profile, and its best score."""

    codec: str
    profile: _Profile
    score: float


def _guess_legacy(data: bytes) -> tuple[str, str] | None:
    """The best-scoring legacy decoding and its name ("?"-suffixed unless certain), or None when none is text."""
    readings: dict[str, _Reading] = {}  # GBK and GB18030 (and so on) often read the same text: score it once
    for codec, language in _LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        known = readings.get(text)
        profile = known.profile if known else _profile(text[:_SAMPLE_CHARS])
        score = _score(profile, language)
        if known is None or score > known.score:
            readings[text] = _Reading(known.codec if known else codec, profile, score)
    ranked = sorted(readings.items(), key=lambda item: item[1].score, reverse=True)
    if not ranked or ranked[0][1].score < _MIN_SCORE:
        return None
    text, best = ranked[0]
    runner_up = ranked[1][1].score if len(ranked) > 1 else 0.0
    evidence = sum(len(word) for word in best.profile.words)
    sure = best.score - runner_up >= _SURE_MARGIN and evidence >= _SURE_LETTERS
    return text, best.codec if sure else best.codec + UNSURE


def _profile(text: str) -> _Profile:
    scripts: dict[str, int] = {}
    for char in text:
        if ord(char) > 0x7F and char.isalpha():
            script = _script(char)
            scripts[script] = scripts.get(script, 0) + 1
    words, spaced = _words(text)
    non_ascii = sum(1 for char in text if ord(char) > 0x7F)
    return _Profile(scripts, words, spaced, _noise(text), non_ascii, min(mess_ratio(text, 1.0), 1.0))


def _words(text: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    words: list[str] = []
    spaced: list[bool] = []
    start = None
    for i, char in enumerate([*text, ""]):
        if char.isalpha():
            start = i if start is None else start
            continue
        if start is not None and not text[start:i].isascii():
            words.append(text[start:i])
            spaced.append(char == " " or text[start - 1 : start] == " ")
        start = None
    return tuple(words), tuple(spaced)


def _script(char: str) -> str:
    code = ord(char)
    if code < 0x250:
        return "latin"
    if 0x400 <= code < 0x500:
        return "cyrillic"
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code < 0x1200 or 0x3130 <= code < 0x3190:
        return "hangul"
    if 0x3400 <= code < 0xA000 or 0xF900 <= code < 0xFB00 or code >= 0x20000:
        return "han"
    return "other"


def _noise(text: str) -> int:
    """Characters no transcript holds: controls other than whitespace, unassigned, private use, box drawing."""
    return sum(1 for char in text if _is_noise(char))


def _is_noise(char: str) -> bool:
    if char in "\t\n\r\f\v":
        return False
    return unicodedata.category(char) in ("Cc", "Cn", "Co", "Cs") or "\u2500" <= char < "\u25a0" or char == "\ufffd"


def _score(profile: _Profile, language: str) -> float:
    """How much the decoded text looks like text in the language, roughly 0 (not at all) to 1."""
    # No letters outside ASCII (an English file with cp1252 quotes): any candidate that reads them as punctuation
    # will do, none is likely; the noise and the mess pick out those that read them as something else.
    fit = _FITS[language](profile) * _unmixed(profile) if profile.letters else 0.5
    noise = profile.noise / max(profile.non_ascii, 1)
    return max(0.0, fit * (1 - 3 * noise) - 0.5 * profile.mess)


def _unmixed(profile: _Profile) -> float:
    """Share of letters in words written in one script (ASCII letters go with Latin, Han and Hangul)."""
    total = sum(len(word) for word in profile.words)
    mixed = sum(len(word) for word in profile.words if _is_mixed(word))
    return 1 - mixed / total if total else 1.0


def _is_mixed(word: str) -> bool:
    """Whether a word mixes scripts the way a wrong decoding does."""
    scripts = {_script(char) for char in word if not char.isascii()}
    if len(scripts) > 1:
        return True
    if scripts == {"latin"}:
        return False  # "padėti": Lithuanian letters among ASCII ones
    switches = sum(1 for a, b in itertools.pairwise(word) if a.isascii() != b.isascii())
    # ASCII glued to Cyrillic is a wrong decoding ("padлti"); glued once to Han or Hangul it can be a brand
    # ("iPhone手机"), but not when the two keep alternating ("s閷眫d訁": bytes that are not text at all).
    return switches > (0 if scripts == {"cyrillic"} else 1)


def _share(profile: _Profile, script: str) -> float:
    return profile.scripts.get(script, 0) / profile.letters


def _russian(profile: _Profile) -> float:
    letters = [char for word in profile.words for char in word if _script(char) == "cyrillic"]
    if not letters:
        return 0.0
    # Smoothed towards the expected share, so that one short word ("Жду") is not judged by its three letters.
    common = (sum(1 for char in letters if char.lower() in _RUSSIAN_COMMON) + 2) / (len(letters) + 4)
    cased = [word for word in profile.words if _script(word[0]) == "cyrillic"]
    bad_case = sum(len(word) for word in cased if not _plain_case(word)) / max(sum(len(w) for w in cased), 1)
    # cp1251 read as KOI8-R (and back) swaps case and scatters letters: "Здравствуйте" becomes "гДПЮБЯРБСИРЕ".
    return _share(profile, "cyrillic") * min(1.0, common / 0.5) * (1 - bad_case)


def _plain_case(word: str) -> bool:
    return word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())


def _lithuanian(profile: _Profile) -> float:
    latin = [char for word in profile.words for char in word if not char.isascii() and _script(char) == "latin"]
    if not latin:
        return 0.0
    ours = sum(1 for char in latin if char.lower() in _LITHUANIAN) / len(latin)
    # Lithuanian words carry one or two marked letters; cp1251 Russian read as Latin-7 is marks throughout.
    density = len(latin) / sum(len(word) for word in profile.words)
    return _share(profile, "latin") * ours * min(1.0, max(0.0, (0.8 - density) / 0.4))


def _chinese(profile: _Profile) -> float:
    # Korean separates words with spaces, Chinese does not: EUC-KR read as GBK is Han words between spaces.
    spaced = sum(profile.spaced) / len(profile.spaced) if profile.spaced else 0.0
    han = [char for word in profile.words for char in word if _script(char) == "han"]
    # GB2312's first level holds the 3,755 common characters, nearly all of any Chinese text; cp1251 Russian read
    # as GBK is mostly second-level and GBK-only rarities ("Здравствуйте" becomes "卿疣怦蜮箝蝈").
    common = sum(1 for char in han if _is_common_han(char)) / len(han) if han else 0.0
    return _share(profile, "han") * min(1.0, max(0.0, (1 - spaced) / 0.6)) * min(1.0, common / 0.8)


def _is_common_han(char: str) -> bool:
    try:
        return 0xB0 <= char.encode("gb2312")[0] <= 0xD7
    except UnicodeEncodeError:
        return False


def _korean(profile: _Profile) -> float:
    # Modern Korean is Hangul; GBK read as EUC-KR comes out as Hangul mixed with Hanja.
    return _share(profile, "hangul")


_FITS: dict[str, Callable[[_Profile], float]] = {
    "ru": _russian,
    "zh": _chinese,
    "ko": _korean,
    "lt": _lithuanian,
}


# --- positions ----------------------------------------------------------------------------------------------------


def _where_byte(data: bytes, offset: int) -> str:
    """Line and column (in characters, 1-based) of a byte offset inside otherwise valid UTF-8."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return f"line {line}, column {column}"


def _where_decoded(head: bytes, encoding: str) -> str:
    """Line and column just past the bytes decoded; "" for a codec that cannot decode leniently ("idna")."""
    try:
        return _where_char(head.decode(encoding, errors="replace"), None)
    except UnicodeError:
        return ""


def _where_char(text: str, index: int | None) -> str:
    """Line and column (1-based) of a character index; None means just past the end of the text."""
    index = len(text) if index is None else index
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"

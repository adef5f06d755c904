"""Text in the form lexicon entries are compared in, with the way back to the caller's character offsets."""

from __future__ import annotations

import unicodedata

_FOLD = str.maketrans({"ё": "е", "’": "'", "ʼ": "'", "‘": "'"})
_PIECE_LIMIT = 100_000
_PIECE_FOLDS: dict[str, str] = {}  # normalised characters and clusters, shared by all lexicons


def normalise(text: str) -> str:
    """NFKC, casefolded, `ё` as `е`, curly apostrophes straight: the form entries and texts are compared in."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)


def normalise_mapped(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """The normalised text, and for each of its characters where it starts and ends in `text` (None: the same)."""
    if text.isascii():
        return text.lower(), None, None
    if unicodedata.is_normalized("NFKC", text):
        folded = text.casefold()
        if len(folded) == len(text):  # casefold never shrinks a character, so this is one to one
            return folded.translate(_FOLD), None, None
    whole = normalise(text)
    if len(whole) == len(text) and whole == "".join(map(_fold_piece, text)):  # e.g. fullwidth "，" to ","
        return whole, None, None
    return _normalise_by_cluster(text)


def _fold_piece(piece: str) -> str:
    """One character (or one with its combining marks) normalised on its own, remembered."""
    folded = _PIECE_FOLDS.get(piece)
    if folded is None:
        if len(_PIECE_FOLDS) >= _PIECE_LIMIT:
            _PIECE_FOLDS.clear()
        folded = _PIECE_FOLDS[piece] = normalise(piece)
    return folded


def _normalise_by_cluster(text: str) -> tuple[str, list[int], list[int]]:
    """Normalise a base character with its combining marks at a time, so every output character has a source."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    begin = 0
    for index in range(1, len(text) + 1):
        if index < len(text) and _continues_cluster(text[index]):
            continue
        piece = _fold_piece(text[begin:index])
        parts.append(piece)
        starts.extend([begin] * len(piece))
        ends.extend([index] * len(piece))
        begin = index
    return "".join(parts), starts, ends


def _continues_cluster(char: str) -> bool:
    return unicodedata.combining(char) != 0 or "\u1160" <= char <= "\u11ff"  # marks; Hangul vowel/final jamo

"""Phrase lexicons: the bundled lists load, whole-word and substring matching, centre extensions, refusals with file
and line, the demo calls' tagged lines, and precision/recall on the labelled phrase sets in tests/data/lexicon."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from reviewer.bundled import bundled_dir
from reviewer.detect.lexicon import Category, LexiconError, Lexicons, Match, load_lexicons
from reviewer.formats.registry import read_raw

RESOURCES = bundled_dir("resources")
LEXICONS = RESOURCES / "lexicons"
DEMO = RESOURCES / "demo"
LABELLED = Path(__file__).resolve().parents[2] / "data" / "lexicon"
LANGUAGES = ("en", "ko", "lt", "ru", "zh")
ABUSE = frozenset({Category.PROFANITY, Category.INSULT, Category.THREAT, Category.SLUR})
# tags.csv kinds that a lexicon category stands for.
TAG_CATEGORY = {
    "profanity": Category.PROFANITY,
    "insult": Category.INSULT,
    "threat": Category.THREAT,
    "personal_question": Category.PERSONAL_QUESTION,
    "supervisor_request": Category.SUPERVISOR_DEMAND,
    "warning": Category.WARNING,
    "redirect": Category.REDIRECT,
    "farewell": Category.FAREWELL,
    "banned_phrase": Category.BANNED,
    "transfer": Category.TRANSFER,
}


@pytest.fixture(scope="module")
def bundled() -> Lexicons:
    return load_lexicons(LEXICONS)


def _categories(lexicons: Lexicons, text: str) -> set[Category]:
    return {match.category for match in lexicons.find(text)}


def _spans(lexicons: Lexicons, text: str, category: Category) -> list[str]:
    """The text each match of the category covers."""
    return [text[m.start : m.end] for m in lexicons.find(text) if m.category == category]


def _write(root: Path, language: str, category: str, text: str) -> Path:
    path = root / language / f"{category}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- the bundled lists ------------------------------------------------------------------------------------------


def test_the_bundled_lexicons_hold_every_category_of_every_language(bundled: Lexicons) -> None:
    assert bundled.languages == LANGUAGES
    for language in LANGUAGES:
        for category in Category:
            entries = bundled.entries(language, category)
            minimum = 8 if category == Category.SLUR else 10
            assert len(entries) >= minimum, (language, category, len(entries))
            assert len(set(entries)) == len(entries), (language, category)
    assert bundled.entries("de", Category.PROFANITY) == ()


def test_every_bundled_file_opens_with_its_meaning_and_syntax() -> None:
    for language in LANGUAGES:
        for category in Category:
            lines = (LEXICONS / language / f"{category.value}.txt").read_text(encoding="utf-8").splitlines()
            assert lines[0].startswith(f"# {category.value} ("), (language, category)
            assert any("|" in line and line.startswith("#") for line in lines[:6]), (language, category)


def test_the_version_is_a_short_hash_of_the_entries(bundled: Lexicons) -> None:
    assert re.fullmatch(r"[0-9a-f]{12}", bundled.version)
    assert load_lexicons(LEXICONS).version == bundled.version


def test_the_policy_banned_phrases_are_in_the_banned_lists(bundled: Lexicons) -> None:
    for language, phrase in {"en": "calm down", "ru": "успокойтесь", "ko": "진정하세요", "lt": "nurimkite"}.items():
        assert phrase in bundled.entries(language, Category.BANNED), language
    assert _categories(bundled, "请冷静一下") == {Category.BANNED}


# --- whole words, stems, prefixes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("This is a damn joke.", "damn"),
        ("Oh, what the hell.", "what the hell"),
        ("Kiss my ass.", "Kiss my ass"),
        ("This fucking router.", "fucking"),
        ("ＤＡＭＮ it", "ＤＡＭＮ it"),
    ],
)
def test_english_profanity_matches_whole_words(bundled: Lexicons, text: str, word: str) -> None:
    assert _spans(bundled, text, Category.PROFANITY) == [word]


@pytest.mark.parametrize(
    "text",
    [
        "I'm in a first class carriage.",
        "My assistant pays the bills.",
        "I'm calling from Amsterdam.",
        "Hello, is that the helpdesk?",
        "The shell of the router is cracked.",
        "He'll call you back after lunch.",
        "I live on Scunthorpe Road.",
        "Can you assess the damage?",
        "Understand.",
        "The passbook is in the drawer.",
    ],
)
def test_a_bad_word_inside_an_innocent_word_does_not_match(bundled: Lexicons, text: str) -> None:
    assert not _categories(bundled, text) & ABUSE, bundled.find(text)


def test_english_inflections_match_by_stem(bundled: Lexicons) -> None:
    assert _spans(bundled, "Idiots, all of them!", Category.INSULT) == ["Idiots"]
    assert _spans(bundled, "I'm transferring you now.", Category.TRANSFER) == ["transferring you"]


@pytest.mark.parametrize("word", ["бездельник", "бездельники", "бездельников", "бездельникам", "БЕЗДЕЛЬНИКИ"])
def test_russian_inflections_match_one_entry(bundled: Lexicons, word: str) -> None:
    text = f"Вы там все {word}!"
    assert _spans(bundled, text, Category.INSULT) == [word]
    assert {m.phrase for m in bundled.find(text)} == {"бездельники"}


@pytest.mark.parametrize("text", ["Чёрт!", "Черт!", "Да ну вас к чёрту.", "Ни черта не работает."])
def test_yo_and_ye_are_the_same_letter(bundled: Lexicons, text: str) -> None:
    assert Category.PROFANITY in _categories(bundled, text)


def test_a_longer_russian_word_is_not_its_stem(bundled: Lexicons) -> None:
    assert not _categories(bundled, "Подпишите под чёрточкой.")
    assert not _categories(bundled, "Ура, заработало!")  # "урою" stems to "ур": short stems match only as written
    assert _categories(bundled, "Я вас урою.") == {Category.THREAT}


def test_lithuanian_matches_with_its_stemmer_and_diacritics(bundled: Lexicons) -> None:
    assert _spans(bundled, "Noriu kalbėti su vadovu!", Category.SUPERVISOR_DEMAND) == ["Noriu kalbėti su vadovu"]
    assert _spans(bundled, "Jūs visi idiotai.", Category.INSULT) == ["Jūs visi idiotai"]
    assert not _categories(bundled, "Šikšnosparnis įskrido į palėpę.")


def test_punctuation_between_the_words_of_a_phrase_is_ignored(bundled: Lexicons) -> None:
    text = "Спасибо за звонок! Всего   доброго… До свидания."
    assert _spans(bundled, text, Category.FAREWELL) == ["Спасибо за звонок", "Всего   доброго", "До свидания"]


def test_offsets_point_into_the_text_as_given(bundled: Lexicons) -> None:
    decomposed = "Ну и че\u0308рт возьми!"  # "ё" as "е" plus a combining diaeresis
    assert _spans(bundled, decomposed, Category.PROFANITY) == ["че\u0308рт возьми"]
    shifted = "Straße ﬁne, but damn it"  # casefolding "ß" and NFKC of "ﬁ" both lengthen the normalised text
    assert _spans(bundled, shifted, Category.PROFANITY) == ["damn it"]


# --- Chinese and Korean substrings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category", "span"),
    [
        ("你他妈的有病吧", Category.PROFANITY, "他妈的"),
        ("你們這些騙子，把錢還給我！", Category.INSULT, "你們這些騙子"),
        ("我现在为您转接到专家组。", Category.TRANSFER, "为您转接"),
        ("씨발, 또 끊겼어요", Category.PROFANITY, "씨발"),
        ("상 사 바꿔 주세요", Category.SUPERVISOR_DEMAND, "상 사 바꿔"),  # spacing is ignored
        ("진정하세요, 고객님.", Category.BANNED, "진정하세요"),
    ],
)
def test_chinese_and_korean_match_substrings(bundled: Lexicons, text: str, category: Category, span: str) -> None:
    assert _spans(bundled, text, category) == [span]


@pytest.mark.parametrize(
    "text",
    [
        "我妈的账户被扣了两次费。",  # "妈的" inside "my mum's"
        "请问这个操作怎么做？",  # "操" inside "operate"
        "我靠工资生活。",  # "我靠" is "I live on"
        "여기가 시발점이에요.",  # "시발" inside "starting point"
        "전염병 때문에 늦었어요.",  # "염병" inside "epidemic"
        "한 개 같은 가격이면 두 개 살게요.",  # "개 같은" across words, once spaces are ignored
    ],
)
def test_chinese_and_korean_innocent_words_with_a_bad_substring(bundled: Lexicons, text: str) -> None:
    assert not _categories(bundled, text)


# --- several matches ----------------------------------------------------------------------------------------------


def test_matches_come_sorted_and_overlapping_categories_all_count(bundled: Lexicons) -> None:
    found = bundled.find("我知道你住哪。")
    assert [m.category for m in found] == [Category.THREAT, Category.PERSONAL_QUESTION]
    text = "Ну и что? Чёрт возьми, вы там все бездельники!"
    assert [(m.category, text[m.start : m.end]) for m in bundled.find(text)] == [
        (Category.PROFANITY, "Чёрт возьми"),
        (Category.INSULT, "бездельники"),
    ]


def test_one_category_matched_twice_in_one_place_is_one_match(bundled: Lexicons) -> None:
    # "чёрт" and "чёрт возьми" are both profanity entries: the longer one stands for both.
    assert bundled.find("Чёрт возьми!") == [Match(Category.PROFANITY, "ru", "чёрт возьми|побери|подери", 0, 11)]
    assert _spans(bundled, "Bye now.", Category.FAREWELL) == ["Bye now"]


def test_each_script_runs_the_languages_written_in_it(bundled: Lexicons) -> None:
    found = bundled.find("Чёрт, this is a damn joke, 他妈的")
    assert {(m.language, m.category) for m in found} == {
        ("ru", Category.PROFANITY),
        ("en", Category.PROFANITY),
        ("zh", Category.PROFANITY),
    }
    assert bundled.find("") == []
    assert bundled.find("12345 ...") == []


# --- a centre's own folder ------------------------------------------------------------------------------------------


def test_a_later_root_adds_and_removes_entries(tmp_path: Path) -> None:
    centre = tmp_path / "centre"
    _write(centre, "en", "profanity", "# our own\nfrak*\n-bloody\n- DAMN  \n-never-listed\n")
    _write(centre, "ru", "banned", "это не ко мне\n")  # already bundled: no duplicate
    _write(centre, "de", "insult", "Dummkopf\n")  # a language the app does not ship, in a script it knows
    _write(centre, "el", "insult", "ηλίθιος\n")  # and one in a script it does not tell apart: run on every text
    _write(centre, "en", "notes", "not a category, ignored\n")
    (centre / "README.md").write_text("ignored\n", encoding="utf-8")
    bundled, extended = load_lexicons(LEXICONS), load_lexicons(LEXICONS, centre)

    assert extended.languages == ("de", "el", *LANGUAGES)
    profanity = extended.entries("en", Category.PROFANITY)
    assert profanity[-1] == "frak*"
    assert "bloody" not in profanity and "damn" not in profanity and "hell" in profanity
    assert len(profanity) == len(bundled.entries("en", Category.PROFANITY)) - 1
    assert extended.entries("ru", Category.BANNED) == bundled.entries("ru", Category.BANNED)
    assert _spans(extended, "What a frakking mess, bloody hell", Category.PROFANITY) == ["frakking", "hell"]
    assert _spans(extended, "Sie Dummkopf!", Category.INSULT) == ["Dummkopf"]
    assert _spans(extended, "Είσαι ΗΛΊΘΙΟΣ.", Category.INSULT) == ["ΗΛΊΘΙΟΣ"]
    assert extended.version != bundled.version


def test_alternatives_and_prefixes_in_an_entry(tmp_path: Path) -> None:
    _write(tmp_path, "en", "supervisor_demand", "speak|talk to your boss|gaffer\n")
    _write(tmp_path, "en", "insult", "nincompoop*\n")
    lexicons = load_lexicons(tmp_path)
    for text in ("Let me talk to your gaffer.", "I'll speak to your bosses"):
        assert _categories(lexicons, text) == {Category.SUPERVISOR_DEMAND}, text
    assert not _categories(lexicons, "Let me talk to your manager.")
    assert _spans(lexicons, "Nincompoops, the lot of you", Category.INSULT) == ["Nincompoops"]


def test_an_empty_root_loads_nothing(tmp_path: Path) -> None:
    lexicons = load_lexicons(tmp_path)
    assert lexicons.languages == ()
    assert lexicons.find("damn") == []


# --- refusals ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("f*ck", "'*' may only end a word"),
        ("!!! ...", "no letters or digits"),
        ("-", "names no entry"),
        ("speak to your boss||manager", "empty alternative"),
        ("f*", "at least two letters"),
        ("a|b|c|d|e " * 6, "at most"),
    ],
)
def test_a_bad_entry_is_refused_with_its_file_and_line(tmp_path: Path, line: str, reason: str) -> None:
    path = _write(tmp_path, "en", "profanity", f"# comment\n\n{line}\ndamn\n")
    with pytest.raises(LexiconError) as caught:
        load_lexicons(tmp_path)
    assert str(caught.value).startswith(f"{path}:3: ")
    assert reason in str(caught.value)


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "ru" / "insult.txt"
    path.parent.mkdir()
    path.write_bytes("# ok\nидиот\n".encode() + "дурак\n".encode("cp1251"))
    with pytest.raises(LexiconError, match=rf"^{re.escape(str(path))}:3: not UTF-8"):
        load_lexicons(tmp_path)


def test_a_missing_root_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="not a lexicon folder"):
        load_lexicons(LEXICONS, tmp_path / "missing")
    assert issubclass(LexiconError, ValueError)


# --- the demo calls -------------------------------------------------------------------------------------------------


def _demo_lines() -> list[tuple[str, int, str, set[str]]]:
    """(call, start ms, text, the tag kinds starting with it) for every utterance of every demo transcript."""
    kinds: dict[tuple[str, int], set[str]] = {}
    with (DEMO / "tags.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            kinds.setdefault((row["call_id"], int(row["start_ms"])), set()).add(row["kind"])
    lines = []
    for path in sorted((DEMO / "calls").iterdir()):
        if path.suffix in {".vtt", ".csv", ".json"}:
            for turn in read_raw(str(path)).turns:
                lines.append((path.stem, turn.start_ms, turn.text, kinds.get((path.stem, turn.start_ms), set())))
    return lines


DEMO_LINES = _demo_lines()
TAGGED = [(call, text, kind) for call, _, text, kinds in DEMO_LINES for kind in sorted(kinds) if kind in TAG_CATEGORY]
UNTAGGED = [(call, text) for call, _, text, kinds in DEMO_LINES if not kinds & TAG_CATEGORY.keys()]


def test_every_lexicon_tag_of_the_demo_starts_with_a_transcript_line() -> None:
    with (DEMO / "tags.csv").open(encoding="utf-8", newline="") as file:
        wanted = sum(1 for row in csv.DictReader(file) if row["kind"] in TAG_CATEGORY)
    assert len(TAGGED) == wanted == 24


@pytest.mark.parametrize(("call", "text", "kind"), TAGGED)
def test_a_tagged_demo_line_is_found_in_its_category(bundled: Lexicons, call: str, text: str, kind: str) -> None:
    assert TAG_CATEGORY[kind] in _categories(bundled, text), bundled.find(text)


@pytest.mark.parametrize(("call", "text"), UNTAGGED)
def test_an_untagged_demo_line_is_at_most_a_goodbye(bundled: Lexicons, call: str, text: str) -> None:
    # A greeting says "Thank you for calling" and a customer may say "Goodbye": both read as farewells.
    assert _categories(bundled, text) <= {Category.FAREWELL}, bundled.find(text)


def test_demo_lines_that_only_look_like_a_category(bundled: Lexicons) -> None:
    assert not _categories(bundled, "I'm sorry to hear that. Can I take your account number, please?")
    assert not _categories(bundled, "May I put you on hold for a moment while I check the account?")
    assert not _categories(bundled, "I understand you're frustrated")
    assert _categories(bundled, "I'm ending this call now. Goodbye.") == {Category.FAREWELL}


# --- quality on the labelled sets -----------------------------------------------------------------------------------


def _labelled(language: str) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate((LABELLED / f"{language}.tsv").read_text(encoding="utf-8").splitlines(), 1):
        label, separator, text = line.partition("\t")
        assert separator and text.strip(), f"{language}.tsv:{number}"
        assert label == "none" or label in Category.__members__.values(), f"{language}.tsv:{number}: {label}"
        rows.append((label, text))
    return rows


def _precision_recall(lexicons: Lexicons, rows: list[tuple[str, str]]) -> tuple[float, float]:
    """A labelled line is a hit when its category is among its matches; an innocent line matched as abuse is a miss."""
    hits = misses = false_alarms = 0
    for label, text in rows:
        found = _categories(lexicons, text)
        if label == "none":
            false_alarms += bool(found & ABUSE)
        elif Category(label) in found:
            hits += 1
        else:
            misses += 1
    return hits / (hits + false_alarms), hits / (hits + misses)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_labelled_set_is_big_enough_and_a_third_innocent(language: str) -> None:
    rows = _labelled(language)
    assert len(rows) >= 60
    assert sum(label == "none" for label, _ in rows) * 3 >= len(rows)
    assert {label for label, _ in rows} == {"none", *(c.value for c in Category)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_precision_and_recall_on_the_labelled_set(bundled: Lexicons, language: str) -> None:
    precision, recall = _precision_recall(bundled, _labelled(language))
    assert precision >= 0.9, precision
    assert recall >= 0.9, recall

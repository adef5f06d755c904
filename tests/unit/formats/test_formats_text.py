"""read_text: BOMs, UTF-16 without a BOM, strict UTF-8, legacy encodings guessed (with "?" when unsure), refusals."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from reviewer.domain.problems import InputError, ProblemKind
from reviewer.formats.text import UNSURE, read_text

RUSSIAN = "Агент: Здравствуйте\nКлиент: Добрый день\n"

# A call in each seed language: the agent greets, the customer answers, the agent follows up.
CALLS: dict[str, tuple[str, ...]] = {
    "ru": (
        "Здравствуйте, меня зовут Ольга, чем могу помочь?",
        "У меня уже третий день не работает интернет.",
        "Понимаю. Назовите, пожалуйста, номер договора.",
        "Номер 4521-887, оформлен на Иванова Петра.",
        "Спасибо, я вижу аварию на линии, мастер приедет завтра с 10 до 14.",
    ),
    "zh": (
        "您好，请问有什么可以帮您？",
        "我上周买的手机屏幕坏了，想退货。",
        "好的，请提供一下订单号。",
        "订单号是 20240518-7731。",
        "收到，我们会在三个工作日内处理，请保持电话畅通。",
    ),
    "ko": (
        "안녕하세요, 무엇을 도와드릴까요?",
        "지난주에 주문한 휴대폰 화면이 깨졌어요.",
        "불편을 드려 죄송합니다. 주문 번호를 알려주시겠어요?",
        "네, 20240518-7731 입니다.",
        "확인했습니다. 사흘 안에 교환해 드리겠습니다.",
    ),
    "lt": (
        "Laba diena, kuo galiu padėti?",
        "Sveiki, mano užsakymas dar neatėjo, nors praėjo savaitė.",
        "Suprantu. Gal galite pasakyti užsakymo numerį?",
        "Taip, numeris 4521-887.",
        "Ačiū, matau, kad siunta vėluoja. Kurjeris atveš rytoj.",
    ),
}
# GB18030 and cp949 only differ from GBK and EUC-KR in characters these never had: a rare name, a UHC syllable.
EXTRA = {"gb18030": "客服小䶮为您服务。", "cp949": "똠방각하 고객님, 감사합니다."}
LEGACY = [
    ("cp1251", "ru"),
    ("koi8-r", "ru"),
    ("gbk", "zh"),
    ("gb18030", "zh"),
    ("euc-kr", "ko"),
    ("cp949", "ko"),
    ("iso-8859-13", "lt"),
]


def _write(tmp_path: Path, data: bytes, name: str = "t.txt") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _refusal(path: str, encoding: str | None = None) -> InputError:
    with pytest.raises(InputError) as caught:
        read_text(path, encoding)
    return caught.value


def _csv(lines: tuple[str, ...]) -> str:
    rows = (f'{2 * i}.0,{2 * i + 1}.5,{("agent", "customer")[i % 2]},"{line}"\n' for i, line in enumerate(lines))
    return "start,end,speaker,text\n" + "".join(rows)


def _vtt(lines: tuple[str, ...]) -> str:
    cues = (
        f"00:00:{2 * i:02d}.000 --> 00:00:{2 * i + 1:02d}.500\n<v {('Agent', 'Customer')[i % 2]}>{line}\n"
        for i, line in enumerate(lines)
    )
    return "WEBVTT\n\n" + "\n".join(cues)


def _call(codec: str, language: str) -> tuple[str, ...]:
    extra = EXTRA.get(codec)
    return (*CALLS[language], extra) if extra else CALLS[language]


def test_plain_utf8_is_read_as_utf8(tmp_path: Path) -> None:
    assert read_text(_write(tmp_path, RUSSIAN.encode())) == (RUSSIAN, "utf-8")


def test_utf8_bom_is_stripped_and_named(tmp_path: Path) -> None:
    text, encoding = read_text(_write(tmp_path, codecs.BOM_UTF8 + RUSSIAN.encode()))
    assert (text, encoding) == (RUSSIAN, "utf-8-sig")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom_are_accepted(tmp_path: Path, bom: bytes, codec: str) -> None:
    text, encoding = read_text(_write(tmp_path, bom + RUSSIAN.encode(codec)))
    assert (text, encoding) == (RUSSIAN, codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("language", sorted(CALLS))
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(tmp_path: Path, codec: str, language: str) -> None:
    transcript = _vtt(CALLS[language])
    assert read_text(_write(tmp_path, transcript.encode(codec))) == (transcript, codec)


def test_short_utf16_without_bom_is_recognised(tmp_path: Path) -> None:
    assert read_text(_write(tmp_path, "WEBVTT".encode("utf-16-le"))) == ("WEBVTT", "utf-16-le")


@pytest.mark.parametrize(("codec", "language"), LEGACY)
@pytest.mark.parametrize("form", [_csv, _vtt])
def test_long_legacy_transcript_is_detected_exactly(tmp_path: Path, codec: str, language: str, form: object) -> None:
    assert callable(form)
    transcript: str = form(_call(codec, language))
    assert read_text(_write(tmp_path, transcript.encode(codec))) == (transcript, codec)


@pytest.mark.parametrize(("codec", "language"), LEGACY)
def test_one_line_legacy_transcript_is_detected_exactly(tmp_path: Path, codec: str, language: str) -> None:
    lines = (EXTRA[codec],) if codec in EXTRA else CALLS[language][:1]
    transcript = _csv(lines)
    assert read_text(_write(tmp_path, transcript.encode(codec))) == (transcript, codec)


@pytest.mark.parametrize("line", ["Добрый день", "Ваш номер договора?", "Спасибо за звонок, всего доброго!"])
@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_cp1251_and_koi8r_are_told_apart_on_a_single_phrase(tmp_path: Path, codec: str, line: str) -> None:
    # The two map the same bytes to different Cyrillic letters; detectors notoriously swap them on short texts.
    assert read_text(_write(tmp_path, line.encode(codec))) == (line, codec)


def test_crlf_legacy_file_is_detected_and_normalised(tmp_path: Path) -> None:
    transcript = _csv(CALLS["ru"])
    data = transcript.replace("\n", "\r\n").encode("koi8-r")
    assert read_text(_write(tmp_path, data)) == (transcript, "koi8-r")


def test_cp1257_quotes_rule_out_iso_8859_13(tmp_path: Path) -> None:
    # „…“ and – sit where ISO-8859-13 has control characters.
    line = "Klientas pasakė: „Ačiū, viskas gerai“ – ir padėjo ragelį.\n"
    assert read_text(_write(tmp_path, line.encode("cp1257"))) == (line, "cp1257")


@pytest.mark.parametrize("data", ["Да".encode("cp1251"), "네".encode("euc-kr"), "Ačiū".encode("iso-8859-13")])
def test_tiny_legacy_input_is_decoded_but_marked_as_assumed(tmp_path: Path, data: bytes) -> None:
    text, encoding = read_text(_write(tmp_path, data))
    assert encoding.endswith(UNSURE)
    assert data.decode(encoding.removesuffix(UNSURE)) == text


def test_english_with_windows_quotes_is_read_with_an_assumed_encoding(tmp_path: Path) -> None:
    data = "It\u2019s fine, \u201cthanks\u201d \u2013 bye\n".encode("cp1252")
    text, encoding = read_text(_write(tmp_path, data))
    assert text == "It\u2019s fine, \u201cthanks\u201d \u2013 bye\n"
    assert encoding.endswith(UNSURE)


def test_random_binary_is_not_text_with_line_and_column(tmp_path: Path) -> None:
    noise = random.Random(7).randbytes(4096)
    problem = _refusal(_write(tmp_path, b"\x89PNG\r\n\x1a\n" + noise)).problem
    assert problem.kind is ProblemKind.NOT_TEXT
    assert problem.where.startswith("line ") and ", column " in problem.where


def test_utf8_with_a_stray_byte_is_not_guessed_as_legacy(tmp_path: Path) -> None:
    data = "WEBVTT\n\nok \u0416".encode() + b"\xff" + " дальше".encode()
    problem = _refusal(_write(tmp_path, data)).problem
    assert problem.kind is ProblemKind.NOT_TEXT
    assert problem.where == "line 3, column 5"
    assert problem.detail.startswith("byte 0xFF is not valid UTF-8")


def test_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    data = "ёж ".encode() + "ж".encode("cp1251")
    assert _refusal(_write(tmp_path, data)).problem.where == "line 1, column 4"


def test_explicit_legacy_encoding_decodes(tmp_path: Path) -> None:
    assert read_text(_write(tmp_path, RUSSIAN.encode("cp1251")), "cp1251") == (RUSSIAN, "cp1251")


def test_explicit_encoding_wins_over_detection(tmp_path: Path) -> None:
    data = RUSSIAN.encode("cp1251")
    assert read_text(_write(tmp_path, data), "koi8-r") == (data.decode("koi8-r"), "koi8-r")


def test_explicit_encoding_copied_with_its_question_mark_is_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, RUSSIAN.encode("koi8-r"))
    assert read_text(path, "koi8-r" + UNSURE) == (RUSSIAN, "koi8-r")


def test_explicit_encoding_that_does_not_fit_is_refused(tmp_path: Path) -> None:
    problem = _refusal(_write(tmp_path, b"ok\n\xff\xfe\xfd"), "utf-8").problem
    assert problem.kind is ProblemKind.NOT_TEXT
    assert problem.where == "line 2, column 1"


@pytest.mark.parametrize(("encoding", "kind"), [("hex", ProblemKind.BAD_VALUE), ("idna", ProblemKind.NOT_TEXT)])
def test_encodings_that_are_no_text_codecs_are_refused(tmp_path: Path, encoding: str, kind: ProblemKind) -> None:
    assert _refusal(_write(tmp_path, b"ok \xff\n"), encoding).problem.kind is kind


def test_unknown_encoding_name_is_a_bad_value(tmp_path: Path) -> None:
    problem = _refusal(_write(tmp_path, b"text"), "no-such-codec").problem
    assert problem.kind is ProblemKind.BAD_VALUE
    assert "no-such-codec" in problem.detail


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n ", codecs.BOM_UTF8 + b"\n"])
def test_empty_or_blank_file_is_empty(tmp_path: Path, data: bytes) -> None:
    assert _refusal(_write(tmp_path, data)).problem.kind is ProblemKind.EMPTY


def test_missing_file_is_unreadable_with_os_reason(tmp_path: Path) -> None:
    problem = _refusal(str(tmp_path / "nope.vtt")).problem
    assert problem.kind is ProblemKind.UNREADABLE
    assert problem.detail == "No such file or directory"


def test_directory_is_unreadable(tmp_path: Path) -> None:
    problem = _refusal(str(tmp_path)).problem
    assert problem.kind is ProblemKind.UNREADABLE
    assert problem.path == str(tmp_path)


def test_nul_characters_are_not_text(tmp_path: Path) -> None:
    # Valid UTF-8, but a NUL no transcript holds (and too few, and too scattered, to be UTF-16).
    problem = _refusal(_write(tmp_path, b"WEBVTT\n\nhello\x00world\n")).problem
    assert problem.kind is ProblemKind.NOT_TEXT
    assert problem.where == "line 3, column 6"


def test_crlf_and_cr_newlines_become_lf(tmp_path: Path) -> None:
    text, _ = read_text(_write(tmp_path, b"a\r\nb\rc\n"))
    assert text == "a\nb\nc\n"

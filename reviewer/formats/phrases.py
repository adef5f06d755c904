"""What agents say when they open and close a call, in the seeds' languages: the clue for who is the agent.

Used only when neither the file (a role) nor the recording (a channel) says who is who. A customer may say
"hello" too, so the openings are the agent's scripted ones (a greeting with the company or the agent's name);
the closings are the agent's scripted goodbyes. Matching is on normalised text (case, punctuation, spacing).
"""

from __future__ import annotations

import re
import unicodedata

# Sources: the seeds in ../shared/seeds (ru 003 "Всего доброго. До свидания."; zh 001; lt; ko) and the usual
# contact-centre scripts. Each phrase is matched as a whole-word run inside the normalised utterance.
# Openings only an agent says ...
AGENT_OPENINGS: tuple[str, ...] = (
    "thank you for calling",
    "thanks for calling",
    "how can i help you",
    "how may i help you",
    "здравствуйте меня зовут",
    "чем могу помочь",
    "很高兴为您服务",
    "请问有什么可以帮您",
    "무엇을 도와드릴까요",
    "kuo galiu padėti",
)
# ... and greetings an agent opens with that a customer may say too: a tie-break only.
AGENT_OPENINGS_WEAK: tuple[str, ...] = ("my name is", "меня зовут", "您好", "안녕하세요", "laba diena")
# How transcripts label the parties themselves ("Agent:", "<v Customer>", "Оператор 1").
ROLE_LABELS: dict[str, str] = {
    "agent": "agent", "operator": "agent", "advisor": "agent", "representative": "agent", "rep": "agent",
    "оператор": "agent", "агент": "agent", "специалист": "agent", "客服": "agent", "坐席": "agent",
    "상담원": "agent", "상담사": "agent", "operatorius": "agent", "konsultantas": "agent",
    "customer": "customer", "caller": "customer", "client": "customer", "клиент": "customer",
    "абонент": "customer", "客户": "customer", "顾客": "customer", "고객": "customer", "klientas": "customer",
}  # fmt: skip
_TRAILING_NUMBER = re.compile(r"[\s_#-]*\d+$")
AGENT_CLOSINGS: tuple[str, ...] = (
    "is there anything else i can help you with",
    "thank you for calling goodbye",
    "have a nice day",
    "всего доброго",
    "спасибо за обращение",
    "祝您生活愉快",
    "感谢您的来电",
    "좋은 하루 되세요",
    "감사합니다 고객님",
    "geros dienos",
    "ačiū kad skambinote",
)

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower case, NFC, punctuation and runs of spaces reduced to one space."""
    return " " + _NOT_WORD.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip() + " "


def _has_any(text: str, phrases: tuple[str, ...]) -> bool:
    padded = normalise(text)
    return any(p in padded if _unspaced(p) else f" {p} " in padded for p in phrases)


def _unspaced(phrase: str) -> bool:
    # Chinese and Japanese write words without spaces: their phrases match anywhere. Korean uses spaces.
    return any("\u3040" <= ch <= "\u9fff" for ch in phrase)


def opens_like_agent(text: str) -> bool:
    """An agent's scripted greeting is in this utterance."""
    return _has_any(text, AGENT_OPENINGS)


def greets_like_agent(text: str) -> bool:
    """A greeting an agent opens with, though a customer may say it too."""
    return _has_any(text, AGENT_OPENINGS_WEAK)


def role_of_label(label: str) -> str | None:
    """'agent' or 'customer' when a speaker label names the role ("Agent", "customer 2", "Оператор"), else None."""
    return ROLE_LABELS.get(_TRAILING_NUMBER.sub("", label.strip().casefold()))


def closes_like_agent(text: str) -> bool:
    """An agent's scripted goodbye is in this utterance."""
    return _has_any(text, AGENT_CLOSINGS)

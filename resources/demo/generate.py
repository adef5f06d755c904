"""Generate the demo call library: ten scripted two-channel calls, their transcripts and a reviewer's tags.

Run from the project root:

    .venv/bin/python resources/demo/generate.py

Every utterance is synthesised with espeak-ng, resampled to 8 kHz by ffmpeg and placed at a start time chosen
here, so the transcripts and the supervisor tags (``tags.csv``) carry the exact milliseconds of the audio.
The output is deterministic: pauses come from a hash, never from a random generator, and ffmpeg is asked for
bit-exact output without metadata. The script ends by checking what it wrote (ffprobe, paths, tag times,
speech onsets in the decoded MP3) and printing a summary.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import subprocess
import sys
import tempfile
import uuid
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

HERE = Path(__file__).resolve().parent
CALLS_DIR = HERE / "calls"

RATE = 8000  # telephone rate: what contact-centre recorders actually store
SAMPLES_PER_MS = RATE // 1000
SPEED_WPM = 160
MP3_BITRATE = "32k"  # 4 kB per second for both channels keeps ten calls well under 3 MB
LEAD_IN_MS = 600  # the recording starts as the call connects, a moment before the agent's greeting
HANG_UP_GAP_MS = 400  # the hang-up follows the last word by a beat
TAIL_MS = 700  # recorders keep a little silence after the line closes
SILENCE_LEVEL = 300  # |sample| above this (about 1 % of full scale) counts as speech when trimming
TRIM_MARGIN_MS = 10  # keep the soft edges of the first and last phoneme
MIN_GAP_MS, MAX_GAP_MS = 300, 1200
NON_TALK_MIN_MS = 3000  # AWS lists only long silences as non-talk time; shorter pauses are normal turn-taking
ONSET_TOLERANCE_MS = 30  # how far decoded speech may stray from the stated times (MP3 smears edges)
FADE_TOLERANCE_MS = 200  # how much earlier than stated an utterance may fade out once encoded
MIN_CALL_MS, MAX_CALL_MS = 20_000, 60_000

# No encoder version, creation time or tags in the file, so the bytes depend only on the samples.
BITEXACT = ("-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact")
# Plain stereo, not joint: mid/side coding would leak one party's quantisation noise into the other's channel,
# and the app tells the parties apart by channel.
MP3_OPTIONS = ("-c:a", "libmp3lame", "-b:a", MP3_BITRATE, "-joint_stereo", "0", "-ar", str(RATE), "-ac", "2")

AGENT, CUSTOMER, CALL = "agent", "customer", "call"
MANIFEST_HEADER = (
    "call_id",
    "agent",
    "team",
    "started_at",
    "audio",
    "transcript",
    "layout",
    "disconnect_reason",
)
TAGS_HEADER = ("call_id", "kind", "actor", "start_ms", "end_ms", "note")

Samples = npt.NDArray[np.int16]


# ------------------------------------------------------------------------------------------------------------
# The scenarios


@dataclass(frozen=True, slots=True)
class Line:
    """One utterance as scripted: who says it, what, how it is timed, and what a reviewer tagged on it."""

    who: str  # AGENT or CUSTOMER
    text: str  # spoken verbatim by espeak and written verbatim to the transcript
    gap_ms: int | None = None  # silence before it; None takes a steady pseudo-random pause
    overlap_ms: int = 0  # start this long before the other party stops: a real interruption
    loud: bool = False  # shouting: espeak's amplitude and pitch raised
    tags: tuple[tuple[str, str], ...] = ()  # (kind, note); actor is `who`, span is the utterance


@dataclass(frozen=True, slots=True)
class Scenario:
    """One demo call: who took it, when, how it is recorded and transcribed, and what is said."""

    call_id: str
    agent: str
    team: str
    started_at: str
    language: str  # "en" or "ru"
    agent_voice: str
    customer_voice: str
    layout: str  # "agent-left" or "agent-right"
    transcript_format: str  # "vtt", "aws" or "csv"
    disconnect_reason: str
    ended_by: str | None  # actor of the hang-up tag; None when the call ends in a transfer
    lines: tuple[Line, ...]
    summary: str  # one line for the README
    expected: str  # what the default policy should say, for the README
    agent_label: str = "Agent"  # the speaker name a VTT file uses for the agent
    hang_up_note: str = ""
    # (kind, actor, note) ticked after the call; placed at the hang-up.
    closing: tuple[tuple[str, str, str], ...] = ()


def a(text: str, *tags: tuple[str, str], gap_ms: int | None = None, overlap_ms: int = 0) -> Line:
    """An agent line."""
    return Line(AGENT, text, gap_ms=gap_ms, overlap_ms=overlap_ms, tags=tags)


def c(text: str, *tags: tuple[str, str], gap_ms: int | None = None, loud: bool = False) -> Line:
    """A customer line."""
    return Line(CUSTOMER, text, gap_ms=gap_ms, loud=loud, tags=tags)


RU_WARNING = "К сожалению, в таком тоне разговор продолжаться не может, я буду вынуждена прекратить разговор."
RU_REDIRECT = (
    "Я не могу ответить на ваш вопрос, так как он не относится к работе компании. "
    "Скажите, пожалуйста, у вас есть вопросы по обслуживанию?"
)
LOGGED = (
    ("lead_notified", CALL, "team lead told after the call"),
    ("account_noted", CALL, "incident in call log"),
)

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        call_id="demo-01",
        agent="Olga Smirnova",
        team="Team North",
        started_at="2026-09-08T10:12:00+03:00",
        language="ru",
        agent_voice="ru+f2",
        customer_voice="ru+m3",
        layout="agent-left",
        transcript_format="vtt",
        agent_label="Olga",
        disconnect_reason="AGENT_DISCONNECT",
        ended_by=AGENT,
        hang_up_note="after the third offence",
        closing=LOGGED,
        summary="Abusive customer warned twice; the agent ends the call politely on the third offence.",
        expected="compliant (R1 hang-up permitted; farewell, lead notified, logged)",
        lines=(
            a("Добрый день, сервисный центр, меня зовут Ольга. Чем могу помочь?"),
            c("Я третий раз звоню по поводу ремонта холодильника! Где мой мастер?"),
            a("Понимаю вас. Сейчас проверю статус заявки."),
            c(
                "Да чёрт бы вас всех побрал, сколько можно ждать!",
                ("profanity", ""),
                ("yelling", ""),
                loud=True,
            ),
            a(RU_WARNING, ("warning", "1 of 2")),
            c(
                "Ну и что? Чёрт возьми, вы там все бездельники!",
                ("profanity", ""),
                ("yelling", ""),
                loud=True,
            ),
            a(RU_WARNING, ("warning", "2 of 2")),
            c("Да плевать мне на ваш тон, чёрт побери!", ("profanity", "third offence"), loud=True),
            a(
                "К сожалению, разговор не может продолжаться в таком тоне, я вынуждена прекратить разговор. "
                "Всего доброго. До свидания.",
                ("farewell", "closing phrase of the abuse procedure"),
            ),
        ),
    ),
    Scenario(
        call_id="demo-02",
        agent="Tom Baker",
        team="Team South",
        started_at="2026-09-16T14:05:00+00:00",
        language="en",
        agent_voice="en+m3",
        customer_voice="en-us+m4",
        layout="agent-left",
        transcript_format="csv",
        disconnect_reason="AGENT_DISCONNECT",
        ended_by=AGENT,
        hang_up_note="after one offence and one warning",
        summary="Premature hang-up: the agent ends the call after one offence and a single warning.",
        expected="violation: R1.premature_hangup, R6.lead_not_notified, R6.not_logged",
        lines=(
            a("Good afternoon, you're through to Hotline support, this is Tom. How can I help?"),
            c("My internet has been down since Monday, and nobody has called me back."),
            a("I'm sorry to hear that. Can I take your account number, please?"),
            c("I already gave it twice! This is a damn joke.", ("profanity", "")),
            a(
                "I understand you're frustrated, but I can't continue this call if you swear at me.",
                ("warning", "1 of 2"),
            ),
            c("Whatever. Just send someone out today."),
            a("I'm ending this call now. Goodbye.", ("farewell", "curt")),
        ),
    ),
    Scenario(
        call_id="demo-03",
        agent="Emma Clarke",
        team="Team North",
        started_at="2026-09-24T11:30:00+00:00",
        language="en",
        agent_voice="en-us+f3",
        customer_voice="en-us+m3",
        layout="agent-left",
        transcript_format="vtt",
        disconnect_reason="AGENT_DISCONNECT",
        ended_by=AGENT,
        hang_up_note="immediately after the threat",
        closing=(("escalation", AGENT, "threat reported to team lead and security"), *LOGGED),
        summary="A threat: the agent ends the call at once and escalates.",
        expected="compliant (R2 immediate hang-up allowed; escalated, logged)",
        lines=(
            a("Thank you for calling Hotline, my name is Emma. How may I help you today?"),
            c("You cut off my phone line this morning, and I paid that bill last week."),
            a("I'm sorry about that. Let me look at your account."),
            c("I have the receipt right here in my hand."),
            a("I can see the payment. It arrived on Friday, after the cut off date."),
            c(
                "I know where your office is. I'm going to come down there and hurt someone.",
                ("threat", "physical threat"),
            ),
            a("I'm ending this call now because of that threat. Goodbye.", ("farewell", "")),
        ),
    ),
    Scenario(
        call_id="demo-04",
        agent="Dmitry Volkov",
        team="Team South",
        started_at="2026-10-06T16:40:00+03:00",
        language="ru",
        agent_voice="ru+m1",
        customer_voice="ru+f4",
        layout="agent-left",
        transcript_format="vtt",
        agent_label="Dmitry",
        disconnect_reason="AGENT_DISCONNECT",
        ended_by=AGENT,
        hang_up_note="after the third personal question",
        closing=LOGGED,
        summary="Personal questions redirected twice; on the third the agent thanks the caller and hangs up.",
        expected="compliant (R3 complete; farewell, lead notified, logged)",
        lines=(
            a("Здравствуйте, сервисный центр, меня зовут Дмитрий. Чем могу помочь?"),
            c("Здравствуйте, Дмитрий. Какой у вас приятный голос. А вы женаты?", ("personal_question", "")),
            a(RU_REDIRECT, ("redirect", "1 of 2")),
            c("Да ладно вам. А где вы живёте?", ("personal_question", "")),
            a(RU_REDIRECT, ("redirect", "2 of 2")),
            c("Ну скажите хотя бы, сколько вам лет?", ("personal_question", "third")),
            a(
                "К сожалению, поскольку у вас нет вопросов по работе техники, "
                "я вынужден прекратить разговор. Спасибо за звонок. Всего доброго.",
                ("farewell", "thanks the caller"),
            ),
        ),
    ),
    Scenario(
        call_id="demo-05",
        agent="Sarah Lee",
        team="Team South",
        started_at="2026-10-13T09:50:00+00:00",
        language="en",
        agent_voice="en-us+f4",
        customer_voice="en-us+m2",
        layout="agent-right",
        transcript_format="csv",
        disconnect_reason="",
        ended_by=None,
        summary="Circular dialogue: options summary, solution restated with empathy, approved transfer.",
        expected="compliant (R4 steps in order; transfer approved)",
        lines=(
            a("Hotline billing, Sarah speaking. How can I help?"),
            c("I want a refund for the router I bought in March."),
            a("The return window was thirty days, so I can offer a warranty repair or a replacement."),
            c("But I want my money back."),
            a("I understand. Under the policy, the options are a warranty repair or a replacement."),
            c("So just refund me.", ("circular_dialogue", "same demand after options explained")),
            a(
                "We've now gone through all the possible options. Is there anything else I can help with?",
                ("options_summary", ""),
            ),
            c("Why can't you just give me the refund?", ("circular_dialogue", "")),
            a(
                "I hear you, and I know it's frustrating. A free replacement is the solution, "
                "and there is no other option.",
                ("solution_restated", ""),
                ("empathy", ""),
            ),
            c("That's not good enough. Refund me.", ("circular_dialogue", "")),
            a(
                "I'm transferring you to our expert group now. Please stay on the line.",
                ("transfer", "approved in advance by the team lead"),
            ),
        ),
    ),
    Scenario(
        call_id="demo-06",
        agent="James Miller",
        team="Team North",
        started_at="2026-10-20T13:15:00+00:00",
        language="en",
        agent_voice="en-us+m1",
        customer_voice="en-us+f5",
        layout="agent-left",
        transcript_format="vtt",
        disconnect_reason="",
        ended_by=None,
        summary="A customer demands a supervisor: supervisor script, then a transfer when they insist.",
        expected="compliant (R5 script then transfer)",
        lines=(
            a("Hotline support, James speaking. How can I help you?"),
            c("The engineer didn't turn up again. This is the second time."),
            a("I'm sorry about that. I can book a new visit for tomorrow morning."),
            c("No. I want to speak to your supervisor.", ("supervisor_request", "")),
            a(
                "I'm a contact centre specialist, and I work within the same processes "
                "as a senior specialist. I assure you they would give you the same answer.",
                ("supervisor_script", ""),
            ),
            c("I don't care. Put me through to a supervisor, please.", ("supervisor_request", "insists")),
            a(
                "Of course. I've agreed the transfer with the expert group. Please hold the line.",
                ("transfer", "approved by the expert group before transfer"),
            ),
        ),
    ),
    Scenario(
        call_id="demo-07",
        agent="Tom Baker",
        team="Team South",
        started_at="2026-10-28T15:22:00+00:00",
        language="en",
        agent_voice="en+m3",
        customer_voice="en-us+f2",
        layout="agent-left",
        transcript_format="aws",
        disconnect_reason="CUSTOMER_DISCONNECT",
        ended_by=CUSTOMER,
        hang_up_note="customer gave up after being interrupted",
        summary='The agent talks over the customer (1 s overlap), says "calm down"; the customer hangs up.',
        expected="coaching: R7.banned_phrase; info: R8.customer_ended",
        lines=(
            a("Hotline billing, this is Tom."),
            c("Hi, I've been charged twice for September, and I'd like to know why."),
            a("Let me check. Yes, I can see two payments."),
            c(
                "Right, so I need the second one refunded, because that money was for my rent, "
                "and now the bank is charging me a fee for every day."
            ),
            a(
                "Calm down, sir.",
                ("interruption", "agent talks over the customer"),
                ("banned_phrase", "calm down"),
                overlap_ms=1000,
            ),
            c("I am calm. I just want my money back."),
            a("The refund will take five working days."),
            c("Five days? Forget it, I'll go to my bank instead. Goodbye."),
        ),
    ),
    Scenario(
        call_id="demo-08",
        agent="Emma Clarke",
        team="Team North",
        started_at="2026-11-04T10:05:00+00:00",
        language="en",
        agent_voice="en-us+f3",
        customer_voice="en+f4",
        layout="agent-left",
        transcript_format="aws",
        disconnect_reason="CUSTOMER_DISCONNECT",
        ended_by=CUSTOMER,
        hang_up_note="after the farewell",
        summary="A calm call: empathy, one short hold, a polite farewell; the customer hangs up.",
        expected="compliant (info: R8.customer_ended)",
        lines=(
            a("Good morning, Hotline support, Emma speaking. How can I help?"),
            c("Hi. My mother has been in hospital, and I missed the payment date on her account."),
            a("I'm so sorry to hear about your mother. Let's sort this out together.", ("empathy", "")),
            a("May I put you on hold for a moment while I check the account?", gap_ms=500),
            c("Yes, of course."),
            a(
                "Thank you for holding. I've added a two week extension, so nothing will be cut off.",
                ("hold", "agent checks the account"),
                gap_ms=4500,
            ),
            c("Oh, that's a relief. Thank you so much."),
            a("Thank you for calling, and I hope your mother feels better soon. Goodbye.", ("farewell", "")),
            c("Bye now."),
        ),
    ),
    Scenario(
        call_id="demo-09",
        agent="Dmitry Volkov",
        team="Team South",
        started_at="2026-11-11T12:20:00+03:00",
        language="ru",
        agent_voice="ru+m1",
        customer_voice="ru+f3",
        layout="agent-left",
        transcript_format="vtt",
        disconnect_reason="CUSTOMER_DISCONNECT",
        ended_by=CUSTOMER,
        hang_up_note="after the farewell",
        summary="A calm Russian call about a repair: empathy, answer, farewell; the customer hangs up.",
        expected="compliant (info: R8.customer_ended)",
        lines=(
            a("Добрый день, сервисный центр, Дмитрий. Чем могу помочь?"),
            c("Здравствуйте. Я сдала стиральную машину в ремонт две недели назад, и до сих пор нет новостей."),
            a("Понимаю, ждать так долго неприятно. Назовите, пожалуйста, номер заявки.", ("empathy", "")),
            c("Сорок два, сорок два."),
            a("Спасибо. Запчасть уже пришла, мастер позвонит вам завтра до обеда."),
            c("Отлично, спасибо большое."),
            a("Рад был помочь. Всего доброго. До свидания.", ("farewell", "")),
            c("До свидания."),
        ),
    ),
    Scenario(
        call_id="demo-10",
        agent="James Miller",
        team="Team North",
        started_at="2026-11-19T17:45:00+00:00",
        language="en",
        agent_voice="en-us+m1",
        customer_voice="en-gb-scotland+m4",
        layout="agent-left",
        transcript_format="csv",
        disconnect_reason="TELECOM_PROBLEM",
        ended_by=CALL,
        hang_up_note="line dropped mid-sentence",
        summary="The line drops while the customer is describing a fault.",
        expected="compliant (a line drop is nobody's violation)",
        lines=(
            a("Hotline technical support, James speaking. How can I help?"),
            c("Hi, my router keeps restarting every few minutes since the update last night."),
            a("Sorry about the trouble. Have you tried unplugging it for thirty seconds?"),
            c("Yes, twice already, and it didn't help at all."),
            a("Alright. What colour is the light on the front right now?"),
            c("It's blinking orange, and then it goes green for a second, and"),
        ),
    ),
)


# ------------------------------------------------------------------------------------------------------------
# Audio


@dataclass(frozen=True, slots=True)
class Placed:
    """An utterance with its final times and samples."""

    who: str
    text: str
    start_ms: int
    end_ms: int
    samples: Samples


def synthesize(text: str, voice: str, loud: bool, work: Path) -> Samples:
    """Speak a line with espeak-ng and return it as 8 kHz mono samples without leading or trailing silence."""
    if text.startswith("-"):
        raise ValueError(f"espeak would read {text!r} as an option")
    wav = work / "line.wav"
    # Shouting: espeak has no emotion, but more amplitude and a higher pitch read as a raised voice.
    style = ["-a", "180", "-p", "70"] if loud else []
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(SPEED_WPM), *style, "-w", str(wav), text], check=True)
    # ffmpeg's resampler low-passes before decimating 22050 Hz to 8000 Hz; naive numpy decimation would alias.
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(wav), "-ac", "1", "-ar", str(RATE), "-f", "s16le", "-"],
        check=True,
        capture_output=True,
    ).stdout
    return trim_silence(np.frombuffer(raw, dtype="<i2").astype(np.int16))


def trim_silence(samples: Samples) -> Samples:
    """Cut espeak's leading and trailing silence so an utterance's times are those of its speech."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > SILENCE_LEVEL)
    if loud.size == 0:
        raise ValueError("espeak produced silence")
    margin = TRIM_MARGIN_MS * SAMPLES_PER_MS
    first = max(int(loud[0]) - margin, 0)
    last = min(int(loud[-1]) + margin + 1, samples.size)
    return samples[first:last]


def pause_ms(call_id: str, index: int) -> int:
    """A pause between turns that varies like real speech yet is the same on every run."""
    digest = hashlib.sha256(f"{call_id}:{index}".encode()).digest()
    return MIN_GAP_MS + int.from_bytes(digest[:4], "big") % (MAX_GAP_MS - MIN_GAP_MS + 1)


def length_ms(samples: Samples) -> int:
    """Whole milliseconds covering the samples, so end times never fall short of the sound."""
    return -(-samples.size // SAMPLES_PER_MS)


def place_lines(scenario: Scenario, clips: Sequence[Samples]) -> list[Placed]:
    """Give every line its start time: after a pause, or before the other party stops when it interrupts."""
    placed: list[Placed] = []
    latest_end = 0
    for index, (line, clip) in enumerate(zip(scenario.lines, clips, strict=True)):
        if index == 0:
            start = LEAD_IN_MS
        elif line.overlap_ms:
            start = latest_end - line.overlap_ms
            if placed[-1].who == line.who:
                raise ValueError(f"{scenario.call_id}: a party cannot interrupt itself on one channel")
        else:
            start = latest_end + (line.gap_ms if line.gap_ms is not None else pause_ms(scenario.call_id, index))
        placed.append(Placed(line.who, line.text, start, start + length_ms(clip), clip))
        latest_end = max(latest_end, start + length_ms(clip))
    return placed


def hang_up_ms(scenario: Scenario, placed: Sequence[Placed]) -> int:
    """When the call ends: a beat after the last word, or on the last word itself when the line drops."""
    last = max(p.end_ms for p in placed)
    return last if scenario.ended_by == CALL else last + HANG_UP_GAP_MS


def mix(scenario: Scenario, placed: Sequence[Placed], total_ms: int) -> Samples:
    """Lay the utterances into a (samples, 2) array, each party on its own channel as the layout says."""
    agent_channel = 0 if scenario.layout == "agent-left" else 1
    stereo = np.zeros((total_ms * SAMPLES_PER_MS, 2), dtype=np.int16)
    for p in placed:
        channel = agent_channel if p.who == AGENT else 1 - agent_channel
        begin = p.start_ms * SAMPLES_PER_MS
        stereo[begin : begin + p.samples.size, channel] = p.samples
    return stereo


def write_mp3(stereo: Samples, target: Path, work: Path) -> None:
    """Write a 16-bit stereo WAV and encode it to MP3, bit-exact and without metadata."""
    wav = work / "call.wav"
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(stereo.astype("<i2").tobytes())
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), *BITEXACT, *MP3_OPTIONS, str(target)], check=True)


# ------------------------------------------------------------------------------------------------------------
# Tags


@dataclass(frozen=True, slots=True)
class TagRow:
    """One row of tags.csv."""

    call_id: str
    kind: str
    actor: str
    start_ms: int
    end_ms: int
    note: str


def line_tags(call_id: str, placed: Sequence[Placed], lines: Sequence[Line]) -> list[TagRow]:
    """Tags on lines: most span the utterance; an interruption spans the overlap, a hold the silence."""
    rows: list[TagRow] = []
    for index, (p, line) in enumerate(zip(placed, lines, strict=True)):
        for kind, note in line.tags:
            start, end = p.start_ms, p.end_ms
            if kind == "interruption":
                # From the moment the interrupter starts until the interrupted party stops.
                end = placed[index - 1].end_ms
            elif kind == "hold":
                start, end = max(q.end_ms for q in placed[:index]), p.start_ms
            rows.append(TagRow(call_id, kind, p.who, start, end, note))
    return rows


def call_tags(scenario: Scenario, placed: Sequence[Placed]) -> list[TagRow]:
    """All of a call's tags: those on its lines, then the hang-up and the facts ticked after the call."""
    rows = line_tags(scenario.call_id, placed, scenario.lines)
    if scenario.ended_by is not None:
        end = hang_up_ms(scenario, placed)
        rows.append(TagRow(scenario.call_id, "hang_up", scenario.ended_by, end, end, scenario.hang_up_note))
        rows += [TagRow(scenario.call_id, kind, actor, end, end, note) for kind, actor, note in scenario.closing]
    return sorted(rows, key=lambda r: (r.start_ms, r.end_ms))


# ------------------------------------------------------------------------------------------------------------
# Transcripts


def vtt_time(ms: int) -> str:
    """WebVTT timestamp, hh:mm:ss.mmm."""
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def to_vtt(scenario: Scenario, placed: Sequence[Placed]) -> str:
    """WebVTT with one voice-tagged cue per utterance."""
    cues = ["WEBVTT", ""]
    for p in placed:
        if any(ch in p.text for ch in "<>&"):
            raise ValueError(f"{scenario.call_id}: text needs VTT escaping: {p.text!r}")
        label = scenario.agent_label if p.who == AGENT else "Customer"
        cues += [f"{vtt_time(p.start_ms)} --> {vtt_time(p.end_ms)}", f"<v {label}>{p.text}", ""]
    return "\n".join(cues)


def to_csv(placed: Sequence[Placed]) -> str:
    """The simple CSV transcript: seconds with three decimals and a party name."""
    lines = ["start,end,speaker,text"]
    for p in placed:
        text = '"' + p.text.replace('"', '""') + '"' if any(ch in p.text for ch in ',"') else p.text
        lines.append(f"{p.start_ms / 1000:.3f},{p.end_ms / 1000:.3f},{p.who},{text}")
    return "\n".join(lines) + "\n"


def span(begin: int, end: int) -> dict[str, int]:
    """An AWS time span."""
    return {"BeginOffsetMillis": begin, "EndOffsetMillis": end, "DurationMillis": end - begin}


def interruptions(placed: Sequence[Placed]) -> dict[str, list[dict[str, int]]]:
    """Spans where a party starts while the other is still talking, keyed by AWS role of the interrupter."""
    found: dict[str, list[dict[str, int]]] = {}
    for before, after in itertools.pairwise(placed):
        if after.who != before.who and after.start_ms < before.end_ms:
            found.setdefault(after.who.upper(), []).append(span(after.start_ms, before.end_ms))
    return found


def non_talk(placed: Sequence[Placed]) -> list[dict[str, int]]:
    """Long silences between utterances, as AWS lists them."""
    found: list[dict[str, int]] = []
    latest_end = placed[0].end_ms
    for p in placed[1:]:
        if p.start_ms - latest_end >= NON_TALK_MIN_MS:
            found.append(span(latest_end, p.start_ms))
        latest_end = max(latest_end, p.end_ms)
    return found


def to_aws(scenario: Scenario, placed: Sequence[Placed], total_ms: int) -> str:
    """An AWS Transcribe Call Analytics result with the parts the importer reads."""
    by_who = interruptions(placed)
    silences = non_talk(placed)
    items = [
        {
            "ParticipantRole": p.who.upper(),
            "BeginOffsetMillis": p.start_ms,
            "EndOffsetMillis": p.end_ms,
            "Content": p.text,
            # Stable ids: a uuid5 of the call and line, so reruns do not churn the file.
            "Id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"call-reviewer-demo/{scenario.call_id}/{index}")),
        }
        for index, p in enumerate(placed)
    ]
    document = {
        "JobName": scenario.call_id,
        "JobStatus": "COMPLETED",
        "LanguageCode": "en-US" if scenario.language == "en" else "ru-RU",
        "Channel": "VOICE",
        "Transcript": items,
        "ConversationCharacteristics": {
            "TotalConversationDurationMillis": total_ms,
            "Interruptions": {
                "TotalCount": sum(len(v) for v in by_who.values()),
                "TotalDurationMillis": sum(s["DurationMillis"] for v in by_who.values() for s in v),
                "InterruptionsByInterrupter": by_who,
            },
            "NonTalkTime": {
                "TotalTimeMillis": sum(s["DurationMillis"] for s in silences),
                "Instances": silences,
            },
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def transcript_text(scenario: Scenario, placed: Sequence[Placed], total_ms: int) -> tuple[str, str]:
    """The transcript file's extension and content in the scenario's format."""
    if scenario.transcript_format == "vtt":
        return "vtt", to_vtt(scenario, placed)
    if scenario.transcript_format == "csv":
        return "csv", to_csv(placed)
    return "json", to_aws(scenario, placed, total_ms)


# ------------------------------------------------------------------------------------------------------------
# The library


@dataclass(frozen=True, slots=True)
class Built:
    """What was written for one call."""

    scenario: Scenario
    audio: Path
    transcript: Path
    placed: tuple[Placed, ...]
    tags: tuple[TagRow, ...]
    total_ms: int


def build_call(scenario: Scenario, work: Path) -> Built:
    """Synthesise, mix, encode and transcribe one call."""
    clips = [
        synthesize(line.text, scenario.agent_voice if line.who == AGENT else scenario.customer_voice, line.loud, work)
        for line in scenario.lines
    ]
    placed = place_lines(scenario, clips)
    end = hang_up_ms(scenario, placed) if scenario.ended_by else max(p.end_ms for p in placed)
    total_ms = end + TAIL_MS
    audio = CALLS_DIR / f"{scenario.call_id}.mp3"
    write_mp3(mix(scenario, placed, total_ms), audio, work)
    extension, text = transcript_text(scenario, placed, total_ms)
    transcript = CALLS_DIR / f"{scenario.call_id}.{extension}"
    write_text(transcript, text)
    return Built(scenario, audio, transcript, tuple(placed), tuple(call_tags(scenario, placed)), total_ms)


def write_text(path: Path, text: str) -> None:
    """UTF-8 with LF line ends on every platform, so the committed bytes do not depend on the OS."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(text)


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A CSV file with LF line ends (git-friendly; every CSV reader accepts them)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def manifest_row(built: Built) -> list[str]:
    """One manifest line; paths are relative to the manifest's folder."""
    s = built.scenario
    return [
        s.call_id,
        s.agent,
        s.team,
        s.started_at,
        built.audio.relative_to(HERE).as_posix(),
        built.transcript.relative_to(HERE).as_posix(),
        s.layout,
        s.disconnect_reason,
    ]


def readme(calls: Sequence[Built]) -> str:
    """The demo folder's README, generated so its table always matches the calls."""
    rows = [
        f"| {b.scenario.call_id} | {b.scenario.agent} ({b.scenario.team}) | {b.scenario.language} "
        f"| {b.scenario.layout} | {b.transcript.suffix[1:]} | {b.total_ms / 1000:.1f} s "
        f"| {b.scenario.summary} | {b.scenario.expected} |"
        for b in calls
    ]
    return "\n".join(
        [
            "# Demo call library",
            "",
            "Ten short scripted calls that show each rule of the default policy (`shared/POLICY.md`),",
            "with the tags a supervisor would have made on them. Everything here is generated by",
            "`generate.py`; do not edit it by hand.",
            "",
            "- `calls/*.mp3`: two-channel 8 kHz recordings, one party per channel (`layout` in the",
            "  manifest; demo-05 has the agent on the right). The voices are espeak-ng (`-s 160`), so they",
            "  sound robotic; shouting is espeak with raised amplitude and pitch.",
            "- `calls/*.vtt|*.json|*.csv`: transcripts in three formats the app imports: WebVTT with voice",
            "  tags, AWS Transcribe Call Analytics JSON (with interruptions and non-talk time), and a",
            "  `start,end,speaker,text` CSV. The text is exactly what espeak said.",
            "- `manifest.csv`: one row per call (agent, team, start time, files, channel layout,",
            "  disconnect reason); paths are relative to this folder.",
            "- `tags.csv`: the reviewer's tags; times in ms match the audio, and point events have",
            "  `end_ms == start_ms`.",
            "",
            "| call | agent | lang | layout | transcript | length | scenario | expected verdict |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            "Regenerate from the project root (needs `espeak-ng` and `ffmpeg` on the PATH):",
            "",
            "    .venv/bin/python resources/demo/generate.py",
            "",
            "The output is byte-for-byte reproducible with the same espeak-ng and ffmpeg/LAME versions.",
            "",
        ]
    )


def write_library() -> list[Built]:
    """Build every call and the folder's index files; remove stale files from earlier runs."""
    CALLS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        calls = [build_call(s, Path(tmp)) for s in SCENARIOS]
    keep = {b.audio for b in calls} | {b.transcript for b in calls}
    for stale in sorted(set(CALLS_DIR.iterdir()) - keep):
        stale.unlink()
    write_csv(HERE / "manifest.csv", MANIFEST_HEADER, [manifest_row(b) for b in calls])
    tag_rows = [(t.call_id, t.kind, t.actor, t.start_ms, t.end_ms, t.note) for b in calls for t in b.tags]
    write_csv(HERE / "tags.csv", TAGS_HEADER, tag_rows)
    write_text(HERE / "README.md", readme(calls))
    return calls


# ------------------------------------------------------------------------------------------------------------
# Checks


PROBE_ENTRIES = "stream=channels,sample_rate:format=duration"


def probe(path: Path) -> tuple[int, int, float]:
    """Channels, sample rate and duration in seconds as ffprobe reports them."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", PROBE_ENTRIES, "-of", "json", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    info = json.loads(out)
    stream = info["streams"][0]
    return int(stream["channels"]), int(stream["sample_rate"]), float(info["format"]["duration"])


def decode(path: Path) -> Samples:
    """The MP3 decoded back to (samples, 2); ffmpeg honours the encoder-delay header, so times line up."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "2", "-ar", str(RATE), "-"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.int16).reshape(-1, 2)


def onset_errors(built: Built, decoded: Samples) -> list[str]:
    """Utterances whose speech in the decoded MP3 does not start and end where the transcript says."""
    agent_channel = 0 if built.scenario.layout == "agent-left" else 1
    errors = []
    pad = 3 * ONSET_TOLERANCE_MS * SAMPLES_PER_MS
    for p in built.placed:
        channel = decoded[:, agent_channel if p.who == AGENT else 1 - agent_channel].astype(np.int32)
        begin = max(p.start_ms * SAMPLES_PER_MS - pad, 0)
        window = channel[begin : p.end_ms * SAMPLES_PER_MS + pad]
        loud = np.flatnonzero(np.abs(window) > SILENCE_LEVEL)
        if loud.size == 0:
            errors.append(f"{built.scenario.call_id}: no speech at {p.start_ms} ms")
            continue
        start, end = (begin + int(loud[0])) // SAMPLES_PER_MS, (begin + int(loud[-1])) // SAMPLES_PER_MS
        # The low-bitrate encoder drops the quiet, high end of a final consonant, so an utterance may fall
        # silent a little early; it must never sound past its stated end.
        early_end = not -FADE_TOLERANCE_MS <= end - p.end_ms <= ONSET_TOLERANCE_MS
        if abs(start - p.start_ms) > ONSET_TOLERANCE_MS or early_end:
            errors.append(f"{built.scenario.call_id}: {p.start_ms}-{p.end_ms} ms sounds at {start}-{end} ms")
    return errors


def check_call(built: Built) -> list[str]:
    """Everything that must hold for one written call."""
    s = built.scenario
    missing = [path for path in (built.audio, built.transcript) if not path.is_file()]
    if missing:
        return [f"{s.call_id}: missing {path}" for path in missing]
    errors: list[str] = []
    channels, rate, seconds = probe(built.audio)
    last_ms = max(p.end_ms for p in built.placed)
    if (channels, rate) != (2, RATE):
        errors.append(f"{s.call_id}: {channels} channels at {rate} Hz")
    if seconds * 1000 < last_ms:
        errors.append(f"{s.call_id}: audio {seconds:.3f} s ends before the transcript ({last_ms} ms)")
    if not MIN_CALL_MS <= built.total_ms <= MAX_CALL_MS:
        errors.append(f"{s.call_id}: {built.total_ms} ms is outside {MIN_CALL_MS}-{MAX_CALL_MS} ms")
    errors += [
        f"{s.call_id}: tag {t.kind} {t.start_ms}-{t.end_ms} outside the call"
        for t in built.tags
        if not 0 <= t.start_ms <= t.end_ms <= built.total_ms
    ]
    return errors + onset_errors(built, decode(built.audio))


def check_manifest() -> list[str]:
    """Every file the manifest names exists, seen from the manifest's folder."""
    with (HERE / "manifest.csv").open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    return [
        f"manifest names missing {row[column]}"
        for row in rows
        for column in ("audio", "transcript")
        if not (HERE / row[column]).is_file()
    ]


def summary(calls: Sequence[Built]) -> str:
    """A table of what was written."""
    lines = [f"{'call':8} {'agent':14} {'team':11} {'date':10} lang {'layout':11} fmt  {'secs':>5}  tags"]
    for b in calls:
        s = b.scenario
        kinds = " ".join(t.kind for t in b.tags)
        lines.append(
            f"{s.call_id:8} {s.agent:14} {s.team:11} {s.started_at[:10]} {s.language:4} {s.layout:11} "
            f"{b.transcript.suffix[1:]:4} {b.total_ms / 1000:5.1f}  {kinds}"
        )
    size = sum(f.stat().st_size for f in HERE.rglob("*") if f.is_file())
    lines.append(f"demo folder: {size / 1e6:.2f} MB")
    return "\n".join(lines)


def main() -> int:
    """Generate the library, check it and print a summary; non-zero exit when a check fails."""
    calls = write_library()
    errors = [e for b in calls for e in check_call(b)] + check_manifest()
    print(summary(calls))
    for error in errors:
        print(f"ERROR {error}")
    print("checks: " + ("FAILED" if errors else "all passed"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

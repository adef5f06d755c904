"""One sentence per refused input: file, place, reason."""

from __future__ import annotations

from reviewer.domain.problems import Problem, ProblemKind

_REASONS: dict[ProblemKind, str] = {
    ProblemKind.UNREADABLE: "cannot read the file ({detail})",
    ProblemKind.EMPTY: "the file is empty",
    ProblemKind.NOT_AUDIO: "not an audio recording ffmpeg can decode ({detail})",
    ProblemKind.TRUNCATED_AUDIO: "the recording is cut off: {detail}",
    ProblemKind.DECODER_MISSING: "{detail}; install it with: sudo apt-get install ffmpeg",
    ProblemKind.NOT_TEXT: "not text in UTF-8, UTF-16 or a recognised legacy encoding ({detail}); if it is text, "
    "name its encoding",
    ProblemKind.INVALID_JSON: "invalid JSON ({detail})",
    ProblemKind.UNKNOWN_FORMAT: "not a transcript format this version reads ({detail})",
    ProblemKind.MISSING_FIELD: "a required field is missing ({detail})",
    ProblemKind.BAD_VALUE: "a value is not usable ({detail})",
    ProblemKind.END_BEFORE_START: "a cue ends before it starts ({detail})",
    ProblemKind.BEYOND_RECORDING: "the transcript runs past the end of the recording ({detail})",
    ProblemKind.BAD_MANIFEST: "{detail}",
    ProblemKind.CHANNEL_MISMATCH: "{detail}",
    ProblemKind.AMBIGUOUS_PAIRING: "{detail}",
    ProblemKind.BAD_POLICY: "not a usable policy: {detail}",
    ProblemKind.BAD_LEXICON: "not a usable lexicon, no suggestions made: {detail}",
    ProblemKind.DETECTOR_FAILED: "the detectors failed on this call: {detail}",
}


def reason(problem: Problem) -> str:
    """Why the input was refused, without the file name."""
    return _REASONS[problem.kind].format(detail=problem.detail or "no detail")


def describe(problem: Problem) -> str:
    """'path: where: reason', the one line a user reads about a refused input."""
    parts = [problem.path, problem.where, reason(problem)]
    return ": ".join(p for p in parts if p)

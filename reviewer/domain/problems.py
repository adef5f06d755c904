"""Why an input was refused, as data: the faces turn a Problem into a sentence for the user."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProblemKind(StrEnum):
    """The reasons an input file can be refused."""

    UNREADABLE = "unreadable"  # missing, a directory, no permission
    EMPTY = "empty"
    NOT_AUDIO = "not_audio"  # the decoder found no audio stream in it
    TRUNCATED_AUDIO = "truncated_audio"  # header promises more data than the file holds
    DECODER_MISSING = "decoder_missing"  # ffmpeg/ffprobe is not installed
    NOT_TEXT = "not_text"  # bytes that are not valid in the expected encoding
    INVALID_JSON = "invalid_json"
    UNKNOWN_FORMAT = "unknown_format"
    MISSING_FIELD = "missing_field"
    BAD_VALUE = "bad_value"
    END_BEFORE_START = "end_before_start"
    BEYOND_RECORDING = "beyond_recording"
    BAD_MANIFEST = "bad_manifest"
    CHANNEL_MISMATCH = "channel_mismatch"
    STORAGE = "storage"  # the database refused or failed; the call was not stored
    AMBIGUOUS_PAIRING = "ambiguous_pairing"  # a folder import cannot tell which transcript goes with a recording
    BAD_POLICY = "bad_policy"  # a policy file that is not valid TOML or breaks the policy format
    BAD_LEXICON = "bad_lexicon"  # a lexicon file the detectors cannot read (a centre's own, usually)
    DETECTOR_FAILED = "detector_failed"  # a detector broke on this call: the call is kept, without suggestions


@dataclass(frozen=True, slots=True)
class Problem:
    """One refused input: which file, where in it, what kind of problem, and the technical detail."""

    kind: ProblemKind
    path: str
    where: str = ""
    detail: str = ""


class InputError(Exception):
    """Raised by lower layers when an input cannot be used; carries a Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.path}: {problem.where}: {problem.kind}: {problem.detail}")
        self.problem = problem

    def __reduce__(self) -> tuple[type[InputError], tuple[Problem]]:
        # A worker process hands its errors back pickled; the default would rebuild from the message string.
        return (InputError, (self.problem,))

    @classmethod
    def of(cls, kind: ProblemKind, path: str, where: str = "", detail: str = "") -> InputError:
        """Shorthand for raising with a new Problem."""
        return cls(Problem(kind, path, where, detail))


class StorageError(Exception):
    """The database failed or refused a change; raised by persistence instead of driver exceptions."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class CallNotFoundError(LookupError):
    """No call with this id (or external id) is in the library."""

    def __init__(self, ref: str) -> None:
        super().__init__(ref)
        self.ref = ref

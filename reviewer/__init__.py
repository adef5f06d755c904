"""Call Reviewer: offline review of recorded contact-centre calls against an ordered conduct policy."""

__version__ = "0.1.0"

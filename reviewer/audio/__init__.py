"""Decoding, channel mapping and the peaks pyramid (pydub + ffmpeg + numpy). No Qt, no database."""

"""User-facing wording shared by the two faces (CLI and GUI): problems, times, counts."""

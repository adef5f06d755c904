"""The command-line face: argument parsing, progress bars, human and --json output."""

"""Plain-Python domain model: frozen dataclasses and enums, no third-party imports."""

"""The numbers behind charts and reports: pure functions returning dataclasses."""

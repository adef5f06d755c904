"""Use cases over the lower layers. Long ones are generators yielding Progress; no Qt, no SQL here."""

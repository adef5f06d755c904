"""Drive a service generator with a terminal progress bar (tqdm; quiet when stderr is not a terminal)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from reviewer.domain.progress import Progress


def drive(steps: Iterable[Progress], unit: str = "call") -> None:
    """Run the generator to its end, showing done/total and the current item."""
    with tqdm(unit=unit, disable=None, leave=False, dynamic_ncols=True) as bar:
        for step in steps:
            bar.total = step.total
            bar.n = step.done
            bar.set_postfix_str(Path(step.item).name if step.item else "", refresh=False)
            bar.refresh()

"""Drive a service generator with a terminal progress bar (tqdm; quiet when stderr is not a terminal)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from pathlib import Path

from tqdm import tqdm

from reviewer.domain.progress import Progress


def drive(steps: Iterable[Progress], unit: str = "call") -> None:
    """Run the generator to its end, showing done/total and the current item."""
    remaining = iter(steps)
    first = next(remaining, None)
    if first is None:
        return
    # The bar starts at the first step, which knows the total.
    with tqdm(total=first.total, unit=unit, disable=None, leave=False, dynamic_ncols=True) as bar:
        for step in chain([first], remaining):
            bar.n = step.done
            bar.set_postfix_str(Path(step.item).name if step.item else "", refresh=False)
            bar.refresh()

"""The app opens a real window on a real X server (Xvfb) and draws the library; we look at a screenshot."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from reviewer.persistence.database import sqlite_url

REQUIRE_X_VAR = "REVIEWER_REQUIRE_XVFB"


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    """A private Xvfb server; the test command installs Xvfb and requires this test to run."""
    if shutil.which("Xvfb") is None or shutil.which("import") is None:
        if os.environ.get(REQUIRE_X_VAR) == "1":
            pytest.fail("Xvfb and ImageMagick's import are required (the test command installs them)")
        pytest.skip("Xvfb or ImageMagick's import is not installed")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = f":{pipe.readline().strip()}"
    try:
        yield display
    finally:
        server.terminate()
        server.wait(10)


def _screenshot(display: str, target: Path) -> QImage:
    subprocess.run(["import", "-display", display, "-window", "root", str(target)], check=True, timeout=30)
    return QImage(str(target))


def _samples(image: QImage, step: int = 7) -> list[int]:
    return [image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)]


def _distinct_colours(image: QImage) -> int:
    return len(set(_samples(image)))


def _drawn_share(image: QImage) -> float:
    """Share of the screen that is not the bare black root window: the main window is 1000x600 of 1280x800."""
    samples = _samples(image)
    return sum(1 for pixel in samples if pixel & 0xFFFFFF) / len(samples)


@pytest.mark.slow
def test_app_window_on_xvfb(x_display: str, tmp_path: Path) -> None:
    env = os.environ | {"DISPLAY": x_display, "QT_QPA_PLATFORM": "xcb"}
    db = sqlite_url(tmp_path / "demo.sqlite3")
    subprocess.run([sys.executable, "-m", "reviewer", "--db", db, "demo"], env=env, check=True, capture_output=True)
    app = subprocess.Popen([sys.executable, "-m", "reviewer", "--db", db], env=env, stderr=subprocess.PIPE, text=True)
    try:
        shot = tmp_path / "window.png"
        deadline = time.monotonic() + 60
        image = _screenshot(x_display, shot)
        while _distinct_colours(image) < 8 and time.monotonic() < deadline and app.poll() is None:
            time.sleep(0.5)
            image = _screenshot(x_display, shot)
        assert app.poll() is None, f"the app exited: {app.stderr.read() if app.stderr else ''}"
        assert (image.width(), image.height()) == (1280, 800)
        assert _distinct_colours(image) >= 8, "the screen stayed blank"
        assert _drawn_share(image) > 0.5, "no main-window-sized area was drawn (only a dialog?)"
        keep = os.environ.get("REVIEWER_SCREENSHOT_DIR")
        if keep:
            shutil.copy(shot, Path(keep) / "main-window.png")
    finally:
        app.terminate()
        app.wait(15)
        if app.stderr:
            app.stderr.close()


@pytest.mark.slow
def test_screenshot_command_waits_for_the_call(x_display: str, tmp_path: Path) -> None:
    env = os.environ | {"DISPLAY": x_display, "QT_QPA_PLATFORM": "xcb"}
    db = sqlite_url(tmp_path / "demo.sqlite3")
    subprocess.run([sys.executable, "-m", "reviewer", "--db", db, "demo"], env=env, check=True, capture_output=True)
    shot = tmp_path / "review.png"
    command = ["gui", "--call", "demo-01", "--screenshot", str(shot), "--size", "1100x700"]
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "--db", db, *command],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1100, 700)
    assert _distinct_colours(image) >= 40, "too few colours for a drawn waveform, tags and transcript"
    keep = os.environ.get("REVIEWER_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, Path(keep) / "review-window.png")


def test_screenshot_of_a_missing_call_fails_clearly(tmp_path: Path) -> None:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    db = sqlite_url(tmp_path / "empty.sqlite3")
    command = ["gui", "--call", "nope", "--screenshot", str(tmp_path / "x.png")]
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "--db", db, *command],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1 and "no call 'nope'" in done.stderr
    assert not (tmp_path / "x.png").exists()


def test_no_display_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    db = sqlite_url(tmp_path / "lib.sqlite3")
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "--db", db],
        env=env, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 4
    assert "no display" in done.stderr and "xvfb-run" in done.stderr and "Traceback" not in done.stderr

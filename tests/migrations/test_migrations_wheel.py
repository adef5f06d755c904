"""An installed wheel, not only the source tree, carries db/ and resources/ and can migrate a database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
from reviewer.bundled import bundled_dir
from reviewer.persistence.database import Database, sqlite_url
from reviewer.persistence.migrations import migrate
from pathlib import Path
result = migrate(Database(sqlite_url(Path(sys.argv[1]))))
import reviewer
print(json.dumps({"package": reviewer.__file__, "db": str(bundled_dir("db")), "after": result.after,
                  "demo": (bundled_dir("resources") / "demo" / "manifest.csv").is_file(),
                  "policy": __import__("reviewer.services.policies", fromlist=["x"]).read_policy(
                      bundled_dir("resources") / "policies" / "default.toml").ref.name}))
"""


@pytest.mark.slow
def test_installed_wheel_migrates(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(dist)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    wheel = next(dist.glob("call_reviewer-*.whl"))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "zipfile", "-e", str(wheel), str(target)], check=True, capture_output=True)
    # Only the unpacked wheel on the path, ahead of the editable checkout; run from elsewhere.
    probe = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); exec({_PROBE!r})",
         str(tmp_path / "fresh.sqlite3")],
        cwd=tmp_path, check=True, capture_output=True, text=True,
    )  # fmt: skip
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found["package"].startswith(str(target))
    assert found["db"] == str(target / "reviewer" / "_db")
    assert found["after"] == ScriptDirectory(str(ROOT / "db")).get_current_head()
    assert found["demo"] is True
    assert found["policy"] == "Default conduct policy"  # the shipped policy loads from inside the wheel

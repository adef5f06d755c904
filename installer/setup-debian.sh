#!/usr/bin/env bash
# Set up Call Reviewer on Debian/Ubuntu from a checkout, then run it.
#
#   bash installer/setup-debian.sh app    # install what is missing, build the demo library, open the app
#   bash installer/setup-debian.sh test   # install what is missing, run every check and test (SQLite + PostgreSQL)
#
# System packages come from apt-get (as root, or through sudo); without either, the exact apt-get line is printed.
# Python packages come from uv.lock into .venv, so every machine gets the same versions.
set -euo pipefail

mode="${1:-}"
case "$mode" in
  app | test) ;;
  *) echo "usage: bash installer/setup-debian.sh app|test" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

UV_VERSION="0.13.9"
# Qt's offscreen and xcb platforms, QtMultimedia (libpulse0, libxrandr2), ffmpeg for decoding.
# "a|b": either package will do (Ubuntu 24.04 renamed some libraries with a t64 suffix).
APT_BASE=(python3 python3-venv ffmpeg libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3
  "libglib2.0-0t64|libglib2.0-0" libpulse0 libxrandr2 fonts-dejavu-core fonts-noto-cjk)
APT_WINDOW=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxcb-shm0 libxcb-sync1)
# The throwaway PostgreSQL server of the team-mode tests; Xvfb and ImageMagick for the real-window screenshot test.
APT_TEST=(postgresql xvfb xauth imagemagick)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

is_installed() {
  dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing_packages() {
  # Prints each wanted entry none of whose alternatives is installed.
  local entry alt found
  for entry in "$@"; do
    found=
    IFS='|' read -ra alts <<<"$entry"
    for alt in "${alts[@]}"; do is_installed "$alt" && found=1; done
    [ -n "$found" ] || printf '%s\n' "$entry"
  done
}

installable_name() {
  # The first alternative this distribution knows (the last one if apt knows none yet).
  local alt
  IFS='|' read -ra alts <<<"$1"
  for alt in "${alts[@]}"; do
    apt-cache show "$alt" >/dev/null 2>&1 && { printf '%s\n' "$alt"; return; }
  done
  printf '%s\n' "${alts[-1]}"
}

find_python() {
  # The newest system python3 (>= 3.11) that can create virtual environments.
  local candidate
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null &&
      "$candidate" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

install_system_packages() {
  local -a want missing
  want=("${APT_BASE[@]}" "${APT_WINDOW[@]}")
  [ "$mode" = test ] && want+=("${APT_TEST[@]}")
  # Ubuntu 22.04's python3 is 3.10; its python3.11 package is new enough.
  find_python >/dev/null || want+=(python3.11 python3.11-venv)
  mapfile -t missing < <(missing_packages "${want[@]}")
  [ "${#missing[@]}" -eq 0 ] && return 0
  local i
  for i in "${!missing[@]}"; do missing[i]="$(installable_name "${missing[i]}")"; done
  say "installing system packages: ${missing[*]}"
  local -a sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo=(sudo)
    elif command -v sudo >/dev/null && [ -t 0 ]; then
      sudo=(sudo)  # will ask for the password on this terminal
    else
      echo "These system packages are missing. Run this line as root, then run this script again:" >&2
      echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

python_for_venv() {
  find_python && return 0
  echo "Python 3.11 or newer with venv is required (apt-get install python3.11 python3.11-venv)" >&2
  exit 1
}

ensure_uv() {
  # uv installs exactly what uv.lock says; it is itself pinned and kept outside the project.
  local tools="${XDG_CACHE_HOME:-$HOME/.cache}/call-reviewer/uv-$UV_VERSION"
  if [ ! -x "$tools/bin/uv" ]; then
    say "installing uv $UV_VERSION into $tools"
    "$PYTHON" -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
  fi
  UV="$tools/bin/uv"
}

sync_venv() {
  say "creating .venv from uv.lock"
  # uv reads neither pip's configuration nor the system trust store unless told; never download interpreters.
  export UV_SYSTEM_CERTS=1 UV_PYTHON_DOWNLOADS=never
  local groups=()
  [ "$mode" = app ] && groups=(--no-dev)  # the app needs none of the test and lint tools
  "$UV" sync --locked --python "$PYTHON" --quiet "${groups[@]}"
}

start_postgres() {
  # A throwaway server on 127.0.0.1 in a temporary directory, stopped (and deleted) when this script exits.
  local bindir port owner=()
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -x "$bindir/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  PG_DIR="$(mktemp -d /tmp/reviewer-pg.XXXXXX)"
  if [ "$(id -u)" -eq 0 ]; then
    # initdb refuses to run as root.
    chown postgres:postgres "$PG_DIR"
    owner=(runuser -u postgres --)
  fi
  port="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "${owner[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U reviewer --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  "${owner[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c full_page_writes=off" start >/dev/null
  PG_STOP=("${owner[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop)
  export REVIEWER_TEST_PG_URL="postgresql+psycopg://reviewer@127.0.0.1:$port/postgres"
  export REVIEWER_REQUIRE_PG=1
  say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ]; then
    [ -n "${PG_STOP+set}" ] && { "${PG_STOP[@]}" >/dev/null 2>&1 || true; }
    rm -rf "$PG_DIR"
  fi
}

run_tests() {
  local status=0
  say "ruff check";   .venv/bin/ruff check . || status=1
  say "ruff format";  .venv/bin/ruff format --check . || status=1
  say "mypy";         .venv/bin/mypy || status=1
  say "lint-imports"; .venv/bin/lint-imports || status=1
  trap stop_postgres EXIT
  start_postgres
  local corpus="${REVIEWER_CORPUS:-$root/../shared/corpus}"
  [ -d "$corpus" ] && export REVIEWER_CORPUS="$corpus"
  # Everything the tests need was installed above: missing PostgreSQL or Xvfb fails a test instead of skipping it.
  export REVIEWER_REQUIRE_XVFB=1
  say "pytest (SQLite and PostgreSQL)"
  .venv/bin/python -m pytest || status=1
  return "$status"
}

install_system_packages
PYTHON="$(python_for_venv)"
ensure_uv
sync_venv

if [ "$mode" = test ]; then
  run_tests
else
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No display to open a window on. Run this from a desktop session (on a headless machine:" >&2
    echo "  xvfb-run -s '-screen 0 1280x800x24' bash installer/setup-debian.sh app)" >&2
    exit 1
  fi
  say "building the demo library and opening the app"
  exec .venv/bin/reviewer demo --open
fi

# Sourced by ./run and ./test: a project-local virtualenv, reinstalled when pyproject changes.
ensure_venv() {
  local extras="$1"
  local python="${PYTHON:-}"
  if [ -z "$python" ]; then
    for candidate in python3.11 python3.12 python3.13 python3; do
      if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        python="$candidate"
        break
      fi
    done
  fi
  if [ -z "$python" ]; then
    echo "Knalle behöver Python 3.11 eller senare (t.ex. apt-get install python3.11)." >&2
    return 1
  fi
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
  fi
  local stamp=".venv/.installed${extras}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "Installerar Knalle${extras:+ med $extras} i .venv (första gången tar det en stund) …" >&2
    # The installers' own chatter goes to a log, shown only when something fails.
    if ! {
      .venv/bin/python -m pip install --upgrade pip &&
        .venv/bin/python -m pip install -e ".${extras}"
    } >.venv/install.log 2>&1; then
      cat .venv/install.log >&2
      echo "Installationen misslyckades (loggen ovan, även i .venv/install.log)." >&2
      return 1
    fi
    touch "$stamp"
  fi
}

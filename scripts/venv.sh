# Sourced by scripts/demo and scripts/test: the project's virtual environment in .venv, on a
# stock Debian python3 too (PEP 668 forbids installing into the system's Python there).
# Usage: ensure_venv [debian packages also needed...]; then "$py" is the venv's python.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_venv() {
  local missing=("$@")
  # Debian's python3 makes virtual environments only with python3-venv installed.
  python3 -c 'import ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
  if [ ${#missing[@]} -gt 0 ]; then
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  [ -x .venv/bin/python ] || python3 -m venv .venv
  py=.venv/bin/python
}

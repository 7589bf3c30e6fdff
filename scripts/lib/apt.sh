# shellcheck shell=bash
# apt_install PKG...: installs Debian packages (as root, or with sudo), quietly,
# with a clear error when that is impossible. Sourced by scripts/test.

apt_install() {
  local priv=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || {
      printf 'error: need %s; install it as root: apt-get install -y %s\n' "$*" "$*" >&2
      exit 1
    }
    priv=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || {
    printf 'error: need %s but apt-get is not available\n' "$*" >&2
    exit 1
  }
  printf '==> apt-get install %s\n' "$*"
  local log
  log="$(mktemp "${TMPDIR:-/tmp}/apt-install.XXXXXX.log")"
  if ! { "${priv[@]}" apt-get update -q &&
    "${priv[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    printf 'error: apt-get install %s failed (full output: %s)\n' "$*" "$log" >&2
    exit 1
  fi
  rm -f "$log"
}

# shellcheck shell=bash
# The default cargo target dir of a checkout (sourced by scripts/run, test, bench, fuzz-api).
#
# Outside the checkout, so a fresh clone of the same path reuses the build; one per
# checkout path, because binaries keep the CARGO_MANIFEST_DIR they were built in (tests
# read it) and cargo does not rebuild them when only the checkout's path changed: a target
# dir shared by two checkouts would run one checkout's tests against the other's files.

# Prints the default target dir for the checkout at ROOT.
default_cargo_target_dir() {
  printf '/var/tmp/changeready-target-%s' "$(printf '%s' "$1" | sha256sum | cut -c1-8)"
}

# Exports CARGO_TARGET_DIR (when not set already) for the checkout at ROOT; says which.
use_cargo_target_dir() {
  if [[ -n ${CARGO_TARGET_DIR:-} ]]; then
    printf '==> cargo target dir %s (from CARGO_TARGET_DIR)\n' "$CARGO_TARGET_DIR"
  else
    CARGO_TARGET_DIR="$(default_cargo_target_dir "$1")"
    export CARGO_TARGET_DIR
    printf '==> cargo target dir %s (default for this checkout; set CARGO_TARGET_DIR to change)\n' "$CARGO_TARGET_DIR"
  fi
}

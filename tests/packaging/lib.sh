# SPDX-License-Identifier: MIT
# Sourced by the packaging tests (tests/packaging/*.sh) from the repository's root.
# Gives: $repo, $version (include/cgym.h's), fail MESSAGE, clean_environment, hidden COMMAND...

repo=$PWD
version=$(sed -n 's/^#define CGYM_VERSION_\(MAJOR\|MINOR\|PATCH\) \+\([0-9]\+\)$/\2/p' \
  include/cgym.h | paste -sd.)

fail() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# Nothing that points at a build: only what an installation provides.
clean_environment() {
  local variable
  for variable in $(env | grep -o '^CGYM_[A-Z_]*' || true); do unset "$variable"; done
  unset LD_LIBRARY_PATH
}

# Runs a command with the source tree (and so the build trees under it) hidden behind an empty
# directory, in a mount namespace of its own: an installed file that still points into the
# sources or a build fails here, as it would on another machine. Without the privilege to make
# one (not root), the command runs with the tree visible, and says so.
hidden() {
  local empty
  empty=$(mktemp -d /tmp/cgym-empty.XXXXXX)
  if unshare -m true 2>/dev/null; then
    unshare -m bash -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' _ "$empty" "$repo" "$@"
  else
    echo "$(basename "$0"): no mount namespace here: the source tree stays visible" >&2
    "$@"
  fi
  local status=$?
  rmdir "$empty"
  return $status
}

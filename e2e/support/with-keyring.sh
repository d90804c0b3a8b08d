#!/usr/bin/env bash
# Runs a command against a real, private OS keychain: a new D-Bus session
# bus with a throw-away GNOME Keyring, unlocked, whose files live in a
# temporary folder removed afterwards. Sets DOOVER_TEST_KEYRING=1 so the
# keychain tests that need a Secret Service run (and must pass) instead of
# being skipped. Nothing stays running: the keyring daemon exits with its bus.
#
#   e2e/support/with-keyring.sh npx vitest run electron/core/keychain
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null; then
    echo "$0: $tool is missing (apt-get install dbus dbus-x11 gnome-keyring)" >&2
    exit 2
  fi
done

keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT

export XDG_DATA_HOME="$keyring_home/data"
export DOOVER_TEST_KEYRING=1
mkdir -p "$XDG_DATA_HOME"

# The password only unlocks this throw-away keyring.
dbus-run-session -- sh -c '
  printf %s throw-away | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"
' with-keyring "$@"

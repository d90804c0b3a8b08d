#!/usr/bin/env bash
# Runs a command against a real, private OS keychain: a new D-Bus session
# bus with a throw-away GNOME Keyring, unlocked, whose files live in a
# temporary folder removed afterwards. Sets DOOVER_TEST_KEYRING=1 so the
# keychain tests that need a Secret Service run (and must pass) instead of
# being skipped. The keyring daemon is stopped when the command ends, and
# the command's exit status is returned.
#
#   e2e/support/with-keyring.sh npx vitest run electron/core/keychain
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
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

# Inside the session: start the daemon in the foreground (so its id is known
# and it can be stopped), unlocked with a password that only opens this
# keyring, wait until it owns the Secret Service name, then run the command.
dbus-run-session -- sh -c '
  printf %s throw-away |
    gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
  daemon=$!
  trap "kill $daemon 2>/dev/null || true" EXIT

  has_owner() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
      grep -q "boolean true"
  }
  tries=0
  until has_owner; do
    tries=$((tries + 1))
    if [ "$tries" -gt 200 ] || ! kill -0 "$daemon" 2>/dev/null; then
      echo "with-keyring: the keyring daemon did not start" >&2
      exit 2
    fi
    sleep 0.05
  done

  status=0
  "$@" || status=$?
  exit "$status"
' with-keyring "$@"

"""An independent reading of ~/.doover/config, written from the compatibility
notes with Python's own str.splitlines(), str.strip(), float() and datetime, so
the app's TypeScript reading can be compared with real Python behaviour.

Reads a JSON list of file texts on stdin; prints a JSON list of outcomes."""

import json
import re
import sys
from datetime import datetime, timezone

HEADER = re.compile(r"^\[profile=(.+)]$")
SEPARATOR = re.compile(r"(?:\r?\n){2,}")
KEYS = ["TOKEN", "TOKEN_EXPIRES", "AGENT_ID", "BASE_URL", "REFRESH_TOKEN",
        "REFRESH_TOKEN_ID", "BASE_DATA_URL", "AUTH_SERVER_URL", "AUTH_SERVER_CLIENT_ID"]


def universal_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_block(block):
    lines = block.splitlines()
    match = HEADER.match(lines[0].strip()) if lines else None
    if not match:
        return None
    values = {}
    for line in lines[1:]:
        if "=" not in line:
            return None
        key, value = line.split("=", 1)
        values[key] = value
    legacy = "USERNAME" in values or "PASSWORD" in values
    if legacy and values.get("IS_DOOVER2") != "True":
        return None
    return match.group(1), values


def expiry(text):
    if not text:
        return None
    return datetime.fromtimestamp(float(text), tz=timezone.utc).timestamp()


def outcome(text):
    profiles, raw = {}, []
    try:
        for block in SEPARATOR.split(universal_newlines(text)):
            if not block.strip():
                continue
            read = read_block(block)
            if read is None:
                raw.append(block)
                continue
            name, values = read
            fields = {key: (values.get(key) or None) for key in KEYS}
            fields["TOKEN_EXPIRES"] = expiry(values.get("TOKEN_EXPIRES"))
            profiles[name] = fields
    except Exception as error:  # pydoover raises; report that it did
        return {"ok": False, "error": type(error).__name__}
    listed = [{"name": name, **fields} for name, fields in profiles.items()]
    return {"ok": True, "profiles": listed, "rawBlocks": raw}


print(json.dumps([outcome(text) for text in json.load(sys.stdin)]))

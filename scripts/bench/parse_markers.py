#!/usr/bin/env python3
"""Reference marker parser in plain Python: one line at a time with the `re` module.

It makes the same checks as the C++ MarkerStream (docs/schema.md): marker start detection
(start of line, after whitespace or ']', escape sequences skipped), grammar, field count and
types from the schema JSON, the " #seq*crc" suffix with CRC-32C, and the sequence accounting
(lost, corrupt, reboots). It exists to measure the C++ parser against, and to cross-check its
counts on the same file. Python's standard library has no CRC-32C, so a table-driven one is
used; --no-crc skips the CRC check to show the cost of everything else.

Usage: parse_markers.py [--no-crc] SCHEMA.json CONSOLE.log   (prints the counts as JSON)
"""
import argparse
import json
import re
import sys


def crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


TABLE = crc32c_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = (crc >> 8) ^ TABLE[(crc ^ b) & 0xFF]
    return crc ^ 0xFFFFFFFF


U32_MAX, U64_MAX, I64_MIN, I64_MAX = 2**32 - 1, 2**64 - 1, -(2**63), 2**63 - 1
DIGITS = re.compile(rb"[0-9]+")
SIGNED = re.compile(rb"-?[0-9]+")
FLOAT = re.compile(rb"-?[0-9]+(?:\.[0-9]+)?")
ID = re.compile(rb"[A-Za-z0-9_.-]{1,64}")
FIELD = re.compile(rb"[!-\"$-9;-~]*")  # printable ASCII except space '#' ':'
SUFFIX = re.compile(rb"([0-9]{1,20})(?:\*([0-9A-Fa-f]{8}))?")
NAME_CHARS = re.compile(rb"[A-Z0-9_]*")
ESCAPE = re.compile(rb"\x1b(?:\[[\x00-\x3f]*[\x40-\x7e]?|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.?)",
                    re.S)


def check_value(kind, values, text):
    if kind == "word":
        return True
    if kind in ("u32", "u64"):
        return DIGITS.fullmatch(text) is not None and int(text) <= (
            U32_MAX if kind == "u32" else U64_MAX)
    if kind == "i64":
        return SIGNED.fullmatch(text) is not None and I64_MIN <= int(text) <= I64_MAX
    if kind == "f64":
        return FLOAT.fullmatch(text) is not None and float(text) != float("inf") and \
            float(text) != float("-inf")
    if kind == "enum":
        return text in values
    if kind == "id":
        return ID.fullmatch(text) is not None
    raise ValueError(kind)


class Parser:
    def __init__(self, schema, check_crc):
        self.prefix = schema["prefix"].encode()
        self.key = self.prefix + b"_"
        self.start = re.compile(re.escape(self.key) + rb"[A-Z]")
        self.allow_unknown = schema.get("allow_unknown", False)
        self.specs = {}
        for m in schema["markers"]:
            fields = [(f["type"], {v.encode() for v in f.get("values", [])})
                      for f in m.get("fields", [])]
            rest = m.get("rest")
            rest = (rest["type"], {v.encode() for v in rest.get("values", [])}) if rest else None
            self.specs[m["marker"].encode()] = (fields, rest)
        self.check_crc = check_crc
        self.counts = dict(bytes=0, lines=0, markers=0, lost=0, corrupt=0, malformed=0,
                           noise=0, boots=0)
        self.expected = None
        self.untrusted = 0

    def is_start(self, line, pos):
        if pos == 0:
            return True
        plain = line[pos - 1:pos] in (b" ", b"\t", b"\r", b"\v", b"\f", b"]")
        if b"\x1b" not in line[:pos]:
            return plain
        start, i = True, 0
        while i < pos:
            if line[i] == 0x1B:
                i = ESCAPE.match(line, i).end()
                if i > pos:
                    return False
                start = True
            else:
                start = line[i:i + 1] in (b" ", b"\t", b"\r", b"\v", b"\f", b"]")
                i += 1
        return start

    def find(self, line):
        for m in self.start.finditer(line):
            if self.is_start(line, m.start()):
                return m.start()
        # finditer skips overlapping matches; those follow a prefix byte, never a start.
        return -1

    def classify(self, marker):
        """Returns (kind, seq, trusted, boot)."""
        seq, has_crc, body = None, False, marker
        hash_at = marker.rfind(b" #")
        if hash_at >= 0:
            m = SUFFIX.fullmatch(marker, hash_at + 2)
            if m is None or int(m.group(1)) > U64_MAX:
                return "malformed", None, False, False
            seq, body = int(m.group(1)), marker[:hash_at]
            if m.group(2) is not None:
                has_crc = True
                if self.check_crc and crc32c(body) != int(m.group(2), 16):
                    return "corrupt", None, False, False
        parts = body[len(self.key):].split(b":")
        category = parts[0]
        if NAME_CHARS.fullmatch(category) is None or len(parts) < 2:
            return "malformed", seq, seq is not None, False
        event = parts[1]
        if not event[:1].isupper() or NAME_CHARS.fullmatch(event) is None:
            return "malformed", seq, seq is not None, False
        boot = category == b"BOOT" and event == b"START"
        spec = self.specs.get(category + b":" + event)
        if spec is None and not self.allow_unknown:
            return "malformed", seq, seq is not None, boot
        fields = parts[2:]
        for f in fields:
            if FIELD.fullmatch(f) is None:
                return "malformed", seq, seq is not None, boot
        if spec is not None:
            fixed, rest = spec
            if len(fields) < len(fixed) or (len(fields) > len(fixed) and rest is None):
                return "malformed", seq, seq is not None, boot
            for i, text in enumerate(fields):
                kind, values = fixed[i] if i < len(fixed) else rest
                if not check_value(kind, values, text):
                    return "malformed", seq, seq is not None, boot
        return "marker", seq, seq is not None, boot

    def account(self, kind, seq, trusted, boot):
        if boot:
            self.counts["boots"] += 1
            self.expected = seq + 1 if trusted else None
            self.untrusted = 0
            return True
        if not trusted:
            if kind != "marker":
                self.untrusted += 1
            return True
        expected, self.expected = self.expected, seq + 1
        explained, self.untrusted = self.untrusted, 0
        if expected is None or seq == expected:
            return True
        if seq < expected:
            return False
        self.counts["lost"] += max(0, seq - expected - explained)
        return True

    def line(self, line, at_eof):
        c = self.counts
        c["lines"] += 1
        if line.endswith(b"\r"):
            line = line[:-1]
        if len(line) > 65536:  # cut and counted as noise, as MarkerStream does
            c["noise"] += 1
            return
        start = self.find(line)
        if start < 0:
            c["noise"] += 1
            return
        kind, seq, trusted, boot = self.classify(line[start:])
        in_order = self.account(kind, seq, trusted, boot)
        if kind == "marker" and (not in_order or at_eof):
            kind = "malformed"
        c["markers" if kind == "marker" else kind] += 1

    def run(self, path):
        with open(path, "rb") as f:
            for raw in f:
                self.counts["bytes"] += len(raw)
                if raw.endswith(b"\n"):
                    self.line(raw[:-1], False)
                else:
                    self.line(raw, True)
        return self.counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-crc", action="store_true", help="skip the CRC-32C check")
    ap.add_argument("schema")
    ap.add_argument("log")
    args = ap.parse_args()
    with open(args.schema) as f:
        schema = json.load(f)
    counts = Parser(schema, not args.no_crc).run(args.log)
    json.dump(counts, sys.stdout, sort_keys=True)
    print()


if __name__ == "__main__":
    main()

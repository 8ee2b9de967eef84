#!/usr/bin/env python3
"""Checks that every updateservicectl/updatectl command line of the seed
documents is in the seed-commands test's list.

usage: check-seed-commands.py [SEEDS_DIR] [LIST_FILE]
  SEEDS_DIR  folder of seed files (*.txt, *.md); default ../shared/seeds
  LIST_FILE  the test's list; default test/e2e/seed-commands.ts

A command line is a line that, after leading blanks and an optional shell
prompt (`$`, `$ `), starts with the word `updateservicectl` or `updatectl`.
A line ending with a backslash continues on the next line, as in a shell.
Commands are compared with runs of whitespace collapsed to one space and the
continuation backslashes removed. The list names each one in a `text: '...'`
field (also the lines that only look like commands, marked there as prose).
Exits 0 when none is missing, 1 (listing them) otherwise, 2 on bad usage.
"""
import os
import re
import sys

COMMAND = re.compile(r"^(?:updateservicectl|updatectl)(?:\s|$)")
PROMPT = re.compile(r"^\$\s*")
TEXT_FIELD = re.compile(r"\btext:\s*'((?:[^'\\\n]|\\.)*)'")


def normalise(command):
    return " ".join(command.split())


def extract(path):
    """(line number, normalised command) for each command line of a seed file."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    found = []
    i = 0
    while i < len(lines):
        start = i
        head = PROMPT.sub("", lines[i].strip(), count=1)
        i += 1
        if not COMMAND.match(head):
            continue
        parts = [head]
        while parts[-1].rstrip().endswith("\\") and i < len(lines):
            parts[-1] = parts[-1].rstrip()[:-1]
            parts.append(lines[i])
            i += 1
        if parts[-1].rstrip().endswith("\\"):
            parts[-1] = parts[-1].rstrip()[:-1]
        found.append((start + 1, normalise(" ".join(parts))))
    return found


def listed(path):
    """The normalised `text:` strings of the test's list."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    texts = set()
    for m in TEXT_FIELD.finditer(source):
        texts.add(normalise(re.sub(r"\\(.)", r"\1", m.group(1))))
    return texts


def main(argv):
    if len(argv) > 3 or any(a in ("-h", "--help") for a in argv[1:]):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    seeds = argv[1] if len(argv) > 1 else "../shared/seeds"
    list_file = argv[2] if len(argv) > 2 else "test/e2e/seed-commands.ts"
    if not os.path.isdir(seeds):
        print(f"check-seed-commands: {seeds}: not a directory", file=sys.stderr)
        return 2
    texts = listed(list_file)
    files = sorted(n for n in os.listdir(seeds) if n.endswith((".txt", ".md")))
    total = 0
    missing = []
    for name in files:
        for line, command in extract(os.path.join(seeds, name)):
            total += 1
            if command not in texts:
                missing.append(f"{name}:{line}: {command}")
    if missing:
        print(f"check-seed-commands: {len(missing)} of {total} seed command lines are not in {list_file}:", file=sys.stderr)
        for m in missing:
            print(f"  {m}", file=sys.stderr)
        return 1
    print(f"check-seed-commands: all {total} command lines of {len(files)} seed files are in {list_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

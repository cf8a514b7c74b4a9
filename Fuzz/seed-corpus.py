#!/usr/bin/env python3
"""Makes the fuzzer's seed corpus: every spec of the corpus folder (the
multi-file Unkey spec's files included) and the handwritten seeds, with specs
larger than the piece size cut into smaller specs that keep their structure.

    seed-corpus.py SPECS_DIR HANDWRITTEN_DIR OUT_DIR [PIECE_BYTES]

A large spec is cut along its own tree: the small top-level sections
(`openapi`, `info`, `servers`, ...) go into every piece, and each large
section (`paths`, `components` > `schemas`, ...) is dealt out entry by entry,
its entries packed into pieces of about PIECE_BYTES. Each piece is still a
spec of the same shape (with some `$ref`s left dangling), so the fuzzer starts
from inputs that reach every part of the front end while staying small enough
to run hundreds of times a second. JSON is cut with the json module, YAML by
indentation (block style; flow collections stay inside their entry).
Standard library only.
"""
import hashlib
import json
import os
import sys


def pieces_of_json(text, budget):
    document = json.loads(text)
    if not isinstance(document, dict):
        return [text]
    base = {key: value for key, value in document.items() if len(json.dumps(value)) < budget // 4}
    pieces = []

    def deal(path, mapping):
        group, size = {}, 0
        for key, value in mapping.items():
            length = len(json.dumps(value, indent=2))
            if length > budget and isinstance(value, dict) and len(path) < 3:
                deal(path + [key], value)
                continue
            if group and size + length > budget:
                emit(path, group)
                group, size = {}, 0
            group[key] = value
            size += length
        if group:
            emit(path, group)

    def emit(path, group):
        piece = dict(base)
        node = piece
        for key in path[:-1]:
            node[key] = dict(node.get(key, {})) if isinstance(node.get(key), dict) else {}
            node = node[key]
        node[path[-1]] = group
        pieces.append(json.dumps(piece, indent=2) + "\n")

    for key, value in document.items():
        if key not in base and isinstance(value, dict):
            deal([key], value)
    return pieces or [text]


def indentation(line):
    return len(line) - len(line.lstrip(" "))


def is_content(line):
    stripped = line.strip()
    return stripped != "" and not stripped.startswith("#")


def children(lines):
    """Splits a section's body into its entries (by the first entry's indentation)."""
    first = next((line for line in lines if is_content(line)), None)
    if first is None:
        return []
    indent = indentation(first)
    sequence = first.lstrip(" ").startswith("- ")
    return split_before(lines, lambda line: is_content(line) and indentation(line) == indent
                        and line.lstrip(" ").startswith("- ") == sequence)


def split_before(lines, starts):
    """Groups lines, starting a new group at each line where `starts` holds."""
    groups, current = [], []
    for line in lines:
        if starts(line) and current:
            groups.append(current)
            current = []
        current.append(line)
    if current:
        groups.append(current)
    return groups


def pieces_of_yaml(text, budget):
    lines = text.splitlines(keepends=True)
    sections = split_before(lines, lambda line: line[:1] not in (" ", "-", "#", "\n", "\r", "\t")
                            and line.strip() not in ("---", "..."))
    size = lambda chunk: sum(len(line) for line in chunk)
    base = [line for section in sections if size(section) < budget // 4 for line in section]
    pieces = []

    def deal(prefix, header, body, depth):
        group = []
        for entry in children(body):
            if size(entry) > budget and depth < 3 and len(entry) > 1:
                deal(prefix + [header], entry[0], entry[1:], depth + 1)
                continue
            if group and size(group) + size(entry) > budget:
                pieces.append("".join(base + prefix + [header] + group))
                group = []
            group += entry
        if group:
            pieces.append("".join(base + prefix + [header] + group))

    for section in sections:
        if size(section) >= budget // 4 and len(section) > 1:
            deal([], section[0], section[1:], 1)
    return pieces or [text]


def main():
    specs, handwritten, out = sys.argv[1:4]
    budget = int(sys.argv[4]) if len(sys.argv) > 4 else 16384
    os.makedirs(out, exist_ok=True)
    written = 0

    def write(data):
        nonlocal written
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(out, name), "wb") as file:
            file.write(data)
        written += 1

    for folder in (specs, handwritten):
        for directory, _, files in sorted(os.walk(folder)):
            for name in sorted(files):
                if not name.endswith((".yaml", ".yml", ".json")):
                    continue
                with open(os.path.join(directory, name), "rb") as file:
                    data = file.read()
                if len(data) <= budget:
                    write(data)
                    continue
                text = data.decode("utf-8")
                pieces = pieces_of_json(text, budget) if text.lstrip().startswith("{") else pieces_of_yaml(text, budget)
                for piece in pieces:
                    write(piece.encode("utf-8"))
    print(f"seeds: {written} files in {out}")


if __name__ == "__main__":
    main()

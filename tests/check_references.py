#!/usr/bin/env python3
"""Every reference the repository makes points at something in it, or public: each
`docs/<file>.md §N` (and `§N, trap M`) names a document of docs/ and a section (trap) it has, and
nothing cites the team's notes outside the repository (`spec §`, `../shared`, `DESIGN.md`).
Usage: check_references.py REPOSITORY_ROOT"""
import pathlib
import re
import subprocess
import sys

root = pathlib.Path(sys.argv[1])
files = subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True, text=True,
                       check=True).stdout.split()
skip = ("fuzz/corpus/", "single_include/")  # inputs, and a copy of include/
outside = re.compile(r"spec §|\.\./shared|DESIGN\.md|reviews/code-review")
cite = re.compile(r"docs/([\w-]+\.md) ((?:§[\d.]*\d(?:[–-]§?[\d.]*\d)?(?:, (?=§))?)+)(?:,? trap (\d+))?")
sections, problems, count = {}, [], 0


def headings(doc):
    if doc not in sections:
        path = root / "docs" / doc
        text = path.read_text() if path.exists() else None
        sections[doc] = None if text is None else (
            set(re.findall(r"^#+ (\d+(?:\.\d+)*)[. ]", text, re.M)),
            set(re.findall(r"^(\d+)\. ", text.split("## 11.")[-1], re.M)))
    return sections[doc]


for name in files:
    if name.startswith(skip) or name == "tests/check_references.py":
        continue
    try:
        text = (root / name).read_text()
    except (UnicodeDecodeError, FileNotFoundError):
        continue
    for n, line in enumerate(text.split("\n"), 1):
        if outside.search(line):
            problems.append(f"{name}:{n}: cites notes outside the repository: {line.strip()}")
        for doc, numbers, trap in cite.findall(line):
            count += 1
            found = headings(doc)
            if found is None:
                problems.append(f"{name}:{n}: no docs/{doc}")
                continue
            for number in re.findall(r"\d+(?:\.\d+)*", numbers):
                if number not in found[0]:
                    problems.append(f"{name}:{n}: docs/{doc} has no section {number}")
            if trap and trap not in found[1]:
                problems.append(f"{name}:{n}: docs/{doc} §11 has no trap {trap}")
for p in problems:
    print(p)
if problems:
    sys.exit(f"{len(problems)} references point nowhere")
print(f"{count} references to docs/, all found")

#!/usr/bin/env python3
"""Misuse that must not compile. Each file of tests/compile_fail/ compiles as it is (the control),
and fails to compile with -DIOTJOBS_MISUSE, which swaps the correct use for the misuse: so it
fails for that reason alone. Its `// expect: REGEX` line says what the compiler must say about it
(the deleted overload, the static_assert's text), so that it fails for the reason meant. Only the
front end runs (-fsyntax-only).
Usage: check.py FILE COMPILER [ARGUMENT]..."""
import re
import subprocess
import sys

source, command = sys.argv[1], sys.argv[2:] + ["-fsyntax-only"]
control = subprocess.run(command + [source], capture_output=True, text=True)
if control.returncode != 0:
    sys.exit(f"the correct use does not compile:\n{control.stderr}")
misuse = subprocess.run(command + ["-DIOTJOBS_MISUSE", source], capture_output=True, text=True)
if misuse.returncode == 0:
    sys.exit("the misuse compiles")
expect = re.search(r"^// expect: (.+)$", open(source).read(), re.M)
if not expect:
    sys.exit(f"{source} has no `// expect:` line")
if not re.search(expect.group(1), misuse.stderr):
    sys.exit(f"the misuse fails, but not with /{expect.group(1)}/:\n{misuse.stderr[:2000]}")
print("the misuse does not compile:\n" + misuse.stderr[:2000])

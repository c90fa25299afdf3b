#!/usr/bin/env python3
"""Misuse that must not compile. Each file of tests/compile_fail/ compiles as it is (the control),
and fails to compile with -DIOTJOBS_MISUSE, which swaps the correct use for the misuse: so it
fails for that reason alone. Only the front end runs (-fsyntax-only).
Usage: check.py FILE COMPILER [ARGUMENT]..."""
import subprocess
import sys

source, command = sys.argv[1], sys.argv[2:] + ["-fsyntax-only"]
control = subprocess.run(command + [source], capture_output=True, text=True)
if control.returncode != 0:
    sys.exit(f"the correct use does not compile:\n{control.stderr}")
misuse = subprocess.run(command + ["-DIOTJOBS_MISUSE", source], capture_output=True, text=True)
if misuse.returncode == 0:
    sys.exit("the misuse compiles")
print("the misuse does not compile:\n" + misuse.stderr[:2000])

#!/usr/bin/env python3
"""The version macros of include/iotjobs/version.hpp against the project's version (the file
VERSION, which Meson and CMake read). Usage: check_version.py VERSION_HPP PROJECT_VERSION"""
import re
import sys

text = open(sys.argv[1]).read()
parts = [re.search(r"#define IOTJOBS_VERSION_%s (\d+)" % p, text) for p in ("MAJOR", "MINOR", "PATCH")]
if not all(parts):
    sys.exit("version.hpp lacks IOTJOBS_VERSION_MAJOR, _MINOR or _PATCH")
macros = ".".join(m.group(1) for m in parts)
if macros != sys.argv[2]:
    sys.exit(f"version.hpp says {macros}, the project {sys.argv[2]}")
print(f"version {macros}")

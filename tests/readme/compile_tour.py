#!/usr/bin/env python3
"""The README's C++ examples compile: each ```cpp block of README.md, with the declarations its
free names need (tour_names.hpp), as a translation unit of its own under the strict warnings;
statements at file scope are wrapped in a function. Only the front end runs. A block whose first
line is `// examples/NAME.cpp: ...` is that file, which the build compiles and the tests run: it
must equal the file, byte for byte.
Usage: compile_tour.py README.md COMPILER [ARGUMENT]..."""
import pathlib
import re
import subprocess
import sys
import tempfile

readme, command = pathlib.Path(sys.argv[1]), sys.argv[2:]
blocks = re.findall(r"^```cpp\n(.*?)^```", readme.read_text(), re.M | re.S)
if not blocks:
    sys.exit("README.md has no C++ example")
here = pathlib.Path(__file__).parent
failed = 0
for n, block in enumerate(blocks, 1):
    shown = re.match(r"// (examples/[\w.]+\.cpp):", block)
    if shown:
        if (here.parent.parent / shown.group(1)).read_text() != block:
            failed += 1
            print(f"README.md's C++ example {n} is not {shown.group(1)} as it is")
        continue
    # Declarations and functions stay at file scope; the statements after them go in a function.
    lines = block.split("\n")
    body = [l for l in lines if not l.startswith("#include")]
    top, statements, depth = [], [], 0
    for line in body:
        opens = line.count("{") - line.count("}")
        starts_function = depth == 0 and re.match(r"^[\w:<>]+ [\w:]+\(.*\) \{$", line)
        if depth > 0 or starts_function or line.startswith("iotjobs::decoder dec;") or \
                line.lstrip().startswith("//") and depth == 0 and not statements:
            top.append(line)
        else:
            statements.append(line)
        depth += opens
    source = "\n".join([f'#include "{here / "tour_names.hpp"}"', *top,
                        f"void example_{n}() {{", *statements, "}", ""])
    with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as f:
        f.write(source)
    # An example elides what the application does with a value ("... send it ..."): unused
    # variables are no fault of the example.
    r = subprocess.run(command + ["-fsyntax-only", "-Wno-unused-variable",
                                  "-Wno-unused-but-set-variable", f.name],
                       capture_output=True, text=True)
    if r.returncode != 0:
        failed += 1
        print(f"README.md's C++ example {n} does not compile:\n{r.stderr[:3000]}\n{source}")
print(f"{len(blocks)} examples, {failed} failed to compile")
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""The dependency rule of the headers under include/iotjobs, read from their #include lines:
  - a public header includes only public headers of a lower layer (version, error -> model ->
    validate -> the bindings mqtt, commands, service, https, the documents, and the decoder ->
    messages ->
    runner -> iotjobs.hpp), and detail/ headers;
  - the decoder and its detail/ readers include no encoder: neither a binding header nor the
    encoders' detail/ writers;
  - only the decoder and detail/json_reader.hpp include <simdjson.h>, and only the decoding
    headers (those two, the readers, messages.hpp, runner.hpp and the umbrella) reach it through what they
    include, so that encoding needs no parser;
  - nothing under include/ includes anything but iotjobs headers, the standard library,
    <simdjson.h> and the SSE2 intrinsics (<emmintrin.h>);
  - no hand-written header is longer than 600 lines.
Usage: check_layering.py INCLUDE_DIR"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1]) / "iotjobs"
layer = {"version": 0, "error": 1, "model": 2, "validate": 3, "schema": 3, "mqtt": 4,
         "commands": 4, "documents": 4,
         "service": 4, "decoder": 4, "https": 5, "messages": 6, "runner": 7, "iotjobs": 8}
readers = {"detail/arena", "detail/json_reader", "detail/jobs_schema", "detail/https_envelope",
           "detail/document_reader"}
writers = {"detail/json_writer", "detail/encoding", "detail/request_body", "detail/schema_writer",
           "detail/cbor_writer"}
encoders = {"mqtt", "commands", "service", "https"} | writers
parsing = {"decoder", "detail/json_reader"}  # include <simdjson.h>
decoding = parsing | readers | {"messages", "runner", "iotjobs"}  # may reach it
generated = {"detail/unicode_category_c"}
standard = re.compile(r"[a-z_]+")  # <cstddef>, <string_view>, ...

includes, problems = {}, []
for path in sorted(root.rglob("*.hpp")):
    name = path.relative_to(root).with_suffix("").as_posix()
    text = path.read_text()
    ours, system = [], []
    for quoted, angled in re.findall(r'^#include (?:"([^"]+)"|<([^>]+)>)', text, re.M):
        if quoted:
            if not quoted.startswith("iotjobs/"):
                problems.append(f"{name} includes \"{quoted}\", outside iotjobs/")
            ours.append(quoted[len("iotjobs/"):-len(".hpp")])
        else:
            system.append(angled)
    includes[name] = ours
    for header in system:
        if header == "simdjson.h":
            if name not in parsing:
                problems.append(f"{name} includes <simdjson.h>")
        elif not standard.fullmatch(header) and header != "emmintrin.h":
            problems.append(f"{name} includes <{header}>, neither standard nor simdjson")
    lines = text.count("\n")
    if lines > 600 and name not in generated:
        problems.append(f"{name} has {lines} lines (at most 600)")
    if name in layer:
        for dep in ours:
            if dep in layer and layer[dep] >= layer[name]:
                problems.append(f"{name} (layer {layer[name]}) includes {dep} (layer {layer[dep]})")
    if name == "decoder" or name in readers:
        for dep in ours:
            if dep in encoders:
                problems.append(f"{name}, a decoding header, includes the encoder header {dep}")
missing = set(layer) - set(includes)
if missing:
    problems.append(f"no header for {sorted(missing)}: the layers above name them")


def reaches(name, seen):
    for dep in includes.get(name, []):
        if dep not in seen:
            seen.add(dep)
            reaches(dep, seen)
    return seen


for name in includes:
    if name in decoding:
        continue
    through = [dep for dep in reaches(name, set()) if dep in parsing]
    if through:
        problems.append(f"{name} reaches <simdjson.h> through {through}")

for p in problems:
    print(p)
if problems:
    print()
    sys.exit(f"{len(problems)} breaches of the dependency rule")
print(f"{len(includes)} headers keep the dependency rule")

#!/usr/bin/env python3
"""The built binaries are hardened (issue 14, point 8), read from the binaries themselves:

- linked with -z relro -z now: a GNU_RELRO segment and BIND_NOW (all relocations at start-up,
  then read-only), and executables are position independent (PIE);
- every compilation unit of ours was compiled with -fstack-protector-strong (its DW_AT_producer,
  which GCC records with -grecord-gcc-switches, its default);
- every optimized compilation unit of ours had _FORTIFY_SOURCE=2 on its command line: GCC puts -D
  in no producer string, so the build records macros (-g3) and this reads the command-line
  macros (line 0) of each unit's .debug_macro. No symbol names are guessed.

    check_hardening.py --source-dir DIR BINARY...
"""
import argparse
import os
import re
import subprocess
import sys


def readelf(*args):
    return subprocess.run(["readelf", "--wide", *args], check=True, capture_output=True, text=True).stdout


def compilation_units(binary):
    """(name, comp_dir, producer, macros offset or None) of each unit, from the top DIEs only."""
    units, unit = [], None
    for line in readelf("--debug-dump=info", "--dwarf-depth=1", binary).splitlines():
        if "Compilation Unit @ offset" in line:
            unit = {"name": "", "comp_dir": "", "producer": "", "macros": None}
            units.append(unit)
            continue
        match = re.search(r"DW_AT_(producer|name|comp_dir|macros)\s*:\s*(.*)$", line)
        if unit is not None and match:
            # "(strp) (offset: 0x39f9): GNU C++20 …", "(sec_offset) 0x1a2b": the value after the forms
            key, value = match.group(1), re.sub(r"^(\([^)]*\)\s*)+:?\s*", "", match.group(2)).strip()
            if key == "macros":
                unit["macros"] = int(value, 0)
            elif not unit[key]:
                unit[key] = value
    return units


def macro_units(binary):
    """offset -> entry lines of each .debug_macro unit."""
    units, current = {}, None
    for line in readelf("--debug-dump=macro", binary).splitlines():
        match = re.match(r"\s*Offset:\s+(\S+)", line)
        if match:
            current = units.setdefault(int(match.group(1), 0), [])
        elif current is not None and "DW_MACRO_" in line:
            current.append(line.strip())
    return units


def command_line_macros(units, offset, seen=None):
    """The macros defined at line 0 (built-in and command line) of the unit at `offset`."""
    seen = seen if seen is not None else set()
    if offset in seen or offset not in units:
        return set()
    seen.add(offset)
    macros = set()
    for entry in units[offset]:
        if entry.startswith("DW_MACRO_start_file"):
            break
        if entry.startswith("DW_MACRO_import"):
            macros |= command_line_macros(units, int(entry.split(":")[-1].strip(), 0), seen)
        match = re.match(r"DW_MACRO_define\w* - lineno : 0 macro : (.*)", entry)
        if match:
            macros.add(match.group(1).strip())
    return macros


def ours(unit, source_dir):
    name = unit["name"]
    if not name.endswith((".cpp", ".cc")) or not unit["producer"].startswith("GNU C++"):
        return False
    path = name if os.path.isabs(name) else os.path.join(unit["comp_dir"] or ".", name)
    # With -ffile-prefix-map (dpkg-buildflags) the paths are relative to the source folder.
    return os.path.normpath(path).startswith(source_dir + os.sep) or not os.path.isabs(path)


def check(binary, source_dir):
    problems = []
    header = readelf("--file-header", binary)
    dynamic = readelf("--dynamic", binary)
    segments = readelf("--program-headers", binary)
    if "GNU_RELRO" not in segments:
        problems.append("no GNU_RELRO segment (link with -z relro)")
    if not re.search(r"\(FLAGS\)\s.*BIND_NOW", dynamic) and not re.search(r"\(FLAGS_1\)\s.*\bNOW\b", dynamic):
        problems.append("not BIND_NOW (link with -z now)")
    if not binary.endswith(".so") and ("DYN" not in header or not re.search(r"\(FLAGS_1\)\s.*\bPIE\b", dynamic)):
        problems.append("not a position-independent executable")
    units = [unit for unit in compilation_units(binary) if ours(unit, source_dir)]
    if not units:
        problems.append("no compilation unit of " + source_dir + " found: built without debug info?")
    macros = macro_units(binary)
    fortified = 0
    for unit in units:
        producer, name = unit["producer"], unit["name"]
        if "-fstack-protector-strong" not in producer:
            problems.append(f"{name}: not compiled with -fstack-protector-strong ({producer})")
        if not re.search(r" -O[123s]\b", producer):
            continue  # _FORTIFY_SOURCE needs the optimizer (a Debug build)
        if unit["macros"] is None:
            problems.append(f"{name}: no macro information (build with -g3: RelWithDebInfo, the default)")
        elif "_FORTIFY_SOURCE 2" not in command_line_macros(macros, unit["macros"]):
            problems.append(f"{name}: not compiled with -D_FORTIFY_SOURCE=2")
        else:
            fortified += 1
    return problems, len(units), fortified


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    source_dir = os.path.realpath(args.source_dir)
    failed = False
    for binary in args.binaries:
        problems, units, fortified = check(binary, source_dir)
        for problem in problems[:20]:
            print(f"FAIL: {binary}: {problem}", file=sys.stderr)
        if len(problems) > 20:
            print(f"FAIL: {binary}: … and {len(problems) - 20} more", file=sys.stderr)
        if problems:
            failed = True
        else:
            print(f"ok: {binary}: relro, bind-now, {units} units with the stack protector, {fortified} fortified")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

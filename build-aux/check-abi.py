#!/usr/bin/env python3
"""Checks a built libaudit.so.1.0.0: SONAME libaudit.so.1, and its exports are exactly one
release line's set in abi/exports (build.rs hides the other lines' names, rustc's version
script Rust's std). With --line=<line> (meson's chosen line), exactly that line's. Other arguments
(`meson test --test-args` gives them to every test) are ignored.

usage: check-abi.py <libaudit.so.1.0.0> <abi/exports> [--line=<line>]"""
import subprocess
import sys


def line_sets(abi_exports):
    """abi/exports: name kind size lines... -> {line: {names}}."""
    sets = {}
    with open(abi_exports) as f:
        for entry in f:
            if not entry.strip() or entry.startswith("#"):
                continue
            fields = entry.split()
            for line in fields[3:]:
                sets.setdefault(line, set()).add(fields[0])
    return sets


def main(library, abi_exports, wanted=None):
    dynamic = subprocess.run(["readelf", "-d", "-W", library], capture_output=True, text=True, check=True).stdout
    sonames = [l.split("[", 1)[1].rstrip("]") for l in dynamic.splitlines() if "(SONAME)" in l]
    problems = []
    if sonames != ["libaudit.so.1"]:
        problems.append(f"SONAME is {sonames}, want ['libaudit.so.1']")
    nm = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True, text=True, check=True).stdout
    exported = {l.split()[-1] for l in nm.splitlines() if l.strip()}
    sets = line_sets(abi_exports)
    if wanted:
        candidates = [wanted] if wanted in sets else []
        if not candidates:
            problems.append(f"no line {wanted} in {abi_exports}: {' '.join(sorted(sets))}")
    else:
        candidates = sorted(sets)
    # 4.1.2 and 4.2.1 export the same names: a match names every line it fits.
    line = "/".join(l for l in candidates if sets[l] == exported)
    if not line:
        for l in candidates:
            extra, missing = sorted(exported - sets[l]), sorted(sets[l] - exported)
            problems.append(f"not the {l} line's exports: extra {extra}, missing {missing}")
    for p in problems:
        print(p)
    print(f"{len(exported)} symbols exported: the {line} line's ABI; SONAME {sonames}")
    return 1 if problems else 0


if __name__ == "__main__":
    wanted = next((a.split("=", 1)[1] for a in sys.argv[3:] if a.startswith("--line=")), None)
    sys.exit(main(sys.argv[1], sys.argv[2], wanted))

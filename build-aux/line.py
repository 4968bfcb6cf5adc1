#!/usr/bin/env python3
"""Prints the release line meson builds, chosen as build.rs chooses it: the -Dcompat value (an
unknown one fails, listing the lines), else the line at or below the libaudit installed on this
machine (pkg-config), else the newest. The lines are abi/exports' (its "# lines: 3.0.9 ..." header).
meson then passes the line to cargo as LIBAUDIT_COMPAT, so both agree.

usage: line.py <abi/exports> [<compat>]"""
import subprocess
import sys


def version(text):
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return None


def main(exports, wanted=""):
    with open(exports) as f:
        headers = (l.split()[2:] for l in f if l.startswith("# lines:"))
        lines = next(h for h in headers if h and all(version(v) for v in h))
    if wanted:
        if wanted not in lines:
            sys.exit(f"compat={wanted}: not a release line; the lines are {' '.join(lines)}")
        print(wanted)
        return
    installed = subprocess.run(["pkg-config", "--modversion", "audit"], capture_output=True, text=True)
    have = version(installed.stdout.strip()) if installed.returncode == 0 else None
    below = [l for l in lines if have and version(l) <= have]
    print(below[-1] if below else lines[-1])


if __name__ == "__main__":
    main(*sys.argv[1:3])

#!/usr/bin/env python3
"""Checks a built libaudit.so.1.0.0: SONAME libaudit.so.1, and every exported symbol is on
abi/libaudit.symbols (the version script should hide everything else, Rust's std included)."""
import subprocess
import sys


def main(library, abi_list):
    dynamic = subprocess.run(["readelf", "-d", "-W", library], capture_output=True, text=True, check=True).stdout
    sonames = [l.split("[", 1)[1].rstrip("]") for l in dynamic.splitlines() if "(SONAME)" in l]
    problems = []
    if sonames != ["libaudit.so.1"]:
        problems.append(f"SONAME is {sonames}, want ['libaudit.so.1']")
    nm = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True, text=True, check=True).stdout
    exported = {l.split()[-1] for l in nm.splitlines() if l.strip()}
    with open(abi_list) as f:
        allowed = {l.split()[0] for l in f if l.strip() and not l.startswith("#")}
    extra = sorted(exported - allowed)
    if extra:
        problems.append("exported but not on the ABI list: " + " ".join(extra))
    if not exported:
        problems.append("no symbol is exported")
    for p in problems:
        print(p)
    print(f"{len(exported)} of {len(allowed)} ABI symbols exported; SONAME {sonames}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

#!/usr/bin/env python3
"""Builds libaudit.so with cargo and places it in meson's build directory as libaudit.so.1.0.0,
with the libaudit.so.1 and libaudit.so links beside it.

cargo owns the link step (build.rs: SONAME, the line's exports, the C shim for audit_msg), so the
library meson installs is byte for byte the one `cargo rustc --release --lib --crate-type cdylib`
makes (the cdylib alone: built together with the rlib, as `cargo build` does, it gets no LTO).
"""
import argparse
import filecmp
import os
import shutil
import subprocess
import sys

REAL = "libaudit.so.1.0.0"
LINKS = {"libaudit.so.1": REAL, "libaudit.so": "libaudit.so.1"}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cargo", required=True)
    p.add_argument("--manifest-path", required=True)
    p.add_argument("--target-dir", required=True)
    p.add_argument("--offline", action="store_true")
    p.add_argument("--outdir", required=True)
    p.add_argument("--compat", required=True, help="the release line (LIBAUDIT_COMPAT)")
    a = p.parse_args()

    cmd = [a.cargo, "rustc", "--release", "--lib", "--crate-type", "cdylib", "--locked",
           "--manifest-path", a.manifest_path, "--target-dir", a.target_dir]
    if a.offline:
        cmd.append("--offline")
    if subprocess.run(cmd, env=dict(os.environ, LIBAUDIT_COMPAT=a.compat)).returncode != 0:
        sys.exit("cargo build failed: " + " ".join(cmd))

    built = os.path.join(a.target_dir, "release", "libaudit.so")
    real = os.path.join(a.outdir, REAL)
    # Copy only on change: an unchanged library keeps its mtime and nothing downstream relinks.
    if not (os.path.exists(real) and filecmp.cmp(built, real, shallow=False)):
        tmp = real + ".tmp"
        shutil.copy2(built, tmp)
        os.replace(tmp, real)
    for link, target in LINKS.items():
        path = os.path.join(a.outdir, link)
        if not (os.path.islink(path) and os.readlink(path) == target):
            if os.path.lexists(path):
                os.remove(path)
            os.symlink(target, path)


if __name__ == "__main__":
    main()

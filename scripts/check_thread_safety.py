#!/usr/bin/env python3
"""Checks the server's FINDLING_GUARDED_BY / FINDLING_REQUIRES annotations with
clang's -Wthread-safety (server/thread_annotations.h, server/mutex.h).

The build may use GCC, which ignores the annotations; this runs
`clang++ -fsyntax-only -Wthread-safety -Werror` over the server sources that
use them, with the include paths, definitions and language standard of the
real build (read from its compile_commands.json). Syntax only: seconds, not a
second build. Exits 0 when clean, 1 with clang's messages when not, and 77
(ctest: skipped) when clang++ is not installed.

Usage: scripts/check_thread_safety.py BUILD_DIR [SOURCE_DIR]
"""
import json
import os
import shlex
import shutil
import subprocess
import sys

SKIP = 77
ANNOTATED = ('"server/mutex.h"', '"server/thread_annotations.h"')
# Boost 1.74's Asio recognises C++20 coroutines only with GCC (it looks for
# __cpp_coroutines, which clang 14 no longer sets in C++20 mode); the fuzz
# build tells it the same (tests/fuzz/CMakeLists.txt).
CLANG_ONLY = ["-DBOOST_ASIO_HAS_CO_AWAIT=1", "-DBOOST_ASIO_HAS_STD_COROUTINE=1"]


def uses_annotations(source):
    """The .cc includes server/mutex.h, or its own header does."""
    for path in (source, os.path.splitext(source)[0] + ".h"):
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError:
            continue
        if any(a in text for a in ANNOTATED):
            return True
    return False


def build_flags(command):
    """The -I, -isystem, -D and -std flags of a compile command."""
    words = shlex.split(command)
    out = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in ("-I", "-isystem", "-D") and i + 1 < len(words):
            out += [w, words[i + 1]]
            i += 2
            continue
        if w.startswith(("-I", "-isystem", "-D", "-std=")):
            out.append(w)
        i += 1
    return out


# An unguarded write that the check must reject: if the annotations ever
# expanded to nothing under clang, every file would pass and prove nothing.
CANARY = """
#include "server/mutex.h"
struct Canary {
  findling::server::Mutex mu;
  int value FINDLING_GUARDED_BY(mu) = 0;
  void Unguarded() { value = 1; }
  void Guarded() { findling::server::MutexLock lock(&mu); value = 2; }
};
"""


def canary_fails(clang, flags):
    """True when clang rejects CANARY's unguarded write (and only that)."""
    result = subprocess.run([clang, "-fsyntax-only", "-Wthread-safety", "-Werror"] + flags +
                            ["-x", "c++", "-"], input=CANARY, capture_output=True, text=True)
    return result.returncode != 0 and "requires holding mutex 'mu'" in result.stderr and \
        result.stderr.count("error:") == 1


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    build = os.path.abspath(sys.argv[1])
    source_dir = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else
                                 os.path.join(os.path.dirname(__file__), ".."))
    clang = shutil.which(os.environ.get("FINDLING_CLANGXX", "clang++"))
    if clang is None:
        print("check_thread_safety: clang++ not found; skipped (apt-get install clang)")
        return SKIP
    database = os.path.join(build, "compile_commands.json")
    try:
        with open(database, encoding="utf-8") as f:
            entries = json.load(f)
    except (OSError, ValueError) as e:
        print(f"check_thread_safety: cannot read {database}: {e}", file=sys.stderr)
        return 2
    server = os.path.join(source_dir, "server") + os.sep
    checked = set()
    failures = 0
    for entry in entries:
        source = os.path.abspath(os.path.join(entry["directory"], entry["file"]))
        if not source.startswith(server) or source in checked or not uses_annotations(source):
            continue
        checked.add(source)
        command = entry.get("command") or shlex.join(entry["arguments"])
        if "-fsanitize=" in command:
            # The same sources and annotations as the plain build, which CI
            # checks first: not worth a second minute of clang there.
            print("check_thread_safety: sanitizer build; checked by the plain build, skipped")
            return SKIP
        if len(checked) == 1 and not canary_fails(clang, build_flags(command)):
            print("check_thread_safety: clang accepted an unguarded write to a "
                  "FINDLING_GUARDED_BY member; the annotations are not checked", file=sys.stderr)
            return 1
        args = [clang, "-fsyntax-only", "-Wthread-safety", "-Werror"] + build_flags(command) + \
            CLANG_ONLY + [source]
        result = subprocess.run(args, cwd=entry["directory"], capture_output=True, text=True)
        rel = os.path.relpath(source, source_dir)
        if result.returncode != 0:
            failures += 1
            print(f"check_thread_safety: {rel}:\n{result.stderr}", file=sys.stderr)
        else:
            print(f"check_thread_safety: {rel}: clean")
    if not checked:
        print(f"check_thread_safety: no annotated server sources in {database}", file=sys.stderr)
        return 2
    if failures:
        print(f"check_thread_safety: {failures} of {len(checked)} files fail -Wthread-safety",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

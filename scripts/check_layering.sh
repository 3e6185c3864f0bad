#!/usr/bin/env bash
# Checks that each library folder includes only the folders below it
# (ARCHITECTURE.md, "Layers"): common <- indexer, searcher; searcher <- client,
# server. A reach upward or across prints FILE:LINE and the include, and the
# script fails. The build's include roots (CMakeLists.txt) make most such
# includes fail to compile too; this names the rule instead of "no such file".
#
# Usage: scripts/check_layering.sh [SOURCE_DIR]   (default: the repository)
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"

# folder -> the folders its files may include (its own first).
declare -A allowed=(
  [common]="common"
  [indexer]="indexer common"
  [searcher]="searcher common"
  [client]="client searcher common"
  [server]="server searcher common"
)
# A program's main() sits above its folder's library and may include what
# its executable links (client/CMakeLists.txt defines findling-search).
declare -A program_allowed=(
  [searcher/search_main.cc]="client searcher common"
)

failures=0
for folder in common indexer searcher client server; do
  [[ -d "$root/$folder" ]] || { echo "check_layering: no folder $root/$folder" >&2; exit 2; }
  while IFS= read -r hit; do
    # hit: path:line:#include "dir/file.h"
    file="${hit%%:*}"
    rest="${hit#*:}"
    line="${rest%%:*}"
    target="$(sed -E 's/^[^"]*"([^"]*)".*$/\1/' <<<"${rest#*:}")"
    dir="${target%%/*}"
    [[ "$target" == */* ]] || continue  # "x.h" beside the file: same folder
    ok=0
    rel="${file#"$root"/}"
    may="${program_allowed[$rel]:-${allowed[$folder]}}"
    for a in $may; do [[ "$dir" == "$a" ]] && ok=1; done
    if [[ $ok -eq 0 ]]; then
      echo "$rel:$line: includes \"$target\"; $rel may include only: $may"
      failures=$((failures + 1))
    fi
  done < <(grep -rnE --include='*.h' --include='*.cc' --include='*.in' \
             '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$root/$folder" || true)
done

if [[ $failures -gt 0 ]]; then
  echo "check_layering: $failures include(s) against the layers in ARCHITECTURE.md" >&2
  exit 1
fi
echo "check_layering: common, indexer, searcher, client, server keep to their layers"

#!/usr/bin/env bash
# What `findling-index --sync` costs on a folder of many small files: the
# first sync, a rerun on the unchanged folder, a rerun after every file was
# touched but none edited (the content hash decides), and a rerun after 1 %
# of the files were edited, 1 % deleted and 1 % added.
#
#   benchmarks/sync_bench.sh [--files N] [--work DIR] [--build DIR]
#
#   --files N    files in the folder (default 10000), one Markdown file per
#                record of the source, in folders of 100
#   --work DIR   the folder and the index (default build-bench/sync)
#   --build DIR  where findling-index is (default build)
# Environment: FINDLING_SHARED_DIR   the shared data folder (default ../shared);
# the source is its corpora/gesetze-2022-03.jsonl (22,335 sections of
# federal law), else corpus/ repeated.
#
# Prints one Markdown table row per run: wall and CPU seconds and maximum
# resident memory (/usr/bin/time -v), and what the run reported (--json).
# Every run is checked: the counts must be what the step did, and the index
# must hold one document per file. Exit status 1 when a check fails.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
files=10000
work="$here/build-bench/sync"
build="$here/build"
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files="$2"; shift ;;
    --work) work="$2"; shift ;;
    --build) build="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "sync_bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
shared="${FINDLING_SHARED_DIR:-$(cd "$here/.." && pwd)/shared}"
source="$shared/corpora/gesetze-2022-03.jsonl"
[ -x "$build/findling-index" ] || { echo "sync_bench.sh: no $build/findling-index (build first)" >&2; exit 2; }
fail() { echo "sync_bench.sh: FAILED: $*" >&2; exit 1; }

folder="$work/articles"; db="$work/sync.db"
rm -rf "$work"; mkdir -p "$folder"

# One Markdown file per record: front matter (title, date) and the text.
# Without the shared corpora, corpus/'s articles stand in, repeated.
python3 - "$source" "$folder" "$files" "$here/corpus" <<'EOF'
import json, os, sys, glob
source, folder, n, corpus = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def records():
    if os.path.exists(source):
        with open(source, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                yield r.get("title", ""), r.get("date", ""), r.get("text", "")
    else:
        paths = sorted(glob.glob(os.path.join(corpus, "**", "*.md"), recursive=True)) or \
                sorted(glob.glob(os.path.join(corpus, "**", "*.txt"), recursive=True))
        while True:
            for p in paths:
                yield os.path.basename(p), "", open(p, encoding="utf-8").read()
written = 0
for title, date, text in records():
    if written == n:
        break
    sub = os.path.join(folder, "%03d" % (written // 100))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "a%05d.md" % written), "w", encoding="utf-8") as out:
        out.write("---\ntitle: %s\n" % json.dumps(title, ensure_ascii=False))
        if len(date) == 10:
            out.write("date: %s\n" % date)
        out.write("---\n\n%s\n" % text)
    written += 1
if written < n:
    sys.exit("sync_bench.sh: the source has only %d records" % written)
EOF
bytes=$(du -sb "$folder" | cut -f1)
echo "$files files, $bytes bytes, in $folder"
echo
echo "| run | wall s | user s | sys s | max RSS MB | new | changed | gone | unchanged | documents |"
echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"

# run LABEL NEW CHANGED GONE UNCHANGED: one sync, timed and checked.
run() {
  local label="$1" want="$2,$3,$4,$5"
  /usr/bin/time -v -o "$work/time" "$build/findling-index" --db "$db" --sync "$folder" --json \
    >"$work/out.json" 2>"$work/err" || { cat "$work/err" >&2; fail "$label: findling-index failed"; }
  python3 - "$work/out.json" "$work/time" "$label" "$want" "$(find "$folder" -name '*.md' | wc -l)" <<'EOF'
import json, re, sys
out, timef, label, want, nfiles = sys.argv[1:6]
r = json.loads(open(out).read().strip().splitlines()[-1])
s = r["sync"]
got = "%d,%d,%d,%d" % (s["files_new"], s["files_changed"], s["files_gone"], s["files_unchanged"])
t = open(timef).read()
def field(name):
    return re.search(re.escape(name) + r": (.*)", t).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
docs = r["documents_in_index"]
print("| %s | %.2f | %.2f | %.2f | %.0f | %s | %d |" % (
    label, secs, float(field("User time (seconds)")), float(field("System time (seconds)")),
    int(field("Maximum resident set size (kbytes)")) / 1024, got.replace(",", " | "), docs))
if got != want:
    sys.exit("sync_bench.sh: FAILED: %s: new/changed/gone/unchanged %s, expected %s" % (label, got, want))
if docs != int(nfiles):
    sys.exit("sync_bench.sh: FAILED: %s: %d documents for %s files" % (label, docs, nfiles))
EOF
}

run "first sync" "$files" 0 0 0
run "unchanged" 0 0 0 "$files"
# Every file touched seconds later, none edited: size equal, time not,
# so each is hashed, found the same and not read again.
later=$(( $(date +%s) + 5 )); find "$folder" -name "*.md" -exec touch -d "@$later" {} +
run "all touched, none edited" 0 0 0 "$files"
# 1 % edited (a sentence appended), 1 % deleted, 1 % added.
pct=$(( files / 100 )); [ "$pct" -gt 0 ] || pct=1
mapfile -t all < <(find "$folder" -name '*.md' | sort)
for ((i = 0; i < pct; i++)); do
  echo "Geändert im Lauf $i." >>"${all[$((i * 2))]}"
  rm "${all[$((i * 2 + 1))]}"
  printf -- '---\ntitle: "Neu %d"\n---\n\nEin neuer Artikel über Windkraft, Nummer %d.\n' "$i" "$i" \
    >"$folder/000/new$i.md"
done
run "1 % edited, 1 % deleted, 1 % added" "$pct" "$pct" "$pct" $(( files - 2 * pct ))
run "unchanged again" 0 0 0 "$files"

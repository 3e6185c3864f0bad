#!/usr/bin/env bash
# Xapian's own tools as the relevance baseline for findling-relevance.
#
# Indexes an evaluation set's corpus with Omega's `scriptindex` (title and
# text through Xapian's TermGenerator, title wdf x2 as Omega weights it, the
# same Snowball stemmer as Findling), runs every query through `quest` (the
# QueryParser's defaults, BM25 with Xapian's defaults, 100 hits), writes the
# answers as a TREC run file and scores it with `findling-relevance
# --score-run`, so both engines are measured by the same code.
#
# Usage: benchmarks/xapian_baseline.sh SET_DIR [CORPUS] [WORK_DIR]
#   SET_DIR   BEIR-layout set (queries.jsonl, qrels.tsv, corpus.jsonl)
#   CORPUS    corpus JSONL (`_id` or `id`, `title`, `text`); default SET_DIR/corpus.jsonl
#   WORK_DIR  where the database and the run file go; default build/relevance
# Environment: FINDLING_RELEVANCE (path of findling-relevance, default
# build/findling-relevance), STEMMER (default german2).
# Needs xapian-omega (scriptindex), xapian-tools (quest) and python3 (JSON).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
set_dir="${1:?usage: $0 SET_DIR [CORPUS] [WORK_DIR]}"
set_dir="${set_dir%/}"
corpus="${2:-$set_dir/corpus.jsonl}"
work="${3:-$here/build/relevance}"
relevance="${FINDLING_RELEVANCE:-$here/build/findling-relevance}"
stemmer="${STEMMER:-german2}"
set_name="$(basename "$set_dir")"

for tool in scriptindex quest python3; do
  command -v "$tool" >/dev/null || { echo "$0: $tool not found" >&2; exit 3; }
done
[ -x "$relevance" ] || { echo "$0: $relevance not built" >&2; exit 3; }

mkdir -p "$work"
db="$work/$set_name.xapian-$stemmer"
run="$work/$set_name.xapian-$stemmer.run"

# The index script: the id is stored (quest prints it) and made the unique
# term; title and text are indexed with positions, the title at weight 2
# (each title word counts twice), as Omega's omindex weights titles.
script="$work/$set_name.xapian.script"
cat >"$script" <<'EOF'
id : field boolean=Q unique=Q
title : weight=2 index
text : weight=1 index
EOF

# scriptindex reads records of "field=value" lines separated by blank lines;
# a value's further lines are continuation lines starting with "=".
echo "scriptindex: indexing $corpus into $db ..." >&2
start=$(date +%s)
python3 - "$corpus" <<'EOF' | scriptindex --stemmer="$stemmer" --overwrite "$db" "$script" >&2
import json, sys
out = sys.stdout
with open(sys.argv[1], encoding="utf-8") as corpus:
    for line in corpus:
        if not line.strip():
            continue
        doc = json.loads(line)
        doc_id = doc.get("_id") or doc.get("id")
        if not doc_id:
            continue
        out.write("id=%s\n" % doc_id)
        for field in ("title", "text"):
            lines = (doc.get(field) or "").split("\n")
            out.write("%s=%s\n" % (field, lines[0]))
            for more in lines[1:]:
                out.write("=%s\n" % more)
        out.write("\n")
EOF
echo "scriptindex: $(( $(date +%s) - start )) s" >&2

# One quest per query (its start-up is a few milliseconds). quest prints
# "RANK: [WEIGHT]" and then the stored data ("id=..."); the run file's score
# is derived from the rank so that the scorer keeps quest's order exactly.
echo "quest: running the queries of $set_dir ..." >&2
start=$(date +%s)
python3 - "$set_dir/queries.jsonl" "$set_dir/qrels.tsv" "$db" "$stemmer" "$run" <<'EOF'
import json, re, subprocess, sys
queries_path, qrels_path, db, stemmer, run_path = sys.argv[1:6]
judged = set()
with open(qrels_path, encoding="utf-8") as qrels:
    for line in qrels:
        fields = line.rstrip("\n").split("\t")
        if len(fields) >= 3 and fields[2].lstrip("-").isdigit():
            judged.add(fields[0])
hit = re.compile(r"^(\d+): \[")
failed = 0
with open(queries_path, encoding="utf-8") as queries, open(run_path, "w") as run:
    for line in queries:
        if not line.strip():
            continue
        q = json.loads(line)
        qid = q.get("_id") or q.get("id")
        if qid not in judged:
            continue
        result = subprocess.run(["quest", "-s", stemmer, "-d", db, "-m", "100", "--", q["text"]],
                                capture_output=True, text=True)
        if result.returncode != 0:
            failed += 1
            continue
        ids, expect_id = [], False
        for out_line in result.stdout.split("\n"):
            if hit.match(out_line):
                expect_id = True
            elif expect_id and out_line.startswith("id="):
                ids.append(out_line[3:])
                expect_id = False
        for rank, doc_id in enumerate(ids, 1):
            run.write("%s Q0 %s %d %d xapian-%s\n" % (qid, doc_id, rank, len(ids) - rank + 1, stemmer))
if failed:
    print("quest failed on %d queries (scored as no answer)" % failed, file=sys.stderr)
EOF
echo "quest: $(( $(date +%s) - start )) s" >&2

"$relevance" --set "$set_dir" --score-run "$run"

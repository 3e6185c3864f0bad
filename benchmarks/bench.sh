#!/usr/bin/env bash
# Findling side by side with Xapian's own tools (scriptindex, QueryParser +
# MSet::snippet) and Sphinx 2.2 (indexer, searchd), on the same documents.
#
#   benchmarks/bench.sh              quick: 10k generated documents and the
#                                    ../shared corpora (under 10 minutes)
#   benchmarks/bench.sh --full       10k, 100k and 1M generated documents too
#                                    (hours at 1M: about 60 GB of disk)
# Options:
#   --sizes 10000,100000   generated collection sizes (overrides the mode's)
#   --duration S           seconds per concurrency level of the server loads
#   --no-docs              leave docs/benchmarks.md and its plot alone
#   --keep                 keep every index (default: drop the big ones once measured)
#   --only gesetze,gen-10k measure only these collections again; the other
#                          results of the last run are kept for the report, and
#                          docs/benchmarks.md keeps its figures of the others,
#                          each marked with the date and commit of its run
#   --work DIR             data, indexes and results (default build-bench/bench)
#   --shard-counts 1,2,4   shard counts of the shard scaling runs (findling-index
#                          --shards N on every collection, plus the default
#                          count pinned to one core with taskset -c 0)
# Environment: FINDLING_SHARED_DIR   the shared data folder (default ../shared)
#
# What it does, in order: installs the peers (Debian packages, only what is
# missing), builds Findling in build-bench (Release), makes the collections
# (findling-gencorpus: seeded, from real sentences), converts each to every
# engine's input, indexes it with each engine under /usr/bin/time -v, runs
# the query set in process (findling-query-bench; Findling's queries also
# sorted by date, with category/year facets and, on the generated
# collections, author/tags field facets, beside the plain search), over 2
# kept shards (in process, and through two xapian-tcpsrv on loopback, each
# beside the merged index) and through the servers
# (findling-server + findling-load, searchd + findling-sphinx-load), checks
# every result, and writes the report (build-bench/bench/results/report.md,
# and the generated part of docs/benchmarks.md with docs/benchmarks-scaling.png).
# Any failed check stops the run with a message and a non-zero exit.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
args="$*"   # for the report: how this run was asked for
mode=quick
sizes=""
duration=""
update_docs=1
keep=0
only=""
shard_counts="1,2,4"
build="${FINDLING_BENCH_BUILD:-$here/build-bench}"
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --full) mode=full ;;
    --quick) mode=quick ;;
    --sizes) sizes="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --no-docs) update_docs=0 ;;
    --keep) keep=1 ;;
    --only) only=",$2,"; shift ;;
    --work) work="$2"; shift ;;
    --shard-counts) shard_counts="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$mode" = full ]; then
  sizes="${sizes:-10000,100000,1000000}"; duration="${duration:-10}"; inproc_repeats=2; nqueries=600
else
  sizes="${sizes:-10000}"; duration="${duration:-4}"; inproc_repeats=1; nqueries=300
fi
work="${work:-$build/bench}"
# The corpora: ../shared next to the checkout, or FINDLING_SHARED_DIR (e.g.
# when running from a git worktree elsewhere).
shared="${FINDLING_SHARED_DIR:-$(cd "$here/.." && pwd)/shared}/corpora"
data="$work/data"; indexes="$work/indexes"; results="$work/results"; run="$work/run"
mkdir -p "$data" "$indexes" "$results" "$run"
[ -n "$only" ] || rm -f "$results"/*
selected() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }

fail() { echo "bench.sh: FAILED: $*" >&2; exit 1; }
note() { echo "bench.sh: $*" >&2; }
[ -d "$shared" ] || note "no corpora in $shared: generating from manpages-de text (set FINDLING_SHARED_DIR)"

# --- Peers: Debian packages, installed only when missing ---------------------
packages=(xapian-omega xapian-tools sphinxsearch gnuplot-nox default-mysql-client
          libbenchmark-dev time python3)
[ -d "$shared" ] || packages+=(manpages-de)   # German text when ../shared is absent
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  note "installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Build ----------------------------------------------------------------------
note "building Findling (Release) in $build"
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$run/cmake.log" 2>&1 ||
  { tail -20 "$run/cmake.log"; fail "cmake configure"; }
cmake --build "$build" -j2 --target findling-index findling-search findling-server findling-load \
  findling-gencorpus findling-query-bench findling-analysis-bench findling-sphinx-load \
  german-compounds-lexicon >"$run/build.log" 2>&1 || { tail -30 "$run/build.log"; fail "build"; }

# Everything started in the background is stopped on the way out, whatever happens.
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- Machine ----------------------------------------------------------------------
{
  echo "cores=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram_gib=$(awk '/MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)"
  echo "debian=$(cat /etc/debian_version)"
  echo "kernel=$(uname -r)"
  echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
  for p in libxapian30 xapian-omega sphinxsearch libicu72 g++ libbenchmark-dev; do
    echo "pkg_$p=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo none)"
  done
  echo "commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$here" diff --quiet 2>/dev/null || echo '+changes')"
  echo "date=$(date -u +%Y-%m-%d)"
  echo "mode=$mode"
  echo "duration=$duration"
  echo "args=$args"
} >"$results/machine.txt"

# --- Collections ----------------------------------------------------------------------
# name|source: generated collections first, then the shared corpora as they are.
collections=()
measured=()   # the collections this run measures, for the report
sources=()
for f in gesetze-2022-03.jsonl klexikon-wiki.jsonl 10kgnad-test.csv; do
  [ -f "$shared/$f" ] && sources+=(--source "$shared/$f")
done
IFS=',' read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
  case "$n" in
    *000000) label="gen-$((n / 1000000))m" ;;
    *000) label="gen-$((n / 1000))k" ;;
    *) label="gen-$n" ;;
  esac
  selected "$label" || continue
  raw="$data/$label.jsonl"
  stamp="$data/$label.stamp"
  want="docs=$n seed=1 $(sha1sum "$build/findling-gencorpus" | cut -c1-12) ${sources[*]:-man}"
  if [ ! -f "$raw" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    note "generating $label ($n documents)"
    "$build/findling-gencorpus" --docs "$n" --seed 1 --out "$raw" "${sources[@]}" || fail "generating $label"
    echo "$want" >"$stamp"
  fi
  collections+=("$label|$raw")
done
[ -f "$shared/gesetze-2022-03.jsonl" ] && collections+=("gesetze|$shared/gesetze-2022-03.jsonl")
[ -f "$shared/klexikon-wiki.jsonl" ] && collections+=("klexikon|$shared/klexikon-wiki.jsonl")
[ -f "$shared/10kgnad-test.csv" ] && collections+=("10kgnad|$shared/10kgnad-test.csv")

# The scriptindex script: the id is the unique term (Q), title and text are
# indexed with positions through Xapian's TermGenerator (title counted twice,
# as Omega weights titles), category a boolean term (K, as in Findling),
# the date a value; `field` stores each in the document data for display
# and snippets, as Findling stores its documents.
cat >"$run/scriptindex.script" <<'EOF'
id : field boolean=Q unique=Q
title : field weight=2 index
text : field index
category : field boolean=K
date : field value=0
EOF

# measure NAME COMMAND...: runs COMMAND under /usr/bin/time -v; its output
# goes to $results/NAME.log and the timings to $results/NAME.time.
measure() {
  local name="$1"; shift
  if ! /usr/bin/time -v -o "$results/$name.time" "$@" >"$results/$name.log" 2>&1; then
    tail -20 "$results/$name.log" >&2
    fail "$name: $*"
  fi
}

# shard_queries local|remote DBS: the current collection's query set over those
# shards (findling-query-bench --sharded-db), beside its merged index.
shard_queries() {
  local where="$1" dbs="$2" out="$results/$name.shardquery.$1"
  "$build/findling-query-bench" --findling-db="$idx/findling" --sharded-db="$dbs" \
    --queries="$data/$name.queries.tsv" --repeats="$inproc_repeats" \
    --benchmark_filter='^(findling|sharded)/[a-z]+/(ids|snippets)/iter' \
    --benchmark_format=json --benchmark_out="$out.json" --benchmark_out_format=json \
    >"$out.log" 2>&1 || { tail -20 "$out.log" >&2; fail "$name: query bench over $where shards"; }
  if grep -q '"error_occurred": true' "$out.json"; then
    fail "$name: a query benchmark over $where shards reported an error"
  fi
}
doc_count() {  # documents in a Xapian database (Findling's or scriptindex's)
  xapian-delve "$1" | awk -F'= ' '/number of documents/ {print $2}'
}

for entry in "${collections[@]}"; do
  name="${entry%%|*}"; source="${entry#*|}"
  selected "$name" || continue
  measured+=("$name")
  idx="$indexes/$name"; rm -rf "$idx"; mkdir -p "$idx"
  note "$name: converting for each engine"
  base="$data/$name"
  if [[ "$name" == gen-* ]]; then
    jsonl="$source"
  else
    jsonl="$base.jsonl"
    "$build/findling-gencorpus" --convert jsonl --out "$jsonl" "$source" >/dev/null || fail "converting $name"
  fi
  "$build/findling-gencorpus" --convert scriptindex --out "$base.scriptindex" "$jsonl" \
    >"$results/$name.stats.json" || fail "converting $name for scriptindex"
  "$build/findling-gencorpus" --convert sphinx-tsv --out "$base.tsv" "$jsonl" >/dev/null ||
    fail "converting $name for Sphinx"
  docs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["docs"])' "$results/$name.stats.json")
  [ "$docs" -gt 0 ] || fail "$name has no documents"
  sync

  note "$name: indexing $docs documents with Findling, Findling --no-decompound, scriptindex, Sphinx"
  # Findling as it runs by default (one shard per core, merged at the end)
  # and with one shard (one reader/analysis thread and one writer thread).
  # The generated collections have an author and tags: declared as filter
  # and facet fields, so the query bench measures field facets too.
  field_args=()
  [[ "$name" == gen-* ]] && field_args=(--field author:filter,facet --field tags:filter,facet)
  measure "$name.index.findling" "$build/findling-index" --db "$idx/findling" --json \
    "${field_args[@]}" "$jsonl"
  measure "$name.index.findling-1shard" "$build/findling-index" --db "$idx/findling-1shard" \
    --shards 1 --json "$jsonl"
  measure "$name.index.findling-nodc" "$build/findling-index" --db "$idx/findling-nodc" --json \
    --no-decompound "$jsonl"
  measure "$name.index.scriptindex" scriptindex --stemmer=german --overwrite "$idx/xapian" \
    "$run/scriptindex.script" "$base.scriptindex"
  sphinx_name="$(echo "$name" | tr -c 'a-z0-9\n' '_')"
  port=$(free_port)
  mkdir -p "$idx/sphinx" "$run/$name"
  sed -e "s|@INDEX@|$sphinx_name|g" -e "s|@TSV@|$base.tsv|g" -e "s|@INDEX_PATH@|$idx/sphinx/$sphinx_name|g" \
      -e "s|@PORT@|$port|g" -e "s|@RUN_DIR@|$run/$name|g" \
      "$here/benchmarks/sphinx/sphinx.conf.in" >"$run/$name/sphinx.conf"
  measure "$name.index.sphinx" indexer --config "$run/$name/sphinx.conf" "$sphinx_name"

  # Every index must hold every document.
  for engine in findling findling-1shard findling-nodc xapian; do
    got=$(doc_count "$idx/$engine")
    [ "$got" = "$docs" ] || fail "$name: $engine index has $got documents, expected $docs"
  done
  got=$(awk '/^total [0-9]+ docs/ {print $2}' "$results/$name.index.sphinx.log" | tail -1)
  [ "$got" = "$docs" ] || fail "$name: Sphinx indexed $got documents, expected $docs"
  for engine in findling findling-1shard findling-nodc xapian sphinx; do
    echo "$(du -sb "$idx/$engine" | cut -f1)" >"$results/$name.size.$engine"
  done
  [ "$keep" = 1 ] || rm -rf "$idx/findling-nodc" "$idx/findling-1shard"   # measured; never queried

  # Shard scaling: the build with N shards (merged at the end, as by
  # default), and the default count on one core, which shows how much of the
  # gain is the second core and how much the overlap of threads.
  note "$name: building with --shards $shard_counts and on one core"
  for k in ${shard_counts//,/ }; do
    measure "$name.shards.$k" "$build/findling-index" --db "$idx/shards-$k" --shards "$k" \
      --json "$jsonl"
    got=$(doc_count "$idx/shards-$k")
    [ "$got" = "$docs" ] || fail "$name: --shards $k index has $got documents, expected $docs"
    rm -rf "$idx/shards-$k"
  done
  measure "$name.shards.$(nproc).core0" taskset -c 0 "$build/findling-index" \
    --db "$idx/shards-core0" --shards "$(nproc)" --json "$jsonl"
  rm -rf "$idx/shards-core0"

  note "$name: query set and in-process queries"
  "$build/findling-gencorpus" --queries "$nqueries" --seed 7 --out "$data/$name.queries.tsv" "$jsonl" ||
    fail "drawing queries for $name"
  "$build/findling-query-bench" --findling-db="$idx/findling" --xapian-db="$idx/xapian" \
    --queries="$data/$name.queries.tsv" --repeats="$inproc_repeats" \
    --benchmark_format=json --benchmark_out="$results/$name.query.json" --benchmark_out_format=json \
    >"$results/$name.query.log" 2>&1 || { tail -20 "$results/$name.query.log" >&2; fail "$name: query bench"; }
  grep -q '"error_occurred": true' "$results/$name.query.json" &&
    fail "$name: a query benchmark reported an error (see $results/$name.query.json)"

  # The same queries over 2 shards (--keep-shards: a stub file and two
  # databases), opened as one database in this process and, through
  # xapian-tcpsrv on loopback, as two remote databases; each beside the
  # merged index in the same run, since only a ratio means something here.
  note "$name: queries over 2 local and 2 remote shards"
  rm -rf "$idx/findling-2shards"
  "$build/findling-index" --db "$idx/findling-2shards" --shards 2 --keep-shards --quiet \
    "${field_args[@]}" "$jsonl" || fail "$name: building 2 kept shards"
  shard_queries local "$idx/findling-2shards"
  remotes=""
  for s in 00 01; do
    sport=$(free_port)
    # A process group of its own: xapian-tcpsrv signals its whole group when
    # it is stopped, which would stop this script too.
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$sport" "$idx/findling-2shards/shard-$s" \
      >"$run/$name/tcpsrv-$s.log" 2>&1 &
    pids+=("$!")
    for _ in $(seq 100); do grep -q Listening "$run/$name/tcpsrv-$s.log" && break; sleep 0.1; done
    grep -q Listening "$run/$name/tcpsrv-$s.log" || fail "$name: xapian-tcpsrv for shard $s did not start"
    remotes="$remotes${remotes:+,}remote:127.0.0.1:$sport"
  done
  shard_queries remote "$remotes"
  cleanup; pids=()
  [ "$keep" = 1 ] || rm -rf "$idx/findling-2shards"

  # Through the servers: the generated collections only (the scaling series).
  if [[ "$name" == gen-* ]]; then
    note "$name: findling-server and searchd at 1, 8 and 32 clients, ${duration} s each"
    awk -F'\t' '$1 != "known" {print $2}' "$data/$name.queries.tsv" >"$data/$name.findling-queries.txt"
    : >"$run/$name/findling-server.log"   # exists before the server's shell opens it
    # A generous time budget: the default 2 s sheds load at 32 clients with
    # snippets (answers "timeout"), and this measures latency, not shedding.
    "$build/findling-server" --db "$idx/findling" --listen 127.0.0.1:0 --threads "$(nproc)" \
      --time-budget 300 2>"$run/$name/findling-server.log" &
    server_pid=$!; pids+=("$server_pid")
    fport=""
    for _ in $(seq 100); do
      fport=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$run/$name/findling-server.log" || true)
      [ -n "$fport" ] && break
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    [ -n "$fport" ] || { cat "$run/$name/findling-server.log" >&2; fail "findling-server did not start"; }
    known=$(awk -F'\t' '$1 == "known" {print $2}' "$data/$name.queries.tsv")
    # A few tries: the port is open before every worker has its index open.
    found=0
    for _ in 1 2 3 4 5; do
      if "$build/findling-search" --server "127.0.0.1:$fport" "$known" >"$run/$name/known.out" 2>&1; then
        found=1; break
      fi
      sleep 1
    done
    [ "$found" = 1 ] || { cat "$run/$name/known.out" >&2;
      fail "$name: findling-server finds nothing for the known query \"$known\""; }

    searchd --config "$run/$name/sphinx.conf" --nodetach >"$run/$name/searchd.out" 2>&1 &
    searchd_pid=$!; pids+=("$searchd_pid")
    for _ in $(seq 100); do
      mysql -h127.0.0.1 -P"$port" -e "SHOW STATUS" >/dev/null 2>&1 && break
      kill -0 "$searchd_pid" 2>/dev/null || break
      sleep 0.1
    done
    got=$(mysql -h127.0.0.1 -P"$port" -N -e "SHOW INDEX $sphinx_name STATUS" 2>/dev/null |
          awk '$1 == "indexed_documents" {print $2}')
    [ "$got" = "$docs" ] || { cat "$run/$name/searchd.out" >&2; fail "$name: searchd serves $got documents, expected $docs"; }

    for snip in snippets ids; do
      flag=""; [ "$snip" = ids ] && flag="--no-snippets"
      "$build/findling-load" --connect "127.0.0.1:$fport" --queries "$data/$name.findling-queries.txt" \
        --concurrency 1,8,32 --duration "$duration" $flag >"$results/$name.load.findling.$snip.md" ||
        fail "$name: findling-load ($snip) reported errors"
      "$build/findling-sphinx-load" --connect "127.0.0.1:$port" --index "$sphinx_name" \
        --queries "$data/$name.queries.tsv" --texts "$base.tsv" --concurrency 1,8,32 \
        --duration "$duration" $flag >"$results/$name.load.sphinx.$snip.md" ||
        fail "$name: findling-sphinx-load ($snip) reported errors"
    done
    kill "$server_pid" "$searchd_pid"; wait "$server_pid" "$searchd_pid" 2>/dev/null || true
    pids=()
  fi
  if [ "$keep" != 1 ] && [[ "$name" == gen-* ]] && [ "$docs" -ge 100000 ]; then
    rm -rf "$idx"   # sizes are recorded; 1M indexes would fill the disk
  fi
done

# --- Analysis throughput ------------------------------------------------------
if [ -d "$shared" ]; then
  note "analysis throughput on ../shared corpora"
  "$build/findling-analysis-bench" --corpora="$shared" --mb=4 --benchmark_min_time=2 \
    --benchmark_format=json --benchmark_out="$results/analysis.json" --benchmark_out_format=json \
    >"$results/analysis.log" 2>&1 || { tail -20 "$results/analysis.log" >&2; fail "analysis bench"; }
  grep -q '"error_occurred": true' "$results/analysis.json" && fail "analysis bench: token counts changed"
fi

# --- Report --------------------------------------------------------------------
# What this run measured: with --only, $results still holds other collections'
# results of an earlier run, which the report must not date as this run's.
echo "measured=${measured[*]:-}" >>"$results/machine.txt"
note "writing the report"
python3 "$here/benchmarks/report.py" "$results" "$results/report.md" "$results/scaling.dat" ||
  fail "report"
if [ "$update_docs" = 1 ]; then
  # A partial run (--only) keeps the doc's figures of the other collections,
  # each marked with the run that measured it.
  keep_unmeasured=(); [ -n "$only" ] && keep_unmeasured=(--keep-unmeasured)
  python3 "$here/benchmarks/report.py" --splice "$results/report.md" "$here/docs/benchmarks.md" \
    "${keep_unmeasured[@]}"
  if [ "${#size_list[@]}" -ge 2 ]; then
    gnuplot -e "datafile='$results/scaling.dat'; outfile='$here/docs/benchmarks-scaling.png'" \
      "$here/benchmarks/plot.gnuplot" || fail "gnuplot"
  else
    note "one collection size only: the size scaling plot is left as it is"
  fi
  # The shard plot needs two shard counts (a header line and two rows), not
  # two sizes: one collection built with 1 and 2 shards is already a line.
  if [ -f "$results/shards.dat" ] && [ "$(wc -l <"$results/shards.dat")" -ge 3 ]; then
    gnuplot -e "datafile='$results/shards.dat'; outfile='$here/docs/benchmarks-shards.png'" \
      "$here/benchmarks/plot-shards.gnuplot" || fail "gnuplot (shards)"
  else
    note "one shard count only: the shard plot is left as it is"
  fi
fi
cat "$results/report.md"
note "done: $results/report.md"

#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset "fuzz": clang, ASan + UBSan)
# and runs each one for SECONDS (default 60). Fails when any target finds a
# crash, a leak, a timeout or runs out of memory; the input that did it is
# kept in build-fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh                 # every target, 60 s each
#   scripts/fuzz.sh 600 search_fuzzer request_fuzzer
#
# Inputs that reach new code are kept in build-fuzz/corpus/<target>/ (not in
# the seed corpus tests/fuzz/corpus/, which stays small and hand-written),
# so later runs start where earlier ones stopped. Reproduce a finding with
#   build-fuzz/tests/fuzz/<target> build-fuzz/artifacts/<target>/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
all_targets=(analyzer_fuzzer query_parser_fuzzer search_fuzzer request_fuzzer
             jsonl_reader_fuzzer csv_reader_fuzzer html_reader_fuzzer markdown_reader_fuzzer)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

# clang and its runtime (libFuzzer, sanitizers) on top of the usual packages.
FINDLING_SETUP_EXTRA="clang libclang-rt-14-dev ${FINDLING_SETUP_EXTRA:-}" ./scripts/setup.sh

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]}"

# Leaks fail the run; a slow input (>10 s) is a finding too: every target
# caps its input, so nothing legitimate takes that long.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# Targets run side by side, one per core (FINDLING_FUZZ_JOBS overrides): each
# libFuzzer process is single-threaded, so on two cores the same fuzzing time
# per target takes half the wall time.
jobs="${FINDLING_FUZZ_JOBS:-$(nproc)}"

# Runs one target; writes "execs rate corpus result" to build-fuzz/logs/<target>.result.
run_target() {
  local target="$1"
  local work="build-fuzz/corpus/$target"
  local artifacts="build-fuzz/artifacts/$target"
  local log="build-fuzz/logs/$target.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  echo "fuzz: $target for ${seconds}s"
  local result=ok
  # A dictionary of the format's keywords, where there is one.
  local dict=()
  [ -f "tests/fuzz/$target.dict" ] && dict=(-dict="tests/fuzz/$target.dict")
  # New inputs go to the first corpus folder; the seeds are only read.
  if ! "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
      "$work" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    result=FAILED
  fi
  local execs rate corpus
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "$work" -type f | wc -l)
  echo "${execs:-?} ${rate:-?} $corpus $result" >"build-fuzz/logs/$target.result"
}

mkdir -p build-fuzz/logs
for target in "${targets[@]}"; do
  rm -f "build-fuzz/logs/$target.result"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_target "$target" &
done
wait

failed=()
summary="| target | seconds | executions | exec/s | corpus | result |
|---|---:|---:|---:|---:|---|"
for target in "${targets[@]}"; do
  read -r execs rate corpus result <"build-fuzz/logs/$target.result" || result=FAILED
  if [ "$result" != ok ]; then
    failed+=("$target")
    echo "fuzz: $target FAILED; the end of build-fuzz/logs/$target.log:"
    tail -n 40 "build-fuzz/logs/$target.log"
    ls -1 "build-fuzz/artifacts/$target"
  fi
  summary+="
| $target | $seconds | ${execs:-?} | ${rate:-?} | ${corpus:-?} | ${result:-FAILED} |"
done

echo
echo "$summary"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failures in ${failed[*]}" >&2
  exit 1
fi

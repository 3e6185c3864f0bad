#!/usr/bin/env bash
# Builds the Debian package in BUILD_DIR, unpacks it into a scratch root with
# dpkg -x (no root needed) and checks it as a user would: the file list, the
# derived Depends:, the installed findling-index and findling-search on
# corpus/ run from a folder that is not the build folder, the lexicon found
# in the installed data folder (and a clear error when it is gone), the man
# pages rendered by man -l, and the bash completion.
#
#   packaging/check-package.sh build      # ctest runs it as package_install
#
# Exit status 0 all checks passed, 1 a check failed, 77 a tool is missing
# (ctest reports that as skipped).
set -euo pipefail

build="$(cd "${1:?usage: check-package.sh BUILD_DIR}" && pwd)"
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
for tool in dpkg-deb man help2man; do
  command -v "$tool" >/dev/null || { echo "check-package: SKIP: $tool is not installed"; exit 77; }
done

fail() {
  echo "check-package: FAILED: $*" >&2
  exit 1
}

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# A parallel ctest may build other targets meanwhile; the package target
# itself only re-links what changed.
if ! cmake --build "$build" --target package >"$scratch/package.log" 2>&1; then
  cat "$scratch/package.log" >&2
  fail "cmake --build $build --target package"
fi
deb="$(sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p' "$scratch/package.log" | tail -1)"
[ -f "$deb" ] || fail "no .deb named in the CPack output"
echo "check-package: $deb ($(du -k "$deb" | cut -f1) KiB)"

# --- What is in it, and what is not ---
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$scratch/files"
for want in /usr/bin/findling-index /usr/bin/findling-search /usr/bin/findling-server \
    /usr/bin/findling-lexicon /usr/share/findling/german-compounds.lex \
    /usr/share/man/man1/findling-index.1.gz /usr/share/man/man1/findling-search.1.gz \
    /usr/share/man/man1/findling-server.1.gz /usr/share/man/man1/findling-lexicon.1.gz \
    /usr/share/bash-completion/completions/findling-search \
    /lib/systemd/system/findling-server.service /etc/default/findling-server \
    /usr/share/doc/findling/copyright /usr/share/doc/findling/changelog.Debian.gz \
    /usr/share/doc/findling/README.md /usr/share/doc/findling/protocol.md; do
  grep -qxF "$want" "$scratch/files" || fail "$want is not in the package"
done
if grep -E 'findling-(load|relevance|hostile|gencorpus|query-bench|analysis-bench|sphinx-load)$|_test$' \
    "$scratch/files"; then
  fail "benchmark or test programs are packaged"
fi
depends="$(dpkg-deb -f "$deb" Depends)"
for lib in libxapian30 'libicu[0-9]+' libmd4c0 'libmimalloc[0-9.]+' 'libstdc\+\+6' libc6; do
  grep -qE "(^|, )$lib( |,|$)" <<<"$depends" || fail "Depends: lacks $lib: $depends"
done
echo "check-package: Depends: $depends"

# --- The installed programs, from a folder that is not the build folder ---
root="$scratch/root"
dpkg -x "$deb" "$root"
mkdir "$scratch/work"
cd "$scratch/work"
unset FINDLING_LEXICON FINDLING_DB
bin="$root/usr/bin"
"$bin/findling-index" -q --db news.db "$source_dir/corpus" || fail "installed findling-index"
"$bin/findling-search" --db news.db --json --limit 1 Sprachmodell Liang Wenfeng >search.json ||
  fail "installed findling-search found nothing for Sprachmodell Liang Wenfeng"
grep -q '"total":' search.json || fail "findling-search --json printed no total"
# "Chip Hersteller" finds Chiphersteller only by splitting compounds, i.e.
# only when the installed lexicon was found; an index without it finds nothing.
"$bin/findling-search" --db news.db --no-snippets '"Chip Hersteller"' >/dev/null ||
  fail "the phrase \"Chip Hersteller\" did not find Chiphersteller: no lexicon in use?"
"$bin/findling-index" -q --no-decompound --db plain.db "$source_dir/corpus"
if "$bin/findling-search" --db plain.db --no-snippets '"Chip Hersteller"' >/dev/null; then
  fail "an index without compound splitting found \"Chip Hersteller\": the check proves nothing"
fi
# Without its lexicon the installed program names the places it tried.
mv "$root/usr/share/findling/german-compounds.lex" "$scratch/moved.lex"
set +e
"$bin/findling-search" --db news.db Sprachmodell >/dev/null 2>err.txt
status=$?
set -e
[ "$status" -eq 3 ] || fail "a missing lexicon gave exit status $status, not 3"
grep -qF "$root/usr/share/findling/german-compounds.lex (data folder relative to the executable)" \
  err.txt || fail "the missing-lexicon message does not name the data folder: $(cat err.txt)"
FINDLING_LEXICON="$scratch/moved.lex" "$bin/findling-search" --db news.db Sprachmodell >/dev/null ||
  fail "FINDLING_LEXICON was not used"
mv "$scratch/moved.lex" "$root/usr/share/findling/german-compounds.lex"

# --- Man pages: rendered, with the options and the lookup order ---
for program in findling-index findling-search findling-server findling-lexicon; do
  page="$root/usr/share/man/man1/$program.1.gz"
  MANWIDTH=100 man -l "$page" >"$program.txt" 2>"$program.err" || fail "man -l $page"
  [ ! -s "$program.err" ] || fail "man -l $page warns: $(cat "$program.err")"
  grep -q "^NAME" "$program.txt" || fail "$program.1 has no NAME section"
  grep -q -- "--help" "$program.txt" || fail "$program.1 lists no options"
done
grep -q -- "--lexicon" findling-search.txt || fail "findling-search.1 lacks --lexicon"
grep -q "FINDLING_LEXICON" findling-index.txt || fail "findling-index.1 lacks ENVIRONMENT"

# --- Bash completion: options from --help, folders for --db ---
if [ -f /usr/share/bash-completion/bash_completion ]; then
  mkdir -p some.db/sub
  # shellcheck disable=SC2016
  completed="$(PATH="$bin:$PATH" bash -c '
    source /usr/share/bash-completion/bash_completion
    source "$1"
    complete_line() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
      COMPREPLY=(); _findling "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
      echo "${COMPREPLY[*]}"; }
    complete_line findling-search --lex
    complete_line findling-index --db some
    complete_line findling-search --color al' _ \
    "$root/usr/share/bash-completion/completions/findling-search")"
  [ "$completed" = $'--lexicon\nsome.db\nalways' ] ||
    fail "bash completion gave: $(tr '\n' '|' <<<"$completed")"
else
  echo "check-package: bash-completion is not installed; completion not checked"
fi
echo "check-package: OK"

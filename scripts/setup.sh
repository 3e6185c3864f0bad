#!/usr/bin/env bash
# Installs what Findling needs to build, test and run, from Debian 12's
# packages. Idempotent: quiet and quick when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  python3                          # writes the HTML character reference table at build time
  libxapian-dev libicu-dev libcli11-dev libboost-dev nlohmann-json3-dev
  libmd4c-dev                      # the Markdown reader's parser (indexer/text_reader.cc)
  libmimalloc-dev                  # findling-index's allocator (CMakeLists.txt)
  libgtest-dev libgmock-dev libbenchmark-dev
  wngerman hunspell-de-de          # word lists for the compound lexicon
  netcat-openbsd                   # the README's server example
  xapian-tools                     # xapian-tcpsrv: remote shards (docs/scaling.md) and their tests
  help2man man-db bash-completion  # man pages from --help; the package test renders and completes
)
# The browser test of the search page (tests/browser/): a headless Chromium
# driven through chromedriver with Selenium. Large, so only when asked.
[ "${FINDLING_BROWSER_TESTS:-}" = "1" ] && packages+=(chromium chromium-driver python3-selenium)
[ "${FINDLING_SETUP_EXTRA:-}" != "" ] && read -r -a extra <<<"$FINDLING_SETUP_EXTRA" && packages+=("${extra[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

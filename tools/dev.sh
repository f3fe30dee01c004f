#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks, builds Boc, and runs things.
#   tools/dev.sh deps          install the Debian packages the build needs
#   tools/dev.sh build         deps, then the release build in build/
#   tools/dev.sh run FILE...   build, then run a script with build/boc
#   tools/dev.sh test          build and run every test: release, ASan+UBSan, TSan
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake ninja-build git ccache lld flex bison llvm-19-dev
          zlib1g-dev libzstd-dev libedit-dev libgtest-dev libgmock-dev libbenchmark-dev)
JOBS=$(nproc)

deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# build DIR [cmake options...]
build_in() {
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
}

case "${1:-}" in
  deps) deps ;;
  build) deps; build_in build ;;
  run) shift; deps; build_in build; exec build/tools/boc "$@" ;;
  test)
    deps
    build_in build
    (cd build && ctest -j "$JOBS" --output-on-failure)
    # The compiler and everything else under AddressSanitizer + UBSan + LSan.
    build_in build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBOC_SANITIZE=address -DBOC_BUILD_BENCH=OFF
    (cd build-asan && ctest -j "$JOBS" --output-on-failure -LE no-asan)
    # The concurrency tests under ThreadSanitizer.
    build_in build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBOC_SANITIZE=thread -DBOC_BUILD_BENCH=OFF
    (cd build-tsan && ctest -j "$JOBS" --output-on-failure -R 'Runtime|concurrency')
    ;;
  *) sed -n '2,6p' "$0"; exit 2 ;;
esac

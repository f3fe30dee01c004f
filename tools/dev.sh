#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks, builds Boc, and runs things.
# (libncurses-dev, libbsd-dev and libmd-dev come with libedit-dev; they are
# named because the static boc command links their archives.)
#   tools/dev.sh deps          install the Debian packages the build needs
#   tools/dev.sh build         deps, then the release build in build/
#   tools/dev.sh run FILE...   build, then run a script with build/boc
#   tools/dev.sh test          build and run every test: release, ASan+UBSan, TSan
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake ninja-build git ccache lld flex bison llvm-19-dev
          zlib1g-dev libzstd-dev libedit-dev libncurses-dev libbsd-dev libmd-dev
          libgtest-dev libgmock-dev libbenchmark-dev)
JOBS=$(nproc)
# ccache (when installed) shares objects between clones of this repository.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true

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

# build_in DIR [cmake -D options...] [--target T...]
build_in() {
  local dir=$1; shift
  local options=() targets=()
  while (($#)); do
    if [ "$1" = --target ]; then targets+=("$2"); shift 2; else options+=("$1"); shift; fi
  done
  cmake -S . -B "$dir" -G Ninja "${options[@]}" >/dev/null
  if ((${#targets[@]})); then
    cmake --build "$dir" -j "$JOBS" --target "${targets[@]}"
  else
    cmake --build "$dir" -j "$JOBS"
  fi
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
    build_in build-asan -DCMAKE_BUILD_TYPE=Release -DBOC_SANITIZE=address -DBOC_BUILD_BENCH=OFF
    (cd build-asan && ctest -j "$JOBS" --output-on-failure -LE no-asan)
    # The concurrency tests (runtime unit tests, concurrency scripts, samples)
    # under ThreadSanitizer; only what they need is built.
    build_in build-tsan -DCMAKE_BUILD_TYPE=Release -DBOC_SANITIZE=thread -DBOC_BUILD_BENCH=OFF \
      --target boc_cli --target boc_runtime_tests --target boc_notice_tests
    (cd build-tsan && ctest -j "$JOBS" --output-on-failure -R 'Runtime|concurrency|^sample/')
    ;;
  *) sed -n '2,6p' "$0"; exit 2 ;;
esac

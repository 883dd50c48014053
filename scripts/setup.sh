#!/usr/bin/env bash
# Sets Stemship up on a fresh Debian 12 machine and runs one job:
#   scripts/setup.sh demo    install, build, run `stemship demo` (the main job)
#   scripts/setup.sh test    install, build, run the whole test suite (CTest)
#   scripts/setup.sh asan    install, build with ASan+UBSan, run the test suite
#   scripts/setup.sh tsan    install, build with TSan, run the tests labelled tsan
#   scripts/setup.sh bench   install (with ffmpeg and sox), build, run the benchmarks
#   scripts/setup.sh fuzz    install (with clang), replay the libFuzzer corpora under ASan+UBSan with leak detection
#   scripts/setup.sh build   install and build only
set -euo pipefail
job="${1:-build}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(
  build-essential cmake ninja-build pkg-config git lld
  qt6-base-dev qt6-base-dev-tools qt6-multimedia-dev qt6-svg-dev libqt6svg6 libgl-dev
  libxkbcommon-dev qt6-qpa-plugins
  libsndfile1-dev libtag1-dev libquazip1-qt6-dev libsoxr-dev libssl-dev libfftw3-dev
  libebur128-dev mediainfo python3-mido python3-jsonschema
  libxml2-utils desktop-file-utils appstream zip unzip file fonts-dejavu-core
)
if [ "$job" = bench ]; then
  packages+=(ffmpeg sox hyperfine)
fi
if [ "$job" = fuzz ]; then
  packages+=(clang)  # libFuzzer and the sanitizer runtimes come with it
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$job" = fuzz ]; then
  exec scripts/fuzz-replay.sh  # its own clang build tree (build-fuzz)
fi

preset=release
case "$job" in asan|tsan) preset="$job" ;; esac
cmake --preset "$preset" >/dev/null
if [ "$job" = tsan ]; then
  cmake --build --preset tsan --target tsan_tests   # only the threaded tests it runs
else
  cmake --build --preset "$preset"
fi

case "$job" in
  demo)  "build/$preset/bin/stemship" demo -o "$root/demo-output" ;;
  test)  ctest --preset release ;;
  asan)  ctest --preset asan ;;
  tsan)  ctest --preset tsan ;;
  bench) cmake --build --preset release --target bench
         status=0  # every benchmark runs; the job fails if one missed a target
         for b in build/release/bench/bench_*; do "$b" || status=1; done
         exit $status ;;
  build) ;;
  *) echo "setup: unknown job '$job' (demo, test, asan, tsan, bench, fuzz, build)" >&2; exit 2 ;;
esac

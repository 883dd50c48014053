#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) and replays every seed corpus once (-runs=0), or fuzzes each
# target briefly with FUZZ_SECONDS=N (one process at a time: the machine is shared); FUZZ_MERGE=1 then adds the
# inputs that reached new coverage to fuzz/corpus (libFuzzer -merge=1, so the corpus stays minimal). FUZZ_TARGETS
# picks targets ("template rpp"). Exits non-zero when a target crashes, leaks or trips a sanitizer.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$here/build-fuzz}"
seconds="${FUZZ_SECONDS:-0}"
read -r -a targets <<< "${FUZZ_TARGETS:-audioreader template ziparchive dawproject rpp}"

CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DSTEMSHIP_FUZZ=ON -DSTEMSHIP_BUILD_GUI=OFF \
  -DSTEMSHIP_BUILD_TESTS=OFF -DSTEMSHIP_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer" >/dev/null
cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target "${targets[@]/#/fuzz_}"

export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$here/tests/lsan.supp}"
status=0
for t in "${targets[@]}"; do
  corpus="$here/fuzz/corpus/$t"
  echo "== fuzz_$t ($corpus)"
  if [ "$seconds" -gt 0 ]; then
    work="$(mktemp -d)"
    cp -r "$corpus/." "$work/"
    "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 \
      -artifact_prefix="$build/fuzz/$t-" "$work" || status=1
    if [ "${FUZZ_MERGE:-0}" = 1 ] && [ $status = 0 ]; then
      before=$(ls "$corpus" | wc -l)
      "$build/fuzz/fuzz_$t" -merge=1 -rss_limit_mb=2048 -timeout=20 "$corpus" "$work" 2>/dev/null
      echo "   corpus: $before -> $(ls "$corpus" | wc -l) inputs"
    fi
    rm -rf "$work"
  else
    "$build/fuzz/fuzz_$t" -runs=0 -rss_limit_mb=2048 -timeout=20 "$corpus" || status=1
  fi
done
exit $status

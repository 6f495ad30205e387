#!/bin/sh
# Builds the libnrt test double into $1 (target/libnrt-double/libnrt.so.1). Without gcc the double
# is not built and the tests that need it are skipped; the build itself still passes.
set -eu
out_dir="$1"
src_dir="$(dirname "$0")"
if ! command -v gcc >/dev/null 2>&1; then
  echo "NOTICE: gcc not found: the libnrt test double is not built, native backend tests will be skipped."
  exit 0
fi
if ! printf '#include <zlib.h>\n' | gcc -E -x c - >/dev/null 2>&1; then
  echo "NOTICE: zlib headers not found (Debian: zlib1g-dev): the libnrt test double is not built, native backend tests will be skipped."
  exit 0
fi
mkdir -p "$out_dir"
gcc -std=c11 -D_GNU_SOURCE -O2 -ffp-contract=off -Wall -Wextra -Werror -fPIC -shared -Wl,-soname,libnrt.so.1 \
  -o "$out_dir/libnrt.so.1" "$src_dir/nrt_double.c" -lz -lm -pthread
# The same double as an older libnrt, without the functions newer runtimes added.
mkdir -p "$out_dir/old"
gcc -std=c11 -D_GNU_SOURCE -DNRT_DOUBLE_OLD_RUNTIME -O2 -ffp-contract=off -Wall -Wextra -Werror -fPIC -shared -Wl,-soname,libnrt.so.1 \
  -o "$out_dir/old/libnrt.so.1" "$src_dir/nrt_double.c" -lz -lm -pthread

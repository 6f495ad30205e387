#!/bin/sh
# Builds the native backend's two test products into OUT_DIR (target/libnrt-double), run by the pom at
# process-test-classes:
#   OUT_DIR/libnrt.so.1 (and OUT_DIR/old/libnrt.so.1)  the libnrt test double, by gcc from nrt_double.c
#   OUT_DIR/neuronx-cc                                  the stand-in compiler, a script running
#                                                       dev.nrt4j.nativert.standin.NeuronxCcStandIn
#
# usage: build-double.sh OUT_DIR [JAVA TEST_CLASSES CLASSES CLASSPATH_FILE]
#   JAVA            the java executable of the JDK that built the classes (the script runs it)
#   TEST_CLASSES    backend-native's test classes, CLASSES its main classes
#   CLASSPATH_FILE  the rest of the test class path, one line, as maven-dependency-plugin writes it
# Without the last four arguments only the double is built.
#
# Without gcc or the zlib headers the double is not built: normally a NOTICE, the build passes and the
# tests that need the double are skipped; under strict mode (NRT4J_STRICT=1, or -Dnrt4j.strict=true,
# which the pom passes as NRT4J_STRICT_PROPERTY and which wins, as in the tests) the build fails saying
# what to install, so that CI never passes with those tests skipped.
set -eu
out_dir="$1"
src_dir="$(dirname "$0")"

# Single-quotes a string for sh: ' becomes '\''.
quote() {
  printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

write_standin() {
  java="$1" test_classes="$2" classes="$3" cp_file="$4"
  if [ ! -r "$cp_file" ]; then
    echo "ERROR: $cp_file (the stand-in neuronx-cc's class path, written by maven-dependency-plugin) is missing" >&2
    exit 1
  fi
  class_path="$test_classes:$classes:$(cat "$cp_file")"
  mkdir -p "$out_dir"
  tmp="$out_dir/neuronx-cc.tmp"
  {
    echo '#!/bin/sh'
    echo "# nrt4j's stand-in for neuronx-cc, written by backend-native/src/test/c/build-double.sh: compiles HLO"
    echo '# modules (HloModuleProto .pb) into NEFFs the libnrt test double runs. It runs the JDK and the classes'
    echo '# of the build that wrote it; after a clean, build again (./mvnw -pl backend-native -am verify).'
    echo "if [ ! -d $(quote "$test_classes") ]; then"
    echo "  echo $(quote "ERROR [nrt4j stand-in] its classes are gone ($test_classes); build them again: ./mvnw -pl backend-native -am verify") >&2"
    echo '  exit 1'
    echo 'fi'
    # A compile is one short run: C1 only and the serial collector start fastest.
    echo "exec $(quote "$java") -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp $(quote "$class_path") dev.nrt4j.nativert.standin.NeuronxCcStandIn \"\$@\""
  } > "$tmp"
  chmod 755 "$tmp"
  mv -f "$tmp" "$out_dir/neuronx-cc"
  echo "stand-in neuronx-cc: $out_dir/neuronx-cc"
}

strict() {
  v="${NRT4J_STRICT_PROPERTY:-}"
  [ -n "$v" ] || v="${NRT4J_STRICT:-}"
  case "$v" in
    1|true|TRUE|True|yes|YES|Yes) return 0 ;;
    *) return 1 ;;
  esac
}

# $1: what is missing. Fails under strict mode, else says the tests will be skipped.
cannot_build() {
  if strict; then
    echo "ERROR: $1: the libnrt test double cannot be built, and strict mode (NRT4J_STRICT=1 or -Dnrt4j.strict=true) does not allow skipping the native backend's tests. Install gcc and the zlib headers (Debian/Ubuntu: apt-get install gcc zlib1g-dev)." >&2
    exit 1
  fi
  echo "NOTICE: $1: the libnrt test double is not built, native backend tests will be skipped (Debian/Ubuntu: apt-get install gcc zlib1g-dev)."
  exit 0
}

# The stand-in first: it needs no C compiler.
if [ "$#" -ge 5 ]; then
  write_standin "$2" "$3" "$4" "$5"
fi

if ! command -v gcc >/dev/null 2>&1; then
  cannot_build "gcc not found"
fi
if ! printf '#include <zlib.h>\n' | gcc -E -x c - >/dev/null 2>&1; then
  cannot_build "zlib headers not found (zlib.h)"
fi
mkdir -p "$out_dir"
gcc -std=c11 -D_GNU_SOURCE -O2 -ffp-contract=off -Wall -Wextra -Werror -fPIC -shared -Wl,-soname,libnrt.so.1 \
  -o "$out_dir/libnrt.so.1" "$src_dir/nrt_double.c" -lz -lm -pthread
# The same double as an older libnrt, without the functions newer runtimes added.
mkdir -p "$out_dir/old"
gcc -std=c11 -D_GNU_SOURCE -DNRT_DOUBLE_OLD_RUNTIME -O2 -ffp-contract=off -Wall -Wextra -Werror -fPIC -shared -Wl,-soname,libnrt.so.1 \
  -o "$out_dir/old/libnrt.so.1" "$src_dir/nrt_double.c" -lz -lm -pthread

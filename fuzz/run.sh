#!/usr/bin/env bash
# Fuzzes the Jazzer targets of fuzz/ (coverage-guided, in fuzzing mode), each for DURATION, one
# JVM per target under -Xmx256m, and prints per target the executions and the findings.
#
#   fuzz/run.sh DURATION [TARGET...]
#     DURATION   per target: 45 or 45s, 10m, 1h
#     TARGET     a class (every target in it), such as DomainNameFuzz, or Class#method, such as
#                DkimVerifierFuzz#verify; all targets when none is given
#
#   fuzz/run.sh 30s DomainNameFuzz
#   fuzz/run.sh 10m
#   FUZZ_MAVEN_ARGS=-o fuzz/run.sh 60s SpfCheckHostFuzz#check    # Maven offline
#   FUZZ_JOBS=4 fuzz/run.sh 10m                                   # four targets at a time
#
# Findings (crash-*, timeout-*, ...) are written to the target's regression-input folder,
# fuzz/src/test/resources/org/mailauth4j/fuzz/<Class>Inputs/<method>/, so that once committed
# they run in every `mvn verify`. The inputs the fuzzer finds interesting go to
# fuzz/.cifuzz-corpus/ (not committed) and are picked up again by the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  sed -n '2,13p' "$0" >&2
  exit 2
}
[ $# -ge 1 ] || usage
case "$1" in
  *[0-9]h) seconds=$(( ${1%h} * 3600 )) ;;
  *[0-9]m) seconds=$(( ${1%m} * 60 )) ;;
  *[0-9]s) seconds=${1%s} ;;
  *[0-9]) seconds=$1 ;;
  *) usage ;;
esac
shift

package=org.mailauth4j.fuzz
sources=fuzz/src/test/java/${package//.//}
resources=fuzz/src/test/resources/${package//.//}

# Every method annotated @FuzzTarget, as Class#method.
all_targets() {
  for file in "$sources"/*.java; do
    awk -v class="$(basename "$file" .java)" '
      /@FuzzTarget/ { marked = 1; next }
      marked && match($0, /void [A-Za-z0-9_]+\(/) {
        print class "#" substr($0, RSTART + 5, RLENGTH - 6); marked = 0
      }' "$file"
  done
}

targets=()
if [ $# -eq 0 ]; then
  mapfile -t targets < <(all_targets)
else
  for wanted in "$@"; do
    matched=0
    while read -r t; do
      if [ "$t" = "$wanted" ] || [ "${t%%#*}" = "$wanted" ]; then
        targets+=("$t"); matched=1
      fi
    done < <(all_targets)
    [ $matched -eq 1 ] || { echo "no fuzz target $wanted; there are:" >&2; all_targets >&2; exit 2; }
  done
fi

echo "Building the fuzz module and its test class path..." >&2
# shellcheck disable=SC2086 # FUZZ_MAVEN_ARGS is a list of Maven options
mvn -B -q ${FUZZ_MAVEN_ARGS:-} -pl fuzz -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
classpath="$PWD/fuzz/target/test-classes:$(cat fuzz/target/test.classpath)"

findings_in() {
  find "$1" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'slow-unit-*' \
    -o -name 'oom-*' -o -name 'leak-*' \) -printf '%f\n' 2>/dev/null | sort
}

logs=fuzz/target/fuzz-logs
mkdir -p "$logs"

# Fuzzes one target and writes its summary line beside its log.
fuzz_one() {
  local target=$1 class method inputs before log status runs new
  class=${target%%#*}
  method=${target#*#}
  inputs=$resources/${class}Inputs/$method
  mkdir -p "$inputs"
  before=$(findings_in "$inputs")
  log=$logs/$class.$method.log
  echo "=== $target for ${seconds}s (log: $log)" >&2
  status=0
  # From fuzz/, so that Jazzer finds src/test/resources for its findings. libFuzzer's flags come
  # last and win: the duration, and -timeout for inputs that hang. The targets check the 1-second
  # budget themselves; -timeout is kept far above it, as the first input also pays for loading
  # and instrumenting classes, which takes seconds when several targets start at once.
  (
    cd fuzz
    exec java -Xmx256m -XX:-OmitStackTraceInFastThrow -cp "$classpath" \
      com.code_intelligence.jazzer.Jazzer \
      --target_class="$package.$class" --target_method="$method" \
      --instrument='org.mailauth4j.**,org.xbill.DNS.**' --keep_going=25 \
      -max_total_time="$seconds" -timeout=60 -print_final_stats=1
  ) >"$log" 2>&1 || status=$?
  runs=$(grep -aoE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  [ -n "$runs" ] || runs=$(grep -aoE '^#[0-9]+' "$log" | tr -d '#' | tail -1 || true)
  new=$(comm -13 <(echo "$before") <(findings_in "$inputs") | grep -c . || true)
  printf '%-46s %12s %9s %7s\n' "$target" "${runs:-?}" "$new" "$status" >"$log.summary"
  if [ "$new" -gt 0 ]; then
    grep -aE '^== Java Exception|^(java|org|com)\.[A-Za-z.]+(Exception|Error)|^\s+at ' "$log" \
      | head -12 >&2 || true
  fi
}

# FUZZ_JOBS targets at a time (default 1): each gets a share of the cores, all the same time.
jobs_max=${FUZZ_JOBS:-1}
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
    wait -n || true
  done
  fuzz_one "$target" &
done
wait

summary=()
for target in "${targets[@]}"; do
  summary+=("$(cat "$logs/${target%%#*}.${target#*#}.log.summary")")
done

echo
printf '%-46s %12s %9s %7s\n' target executions findings exit
printf '%s\n' "${summary[@]}"
echo
echo "Findings are files in $resources/<Class>Inputs/<method>/;"
echo "commit them to keep them as regression inputs (see fuzz/README.md)."

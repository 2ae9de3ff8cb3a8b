#!/usr/bin/env bash
# Builds the benchmarks and runs them: JMH's output, then a summary table with the ratios to the
# crypto floor and to Apache jDKIM. Arguments go to the benchmark runner:
#   benchmarks/run.sh              full run (about twenty minutes on two cores)
#   benchmarks/run.sh --quick      shorter iterations, for a first look
# To measure your own messages: -Dbench.corpus=DIR, with DIR/*.eml and their keys in DIR/keys.zone:
#   JAVA_TOOL_OPTIONS=-Dbench.corpus=/path/to/dir benchmarks/run.sh
# Another JDK: JAVA=/path/to/bin/java benchmarks/run.sh (its forks run on the same JDK).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests -Dspotless.check.skip -Dmaven.javadoc.skip=true \
  -Dmaven.source.skip=true
exec "${JAVA:-java}" -jar benchmarks/target/benchmarks.jar "$@"

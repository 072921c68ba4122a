#!/usr/bin/env bash
# Orchestration overhead, run by hand (never in CI): a workflow of ten no-op activities, end to end, RUNS times
# after 20 warm-up runs, on the in-memory server and on the real dev server (the Temporal CLI's, SQLite state),
# one after the other in the same script run, the same JVM options. Prints one line per server.
# Usage: RUNS=200 bench/orchestration.sh
set -euo pipefail
runs="${RUNS:-200}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
mvn -q -B -o -f "$here/pom.xml" -pl worker -am test-compile -DskipTests >&2
cp=$(mvn -q -B -o -f "$here/worker/pom.xml" dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=/dev/stdout)
cp="$here/worker/target/test-classes:$here/worker/target/classes:$here/activities/target/classes:$here/workflows/target/classes:$cp"
bench_() { java -Xmx256m -cp "$cp" lifeboat.worker.bench.OrchestrationBench "$@" 2>"$work/bench.err" | tail -1; }
bench_ memory "$runs"
BENCH_SERVER=real bench_server
bench_ "127.0.0.1:$tport" "$runs"
echo "$(nproc) cores; Temporal CLI $(temporal --version)"

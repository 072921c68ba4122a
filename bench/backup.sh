#!/usr/bin/env bash
# Backup benchmark, run by hand (never in CI): one realistic database, paired in one run, RUNS times each,
# interleaved, all at the same zstd level (Lifeboat's default, 1):
#   (1) bare `pg_dump -Fc -Z0 > /dev/null`                           the floor
#   (2) `pg_dump -Fc -Z0 | zstd -1 | gpg -z 0 --encrypt -r KEY > f`   the shell pipeline Lifeboat replaces
#   (3) `lifeboat backup run --wait`, worker on the in-memory server  with the worker's peak RSS
#   (4) `lifeboat backup run --wait`, worker on the real dev server   (the Temporal CLI's, SQLite state)
# Each Lifeboat run is split into: CLI start → workflow started, each step, workflow closed → CLI exit.
# The backup workers hold the public key only (role backup), as docs/temporal.md recommends, so verify re-reads
# the object and checks its SHA-256; content checks run where the private key is.
# Usage: RUNS=3 bench/backup.sh [SCALE] [DATA_SQL]   SCALE 5 of ../shared/bench/mixed-data.sql is about 800 MB.
# Writes Markdown tables to stdout; paste them into docs/benchmarks.md.
set -euo pipefail
scale="${1:-5}"
runs="${RUNS:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
data_sql="${2:-$here/../shared/bench/mixed-data.sql}"

bench_cluster
url="postgresql://postgres@127.0.0.1:$port/bench"
bench_load "$scale" "$data_sql"
bench_key
cat > "$work/lifeboat.yaml" <<YAML
repositories:
  local: { type: filesystem, path: ./repo }
encryption:
  recipients: [bench.pub.asc]
databases:
  bench: { engine: postgres, url: "$url", repository: local }
YAML
BENCH_SERVER=memory bench_worker "$work/lifeboat.yaml" backup
mem_port=$tport; mem_worker=$worker
tport=""
BENCH_SERVER=real bench_worker "$work/lifeboat.yaml" backup
real_port=$tport; real_worker=$worker

median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.2f}')" "$@"; }
# epoch seconds of a workflow's start and close, from the server
wf_times() {
  temporal workflow describe -w "$2" --address "127.0.0.1:$1" -o json | python3 -c '
import json, sys, datetime
def ts(s):
    s = s.rstrip("Z")
    if "." in s:
        whole, frac = s.split(".")
        s = whole + "." + (frac + "000000")[:6]
    return datetime.datetime.fromisoformat(s).replace(tzinfo=datetime.timezone.utc).timestamp()
info = json.load(sys.stdin)["workflowExecutionInfo"]
print(ts(info["startTime"]), ts(info["closeTime"]))'
}

declare -A col
add() { col[$1]="${col[$1]:-} $2"; }
lifeboat_run() { # PORT LABEL
  local p=$1 label=$2
  sync; local t0; t0=$(now)
  "$here/lifeboat" backup run bench --wait --address "127.0.0.1:$p" > "$work/run.log"
  local t1; t1=$(now)
  local id; id=$(awk '/workflow/ {print $NF; exit}' "$work/run.log")
  read -r ws wc < <(wf_times "$p" "$id")
  add "$label.wall" "$(secs "$t0" "$t1")"
  add "$label.cli_start" "$(secs "$t0" "$ws")"
  add "$label.workflow" "$(secs "$ws" "$wc")"
  add "$label.cli_exit" "$(secs "$wc" "$t1")"
  "$here/lifeboat" status "$id" --address "127.0.0.1:$p" > "$work/status.log"
  for step in prepare dump-to-repository verify publish-manifest; do
    add "$label.$step" "$(awk -v s="$step" '$1 == s {v=$3; u=$4; if (u == "ms") v = v / 1000; print v}' "$work/status.log")"
  done
  log "$label run: $(secs "$t0" "$t1") s"
}

for i in $(seq 1 "$runs"); do
  sync; t0=$(now); "$bindir/pg_dump" -Fc -Z0 --dbname="$url" > /dev/null; add bare "$(secs "$t0" "$(now)")"
  sync; t0=$(now)
  "$bindir/pg_dump" -Fc -Z0 --dbname="$url" | zstd -q -1 | gpg -z 0 --batch --trust-model always --encrypt -r "$fpr" > "$work/shell.zst.gpg"
  add shell "$(secs "$t0" "$(now)")"
  shell_size=$(stat -c %s "$work/shell.zst.gpg"); rm -f "$work/shell.zst.gpg"
  lifeboat_run "$mem_port" memory
  lifeboat_run "$real_port" real
  log "run $i done"
done
raw=$("$bindir/pg_dump" -Fc -Z0 --dbname="$url" | wc -c)
lb_size=$(find "$work/repo" -name 'data.zst.pgp' -printf '%s\n' | head -1)
rss_mem=$(awk '/VmHWM/ {print $2}' "/proc/$mem_worker/status")
rss_real=$(awk '/VmHWM/ {print $2}' "/proc/$real_worker/status")
m() { median ${col[$1]}; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}x')"; }

cat <<MD
| what (median of $runs, interleaved) | in-memory server | real dev server |
|---|---|---|
| bare \`pg_dump -Fc -Z0 > /dev/null\` | $(m bare) s | |
| \`pg_dump -Fc -Z0 \| zstd -1 \| gpg -z 0 --encrypt\` ($shell_size B) | $(m shell) s | |
| \`lifeboat backup run --wait\`, zstd 1 ($lb_size B) | $(m memory.wall) s | $(m real.wall) s |
| **ratio to the shell pipeline** | **$(ratio "$(m memory.wall)" "$(m shell)")** | **$(ratio "$(m real.wall)" "$(m shell)")** |
| ↳ CLI start → workflow started | $(m memory.cli_start) s | $(m real.cli_start) s |
| ↳ workflow started → closed | $(m memory.workflow) s | $(m real.workflow) s |
| ↳↳ prepare | $(m memory.prepare) s | $(m real.prepare) s |
| ↳↳ dump-to-repository | $(m memory.dump-to-repository) s | $(m real.dump-to-repository) s |
| ↳↳ verify (re-read, SHA-256) | $(m memory.verify) s | $(m real.verify) s |
| ↳↳ publish-manifest | $(m memory.publish-manifest) s | $(m real.publish-manifest) s |
| ↳ workflow closed → CLI exit | $(m memory.cli_exit) s | $(m real.cli_exit) s |
| worker peak RSS (VmHWM) | $((rss_mem / 1024)) MB | $((rss_real / 1024)) MB |

Every run: bare ${col[bare]}; shell ${col[shell]}; in-memory ${col[memory.wall]}; real ${col[real.wall]} (s).
Database: mixed-data.sql scale ${scale} (${db_size} on disk, ${raw} B dump). Workers with the launcher's JVM options${LIFEBOAT_JAVA_OPTS:+ and $LIFEBOAT_JAVA_OPTS}, role backup. $(nproc) cores.
MD

#!/usr/bin/env bash
# Backup benchmark, run by hand (never in CI): one realistic database, three ways, in the same run.
#   (1) bare `pg_dump -Fc -Z0 > /dev/null`                       the floor
#   (2) `pg_dump -Fc -Z0 | zstd | gpg -z 0 --encrypt -r KEY > f`  the shell pipeline Lifeboat replaces
#   (3) `lifeboat backup run --wait` against a separate worker     with the worker's peak RSS
# Usage: bench/backup.sh [SCALE] [DATA_SQL]   SCALE 5 of ../shared/bench/mixed-data.sql is about 800 MB.
# Writes a Markdown table to stdout; paste it into docs/benchmarks.md.
set -euo pipefail
scale="${1:-5}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
data_sql="${2:-$here/../shared/bench/mixed-data.sql}"

bench_cluster
url="postgresql://postgres@127.0.0.1:$port/bench"
bench_load "$scale" "$data_sql"
bench_key

# --- (1) bare dump
sync; t0=$(now)
"$bindir/pg_dump" -Fc -Z0 --dbname="$url" > /dev/null
t_bare=$(secs "$t0" "$(now)")
raw=$("$bindir/pg_dump" -Fc -Z0 --dbname="$url" | wc -c)
log "bare pg_dump: $t_bare s, $raw bytes"

# --- (2) shell pipeline
sync; t0=$(now)
"$bindir/pg_dump" -Fc -Z0 --dbname="$url" | zstd -q -3 | gpg -z 0 --batch --trust-model always --encrypt -r "$fpr" > "$work/shell.zst.gpg"
t_shell=$(secs "$t0" "$(now)")
shell_size=$(stat -c %s "$work/shell.zst.gpg")
rm -f "$work/shell.zst.gpg"
log "shell pipeline: $t_shell s, $shell_size bytes"

# --- (3) Lifeboat: embedded server in one process, worker in another (its RSS is the worker's alone).
# The backup worker holds the public key only, as docs/configuration.md recommends, so its verify step
# re-reads the object and checks the SHA-256; content checks run where the private key is (restores).
cat > "$work/lifeboat.yaml" <<YAML
repositories:
  local: { type: filesystem, path: ./repo }
encryption:
  recipients: [bench.pub.asc]
databases:
  bench: { engine: postgres, url: "$url", repository: local }
  bench_level1: { engine: postgres, url: "$url", repository: local, compressionLevel: 1 }
YAML
bench_worker "$work/lifeboat.yaml"
sync; t0=$(now)
lifeboat backup run bench --wait > "$work/run.log"
t_lifeboat=$(secs "$t0" "$(now)")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$worker/status")
lb_size=$(find "$work/repo" -name 'data.zst.pgp' -printf '%s\n')
lifeboat status "$(awk '/workflow/ {print $NF; exit}' "$work/run.log")" > "$work/status.log"
cat "$work/status.log" >&2
dump_step=$(awk '$1 == "dump-to-repository" {print $3, $4}' "$work/status.log")
log "lifeboat: $t_lifeboat s wall, dump step $dump_step, $lb_size bytes, worker peak RSS $((rss_kb / 1024)) MB"

# (3b) the same with zstd level 1 (compressionLevel: 1): how much of the time is compression
sync; t0=$(now)
lifeboat backup run bench_level1 --wait > "$work/run1.log"
t_level1=$(secs "$t0" "$(now)")
lifeboat status "$(awk '/workflow/ {print $NF; exit}' "$work/run1.log")" > "$work/status1.log"
dump_step1=$(awk '$1 == "dump-to-repository" {print $3, $4}' "$work/status1.log")
level1_size=$(find "$work/repo/backups/bench_level1" -name 'data.zst.pgp' -printf '%s\n')
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$worker/status")
log "lifeboat level 1: $t_level1 s wall, dump step $dump_step1, $level1_size bytes"

cat <<MD
| what | wall time | stored size |
|---|---|---|
| bare \`pg_dump -Fc -Z0 > /dev/null\` | ${t_bare} s | ${raw} B raw |
| \`pg_dump -Fc -Z0 \| zstd -3 \| gpg -z 0 --encrypt\` | ${t_shell} s | ${shell_size} B |
| \`lifeboat backup run --wait\` (whole workflow: prepare, dump, verify, manifest) | ${t_lifeboat} s | ${lb_size} B |
| of which the dump-to-repository step | ${dump_step} | |
| \`lifeboat backup run --wait\` with \`compressionLevel: 1\` | ${t_level1} s | ${level1_size} B |
| of which the dump-to-repository step | ${dump_step1} | |

Database: mixed-data.sql scale ${scale} (${db_size} on disk). Worker peak RSS (VmHWM): $((rss_kb / 1024)) MB with ${LIFEBOAT_JAVA_OPTS:--Xmx256m}. $(nproc) cores.
MD

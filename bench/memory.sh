#!/usr/bin/env bash
# Worker memory, run by hand (never in CI): for each phase a fresh worker started by the launcher with its
# default JVM options (or LIFEBOAT_JAVA_OPTS), its RSS sampled every 0.2 s: a backup of the realistic database to
# a filesystem repository, and to S3 (s3proxy; multipart parts in flight), then a restore of each into a fresh
# database (pg_restore streaming). A fresh worker per phase, because a JVM keeps what it once took.
# Usage: bench/memory.sh [SCALE] [PHASES]   SCALE 5 of ../shared/bench/mixed-data.sql is about 800 MB;
# PHASES a subset of "fs-backup s3-backup fs-restore s3-restore" (the restores need their backups);
# S3_PART_MB sets the S3 repository's partSizeMb (default 16).
# Writes Markdown to stdout; paste it into docs/benchmarks.md.
set -euo pipefail
scale="${1:-5}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_cluster
bench_load "$scale" "$here/../shared/bench/mixed-data.sql"
bench_key
bench_s3
url="postgresql://postgres@127.0.0.1:$port"
phases="${2:-fs-backup s3-backup fs-restore s3-restore}"
entries="  bench: { engine: postgres, url: \"$url/bench\", repository: local }
  bench_s3: { engine: postgres, url: \"$url/bench\", repository: s3 }"
expected=$(pg psql -At -c 'select count(*) from events' bench)

rows=()
phase() { # NAME COMMAND...: a fresh worker, the command, the worker's peak
  bench_restoring_worker "$entries"
  bench_rss_sampler
  local rest t0; rest=$(bench_rss_now_mb); t0=$(now)
  "${@:2}" > "$work/phase.log" 2>&1 || { cat "$work/phase.log" >&2; exit 1; }
  sleep 0.5 # one more sample
  rows+=("| $1 | $(secs "$t0" "$(now)") s | $rest MB | **$(bench_rss_peak_mb) MB** |")
  kill "$worker"; wait "$worker" 2>/dev/null || true
}
restored() { # DB: the restore kept every row
  [ "$(pg psql -At -c 'select count(*) from events' "$1")" = "$expected" ] || { log "restore into $1 lost rows"; exit 1; }
}
for p in $phases; do
  case "$p" in
    fs-backup) phase "backup, filesystem repository" lifeboat backup run bench --wait ;;
    s3-backup) phase "backup, S3 repository (s3proxy)" lifeboat backup run bench_s3 --wait ;;
    fs-restore) pg createdb from_fs; phase "restore from the filesystem" lifeboat restore bench --to "$url/from_fs" --wait
      restored from_fs ;;
    s3-restore) pg createdb from_s3; phase "restore from S3" lifeboat restore bench_s3 --to "$url/from_s3" --wait
      restored from_s3 ;;
  esac
done

cat <<MD
| a fresh worker (launcher defaults${LIFEBOAT_JAVA_OPTS:+, LIFEBOAT_JAVA_OPTS=$LIFEBOAT_JAVA_OPTS}), database $db_size | took | RSS at rest | **peak RSS** |
|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

$(nproc) cores, scale $scale of mixed-data.sql, $(grep -o 'Xmx[0-9a-z]*' "$here/lifeboat" | head -1) in the launcher; restores checked by row count.
MD

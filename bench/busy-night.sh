#!/usr/bin/env bash
# A busy night, run by hand (never in CI): N databases (default 100; half SQLite files, half PostgreSQL
# databases in one cluster, each a few MB of the mixed data's shape) whose backups all start in the same minute,
# on ONE worker (role backup, the launcher's JVM options) against the real dev server. Reports the total time, how many finished
# and verified, duplicates or leftovers in the repository, and the worker's RSS sampled every 0.2 s (peak, and
# at the end).
# Usage: N=100 bench/busy-night.sh
set -euo pipefail
n="${N:-100}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_cluster
bench_key
half=$((n / 2))
{
  echo "repositories:"
  echo "  local: { type: filesystem, path: ./repo }"
  echo "encryption:"
  echo "  recipients: [bench.pub.asc]"
  echo "databases:"
  for i in $(seq 1 "$half"); do
    echo "  lite$i: { engine: sqlite, path: ./sqlite/lite$i.db, repository: local }"
  done
  for i in $(seq $((half + 1)) "$n"); do
    echo "  pg$i: { engine: postgres, url: \"postgresql://postgres@127.0.0.1:$port/pg$i\", repository: local }"
  done
} > "$work/lifeboat.yaml"
mkdir -p "$work/sqlite"
make_rows="CREATE TABLE customers(id integer PRIMARY KEY, name text, email text, created text);
  CREATE TABLE events(id integer PRIMARY KEY, customer_id integer, kind text, payload text);"
for i in $(seq 1 "$half"); do
  sqlite3 "$work/sqlite/lite$i.db" "$make_rows
    WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 20000)
    INSERT INTO customers SELECT x, 'customer ' || x, 'c' || x || '@example.com', datetime('now', '-' || x || ' minutes') FROM g;
    WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 40000)
    INSERT INTO events SELECT x, x % 20000, 'kind' || (x % 7), hex(randomblob(24)) || '{\"n\":' || x || '}' FROM g;"
done
for i in $(seq $((half + 1)) "$n"); do
  pg createdb "pg$i"
  pg psql -q "pg$i" -c "CREATE TABLE customers(id int PRIMARY KEY, name text, email text, created timestamptz);
    CREATE TABLE events(id int PRIMARY KEY, customer_id int, kind text, payload jsonb);
    INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com', now() - g * interval '1 minute' FROM generate_series(1, 20000) g;
    INSERT INTO events SELECT g, g % 20000, 'kind' || (g % 7), jsonb_build_object('n', g, 'digest', md5(g::text)) FROM generate_series(1, 40000) g;"
done
log "$n databases made: $(du -sh "$work/sqlite" | cut -f1) of SQLite, $(pg psql -At -c "select pg_size_pretty(sum(pg_database_size(datname))) from pg_database where datname like 'pg%'" postgres) of PostgreSQL"

BENCH_SERVER=real bench_worker "$work/lifeboat.yaml" backup
( peak=0; while kill -0 "$worker" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$worker/status" 2>/dev/null || echo 0)
    [ "$rss" -gt "$peak" ] && peak=$rss && echo "$peak" > "$work/rss-peak"
    sleep 0.2
  done ) &
sampler=$!
pids+=($sampler)
rss_before=$(awk '/VmRSS/ {print $2}' "/proc/$worker/status")

# Every backup starts in the same second, as a "0 2 * * *" on every runbook would start them.
t0=$(now)
names=$(for i in $(seq 1 "$half"); do echo "lite$i"; done; for i in $(seq $((half + 1)) "$n"); do echo "pg$i"; done)
starts=()
for db in $names; do
  temporal workflow start --address "127.0.0.1:$tport" --task-queue lifeboat --type BackupWorkflow \
    --workflow-id "backup-$db-night" --input "{\"database\":\"$db\"}" >/dev/null &
  starts+=($!)
done
wait "${starts[@]}"
t_started=$(now)
log "$n backups started in $(secs "$t0" "$t_started") s"
failed=0
for db in $names; do
  temporal workflow result --address "127.0.0.1:$tport" --workflow-id "backup-$db-night" >/dev/null 2>&1 \
    || { failed=$((failed + 1)); log "backup of $db did not complete"; }
done
t_done=$(now)
manifests=$(find "$work/repo/backups" -name manifest.json | wc -l)
verified=$(find "$work/repo/backups" -name manifest.json -exec grep -l '"verified" *: *true' {} + | wc -l)
partials=$(find "$work/repo" -name '*.partial-*' | wc -l)
folders_twice=$(for d in "$work"/repo/backups/*; do ls "$d" | wc -l; done | awk '$1 != 1' | wc -l)
rss_end=$(awk '/VmRSS/ {print $2}' "/proc/$worker/status")
peak=$(cat "$work/rss-peak")
cat <<MD
| busy night: $n backups started in the same second, one worker (role backup, launcher defaults${LIFEBOAT_JAVA_OPTS:+ + $LIFEBOAT_JAVA_OPTS}), real dev server | |
|---|---|
| all started | $(secs "$t0" "$t_started") s |
| first start → last result | **$(secs "$t0" "$t_done") s** |
| completed / failed | $((n - failed)) / $failed |
| manifests, verified | $manifests, $verified |
| databases with more than one backup folder; partial objects left | $folders_twice; $partials |
| worker RSS before / **peak** / after | $((rss_before / 1024)) / **$((peak / 1024))** / $((rss_end / 1024)) MB |

$(nproc) cores; $(grep -c . <<<"$names") databases ($half SQLite, $((n - half)) PostgreSQL 15). Temporal CLI $(temporal --version | awk '{print $3}').
MD

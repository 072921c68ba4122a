#!/usr/bin/env bash
# Point-in-time recovery benchmark, run by hand (never in CI): Lifeboat against pgBackRest (Debian's 2.45) on the
# same cluster in the same run, both archiving it at the same time, both zstd level 1 and encrypted:
#   (1) base backup time: `lifeboat backup run --type base --wait` and `pgbackrest backup --type=full`, idle cluster
#   (2) archive throughput and lag under a pgbench write load (LOAD_SECS, RATE tps on the mixed data's tables): every
#       second, the server's pg_current_wal_lsn() against the end of the WAL each repository holds (read from the
#       repository listings: Lifeboat's full segments and its partial object's byte count, pgBackRest's segments)
#   (3) restore to a moment in the middle of the load: command start to a promoted server answering a query
#   (4) the recovery point: a client writes numbered rows throughout (one connection, each acknowledged commit
#       logged), the load stops, the client writes on alone for QUIET_SECS, then the primary's host "dies": the
#       postmaster, its children and pgBackRest's archive processes (they run on that host) SIGKILLed at once;
#       Lifeboat's worker (another host in real life) survives. Each tool then restores its latest moment and the
#       acknowledged rows missing there are counted.
# Lifeboat: WAL streamed from a physical slot (wal: { archive: stream, partialEvery: 10s }), zstd 1 + OpenPGP, worker
# on the Temporal CLI's dev server (BENCH_SERVER=memory for the in-memory one). pgBackRest: archive_command
# archive-push with archive-async (what its user guide recommends for a busy primary), process-max=2, zst level 1,
# aes-256-cbc, posix repository, start-fast; archive_timeout=60s on the server (for both; the slot ignores it).
# Usage: [LOAD_SECS=60] [RATE=0 (tps; 0, the default: as fast as pgbench goes)] [QUIET_SECS=30] [PITR_KEEP=DIR (keep the
#   samples, the client's log and both archives' listings there)] bench/pitr.sh [SCALE] [DATA_SQL]
#   SCALE 5 of ../shared/bench/mixed-data.sql is a 1.7 GB cluster; the run took 6.5 minutes at that scale.
# Writes Markdown tables to stdout; paste them into docs/benchmarks.md.
set -euo pipefail
scale="${1:-5}"
load_secs="${LOAD_SECS:-60}"
rate="${RATE:-0}"
quiet_secs="${QUIET_SECS:-30}"
export BENCH_SERVER="${BENCH_SERVER:-real}"
# archive_mode needs a restart to change, so it is on from the start; nothing is archived while loading (an
# archive_command given on the command line could not be changed later: it is set with alter system instead).
BENCH_PG_OPTS="-c archive_mode=on -c archive_timeout=60s"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
data_sql="${2:-$here/../shared/bench/mixed-data.sql}"
loads=("$(cut -d' ' -f1-3 /proc/loadavg)")

# The restored clusters and pgBackRest's own processes are stopped too, before lib.sh's cleanup removes $work.
pitr_cleanup() {
  for d in "$work"/restore/*/; do
    [ -f "$d/postmaster.pid" ] && as_pg "$bindir/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true
  done
  pgbr_kill
  bench_cleanup
}
pgbr_kill() { # pgBackRest processes of this run only (they all name its config file)
  local p
  p=$(pgrep -f -- "--config=$work/pgbackrest/pgbackrest.conf" || true)
  [ -z "$p" ] || kill -9 $p 2>/dev/null || true
}
trap pitr_cleanup EXIT

bench_cluster
pg psql -q -c "alter system set archive_command = '/bin/true'" -c "select pg_reload_conf()" postgres >/dev/null
url="postgresql://postgres@127.0.0.1:$port/bench"
bench_load "$scale" "$data_sql"
cluster_size=$(du -sh "$work/pg/data" | cut -f1)
pg psql -q -c "create table acked(n bigint primary key, at timestamptz not null default clock_timestamp())" bench
bench_key
mkdir -m 755 "$work/restore"

# --- pgBackRest: its own config, repository, spool, lock and log folders in $work, owned by postgres.
pgbr="$work/pgbackrest"
mkdir -p "$pgbr/repo" "$pgbr/spool" "$pgbr/lock" "$pgbr/log"
cat > "$pgbr/pgbackrest.conf" <<CONF
[global]
repo1-path=$pgbr/repo
repo1-type=posix
repo1-cipher-type=aes-256-cbc
repo1-cipher-pass=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
repo1-retention-full=2
compress-type=zst
compress-level=1
process-max=2
archive-async=y
spool-path=$pgbr/spool
lock-path=$pgbr/lock
log-path=$pgbr/log
log-level-console=warn
log-level-file=info
start-fast=y

[bench]
pg1-path=$work/pg/data
pg1-port=$port
pg1-socket-path=$work/pg
pg1-user=postgres
CONF
[ "$(id -u)" = 0 ] && chown -R postgres "$pgbr"
pgbackrest() { as_pg /usr/bin/pgbackrest --config="$pgbr/pgbackrest.conf" --stanza=bench "$@"; }
pgbackrest stanza-create
pg psql -q -c "alter system set archive_command = '/usr/bin/pgbackrest --config=$pgbr/pgbackrest.conf --stanza=bench archive-push %p'" \
  -c "select pg_reload_conf()" postgres >/dev/null
sleep 1
pgbackrest check

# --- Lifeboat: a restoring worker (it holds the private key) and the WAL archive from the slot. The slot reserves
# WAL from the last checkpoint's redo point: a checkpoint first, so that Lifeboat, like archive_command set now,
# archives from here on and not the whole load again.
pg psql -q -c checkpoint postgres
bench_restoring_worker "  bench: { engine: postgres, url: \"$url\", repository: local, wal: { archive: stream, partialEvery: 10s } }"
lb() { lifeboat "$@" -c "$work/lifeboat.yaml"; }
lb wal start bench >&2
until [ -f "$work/repo/wal/bench/archive.json" ]; do sleep 0.5; done
sleep 2

steps() { # LOG OUT: the steps of the workflow a Lifeboat command's LOG names, "name 1.2 s, …", into OUT
  local id; id=$(awk '/workflow/ {print $NF; exit}' "$1")
  lb status "$id" | awk 'NF >= 4 && ($4 == "ms" || $4 == "s") { printf "%s%s %s %s", sep, $1, $3, $4; sep = ", " }' > "$2"
}

# --- (1) base backups, the cluster idle, one after the other.
sync; t0=$(now)
lb backup run bench --type base --wait > "$work/lb-backup.log"
t_lb_backup=$(secs "$t0" "$(now)")
lb_backup_size=$(find "$work/repo/backups/bench" -name 'base.tar.zst.pgp' -printf '%s\n' | head -1)
log "lifeboat base backup: $t_lb_backup s"
steps "$work/lb-backup.log" "$work/steps-lb-backup"
sync; t0=$(now)
pgbackrest backup --type=full
t_pgbr_backup=$(secs "$t0" "$(now)")
pgbr_backup_size=$(du -sb "$pgbr/repo/backup/bench" | cut -f1)
log "pgbackrest full backup: $t_pgbr_backup s"
loads+=("$(cut -d' ' -f1-3 /proc/loadavg)")

# --- The sampler: every second, the server's position and each repository's end of WAL, into $work/samples
# (epoch server-lsn lifeboat-lsn pgbackrest-lsn; "-" for a server that does not answer).
cat > "$work/sampler.py" <<'PY'
import os, re, subprocess, sys, time
work, port, bindir, pgbr_repo = sys.argv[1:]
seg_size = 16 * 1024 * 1024
name = re.compile(r'^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})(\.partial\.([0-9A-F]+))?-')
def start(m):
    return int(m.group(2), 16) * 2**32 + int(m.group(3), 16) * seg_size
def end_of(root):
    best = 0
    for d, _, files in os.walk(root):
        for f in files:
            m = name.match(f)
            if m:
                e = start(m) + (int(m.group(5), 16) if m.group(4) else seg_size)
                best = max(best, e)
    return best
out = open(f"{work}/samples", "a", buffering=1)
while not os.path.exists(f"{work}/sampler.stop"):
    t = time.time()
    try:
        srv = subprocess.run([f"{bindir}/psql", "-X", "-At", "-h", "127.0.0.1", "-p", port, "-U", "postgres",
                              "-c", "select pg_current_wal_lsn() - '0/0'", "postgres"],
                             capture_output=True, text=True, timeout=2).stdout.strip() or "-"
    except subprocess.TimeoutExpired:
        srv = "-"
    out.write(f"{t:.3f} {srv} {end_of(work + '/repo/wal/bench')} {end_of(pgbr_repo + '/archive/bench')}\n")
    time.sleep(max(0, 1 - (time.time() - t)))
PY
python3 "$work/sampler.py" "$work" "$port" "$bindir" "$pgbr/repo" &
pids+=($!)

# --- The numbered-row client: one connection, autocommit, a row every 20 ms; each acknowledged commit is logged
# ("n epoch-millis") only after the server has answered it.
cat > "$work/Writer.java" <<'JAVA'
import java.sql.*;
public class Writer {
  public static void main(String[] a) throws Exception {
    Class.forName("org.postgresql.Driver");
    try (Connection c = DriverManager.getConnection(a[0]);
         PreparedStatement insert = c.prepareStatement("insert into acked(n) values (?)")) {
      for (long n = 1; ; n++) {
        insert.setLong(1, n);
        insert.executeUpdate();
        System.out.println(n + " " + System.currentTimeMillis());
        System.out.flush();
        Thread.sleep(20);
      }
    } catch (SQLException e) {
      System.err.println("writer stopped: " + e.getMessage());
    }
  }
}
JAVA
cat > "$work/load.sql" <<'SQL'
\set oid random(1, 100000 * :scale)
BEGIN;
UPDATE orders SET status = 'paid', total = total + 1 WHERE id = :oid;
INSERT INTO events (order_id, kind, payload, digest, at)
  VALUES (:oid, 'paid', jsonb_build_object('ip', '10.0.' || (random()*255)::int || '.' || (random()*255)::int,
          'agent', 'Mozilla/5.0 (X11; Linux x86_64)', 'session', md5(random()::text), 'latency_ms', (random()*900)::int),
          md5(random()::text) || md5(random()::text), now());
END;
SQL

sleep 5 # idle samples before the load
java -Xmx64m -cp "$jar" "$work/Writer.java" "jdbc:postgresql://127.0.0.1:$port/bench?user=postgres" \
  > "$work/acked" 2> "$work/writer.log" &
writer=$!
pids+=($writer)
until [ -s "$work/acked" ]; do sleep 0.1; done

# --- (2) the load.
log "pgbench: $load_secs s at $rate tps (0: as fast as it goes), 2 clients"
load_start=$(now)
rate_opt=(); [ "$rate" = 0 ] || rate_opt=(-R "$rate")
pg pgbench -n -f "$work/load.sql" -D scale="$scale" -c 2 -j 2 "${rate_opt[@]}" -T "$load_secs" bench > "$work/pgbench.log" 2>&1 &
pgbench_pid=$!
sleep $((load_secs / 2))
target_epoch=$(date +%s)
target=$(date -u -d "@$target_epoch" '+%Y-%m-%d %H:%M:%S+00')
log "restore target: $target"
wait "$pgbench_pid"
load_end=$(now)
loads+=("$(cut -d' ' -f1-3 /proc/loadavg)")
tps=$(awk '/^tps/ {print $3; exit}' "$work/pgbench.log")
log "load done ($tps tps); the writer alone for $quiet_secs s"
sleep $((quiet_secs / 2))
lb wal status bench --json > "$work/wal-status.json" || true # Lifeboat's own view, for comparison
sleep $((quiet_secs - quiet_secs / 2))

# --- (4) the primary's host dies: the postmaster, every server process and pgBackRest's, in one kill.
pm=$(head -1 "$work/pg/data/postmaster.pid")
victims="$pm $(pgrep -P "$pm" | tr '\n' ' ' || true) $(pgrep -f -- "--config=$pgbr/pgbackrest.conf" | tr '\n' ' ' || true)"
kill_at=$(now)
kill -9 $victims 2>/dev/null || true
log "primary killed at $kill_at"
wait "$writer" 2>/dev/null || true
# Until Lifeboat's archive has not moved for 3 s (what the broken stream sent, stored), at most 30 s.
stable=0; last=""
for _ in $(seq 1 60); do
  cur=$(tail -1 "$work/samples" | cut -d' ' -f3)
  if [ "$cur" = "$last" ]; then stable=$((stable + 1)); else stable=0; last=$cur; fi
  [ "$stable" -ge 6 ] && break
  sleep 0.5
done
touch "$work/sampler.stop"
settled=$(secs "$kill_at" "$(now)")

# --- (3) and (4): the restores, each into an empty folder, timed from the command to a promoted server answering.
# Each prints: seconds rows max-n newest-row-epoch
answer() { # PORT: rows, newest n, newest row's time, once the server answers and has promoted
  local p=$1 q
  until [ "$("$bindir/psql" -X -At -h 127.0.0.1 -p "$p" -U postgres -c "select pg_is_in_recovery()" postgres 2>/dev/null)" = f ]; do
    sleep 0.1
  done
  q="select count(*), coalesce(max(n), 0), coalesce(extract(epoch from max(at)), 0) from acked"
  "$bindir/psql" -X -At -F ' ' -h 127.0.0.1 -p "$p" -U postgres -c "$q" bench
}
lb_restore() { # NAME [--to-time T]
  local name=$1 d="$work/restore/lb-$1" p t0 a; shift
  p=$(free_port); sync; t0=$(now)
  lb restore bench --to-dir "$d" --port "$p" "$@" --wait > "$work/restore-lb-$name.log"
  a=$(answer "$p")
  echo "$(secs "$t0" "$(now)") $a" > "$work/result-lb-$name"
  cat "$work/restore-lb-$name.log" >&2
  steps "$work/restore-lb-$name.log" "$work/steps-lb-$name"
  as_pg "$bindir/pg_ctl" -D "$d" -m immediate stop >/dev/null; rm -rf "$d"
  log "lifeboat restore $name: $(cat "$work/result-lb-$name")"
}
pgbr_restore() { # NAME [pgbackrest restore options]
  local name=$1 d="$work/restore/pgbr-$1" p t0 a; shift
  p=$(free_port)
  mkdir -m 700 "$d"; touch "$d.log"; [ "$(id -u)" = 0 ] && chown postgres "$d" "$d.log"
  sync; t0=$(now)
  pgbackrest restore --pg1-path="$d" --archive-mode=off "$@"
  echo "restore $(secs "$t0" "$(now)") s, then start, replay and promote" > "$work/steps-pgbr-$name"
  as_pg "$bindir/pg_ctl" -D "$d" -l "$d.log" -w -t 600 \
    -o "-p $p -k $d -c listen_addresses=127.0.0.1" start >/dev/null || { tail -20 "$d.log" >&2; exit 1; }
  a=$(answer "$p")
  echo "$(secs "$t0" "$(now)") $a" > "$work/result-pgbr-$name"
  as_pg "$bindir/pg_ctl" -D "$d" -m immediate stop >/dev/null; rm -rf "$d"
  pgbr_kill
  log "pgbackrest restore $name: $(cat "$work/result-pgbr-$name")"
}
lb_restore time --to-time "$target"
pgbr_restore time --type=time --target="$target" --target-action=promote
lb_restore latest
pgbr_restore latest
loads+=("$(cut -d' ' -f1-3 /proc/loadavg)")

lb_wal_size=$(du -sb "$work/repo/wal/bench" | cut -f1)
pgbr_wal_size=$(du -sb "$pgbr/repo/archive/bench" | cut -f1)

if [ -n "${PITR_KEEP:-}" ]; then # for a look afterwards: the samples, the client's log and both archives' listings
  mkdir -p "$PITR_KEEP"
  cp "$work/samples" "$work/acked" "$work/pgbench.log" "$work"/restore-lb-*.log "$work"/steps-* "$work/wal-status.json" "$PITR_KEEP/"
  find "$work/repo/wal" "$pgbr/repo/archive" -type f -printf '%T@ %s %p\n' | sort -n > "$PITR_KEEP/archives"
fi

# --- Markdown.
python3 - "$work" "$load_start" "$load_end" "$kill_at" "$target_epoch" "$target" "$t_lb_backup" "$t_pgbr_backup" \
  "$lb_backup_size" "$pgbr_backup_size" "$lb_wal_size" "$pgbr_wal_size" "$scale" "$db_size" "$cluster_size" \
  "$load_secs" "$rate" "$tps" "$quiet_secs" "$settled" "$(IFS='|'; echo "${loads[*]}")" "$(nproc)" "$BENCH_SERVER" <<'PY'
import statistics, sys
(work, load_start, load_end, kill_at, target_epoch, target, t_lb, t_pg, lb_size, pg_size, lb_wal, pg_wal, scale,
 db_size, cluster_size, load_secs, rate, tps, quiet, settled, loads, cores, server) = sys.argv[1:]
load_start, load_end, kill_at, target_epoch = map(float, (load_start, load_end, kill_at, target_epoch))
samples = []
for line in open(f"{work}/samples"):
    t, srv, lb, pg = line.split()
    samples.append((float(t), None if srv == "-" else int(srv), int(lb), int(pg)))
live = [s for s in samples if s[1] is not None]
def lag_seconds(i, col):
    """How old the newest archived WAL is: now minus the last moment the server had not yet passed it."""
    t, _, *arch = samples[i]
    a = arch[col]
    if a >= samples[i][1]:
        return 0.0
    for s in reversed(samples[:i + 1]):
        if s[1] is not None and s[1] <= a:
            return t - s[0]
    return t - samples[0][0]
window = [i for i, s in enumerate(samples) if load_start <= s[0] <= load_end and s[1] is not None]
first, last = samples[window[0]], samples[window[-1]]
wal_rate = (last[1] - first[1]) / (last[0] - first[0])
def row(col):
    lagb = [max(0, samples[i][1] - samples[i][2 + col]) for i in window]
    lags = [lag_seconds(i, col) for i in window]
    thr = (last[2 + col] - first[2 + col]) / (last[0] - first[0])
    # catch-up: from the load's end until the archive holds the server's position at the load's end
    end_lsn = max(s[1] for s in live if s[0] <= load_end)
    caught = next((s[0] for s in samples if s[0] >= load_end and s[2 + col] >= end_lsn), None)
    cu = f"{caught - load_end:.1f} s" if caught else "not before the kill"
    return (f"{thr / 1e6:.2f} MB/s", f"{statistics.mean(lagb) / 1e6:.1f} MB", f"{max(lagb) / 1e6:.1f} MB",
            f"{statistics.mean(lags):.1f} s", f"{max(lags):.1f} s", cu)
lbr, pgr = row(0), row(1)
acked = [tuple(map(int, l.split())) for l in open(f"{work}/acked") if len(l.split()) == 2]
ack = dict(acked)
last_n, last_ack = acked[-1]
def result(name):
    secs, rows, maxn, newest = open(f"{work}/result-{name}").read().split()
    return float(secs), int(rows), int(maxn), float(newest)
print("| | Lifeboat | pgBackRest 2.45 |")
print("|---|---|---|")
print(f"| (1) base backup, idle cluster: command to done | {float(t_lb):.1f} s | {float(t_pg):.1f} s |")
print(f"| ↳ stored | {int(lb_size) / 1e6:.0f} MB | {int(pg_size) / 1e6:.0f} MB |")
names = ["archived WAL per second", "lag, mean", "lag, max", "lag in seconds, mean", "lag in seconds, max",
         "caught up with the load's end after"]
print(f"| (2) under the load: server wrote {wal_rate / 1e6:.2f} MB/s of WAL | | |")
for n, a, b in zip(names, lbr, pgr):
    print(f"| ↳ {n} | {a} | {b} |")
print(f"| ↳ WAL stored, whole run | {int(lb_wal) / 1e6:.0f} MB | {int(pg_wal) / 1e6:.0f} MB |")
by_t = max((n for n, a in acked if a / 1000 <= target_epoch), default=0)
cells3, cells4 = [], []
for tool in ("lb", "pgbr"):
    s, rows, maxn, newest = result(f"{tool}-time")
    ok = "ok" if maxn >= by_t and newest <= target_epoch and rows == maxn else "WRONG"
    cells3.append((f"{s:.1f} s", f"{rows} rows, newest n={maxn} ({ok})"))
    s, rows, maxn, newest = result(f"{tool}-latest")
    missing = last_n - maxn
    span = (last_ack - ack[maxn + 1]) / 1000 if missing > 0 else 0.0
    age = max(0.0, kill_at - (ack[maxn] / 1000 if maxn else 0))
    cells4.append((f"{s:.1f} s", f"{missing}" + ("" if rows == maxn else f" (and {maxn - rows} holes!)"),
                   f"{span:.1f} s", f"{age:.1f} s"))
print(f"| (3) restore to {target} (mid-load): command to a promoted server answering | {cells3[0][0]} | {cells3[1][0]} |")
print(f"| ↳ what it holds (acknowledged by then: n={by_t}) | {cells3[0][1]} | {cells3[1][1]} |")
print(f"| (4) primary killed: restore of the latest moment, command to answering | {cells4[0][0]} | {cells4[1][0]} |")
print(f"| ↳ acknowledged rows missing (of {last_n}) | **{cells4[0][1]}** | **{cells4[1][1]}** |")
print(f"| ↳ their span (first to last missing acknowledgement) | {cells4[0][2]} | {cells4[1][2]} |")
print(f"| ↳ recovery point: the kill minus the newest row's acknowledgement | {cells4[0][3]} | {cells4[1][3]} |")
print()
def steps(n):
    try:
        return open(f"{work}/steps-{n}").read().strip()
    except OSError:
        return "?"
print(f"- Lifeboat base backup steps: {steps('lb-backup')}")
print(f"- restore to the moment: Lifeboat {steps('lb-time')}; pgBackRest {steps('pgbr-time')}")
print(f"- restore of the latest: Lifeboat {steps('lb-latest')}; pgBackRest {steps('pgbr-latest')}")
try:
    import json
    ws = json.load(open(f"{work}/wal-status.json"))
    a = ws.get("archive", ws)
    print(f"- `lifeboat wal status --json` in the quiet part, for comparison: lagBytes {a.get('lagBytes')}, "
          f"lagSeconds {a.get('lagSeconds')}, archivedLsn {a.get('archivedLsn')}, serverLsn {a.get('serverLsn')}")
except (OSError, ValueError) as e:
    print(f"- `lifeboat wal status --json` could not be read: {e}")
print()
print(f"Load: pgbench, 2 clients, {'unthrottled' if rate == '0' else f'`-R {rate}`'} for {load_secs} s ({tps} tps achieved), each transaction an order "
      f"update and a jsonb event insert, plus the numbered-row client (a row every 20 ms, one connection) from "
      f"before the load until the kill, alone for the last {quiet} s. Lifeboat's archive settled {settled} s "
      f"after the kill. Database: mixed-data.sql scale {scale} ({db_size} database, {cluster_size} cluster). "
      f"Lifeboat worker on the {server} Temporal server. {cores} cores; load average (1, 5, 15 min) at the start, "
      f"after the backups, after the load, at the end: {'; '.join(loads.split('|'))}.")
PY

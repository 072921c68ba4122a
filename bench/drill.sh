#!/usr/bin/env bash
# Restore-drill benchmark, run by hand (never in CI): one stored Lifeboat backup of the realistic database,
# drilled two ways in the same run, alternating, RUNS times each:
#   (S) the bare shell steps: gpg -d OBJ | zstd -d > f; createdb; pg_restore -j2; psql -c 'select count(*)…'; dropdb
#   (L) `lifeboat drill run` of a restore-drill runbook (target: server, jobs: 2) against a separate worker:
#       the same steps plus the SHA-256 check before decrypting, the globals, and the drill report
# Both restore into a fresh database on the same server. Then one extra Lifeboat drill with target: cluster
# (initdb of a fresh cluster too, which the shell steps do not do) unless CLUSTER=0.
# Usage: bench/drill.sh [SCALE] [RUNS] [DATA_SQL]   SCALE 5 of ../shared/bench/mixed-data.sql is about 800 MB.
# Writes Markdown to stdout; paste it into docs/benchmarks.md.
set -euo pipefail
scale="${1:-5}"
runs="${2:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
data_sql="${3:-$here/../shared/bench/mixed-data.sql}"
count_sql="select count(*) from events" # the biggest table

bench_cluster
server="postgresql://postgres@127.0.0.1:$port/postgres"
bench_load "$scale" "$data_sql"
expected_rows=$(pg psql -At -c "$count_sql" bench)
bench_key

# --- One stored backup, made by Lifeboat; this worker holds the private key, as a restoring worker must.
bench_restoring_worker "  bench: { engine: postgres, url: \"postgresql://postgres@127.0.0.1:$port/bench\", repository: local }"
lifeboat backup run bench --wait > "$work/backup.log"
object=$(find "$work/repo/backups/bench" -name 'data.zst.pgp')
object_size=$(stat -c %s "$object")
log "stored backup $object ($object_size bytes)"

drill_runbook() { # NAME TARGET-LINE
  mkdir -p "$work/runbooks"
  cat > "$work/runbooks/$1.yaml" <<YAML
kind: restore-drill
database: bench
restore: { backup: latest, $2, jobs: 2, noOwner: false, rto: 30m }
smoke:
  - name: rows
    sql: $count_sql
    expect: "> 0"
YAML
}
drill_runbook bench-server "target: server, server: \"$server\""
drill_runbook bench-cluster "target: cluster"

# --- (S) the shell steps. gpg reads Lifeboat's stored object as it is: an OpenPGP message of a zstd stream.
shell_drill() {
  local f="$work/shell.dump" db="shell_drill_$1" t0 t1 t2 t3 rows
  sync; t0=$(now)
  gpg -q --batch -d "$object" | zstd -q -d > "$f"
  t1=$(now)
  pg createdb "$db"
  t2=$(now)
  pg pg_restore -j 2 -d "$db" "$f"
  t3=$(now)
  rows=$(pg psql -At -c "$count_sql" "$db")
  pg dropdb "$db"
  rm -f "$f"
  t=$(secs "$t0" "$(now)")
  echo "$1 $(secs "$t0" "$t1") $(secs "$t1" "$t2") $(secs "$t2" "$t3") $(secs "$t3" "$(now)")" >> "$work/shell-steps"
  [ "$rows" = "$expected_rows" ] || { log "shell drill counted $rows rows, expected $expected_rows"; exit 1; }
}

# --- (L) Lifeboat: the CLI's wall time, and the drill's own figures from its JSON report.
lifeboat_drill() { # RUNBOOK LABEL
  local t0 watcher
  # The restore step stages the dump in a temp file, then runs pg_restore -j on it: note when pg_restore starts.
  ( while ! pgrep -f -- "-j 2 $work/tmp/lifeboat-restore-" >/dev/null; do sleep 0.05; done
    now > "$work/pg_restore-start-$2" ) &
  watcher=$!
  sync; t0=$(now)
  lifeboat drill run "$1" --runbooks "$work/runbooks" > "$work/drill-$2.log"
  t=$(secs "$t0" "$(now)")
  kill "$watcher" 2>/dev/null || true
  echo "$2 $t0 $(now)" >> "$work/cli-times"
  cat "$work/drill-$2.log" >&2
  report=$(ls -t "$work/repo/drills/bench/"*.json | head -1)
  cp "$report" "$work/report-$2.json"
  grep -q "smoke ok     rows: $expected_rows " "$work/drill-$2.log" \
    || { log "lifeboat drill did not count $expected_rows rows"; exit 1; }
  left=$(pg psql -At -c "select count(*) from pg_database where datname like 'lifeboat_drill_%'" postgres)
  [ "$left" = 0 ] || { log "lifeboat drill left $left database(s) behind"; exit 1; }
}

shell_times=(); lifeboat_times=(); loads=()
for i in $(seq 1 "$runs"); do
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  # Alternate which side goes first, so neither always gets the warmer page cache.
  if [ $((i % 2)) = 1 ]; then
    shell_drill "$i"; shell_times+=("$t"); log "run $i shell: $t s"
    lifeboat_drill bench-server "$i"; lifeboat_times+=("$t"); log "run $i lifeboat: $t s"
  else
    lifeboat_drill bench-server "$i"; lifeboat_times+=("$t"); log "run $i lifeboat: $t s"
    shell_drill "$i"; shell_times+=("$t"); log "run $i shell: $t s"
  fi
done
t_cluster=""
if [ "${CLUSTER:-1}" = 1 ]; then
  lifeboat_drill bench-cluster cluster; t_cluster="$t"; log "lifeboat cluster drill: $t s"
fi
loads+=("$(cut -d' ' -f1 /proc/loadavg)")

# --- Markdown: medians, ratios, and the per-step table of every Lifeboat drill.
python3 - "$work" "$runs" "${shell_times[*]}" "${lifeboat_times[*]}" "${loads[*]}" "$t_cluster" \
  "$scale" "$db_size" "$object_size" "$(nproc)" <<'PY'
import json, statistics, sys
work, runs, shell, lb, loads, t_cluster, scale, db_size, obj, cores = sys.argv[1:]
shell = [float(x) for x in shell.split()]; lb = [float(x) for x in lb.split()]
runs = int(runs)
reports = {str(i): json.load(open(f"{work}/report-{i}.json")) for i in range(1, runs + 1)}
if t_cluster:
    reports["cluster"] = json.load(open(f"{work}/report-cluster.json"))
ms, ml = statistics.median(shell), statistics.median(lb)
md = statistics.median(r["drillSeconds"] for k, r in reports.items() if k != "cluster")
print("| | " + " | ".join(f"run {i}" for i in range(1, runs + 1)) + " | median |")
print("|---" * (runs + 2) + "|")
print("| shell steps | " + " | ".join(f"{x:.2f} s" for x in shell) + f" | **{ms:.2f} s** |")
print("| `lifeboat drill run`, wall (CLI start to report) | " + " | ".join(f"{x:.2f} s" for x in lb)
      + f" | **{ml:.2f} s** |")
print("| of which the drill (report's drill time) | "
      + " | ".join(f"{reports[str(i)]['drillSeconds']:.2f} s" for i in range(1, runs + 1)) + f" | {md:.2f} s |")
cli = {l.split()[0]: (float(l.split()[1]), float(l.split()[2])) for l in open(f"{work}/cli-times")}
print("| `lifeboat drill run` outside the drill: CLI start to drill start, drill end to CLI exit | "
      + " | ".join(f"{reports[str(i)]['startedAtMillis'] / 1000 - cli[str(i)][0]:.2f} s, "
                   f"{cli[str(i)][1] - reports[str(i)]['endedAtMillis'] / 1000:.2f} s" for i in range(1, runs + 1))
      + " | |")
print()
print(f"Ratio Lifeboat / shell (medians): wall {ml / ms:.2f}x, drill time {md / ms:.2f}x; target 1.15x.")
if t_cluster:
    print(f"`target: cluster` (initdb of a fresh cluster as well): {float(t_cluster):.2f} s wall, "
          f"{reports['cluster']['drillSeconds']:.2f} s drill time.")
print()
print("Shell steps, per run: gpg -d \\| zstd -d > file, createdb, pg_restore -j2, count + dropdb + rm:")
for l in open(f"{work}/shell-steps"):
    r, *d = l.split()
    print(f"- run {r}: " + ", ".join(f"{x} s" for x in d))
print()
cols = [k for k in reports]
print("| step | " + " | ".join(("run " + k) if k != "cluster" else "cluster" for k in cols) + " |")
print("|---" * (len(cols) + 1) + "|")
names = []
for r in reports.values():
    for s in r["steps"]:
        if s["name"] not in names:
            names.append(s["name"])
def staged(k):
    try:
        start = float(open(f"{work}/pg_restore-start-{k}").read())
    except (OSError, ValueError):
        return ""
    r = [s for s in reports[k]["steps"] if s["name"] == "restore"][0]
    return f"{start - r['startedAtMillis'] / 1000:.2f} s, {r['endedAtMillis'] / 1000 - start:.2f} s"
for n in names:
    cells = []
    for k in cols:
        d = [(s["endedAtMillis"] - s["startedAtMillis"]) / 1000 for s in reports[k]["steps"] if s["name"] == n]
        cells.append(f"{d[0]:.2f} s" if d else "")
    print(f"| {n} | " + " | ".join(cells) + " |")
print("| restore: staging (read, decrypt, decompress, write the temp file), then pg_restore -j2 | "
      + " | ".join(staged(k) for k in cols) + " |")
print()
print(f"Database: mixed-data.sql scale {scale} ({db_size} on disk), stored backup {int(obj) / 1e6:.1f} MB. "
      f"{cores} cores; 1-minute load average before each run and at the end: {', '.join(loads.split())}.")
PY

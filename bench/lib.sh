# Shared setup for the hand-run benchmarks (sourced, not run): a throwaway PostgreSQL 15 cluster loaded with
# ../shared/bench/mixed-data.sql, a gpg key, and a Lifeboat worker in its own JVM beside a Temporal server
# (BENCH_SERVER=memory, the default: the in-memory test server; BENCH_SERVER=real: the Temporal CLI's dev
# server). Everything lives in one temp folder that an EXIT trap removes, clusters and processes included,
# whether the benchmark finishes or fails.
# Sets: here bindir work; after bench_cluster: port; after bench_load: db_size; after bench_key: GNUPGHOME fpr
# (keys in $work/bench.pub.asc and $work/bench.sec.asc); after bench_server: tport; after bench_worker or
# bench_restoring_worker: tport worker.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bindir="$(pg_config --bindir)"
work="$(mktemp -d /tmp/lifeboat-bench.XXXXXX)"
chmod 755 "$work"
jar="$here/cli/target/lifeboat.jar"

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
log() { echo "bench: $*" >&2; }
# A PostgreSQL client tool against the benchmark cluster as postgres: pg psql -At -c "select 1" bench
pg() { local tool="$1"; shift; "$bindir/$tool" -h 127.0.0.1 -p "$port" -U postgres "$@"; }

pids=()
bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  as_pg "$bindir/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  gpgconf --homedir "$work/gnupg" --kill gpg-agent 2>/dev/null || true
  rm -rf "$work"
}
trap bench_cleanup EXIT

# A cluster tuned for loading (fsync off: the benchmarks time tools, not disks' flush latency). Extra server
# options in BENCH_PG_OPTS (e.g. "-c archive_mode=on"). Replication connections work as initdb sets them up:
# wal_level replica, max_wal_senders 10, `host replication all 127.0.0.1/32 trust`.
bench_cluster() {
  port=$(free_port)
  mkdir -p "$work/pg"
  if [ "$(id -u)" = 0 ]; then chown postgres "$work/pg"; fi
  as_pg "$bindir/initdb" -D "$work/pg/data" -U postgres -A trust --no-sync >/dev/null
  as_pg "$bindir/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
    -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_wal_size=4GB ${BENCH_PG_OPTS:-}" start >/dev/null
}

# bench_load SCALE DATA_SQL: database "bench" with the realistic data.
bench_load() {
  pg createdb bench
  log "loading $2 at scale $1"
  pg psql -q -v scale="$1" -f "$2" bench >/dev/null
  db_size=$(pg psql -At -c "select pg_size_pretty(pg_database_size('bench'))" bench)
  log "database size $db_size"
}

# One gpg-made key: gpg encrypts and decrypts with it, Lifeboat takes the exported files.
bench_key() {
  export GNUPGHOME="$work/gnupg"
  mkdir -m 700 "$GNUPGHOME"
  gpg --batch --pinentry-mode loopback --passphrase "" --quick-gen-key 'Bench <bench@lifeboat.invalid>' ed25519 cert never 2>/dev/null
  fpr=$(gpg --list-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')
  gpg --batch --pinentry-mode loopback --passphrase "" --quick-add-key "$fpr" cv25519 encr never 2>/dev/null
  gpg --armor --export "$fpr" > "$work/bench.pub.asc"
  gpg --armor --batch --pinentry-mode loopback --passphrase '' --export-secret-keys "$fpr" > "$work/bench.sec.asc"
}

# bench_server: the Temporal server the benchmark runs on, by BENCH_SERVER: "memory" (default: the in-memory
# test server in its own JVM) or "real" (the Temporal CLI's dev server, SQLite state in $work). Sets tport.
bench_server() {
  [ -f "$jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests install
  tport=$(free_port)
  if [ "${BENCH_SERVER:-memory}" = real ]; then
    temporal server start-dev --db-filename "$work/temporal.db" --ip 127.0.0.1 --port "$tport" --headless \
      --log-level warn > "$work/server.log" 2>&1 &
    pids+=($!)
    until temporal operator cluster health --address "127.0.0.1:$tport" >/dev/null 2>&1; do sleep 0.2; done
  else
    java -Xmx256m -cp "$jar" io.temporal.testserver.TestServer "$tport" > "$work/server.log" 2>&1 &
    pids+=($!)
    sleep 3
  fi
  log "Temporal server: ${BENCH_SERVER:-memory} on 127.0.0.1:$tport"
}

# bench_worker CONFIG [ROLE]: bench_server (once), and a worker of ROLE (default all) in its own JVM (its RSS is
# its own). Waits until it polls.
bench_worker() {
  [ -n "${tport:-}" ] || bench_server
  # Its temp files (pg_restore -j staging, drill clusters) inside $work, so the trap removes them too.
  mkdir -p "$work/tmp"
  # Through the launcher, so it runs with the JVM options users get (LIFEBOAT_JAVA_OPTS adds to them).
  LIFEBOAT_JAVA_OPTS="-Djava.io.tmpdir=$work/tmp ${LIFEBOAT_JAVA_OPTS:-}" "$here/lifeboat" worker \
    --address "127.0.0.1:$tport" --config "$1" --role "${2:-all}" > "$work/worker.log" 2>&1 &
  worker=$!
  pids+=($worker)
  until grep -q ") polling " "$work/worker.log"; do
    kill -0 "$worker" 2>/dev/null || { cat "$work/worker.log" >&2; exit 1; }
    sleep 0.2
  done
}

# bench_rss_sampler: samples the worker's RSS every 0.2 s into $work/rss-peak (KiB) until it exits;
# bench_rss_reset starts a new peak (between phases).
bench_rss_sampler() {
  echo 0 > "$work/rss-peak"
  ( while kill -0 "$worker" 2>/dev/null; do
      rss=$(awk '/VmRSS/ {print $2}' "/proc/$worker/status" 2>/dev/null || echo 0)
      [ "${rss:-0}" -gt "$(cat "$work/rss-peak")" ] && echo "$rss" > "$work/rss-peak"
      sleep 0.2
    done ) &
  pids+=($!)
}
bench_rss_reset() { echo 0 > "$work/rss-peak"; }
bench_rss_peak_mb() { echo $(( $(cat "$work/rss-peak") / 1024 )); }
bench_rss_now_mb() { echo $(( $(awk '/VmRSS/ {print $2}' "/proc/$worker/status") / 1024 )); }

# bench_s3: s3proxy (the test suite's S3-compatible server, activities/target/s3proxy/s3proxy.jar) on a free
# port, storing objects under $work/s3, with bucket "bench". Sets s3port.
bench_s3() {
  local s3jar="$here/activities/target/s3proxy/s3proxy.jar"
  [ -f "$s3jar" ] || mvn -q -B -f "$here/pom.xml" -pl activities -DskipTests package
  bench_s3_properties
  java -Xmx256m -jar "$s3jar" --properties "$work/s3/s3proxy.properties" > "$work/s3/log" 2>&1 &
  pids+=($!)
  until curl -s -o /dev/null "http://127.0.0.1:$s3port/"; do sleep 0.2; done
  log "s3proxy on 127.0.0.1:$s3port"
}

# bench_s3_properties: s3proxy's configuration ($work/s3/s3proxy.properties: a free port, unless s3port is set,
# and objects under $work/s3/data, bucket "bench") and the credential files the Lifeboat config names.
bench_s3_properties() {
  s3port=${s3port:-$(free_port)}
  mkdir -p "$work/s3/data/bench"
  cat > "$work/s3/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-credential
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3/data
PROPS
  echo bench > "$work/s3-id"
  echo bench-credential > "$work/s3-secret"
}

# bench_restoring_worker DATABASE_ENTRIES: lifeboat.yaml with the bench key pair (a worker that restores holds
# the private key) and these entries under databases: (indented YAML lines), and bench_worker on it.
bench_restoring_worker() {
  cat > "$work/lifeboat.yaml" <<YAML
repositories:
  local: { type: filesystem, path: ./repo }
$([ -z "${s3port:-}" ] || echo "  s3: { type: s3, bucket: bench, region: us-east-1, endpoint: \"http://127.0.0.1:$s3port\", pathStyle: true, accessKeyId: file:s3-id, secretAccessKey: file:s3-secret${S3_PART_MB:+, partSizeMb: $S3_PART_MB} }")
encryption:
  recipients: [bench.pub.asc]
  privateKey: bench.sec.asc
databases:
$1
YAML
  bench_worker "$work/lifeboat.yaml"
}

# lifeboat ARGS…: the CLI against the benchmark's server, through the launcher as a user runs it (its client
# JVM options included).
lifeboat() { "$here/lifeboat" "$@" --address "127.0.0.1:$tport"; }

# bench_pair DIR: a primary with database "app" and table canary, a streaming standby of it made with
# `pg_basebackup -R`, and Debian's PgBouncer in front of the primary (trust auth, admin user lbadmin; its
# server_login_retry from PGBOUNCER_LOGIN_RETRY, else PgBouncer's default). Extra server options in
# BENCH_PAIR_PG_OPTS. Sets pport sport bport.
bench_pair() {
  local d="$1" o="-k $1 -c listen_addresses=127.0.0.1 ${BENCH_PAIR_PG_OPTS:-}"
  mkdir -p "$d/bouncer"
  [ "$(id -u)" = 0 ] && chown postgres "$d" "$d/bouncer"
  pport=$(free_port); sport=$(free_port); bport=$(free_port)
  as_pg "$bindir/initdb" -D "$d/primary" -U postgres -A trust --no-sync >/dev/null
  as_pg "$bindir/pg_ctl" -D "$d/primary" -l "$d/primary.log" -w -o "-p $pport $o" start >/dev/null
  "$bindir/psql" -X -q -h 127.0.0.1 -p "$pport" -U postgres -c "create database app" postgres
  "$bindir/psql" -X -q -h 127.0.0.1 -p "$pport" -U postgres -c \
    "create table canary(id bigserial primary key, at timestamptz not null default now(), note text)" app
  as_pg "$bindir/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$d/standby" -R --checkpoint=fast
  as_pg "$bindir/pg_ctl" -D "$d/standby" -l "$d/standby.log" -w -o "-p $sport $o" start >/dev/null
  printf '"postgres" ""\n"lbadmin" ""\n' > "$d/bouncer/userlist.txt"
  cat > "$d/bouncer/pgbouncer.ini" <<INI
[databases]
app = host=127.0.0.1 port=$pport dbname=app

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bport
unix_socket_dir = $d/bouncer
auth_type = trust
auth_file = $d/bouncer/userlist.txt
admin_users = lbadmin
pool_mode = session
logfile = $d/bouncer/pgbouncer.log
pidfile = $d/bouncer/pgbouncer.pid
${PGBOUNCER_LOGIN_RETRY:+server_login_retry = $PGBOUNCER_LOGIN_RETRY}
INI
  [ "$(id -u)" = 0 ] && chown -R postgres "$d/bouncer"
  as_pg /usr/sbin/pgbouncer -d "$d/bouncer/pgbouncer.ini" >/dev/null
  until "$bindir/psql" -X -q -At -h 127.0.0.1 -p "$bport" -U postgres -c "select 1" app >/dev/null 2>&1; do
    sleep 0.1
  done
}

# bench_failover_runbook DIR NAME APPROVER WINDOW: runbooks/NAME.yaml, a failover of bench_pair DIR's primary to
# its standby (3 probes over WINDOW), repointing its PgBouncer, fencing the old primary read-only.
bench_failover_runbook() {
  mkdir -p "$work/runbooks"
  cat > "$work/runbooks/$2.yaml" <<YAML
kind: failover
database: app
approval: { approvers: [$3] }
failover:
  primary: { url: "postgresql://postgres@127.0.0.1:$pport/app" }
  standby: { url: "postgresql://postgres@127.0.0.1:$sport/app" }
  probe: { attempts: 3, window: $4, timeout: 2s }
  repoint:
    type: pgbouncer
    config: $1/bouncer/pgbouncer.ini
    database: app
    admin: { url: "postgresql://lbadmin@127.0.0.1:$bport/pgbouncer" }
  fence: { readOnly: true }
YAML
}

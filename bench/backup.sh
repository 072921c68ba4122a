#!/usr/bin/env bash
# Backup benchmark, run by hand (never in CI): one realistic database, three ways, in the same run.
#   (1) bare `pg_dump -Fc -Z0 > /dev/null`                       the floor
#   (2) `pg_dump -Fc -Z0 | zstd | gpg -z 0 --encrypt -r KEY > f`  the shell pipeline Lifeboat replaces
#   (3) `lifeboat backup run --wait` against a separate worker     with the worker's peak RSS
# Usage: bench/backup.sh [SCALE] [DATA_SQL]   SCALE 5 of ../shared/bench/mixed-data.sql is about 800 MB.
# Writes a Markdown table to stdout; paste it into docs/benchmarks.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scale="${1:-5}"
data_sql="${2:-$here/../shared/bench/mixed-data.sql}"
bindir="$(pg_config --bindir)"
work="$(mktemp -d /tmp/lifeboat-bench.XXXXXX)"
chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
log() { echo "bench: $*" >&2; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  as_pg "$bindir/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  gpgconf --homedir "$work/gnupg" --kill gpg-agent 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- PostgreSQL with the realistic data
port=$(free_port)
mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres "$work/pg"
as_pg "$bindir/initdb" -D "$work/pg/data" -U postgres -A trust --no-sync >/dev/null
as_pg "$bindir/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_wal_size=4GB" start >/dev/null
url="postgresql://postgres@127.0.0.1:$port/bench"
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres bench
log "loading $data_sql at scale $scale"
"$bindir/psql" -q -h 127.0.0.1 -p "$port" -U postgres -v scale="$scale" -f "$data_sql" bench >/dev/null
db_size=$("$bindir/psql" -At -h 127.0.0.1 -p "$port" -U postgres -c "select pg_size_pretty(pg_database_size('bench'))" bench)
log "database size $db_size"

# --- One key for both pipelines (gpg-made; Lifeboat takes its exported public key)
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --pinentry-mode loopback --passphrase "" --quick-gen-key 'Bench <bench@lifeboat.invalid>' ed25519 cert never 2>/dev/null
fpr=$(gpg --list-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')
gpg --batch --pinentry-mode loopback --passphrase "" --quick-add-key "$fpr" cv25519 encr never 2>/dev/null
gpg --armor --export "$fpr" > "$work/bench.pub.asc"
gpg --armor --batch --pinentry-mode loopback --passphrase '' --export-secret-keys "$fpr" > "$work/bench.sec.asc"

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
[ -f "$here/cli/target/lifeboat.jar" ] || mvn -q -B -f "$here/pom.xml" -DskipTests install
cat > "$work/lifeboat.yaml" <<YAML
repositories:
  local: { type: filesystem, path: ./repo }
encryption:
  recipients: [bench.pub.asc]
databases:
  bench: { engine: postgres, url: "$url", repository: local }
  bench_level1: { engine: postgres, url: "$url", repository: local, compressionLevel: 1 }
YAML
tport=$(free_port)
java -Xmx256m -cp "$here/cli/target/lifeboat.jar" io.temporal.testserver.TestServer "$tport" > "$work/server.log" 2>&1 &
pids+=($!)
sleep 3
java ${LIFEBOAT_JAVA_OPTS:--Xmx256m} -jar "$here/cli/target/lifeboat.jar" worker --address "127.0.0.1:$tport" \
  --config "$work/lifeboat.yaml" > "$work/worker.log" 2>&1 &
worker=$!
pids+=($worker)
sleep 3
sync; t0=$(now)
java -jar "$here/cli/target/lifeboat.jar" backup run bench --wait --address "127.0.0.1:$tport" > "$work/run.log"
t_lifeboat=$(secs "$t0" "$(now)")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$worker/status")
lb_size=$(find "$work/repo" -name 'data.zst.pgp' -printf '%s\n')
java -jar "$here/cli/target/lifeboat.jar" status "$(awk '/workflow/ {print $NF; exit}' "$work/run.log")" \
  --address "127.0.0.1:$tport" > "$work/status.log"
cat "$work/status.log" >&2
dump_step=$(awk '$1 == "dump-to-repository" {print $3, $4}' "$work/status.log")
log "lifeboat: $t_lifeboat s wall, dump step $dump_step, $lb_size bytes, worker peak RSS $((rss_kb / 1024)) MB"

# (3b) the same with zstd level 1 (compressionLevel: 1): how much of the time is compression
sync; t0=$(now)
java -jar "$here/cli/target/lifeboat.jar" backup run bench_level1 --wait --address "127.0.0.1:$tport" > "$work/run1.log"
t_level1=$(secs "$t0" "$(now)")
java -jar "$here/cli/target/lifeboat.jar" status "$(awk '/workflow/ {print $NF; exit}' "$work/run1.log")" \
  --address "127.0.0.1:$tport" > "$work/status1.log"
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

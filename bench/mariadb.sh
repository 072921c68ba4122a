#!/usr/bin/env bash
# MariaDB backup and restore benchmark, run by hand (never in CI): one realistic database, paired in one run,
# RUNS times each, interleaved, all at zstd level 1 (Lifeboat's default):
#   (1) bare `mariadb-dump FLAGS > /dev/null`                                  the floor
#   (2) `mariadb-dump FLAGS | zstd -1 | gpg -z 0 --encrypt -r KEY > f`         the shell pipeline Lifeboat replaces
#   (3) `lifeboat backup run --wait`, worker on the in-memory server           (it also saves users and grants,
#                                                                               and re-reads the object to verify)
#   (4) `gpg -d f | zstd -d | mariadb DB` into a fresh database                the shell restore
#   (5) `lifeboat restore --to mariadb://…/DB --wait` into a fresh database    (checksum first, then the same)
# FLAGS are Lifeboat's own (--single-transaction --quick --routines --triggers --events --hex-blob
# --master-data=2), so both sides dump the same thing.
# The data is ../shared/bench/mixed-data.sql's shape rebuilt in MariaDB SQL (customers, orders with JSON items,
# events with JSON payloads and digests, secondary indexes, a view, a function), from MariaDB's SEQUENCE engine
# with a fixed rand() seed: MariaDB cannot read that file, which is written for psql.
# Usage: RUNS=3 bench/mariadb.sh [SCALE]   (scale 4: about 500 MB on disk; the dump size is printed)
set -euo pipefail
scale="${1:-4}"
runs="${RUNS:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A throwaway mariadbd (durability off, as the PostgreSQL benchmarks run with fsync off), root password "bench".
mport=$(free_port)
mdir="$work/maria"
mkdir -p "$mdir"
user=$(id -un)
mariadb-install-db --no-defaults --auth-root-authentication-method=normal --datadir="$mdir/data" \
  --user="$user" --skip-test-db > "$mdir/install.log" 2>&1
mariadbd --no-defaults --datadir="$mdir/data" --port="$mport" --bind-address=127.0.0.1 --socket="$mdir/s.sock" \
  --pid-file="$mdir/p.pid" --log-error="$mdir/err.log" --user="$user" --log-bin="$mdir/data/binlog" \
  --server-id=1 --innodb-flush-log-at-trx-commit=0 --sync-binlog=0 --innodb-buffer-pool-size=1G \
  --innodb-log-file-size=512M > /dev/null 2>&1 &
pids+=($!)
until mariadb --no-defaults --socket="$mdir/s.sock" -uroot -e 'select 1' >/dev/null 2>&1; do sleep 0.2; done
export MYSQL_PWD=bench
mariadb --no-defaults --socket="$mdir/s.sock" -uroot --password= -e \
  "ALTER USER root@localhost IDENTIFIED BY 'bench';
   CREATE USER IF NOT EXISTS root@'127.0.0.1'; ALTER USER root@'127.0.0.1' IDENTIFIED BY 'bench';
   GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION;"
my() { mariadb --no-defaults --host=127.0.0.1 --port="$mport" --user=root "$@"; }

log "loading the mixed data at scale $scale into MariaDB"
my -e "CREATE DATABASE bench"
my bench <<SQL
SET @scale = $scale;
CREATE TABLE customers (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(200) NOT NULL UNIQUE,
  name VARCHAR(100) NOT NULL, country CHAR(2) NOT NULL, created_at DATETIME(6) NOT NULL,
  marketing_opt_in BOOLEAN NOT NULL DEFAULT FALSE) ENGINE=InnoDB;
CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL,
  status VARCHAR(10) NOT NULL CHECK (status IN ('pending','paid','shipped','refunded')),
  total DECIMAL(12,2) NOT NULL, items JSON NOT NULL, placed_at DATETIME(6) NOT NULL,
  KEY orders_customer_idx (customer_id), FOREIGN KEY (customer_id) REFERENCES customers(id)) ENGINE=InnoDB;
CREATE TABLE events (id BIGINT AUTO_INCREMENT PRIMARY KEY, order_id BIGINT, kind VARCHAR(20) NOT NULL,
  payload JSON NOT NULL, digest CHAR(64) NOT NULL, at DATETIME(6) NOT NULL,
  KEY events_order_idx (order_id), FOREIGN KEY (order_id) REFERENCES orders(id)) ENGINE=InnoDB;
DO rand(42);
SET @n = 20000 * @scale;
INSERT INTO customers (email, name, country, created_at, marketing_opt_in)
SELECT concat('user', seq, '@example.', elt(1 + seq % 4, 'com', 'org', 'net', 'io')), md5(seq),
       elt(1 + floor(rand() * 8), 'US','DE','FR','GB','JP','BR','IN','CA'),
       now(6) - interval floor(rand() * 86400000) second, rand() < 0.3
FROM seq_1_to_1000000 WHERE seq <= @n;
SET @n = 100000 * @scale;
INSERT INTO orders (customer_id, status, total, items, placed_at)
SELECT 1 + floor(rand() * (20000 * @scale - 1)), elt(1 + floor(rand() * 4), 'pending','paid','shipped','refunded'),
       round(rand() * 500, 2),
       json_array(json_object('sku', concat('SKU-', floor(rand() * 10000)), 'qty', 1 + floor(rand() * 4),
                              'price', round(rand() * 100, 2)),
                  json_object('sku', concat('SKU-', floor(rand() * 10000)), 'qty', 1 + floor(rand() * 4),
                              'note', md5(rand()))),
       now(6) - interval floor(rand() * 60480000) second
FROM seq_1_to_10000000 WHERE seq <= @n;
SET @n = 300000 * @scale;
INSERT INTO events (order_id, kind, payload, digest, at)
SELECT 1 + floor(rand() * (100000 * @scale - 1)),
       elt(1 + floor(rand() * 6), 'created','paid','packed','shipped','delivered','email_sent'),
       json_object('ip', concat_ws('.', floor(rand() * 256), floor(rand() * 256), floor(rand() * 256), floor(rand() * 256)),
                   'agent', concat('Mozilla/5.0 (', elt(1 + floor(rand() * 3), 'X11; Linux x86_64', 'Windows NT 10.0', 'Macintosh'), ')'),
                   'session', md5(rand()), 'latency_ms', floor(rand() * 900)),
       concat(md5(rand()), md5(rand())), now(6) - interval floor(rand() * 60480000) second
FROM seq_1_to_10000000 WHERE seq <= @n;
CREATE VIEW revenue_by_country AS
  SELECT c.country, sum(o.total) AS revenue FROM orders o JOIN customers c ON c.id = o.customer_id
  WHERE o.status IN ('paid','shipped') GROUP BY c.country;
CREATE FUNCTION order_count(cust BIGINT) RETURNS BIGINT READS SQL DATA
  RETURN (SELECT count(*) FROM orders WHERE customer_id = cust);
ANALYZE TABLE customers, orders, events;
SQL
db_size=$(my -N -e "SELECT concat(round(sum(data_length + index_length) / 1048576), ' MB') FROM information_schema.tables WHERE table_schema = 'bench'")
log "database size $db_size"
bench_key
# As bench/backup.sh: the backup worker holds the public key only (role backup), so its verify re-reads the
# object and checks its SHA-256; a second worker (role restore) holds the private key and runs the restores.
# BENCH_ONE_WORKER=1: one worker of role all instead, whose verify also decrypts and reads the whole dump.
config() {
  cat <<YAML
repositories:
  local: { type: filesystem, path: ./repo }
encryption:
  recipients: [bench.pub.asc]
$1
databases:
  bench: { engine: mariadb, url: "mariadb://root@127.0.0.1:$mport/bench", password: env:MYSQL_PWD, repository: local }
YAML
}
config "  privateKey: bench.sec.asc" > "$work/lifeboat.yaml"
if [ -n "${BENCH_ONE_WORKER:-}" ]; then
  bench_worker "$work/lifeboat.yaml"
else
  config "" > "$work/backup.yaml"
  bench_worker "$work/backup.yaml" backup
  mv "$work/worker.log" "$work/backup-worker.log"
  bench_worker "$work/lifeboat.yaml" restore
fi

flags=(--no-defaults --host=127.0.0.1 --port="$mport" --user=root --single-transaction --quick --routines
  --triggers --events --hex-blob --master-data=2)
median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.2f}')" "$@"; }
declare -A col
add() { col[$1]="${col[$1]:-} $2"; }
# step seconds from `lifeboat status ID` (NAME … VALUE UNIT)
step_secs() { awk -v s="$2" '$1 == s {v=$3; u=$4; if (u == "ms") v = v / 1000; print v}' "$1"; }
checksum() { my -N -e "CHECKSUM TABLE $1.customers, $1.orders, $1.events" | awk '{print $2}' | paste -sd,; }
want=$(checksum bench)

for i in $(seq 1 "$runs"); do
  sync; t0=$(now); mariadb-dump "${flags[@]}" bench > /dev/null; add bare "$(secs "$t0" "$(now)")"
  sync; t0=$(now)
  mariadb-dump "${flags[@]}" bench | zstd -q -1 | gpg -z 0 --batch --trust-model always --encrypt -r "$fpr" \
    > "$work/shell.zst.gpg"
  add shell "$(secs "$t0" "$(now)")"
  shell_size=$(stat -c %s "$work/shell.zst.gpg")

  sync; t0=$(now)
  lifeboat backup run bench --wait > "$work/run.log"
  add lb "$(secs "$t0" "$(now)")"
  id=$(awk '/workflow/ {print $NF; exit}' "$work/run.log")
  lifeboat status "$id" > "$work/status.log"
  cat "$work/status.log" >&2
  for step in dump-to-repository verify; do add "lb.$step" "$(step_secs "$work/status.log" "$step")"; done

  my -e "DROP DATABASE IF EXISTS shell_copy; CREATE DATABASE shell_copy"
  sync; t0=$(now)
  gpg -q -d --batch "$work/shell.zst.gpg" 2>/dev/null | zstd -q -d | my shell_copy
  add shell_restore "$(secs "$t0" "$(now)")"
  [ "$(checksum shell_copy)" = "$want" ] || { log "shell restore differs"; exit 1; }
  rm -f "$work/shell.zst.gpg"

  my -e "DROP DATABASE IF EXISTS lb_copy; CREATE DATABASE lb_copy"
  sync; t0=$(now)
  lifeboat restore bench --to "mariadb://root@127.0.0.1:$mport/lb_copy" --to-password env:MYSQL_PWD --wait \
    > "$work/restore.log"
  add lb_restore "$(secs "$t0" "$(now)")"
  id=$(awk '/workflow/ {print $NF; exit}' "$work/restore.log")
  lifeboat status "$id" > "$work/status.log"
  add "lb.restore-into-target" "$(step_secs "$work/status.log" restore-into-target)"
  [ "$(checksum lb_copy)" = "$want" ] || { log "lifeboat restore differs"; exit 1; }
  log "run $i done"
done
raw=$(mariadb-dump "${flags[@]}" bench | wc -c)
lb_size=$(find "$work/repo" -name 'data.zst.pgp' -printf '%s\n' | head -1)
m() { median ${col[$1]}; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}x')"; }

cat <<MD
| what (median of $runs, interleaved) | seconds |
|---|---|
| bare \`mariadb-dump > /dev/null\` | $(m bare) |
| \`mariadb-dump \| zstd -1 \| gpg -z 0 --encrypt\` ($shell_size B) | $(m shell) |
| \`lifeboat backup run --wait\` ($lb_size B) | $(m lb) |
| ↳ dump-to-repository | $(m lb.dump-to-repository) |
| ↳ verify | $(m lb.verify) |
| **backup: ratio to the shell pipeline** | **$(ratio "$(m lb)" "$(m shell)")** |
| \`gpg -d \| zstd -d \| mariadb\` | $(m shell_restore) |
| \`lifeboat restore --wait\` | $(m lb_restore) |
| ↳ restore-into-target | $(m lb.restore-into-target) |
| **restore: ratio to the shell pipeline** | **$(ratio "$(m lb_restore)" "$(m shell_restore)")** |

Every run (s): bare ${col[bare]}; shell ${col[shell]}; lifeboat ${col[lb]}; shell restore ${col[shell_restore]}; lifeboat restore ${col[lb_restore]}.
Database: the mixed data at scale ${scale} in MariaDB $(my -N -e 'select version()') (${db_size} of InnoDB data and indexes, a ${raw} B dump). Both restores checked with CHECKSUM TABLE. Workers on the in-memory server ($([ -n "${BENCH_ONE_WORKER:-}" ] && echo 'one of role all' || echo 'roles backup and restore')). $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg).
MD

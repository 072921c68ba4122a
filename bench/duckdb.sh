#!/usr/bin/env bash
# DuckDB backup and restore benchmark, run by hand (never in CI): one database of the mixed data's shape, paired
# in one run, RUNS times each, interleaved, all at zstd level 1 (Lifeboat's default):
#   (1) bare EXPORT DATABASE (FORMAT PARQUET, COMPRESSION ZSTD) into a folder         the floor
#   (2) the same export, then `tar -cf - export | zstd -1 | gpg -z 0 --encrypt > f`   the shell pipeline Lifeboat
#                                                                                      replaces (staged the same way)
#   (3) `lifeboat backup run --wait`, worker on the in-memory server                  (it also re-reads the object
#                                                                                      to verify it)
#   (4) `gpg -d f | zstd -d | tar -x` then IMPORT DATABASE into a new file             the shell restore
#   (5) `lifeboat restore --to FILE --wait`                                            (checksum first, then the same)
# DuckDB's own statements run through the JDBC driver Lifeboat ships (bench/DuckDbTool.java, compiled once): there
# is no duckdb CLI among the machine's packages. Its JVM start (about 0.3 s a call) is in the shell's times.
# Usage: RUNS=3 bench/duckdb.sh [SCALE]   (scale 16: about 500 MB of database file; sizes are printed)
set -euo pipefail
scale="${1:-16}"
runs="${RUNS:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duckjar=$(find "$HOME/.m2/repository/org/duckdb/duckdb_jdbc" -name 'duckdb_jdbc-*.jar' | sort | tail -1)
mkdir -p "$work/tool"
javac -d "$work/tool" -cp "$duckjar" "$here/bench/DuckDbTool.java"
duck() { java -cp "$duckjar:$work/tool" DuckDbTool "$@"; }

log "loading the mixed data's shape at scale $scale into DuckDB"
duck load "$work/bench.duckdb" "$scale"
db_size=$(stat -c %s "$work/bench.duckdb")
want=$(duck hash "$work/bench.duckdb")
bench_key
cat > "$work/lifeboat.yaml" <<YAML
repositories:
  local: { type: filesystem, path: ./repo }
encryption:
  recipients: [bench.pub.asc]
  privateKey: bench.sec.asc
databases:
  bench: { engine: duckdb, path: ./bench.duckdb, repository: local }
YAML
bench_worker "$work/lifeboat.yaml"

median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.2f}')" "$@"; }
declare -A col
add() { col[$1]="${col[$1]:-} $2"; }
step_secs() { awk -v s="$2" '$1 == s {v=$3; u=$4; if (u == "ms") v = v / 1000; print v}' "$1"; }

for i in $(seq 1 "$runs"); do
  rm -rf "$work/x"; mkdir -p "$work/x"
  sync; t0=$(now); duck export "$work/bench.duckdb" "$work/x/export"; add bare "$(secs "$t0" "$(now)")"
  staged=$(du -sb "$work/x/export" | cut -f1)
  rm -rf "$work/x"; mkdir -p "$work/x"
  sync; t0=$(now)
  duck export "$work/bench.duckdb" "$work/x/export"
  tar -C "$work/x" -cf - export | zstd -q -1 | gpg -z 0 --batch --trust-model always --encrypt -r "$fpr" \
    > "$work/shell.zst.gpg"
  rm -rf "$work/x"
  add shell "$(secs "$t0" "$(now)")"
  shell_size=$(stat -c %s "$work/shell.zst.gpg")

  sync; t0=$(now)
  lifeboat backup run bench --wait > "$work/run.log"
  add lb "$(secs "$t0" "$(now)")"
  id=$(awk '/workflow/ {print $NF; exit}' "$work/run.log")
  lifeboat status "$id" > "$work/status.log"
  cat "$work/status.log" >&2
  for step in dump-to-repository verify; do add "lb.$step" "$(step_secs "$work/status.log" "$step")"; done

  rm -rf "$work/y" "$work/shell_copy.duckdb"; mkdir -p "$work/y"
  sync; t0=$(now)
  gpg -q -d --batch "$work/shell.zst.gpg" 2>/dev/null | zstd -q -d | tar -C "$work/y" -xf -
  duck import "$work/shell_copy.duckdb" "$work/y/export"
  add shell_restore "$(secs "$t0" "$(now)")"
  rm -rf "$work/y" "$work/shell.zst.gpg"
  [ "$(duck hash "$work/shell_copy.duckdb")" = "$want" ] || { log "shell restore differs"; exit 1; }
  rm -f "$work/shell_copy.duckdb"

  rm -f "$work/lb_copy.duckdb"
  sync; t0=$(now)
  lifeboat restore bench --to "$work/lb_copy.duckdb" --wait > "$work/restore.log"
  add lb_restore "$(secs "$t0" "$(now)")"
  id=$(awk '/workflow/ {print $NF; exit}' "$work/restore.log")
  lifeboat status "$id" > "$work/status.log"
  add "lb.restore-into-target" "$(step_secs "$work/status.log" restore-into-target)"
  [ "$(duck hash "$work/lb_copy.duckdb")" = "$want" ] || { log "lifeboat restore differs"; exit 1; }
  rm -f "$work/lb_copy.duckdb"
  log "run $i done"
done
lb_size=$(find "$work/repo" -name 'data.zst.pgp' -printf '%s\n' | head -1)
m() { median ${col[$1]}; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}x')"; }

cat <<MD
| what (median of $runs, interleaved) | seconds |
|---|---|
| bare \`EXPORT DATABASE\` (${staged} B staged) | $(m bare) |
| export, then \`tar \| zstd -1 \| gpg -z 0 --encrypt\` ($shell_size B) | $(m shell) |
| \`lifeboat backup run --wait\` ($lb_size B) | $(m lb) |
| ↳ dump-to-repository | $(m lb.dump-to-repository) |
| ↳ verify | $(m lb.verify) |
| **backup: ratio to the shell pipeline** | **$(ratio "$(m lb)" "$(m shell)")** |
| \`gpg -d \| zstd -d \| tar -x\`, then \`IMPORT DATABASE\` | $(m shell_restore) |
| \`lifeboat restore --wait\` | $(m lb_restore) |
| ↳ restore-into-target | $(m lb.restore-into-target) |
| **restore: ratio to the shell pipeline** | **$(ratio "$(m lb_restore)" "$(m shell_restore)")** |

Every run (s): bare ${col[bare]}; shell ${col[shell]}; lifeboat ${col[lb]}; shell restore ${col[shell_restore]}; lifeboat restore ${col[lb_restore]}.
Database: the mixed data's shape at scale ${scale} in DuckDB $(basename "$duckjar" .jar) (a ${db_size} B file). Both restores checked with row counts and a hash of every table. One worker of role all on the in-memory server. $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg).
MD

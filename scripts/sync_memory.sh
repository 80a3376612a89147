#!/bin/sh
# Peak memory of importing a sync file, at two sizes side by side: a laptop that joined from a snapshot
# imports a file of every op written since (about 2.1 ops per generated exchange). Memory is flat when the
# peak at a million ops is about the peak at a hundred thousand. Release CLI, files in /dev/shm when there.
# Then Shanghai's acknowledgement goes back to Lyon (approved), and Lyon writes a file for Shanghai, which
# now holds everything: it should be near-empty and instant whatever the number of ops held.
# Usage: scripts/sync_memory.sh [SMALL_EXCHANGES] [LARGE_EXCHANGES]   (default 45000 and 480000)
# Figures and findings: docs/performance.md ("Sync by file exchange").
set -eu
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release -q -p liaison-cli
bin="$CARGO_TARGET_DIR/release/liaison"
base=/tmp
[ -d /dev/shm ] && base=/dev/shm
dir=$(mktemp -d "$base/liaison-sync-memory.XXXXXX")
trap 'rm -rf "$dir"' EXIT

run() {
  n=$1
  lyon="$dir/lyon-$n.sqlite3"
  shanghai="$dir/shanghai-$n.sqlite3"
  "$bin" --db "$lyon" init --name "Lyon head office" >/dev/null
  "$bin" --db "$lyon" sync export --snapshot --out "$dir/snapshot-$n.liaison" >/dev/null
  "$bin" --db "$lyon" demo --scale "$n" >/dev/null
  "$bin" --db "$lyon" sync export --all --json --out "$dir/ops-$n.liaison" >"$dir/written-$n.json"
  "$bin" --db "$shanghai" init --name "Shanghai office" --from "$dir/snapshot-$n.liaison" >/dev/null
  /usr/bin/time -v "$bin" --db "$shanghai" sync import --json "$dir/ops-$n.liaison" \
    >"$dir/imported-$n.json" 2>"$dir/time-$n.txt"
  ops=$(sed -n 's/.*"ops": *\([0-9]*\).*/\1/p' "$dir/written-$n.json" | head -1)
  bytes=$(stat -c %s "$dir/ops-$n.liaison")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time-$n.txt")
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time-$n.txt")
  # Shanghai's first file (held by Lyon until approved), the approval, then its acknowledgement.
  "$bin" --db "$shanghai" sync export --all --out "$dir/hello-$n.liaison" >/dev/null
  "$bin" --db "$lyon" sync import "$dir/hello-$n.liaison" >/dev/null
  print=$("$bin" --db "$shanghai" sync status --json | sed -n 's/.*"fingerprint": *"\([^"]*\)".*/\1/p' | head -1)
  "$bin" --db "$lyon" sync approve "$print" >/dev/null
  "$bin" --db "$shanghai" sync export --all --out "$dir/ack-$n.liaison" >/dev/null
  "$bin" --db "$lyon" sync import "$dir/ack-$n.liaison" >/dev/null
  /usr/bin/time -v "$bin" --db "$lyon" sync export --for "Shanghai office" --json --out "$dir/nothing-$n.liaison" \
    >"$dir/nothing-$n.json" 2>"$dir/nothing-time-$n.txt"
  nothing_ops=$(sed -n 's/.*"ops": *\([0-9]*\).*/\1/p' "$dir/nothing-$n.json" | head -1)
  nothing_bytes=$(stat -c %s "$dir/nothing-$n.liaison")
  nothing_wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/nothing-time-$n.txt")
  echo "exchanges=$n ops=$ops file_bytes=$bytes import_peak_rss_kib=$rss import_wall=$wall"
  echo "  for a peer holding all $ops: ops=$nothing_ops file_bytes=$nothing_bytes wall=$nothing_wall (the CLI's start and the database's opening included)"
  rm -f "$lyon"* "$shanghai"*
}

run "${1:-45000}"
run "${2:-480000}"

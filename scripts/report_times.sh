#!/usr/bin/env bash
# Every report of a million-exchange workspace written as XLSX and as PDF by the release CLI, three runs
# each, the whole process timed (opening the database, building the report, writing the file) with its
# peak memory, as docs/performance.md reports them ("Every report at a million exchanges").
#
#   scripts/report_times.sh [DB]
#
# DB: a generated workspace (default $TMPDIR/liaison-reports-1000000.sqlite3, made once with
# `liaison --db DB demo --scale 1000000`: about 2 minutes). Uses the release CLI ($LIAISON, default
# $CARGO_TARGET_DIR/release/liaison: `cargo build --release -p liaison-cli`), GNU time and pdfinfo.
set -euo pipefail
TARGET=${CARGO_TARGET_DIR:-target}
LIAISON=${LIAISON:-$TARGET/release/liaison}
DIR=${TMPDIR:-/tmp}
DB=${1:-$DIR/liaison-reports-1000000.sqlite3}
if [ ! -f "$DB" ]; then
  echo "generating a million exchanges into $DB (once)…" >&2
  "$LIAISON" --db "$DB" demo --scale 1000000 >&2
fi
OUT=$DIR/liaison-report-times
mkdir -p "$OUT"

run() { # label, report arguments…
  local label=$1; shift
  for fmt in xlsx pdf; do
    local times=() file=$OUT/report.$fmt
    for _ in 1 2 3; do
      /usr/bin/time -o "$OUT/time" -f "%e s, %M KB" "$LIAISON" --db "$DB" report "$@" --out "$file" >/dev/null
      times+=("$(cat "$OUT/time")")
    done
    local pages=""
    [ "$fmt" = pdf ] && pages=", $(pdfinfo "$file" 2>/dev/null | awk '/^Pages/{print $2}') pages"
    printf '%-30s %-4s %s | %s | %s  (%s bytes%s)\n' "$label" "$fmt" "${times[@]}" "$(stat -c %s "$file")" "$pages"
  done
}
uptime
run "agreements" agreements
run "mobility, every year" mobility
run "mobility, China 2025" mobility --year 2025 --zone china
run "csc" csc
run "calls" calls
run "projects_events" projects_events
run "zone, China (this year)" zone --zone china
run "zone, all zones (this year)" zone
run "data_quality" data_quality
uptime

#!/bin/sh
# Time and peak memory of `liaison export exchanges` to CSV at 100,000 and 1,000,000 exchanges, as
# docs/performance.md reports them ("Exporting lists").
#
#   scripts/export_memory.sh [BASE]
#
# BASE: the 100,000-exchange base the export bench generates (default
# $CARGO_TARGET_DIR/tmp/bench-export-100000.sqlite3; make it once with
# `LIAISON_BENCH_EXPORT_EXCHANGES=100000 cargo bench -p liaison-core --bench export`). The million is that
# base with its exchange rows copied nine times in SQL under new ids (made once beside the output, ~1 min):
# generating a million through `demo --scale` takes about 90 minutes here. Uses the release CLI
# ($LIAISON, default $CARGO_TARGET_DIR/release/liaison: `cargo build --release -p liaison-cli`),
# sqlite3 and GNU time (/usr/bin/time).
set -eu
TARGET=${CARGO_TARGET_DIR:-target}
BASE=${1:-$TARGET/tmp/bench-export-100000.sqlite3}
LIAISON=${LIAISON:-$TARGET/release/liaison}
DIR=${TMPDIR:-/tmp}/liaison-export-memory
mkdir -p "$DIR"
MILLION=$DIR/exchanges-1000000.sqlite3
if [ ! -f "$MILLION" ]; then
    rm -f "$MILLION.part"
    sqlite3 "$BASE" ".backup '$MILLION.part'"
    sqlite3 "$MILLION.part" "
        WITH RECURSIVE copy(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copy WHERE n < 9)
        INSERT INTO exchange (id, person_id, direction, category, programme, home_id, host_id, unit_id,
            agreement_id, condition_id, academic_year, planned_start, planned_end, actual_start, actual_end,
            level, field, language, cefr, funding, amount, currency, status, cohort, notes, deleted)
        SELECT randomblob(16), person_id, direction, category, programme, home_id, host_id, unit_id,
            agreement_id, condition_id, academic_year, planned_start, planned_end, actual_start, actual_end,
            level, field, language, cefr, funding, amount, currency, status, cohort, notes, deleted
        FROM exchange, copy;
        ANALYZE;"
    mv "$MILLION.part" "$MILLION"
fi
for db in "$BASE" "$MILLION"; do
    n=$(sqlite3 "$db" "SELECT count(*) FROM exchange WHERE deleted = 0")
    /usr/bin/time -v "$LIAISON" --db "$db" export exchanges --out "$DIR/exchanges-$n.csv" \
        >"$DIR/out.txt" 2>"$DIR/time.txt"
    wall=$(grep "Elapsed (wall clock)" "$DIR/time.txt" | sed 's/.*: //')
    rss=$(grep "Maximum resident set size" "$DIR/time.txt" | sed 's/.*: //')
    size=$(stat -c %s "$DIR/exchanges-$n.csv")
    lines=$(wc -l <"$DIR/exchanges-$n.csv")
    echo "$n exchanges: $lines lines, $size bytes, wall $wall, peak RSS $rss KiB"
    rm -f "$DIR/exchanges-$n.csv"
done

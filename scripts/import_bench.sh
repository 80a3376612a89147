#!/bin/sh
# Import of a partner list beside sqlite3's .import of the same file into a bare table, same run, each size:
# a CSV of N partners (Name,Country,City,Acronym) imported by the release CLI into a new workspace (validated,
# op-logged, listed and indexed for search, one transaction), then again (every row unchanged), and by
# `sqlite3 .import`. Prints wall times, the ratio and the import's peak memory (flat when the peak at a
# million rows is about the peak at ten thousand). Databases in /dev/shm when there.
# Also the floor: sqlite3 itself writing the same rows, by plain INSERT … SELECT from the bare table, into
# the tables and indexes Liaison fills (partner, its name, two ops, the list row, two labels, the search
# document in both full-text indexes; the FTS tables without the options sqlite3 < 3.45 lacks), one
# transaction, WAL — what no code in Liaison can beat.
# Usage: scripts/import_bench.sh [ROWS...]   (default 10000 100000); LIAISON=path/to/liaison to measure
# another build (an older commit's, say) instead of building this tree's.
# Figures and findings: docs/performance.md ("Import of a partner list").
set -eu
cd "$(dirname "$0")/.."
bin="${LIAISON:-}"
if [ -z "$bin" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
  cargo build --release -q -p liaison-cli
  bin="$CARGO_TARGET_DIR/release/liaison"
fi
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (apt-get install sqlite3)" >&2; exit 1; }
base=/tmp
[ -d /dev/shm ] && base=/dev/shm
dir=$(mktemp -d "$base/liaison-import-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# N distinct partners: name and country never repeat (a repeated pair is the same partner, an error).
partners() {
  awk -v n="$1" 'BEGIN {
    split("CN JP BR CA FR", country, " "); split("Shanghai Tokyo Recife Montreal Lyon", city, " ")
    print "Name,Country,City,Acronym"
    for (i = 1; i <= n; i++) { c = i % 5 + 1; printf "University number %d,%s,%s,U%d\n", i, country[c], city[c], i }
  }'
}

# Seconds and peak KiB of a command, its output dropped.
timed() {
  /usr/bin/time -f "%e %M" -o "$dir/time" "$@" >/dev/null 2>"$dir/err" || { cat "$dir/err" >&2; exit 1; }
  cat "$dir/time"
}

# The floor (see above) for the file $1, into a database made like Liaison's database $2.
floor() {
  db="$dir/floor.sqlite3"
  for t in partner partner_name op partner_summary partner_label search_doc; do
    sqlite3 "$2" ".schema $t"
  done | sqlite3 "$db"
  sqlite3 "$db" "CREATE VIRTUAL TABLE search_long USING fts5 (head, body, content = '', tokenize = 'trigram');
    CREATE VIRTUAL TABLE search_short USING fts5 (head, body, content = '', tokenize = 'unicode61 remove_diacritics 2');"
  sqlite3 "$db" ".mode csv" ".import $1 bare"
  cat >"$dir/floor.sql" <<'SQL'
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
BEGIN;
CREATE TEMP TABLE src AS SELECT rowid AS n, Name AS name, Country AS country, City AS city, Acronym AS acronym,
  CAST(printf('a%015d', rowid) AS BLOB) AS id, CAST(printf('b%015d', rowid) AS BLOB) AS name_id FROM bare;
INSERT INTO partner (id, acronym, kind, country, city, zone, status, created_at)
  SELECT id, acronym, 'university', country, city, 'asia', 'active', '2026-12-05T00:00:00Z' FROM src;
INSERT INTO partner_name (id, partner_id, value, lang, is_primary) SELECT name_id, id, name, 'en', 1 FROM src;
INSERT INTO op (origin, seq, hlc, tbl, row_id) SELECT 1, 2 * n, n, 1, id FROM src;
INSERT INTO op (origin, seq, hlc, tbl, row_id) SELECT 1, 2 * n + 1, n, 2, name_id FROM src;
INSERT INTO partner_summary (id, name, sort_name, acronym, kind, country, city, zone, status)
  SELECT id, name, lower(name), acronym, 'university', country, city, 'asia', 'active' FROM src;
INSERT INTO partner_label (partner_id, ui, name, lang, sort_name) SELECT id, 'en', name, 'en', lower(name) FROM src;
INSERT INTO partner_label (partner_id, ui, name, lang, sort_name) SELECT id, 'fr', name, 'en', lower(name) FROM src;
INSERT INTO search_doc (doc, entity, entity_id) SELECT n, 'partner', id FROM src;
INSERT INTO search_long (rowid, head, body) SELECT n, name || ' ; ' || acronym, city || ' ; ' || country FROM src;
INSERT INTO search_short (rowid, head, body) SELECT n, name || ' ; ' || acronym, city || ' ; ' || country FROM src;
COMMIT;
SQL
  set -- $(timed sh -c "sqlite3 '$db' <'$dir/floor.sql'")
  echo "$1"
}

[ $# -gt 0 ] || set -- 10000 100000
for n in "$@"; do
  csv="$dir/partners-$n.csv"
  partners "$n" >"$csv"
  "$bin" --db "$dir/r.sqlite3" init --name R >/dev/null
  set -- $(timed "$bin" --db "$dir/r.sqlite3" import --entity partners "$csv")
  import_s=$1 import_kib=$2
  set -- $(timed "$bin" --db "$dir/r.sqlite3" import --entity partners "$csv")
  again_s=$1 again_kib=$2
  set -- $(timed sqlite3 "$dir/bare.sqlite3" ".mode csv" ".import $csv partners")
  sqlite_s=$1
  floor_s=$(floor "$csv" "$dir/r.sqlite3")
  created=$(sqlite3 "$dir/r.sqlite3" "SELECT count(*) FROM partner")
  [ "$created" -eq "$n" ] || { echo "$created partners imported, $n expected" >&2; exit 1; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 0.01) }'; }
  echo "rows=$n import_s=$import_s sqlite3_import_s=$sqlite_s ratio=$(ratio "$import_s" "$sqlite_s")" \
    "floor_s=$floor_s floor_ratio=$(ratio "$floor_s" "$sqlite_s") import_peak_kib=$import_kib" \
    "again_s=$again_s again_peak_kib=$again_kib"
  rm -f "$dir"/*.sqlite3* "$csv"
done

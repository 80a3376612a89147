#!/bin/sh
# Memory of the desktop app: PSS of the app and its WebKit processes (summed from /proc/*/smaps_rollup) after
# start on the demo and after a tour of every screen in English and French, driven through WebKitWebDriver
# under Xvfb. Prints each process with what holds its memory; fails on a regression. The UI, the app and the
# test are built first (debug, as `make run` runs it). Figures and findings: docs/performance.md.
set -eu
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
(cd ui && npm run build >/dev/null)
cargo build -p liaison-app
log=$(mktemp)
status=0
xvfb-run -a -s "-screen 0 1280x800x24" \
  cargo test -p liaison-tests --test e2e -- --ignored --nocapture --test-threads=1 \
  memory_after_start_and_after_a_tour_of_every_screen >"$log" 2>&1 || status=$?
grep -E '^memory:|test result|panicked|assertion' "$log" || cat "$log"
rm -f "$log"
exit "$status"

#!/bin/sh
# Memory of the desktop app: PSS of the app and its WebKit processes (summed from /proc/*/smaps_rollup) after
# start on the demo and after a tour of every screen in English and French, driven through WebKitWebDriver
# under Xvfb. Prints each process with what holds its memory; fails on a regression. The UI, the app and the
# test are built first: the app in debug, as `make run` runs it, or with `--release` in release, the build
# users install (`make bundle`; it embeds ui/dist as the debug build does). Figures: docs/performance.md.
set -eu
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
case "${1:-}" in
  "") profile=debug ;;
  --release) profile=release ;;
  *) echo "usage: scripts/memory.sh [--release]" >&2; exit 2 ;;
esac
(cd ui && npm run build >/dev/null)
if [ "$profile" = release ]; then
  cargo build --release -p liaison-app
else
  cargo build -p liaison-app
fi
log=$(mktemp)
status=0
E2E_APP_PROFILE=$profile xvfb-run -a -s "-screen 0 1280x800x24" \
  cargo test -p liaison-tests --test e2e -- --ignored --nocapture --test-threads=1 \
  memory_after_start_and_after_a_tour_of_every_screen >"$log" 2>&1 || status=$?
# libtest writes "test NAME ... " before the test's first line: the figures start at "memory:".
pattern='memory:|test result|panicked|assertion'
if grep -qE "$pattern" "$log"; then
  grep -E "$pattern" "$log" | sed 's/^test .* \.\.\. memory:/memory:/'
else
  cat "$log"
fi
rm -f "$log"
exit "$status"

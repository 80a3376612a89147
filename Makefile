# Liaison: `make run` installs what is missing and opens the app on the demo workspace;
# `make test` runs every test. Both work on a fresh Debian/Ubuntu machine with Rust and Node.

SHELL := /bin/bash
.DEFAULT_GOAL := run

# System packages: building the WebKitGTK app, and the display, driver and fonts its tests use (and
# LibreOffice, the real client that opens our XLSX exports in tests/integration/export.rs: +30 s, ~190 MB;
# poppler-utils, whose pdftotext and pdftoppm read our PDF reports in tests/integration/reports.rs).
APT_BUILD := libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev file
APT_RUN   := fonts-noto-cjk fonts-dejavu-core
APT_TEST  := xvfb xauth webkit2gtk-driver libreoffice-calc-nogui poppler-utils

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)

.PHONY: run dev bundle test deps test-deps ui-deps ui build bench bindings fixtures fmt clean

define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call apt_install,$(APT_BUILD) $(APT_RUN))

test-deps: deps
	$(call apt_install,$(APT_TEST))

# npm ci only when the lock file changed since the last install.
ui-deps:
	@if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
	  cd ui && npm ci --no-audit --no-fund; \
	fi

ui: ui-deps
	cd ui && npm run build

build: deps ui
	$(CARGO) build --workspace

# Opens the app; a database with no workspace yet gets the demo first.
run: build
	$(TARGET_DIR)/debug/liaison demo --if-new
	$(TARGET_DIR)/debug/liaison-app

# Live-reloading UI through the Tauri CLI (from ui/node_modules).
dev: deps ui-deps
	ui/node_modules/.bin/tauri dev

# Release build and .deb/.rpm packages (Tauri CLI) in target/release/bundle/.
bundle: deps ui-deps
	ui/node_modules/.bin/tauri build

# Clippy's lints run inside the test build: clippy-driver compiles the workspace's own crates (as `cargo clippy`
# has it do, with every warning an error), so the dependencies are compiled once, not checked by clippy and
# then built again: on a new machine that saves a pass over some 700 crates (docs/performance.md, "Build time").
CLIPPY_DRIVER := $(shell command -v clippy-driver 2>/dev/null)
LINTED := env RUSTC_WORKSPACE_WRAPPER="$(CLIPPY_DRIVER)" CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

test: test-deps ui
	@[ -n "$(CLIPPY_DRIVER)" ] || { echo "clippy is missing: rustup component add clippy"; exit 1; }
	cd ui && npm run typecheck && npm run lint && npm test
	$(CARGO) fmt --all -- --check
	$(LINTED) $(CARGO) build --workspace --all-targets
	$(LINTED) $(CARGO) test --workspace
	@# ts-rs rewrote ui/src/bindings during the tests: the committed bindings must be the same.
	@if [ -n "$$(git status --porcelain -- ui/src/bindings)" ]; then \
	  echo "The TypeScript bindings in ui/src/bindings are stale: run 'make bindings' and commit them."; \
	  git status --short -- ui/src/bindings; exit 1; \
	fi
	@# The ui_fixtures test rewrote the core's answers the UI tests use: the committed ones must be the same.
	@if [ -n "$$(git status --porcelain -- ui/src/test/fixtures)" ]; then \
	  echo "The UI test fixtures in ui/src/test/fixtures are stale: run 'make fixtures' and commit them."; \
	  git status --short -- ui/src/test/fixtures; exit 1; \
	fi
	xvfb-run -a -s "-screen 0 1280x800x24" timeout 600 $(LINTED) $(CARGO) test --workspace --test e2e -- --ignored --test-threads=1

bindings:
	$(CARGO) test --workspace --lib export_bindings

# What the real core answers on the demo, for the UI tests (ui/src/test/fixtures; see docs/ui-tests.md).
fixtures:
	$(CARGO) test -p liaison-tests --test integration ui_fixtures

# The harnesses generate their data once into target/tmp (the million-exchange base takes a while).
bench:
	$(CARGO) bench -p liaison-core --bench partners
	$(CARGO) bench -p liaison-core --bench records
	$(CARGO) bench -p liaison-core --bench bulk
	$(CARGO) bench -p liaison-core --bench jobs
	$(CARGO) bench -p liaison-core --bench report

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules

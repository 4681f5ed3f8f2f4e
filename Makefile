# lanyard — a terminal conference companion.
#
#   make run     install missing packages, build, open the sample schedule
#   make test    install missing packages, build, run every test
#   make asan    the whole suite under AddressSanitizer + UBSan
#   make memcheck  the command-line tests with lanyard under valgrind
#   make fuzz    the three libFuzzer targets (clang), FUZZ_TIME seconds each
#   make bench   lanyard against sqlite3 and the browser's latency, at 3k and 100k talks
#                and on a 2,431-session re:Invent-shaped catalog
#
# Targets that need system packages (run, test, asan) first run `deps`,
# then re-enter make, so pkg-config is only asked once the packages exist.

PKG_CONFIG ?= pkg-config
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
CC         ?= cc
V          ?= 0
Q           = $(if $(filter 1,$(V)),,@)
CFLAGS     ?= -O2 -g
WERROR     ?= -Werror
BUILD      ?= build

VERSION := 0.1.0

WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wwrite-strings -Wno-format-nonliteral
PKGS     = ncursesw sqlite3
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE \
             -DLANYARD_VERSION='"$(VERSION)"' -Iinclude $(WARNINGS) $(WERROR) \
             $(shell $(PKG_CONFIG) --cflags $(PKGS) libcurl 2>/dev/null) $(CFLAGS) -MMD -MP
# libcurl is loaded (dlopen) only to fetch a URL: its headers are needed here,
# the library at run time, and starting lanyard costs nothing more.
LIBS     = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcsv -ldl
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka vterm 2>/dev/null)
TEST_LIBS   = $(shell $(PKG_CONFIG) --libs cmocka vterm 2>/dev/null) -lutil

# Core modules know nothing of curses; the UI engine and screens do.
CORE_SRC = $(wildcard src/*.c)
CORE_SRC := $(filter-out src/main.c,$(CORE_SRC))
UI_SRC   = $(wildcard src/ui/*.c) $(wildcard screens/*.c)
CORE_OBJ = $(CORE_SRC:%.c=$(BUILD)/%.o)
UI_OBJ   = $(UI_SRC:%.c=$(BUILD)/%.o)
BIN      = $(BUILD)/lanyard

UNIT_SRC   = $(wildcard tests/unit/test_*.c)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
SCREEN_SRC = $(wildcard tests/screen/test_*.c)
SCREEN_BIN = $(SCREEN_SRC:tests/screen/%.c=$(BUILD)/tests/%)
VT_OBJ     = $(BUILD)/tests/vt/vt.o
VT_TESTS   = $(if $(wildcard tests/vt/test_vt.c),$(BUILD)/tests/test_vt $(BUILD)/tests/vt_demo,)

DEB_PKGS = libncurses-dev libsqlite3-dev libcsv-dev libcmocka-dev libvterm-dev pkg-config ncurses-term \
           libcurl4-openssl-dev sqlite3 $(TEST_DEB_PKGS)
# Only the tests need these: a CommonMark parser and an iCalendar parser check
# the exports, python3 checks the JSON and serves the URL-source tests' HTTP
# server; tzdata gives the zones' rules.
TEST_DEB_PKGS = cmark libical-dev python3 tzdata

.PHONY: all run test tests-build asan memcheck fuzz fuzz-build debug install uninstall clean deps bench

all: $(BIN)

$(BIN): $(BUILD)/src/main.o $(CORE_OBJ) $(UI_OBJ)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/vt/%.o: tests/vt/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

# $< and the objects only: the .d files add what a test #includes (the
# editor's test includes src/ui/editor.c), which must not be linked again.
$(BUILD)/tests/test_%: tests/unit/test_%.c $(CORE_OBJ) $(BUILD)/tests/testutil.o
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests -o $@ $< $(filter %.o,$^) $(LIBS) $(TEST_LIBS) $(LDFLAGS)

# The export tests parse calendars with libical.
$(BUILD)/tests/test_export: TEST_CFLAGS += $(shell $(PKG_CONFIG) --cflags libical 2>/dev/null)
$(BUILD)/tests/test_export: TEST_LIBS += $(shell $(PKG_CONFIG) --libs libical 2>/dev/null)

$(BUILD)/tests/test_%: tests/screen/test_%.c $(VT_OBJ) $(BUILD)/tests/screenutil.o $(BUILD)/src/ui/keymap.o
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests -o $@ $^ $(LIBS) $(TEST_LIBS) $(LDFLAGS)

# One command's wall time and peak RSS, with nothing in between (make bench).
$(BUILD)/tests/bench_run: tests/bench/bench_run.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDFLAGS)

# The browser's latency through the screen tests' terminal (make bench).
$(BUILD)/tests/bench_keys: tests/bench/bench_keys.c $(VT_OBJ) $(BUILD)/tests/screenutil.o
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests -o $@ $^ $(TEST_LIBS) $(LDFLAGS)

$(BUILD)/tests/test_vt: tests/vt/test_vt.c $(VT_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests -o $@ $^ $(TEST_LIBS) $(LDFLAGS)

$(BUILD)/tests/vt_demo: tests/vt/vt_demo.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

$(BUILD)/tests/testutil.o: tests/testutil.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests -c -o $@ $<

$(BUILD)/tests/screenutil.o: tests/screenutil.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests -c -o $@ $<

# The fuzz targets, each driven over its seeds in every test run: the
# importer over the seed corpus and every fixture, the date reader over
# cells, the text code over hostile strings and the fixtures.
FUZZ_TARGETS = import dateparse text
SEEDS_import    = tests/fuzz/corpus tests/data tests/cli/data
SEEDS_dateparse = tests/fuzz/dates
SEEDS_text      = tests/fuzz/text tests/data tests/cli/data
FUZZ_REPLAY = $(BUILD)/tests/test_fuzz_replay $(BUILD)/tests/test_fuzz_dateparse $(BUILD)/tests/test_fuzz_text
comma := ,
seed_list = $(subst $(eval) ,$(comma),$(patsubst %,"%",$(SEEDS_$(1))))

$(BUILD)/tests/test_fuzz_replay: tests/fuzz/replay.c tests/fuzz/fuzz_import.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

$(BUILD)/tests/test_fuzz_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c $(CORE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -DFUZZ_NAME='"$*"' -DFUZZ_SEEDS='$(call seed_list,$*)' -o $@ $(filter %.c %.o,$^) $(LIBS) $(LDFLAGS)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(CORE_OBJ)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c %.o,$^) $(LIBS) $(LDFLAGS)

tests-build: $(BIN) $(UNIT_BIN) $(SCREEN_BIN) $(VT_TESTS) $(FUZZ_REPLAY)

deps:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "deps: not a Debian system; install by hand: $(DEB_PKGS) (and libcsv)"; exit 0; fi; \
	missing=""; for p in $(DEB_PKGS) $(EXTRA_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

run: deps
	@$(MAKE) --no-print-directory all
	$(BIN) sample-data/kubecon-eu-2022.csv

test: deps
	@$(MAKE) --no-print-directory tests-build
	@BUILD=$(BUILD) sh tests/run-all.sh

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" tests-build
	@BUILD=build-asan ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/run-all.sh

# valgrind over every command-line test (tests/memcheck.sh).
memcheck: deps
	@$(MAKE) --no-print-directory deps EXTRA_DEBS=valgrind
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh tests/memcheck.sh

# Optimised build, then lanyard against sqlite3's own .import and the
# browser's latency on 3,000 and 100,000 talks and on a re:Invent-shaped
# catalog of 2,431 sessions (not part of `make test`).
GEN ?= ../shared/tools/gen-schedule
bench:
	@$(MAKE) --no-print-directory deps EXTRA_DEBS="sqlite3 python3"
	@$(MAKE) --no-print-directory BUILD=build-bench CFLAGS="-O2 -DNDEBUG" \
	  build-bench/lanyard build-bench/tests/bench_keys build-bench/tests/bench_run
	@BUILD=build-bench GEN=$(GEN) sh tests/bench/bench.sh

# Each target runs FUZZ_TIME seconds (FUZZ=dateparse runs one of them);
# what it learns is kept in build-fuzz/corpus-TARGET, crashes in
# build-fuzz/crash-*: commit those to the target's seed directory.

FUZZ_TIME ?= 60
FUZZ ?= $(FUZZ_TARGETS)
FUZZ_ARGS_import = -max_len=65536 -dict=tests/fuzz/csv.dict
FUZZ_ARGS_dateparse = -max_len=256
FUZZ_ARGS_text = -max_len=4096
fuzz:
	@$(MAKE) --no-print-directory deps EXTRA_DEBS=clang
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined" $(FUZZ:%=build-fuzz/fuzz_%)
	@set -e; for t in $(FUZZ); do \
	  mkdir -p build-fuzz/corpus-$$t; \
	  case $$t in import) a="$(FUZZ_ARGS_import)"; s="$(SEEDS_import)";; \
	    dateparse) a="$(FUZZ_ARGS_dateparse)"; s="$(SEEDS_dateparse)";; \
	    text) a="$(FUZZ_ARGS_text)"; s="$(SEEDS_text)";; esac; \
	  echo "fuzz: $$t for $(FUZZ_TIME) s"; \
	  build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) -timeout=10 $$a \
	    -artifact_prefix=build-fuzz/ build-fuzz/corpus-$$t $$s; \
	done

debug:
	@$(MAKE) --no-print-directory BUILD=build-debug CFLAGS="-O0 -g3" all

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/lanyard
	install -m 644 lanyard.1 $(DESTDIR)$(MANDIR)/man1/lanyard.1
	install -m 644 completion/lanyard.bash $(DESTDIR)$(BASHCOMPDIR)/lanyard

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lanyard $(DESTDIR)$(MANDIR)/man1/lanyard.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/lanyard

clean:
	rm -rf build build-asan build-debug build-fuzz build-bench

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

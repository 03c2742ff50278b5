# ipcbox — GNU make, non-recursive.
#
#   make                 build/ipcbox and the applet symlinks
#   make check           install what is missing, build, run every suite, lint the man pages
#   make check SANITIZE=1  the same with an ASan+UBSan build (build-san/)
#   make check VALGRIND=1  the same under valgrind memcheck (build-vg/, -O1 -g)
#   make demo            install what is missing, build, the tour (demos/tour.sh)
#   make bench           benchmarks against the peers (bench/run.sh; BENCH=bench/x.sh for one)
#   make install PREFIX=/usr/local DESTDIR=
#   make deps            install what is missing from Debian packages
#   make fuzz FUZZ_TIME=60  the libFuzzer harnesses of tests/fuzz/, each for
#                        FUZZ_TIME seconds (clang; see the fuzzing block below)
#   make deb             the Debian package, in build/deb/ (debian/), tested
#
# CC, CPPFLAGS, CFLAGS and LDFLAGS are the user's (or dpkg-buildflags'):
# the project's own flags live in IPCBOX_* variables and the user's are
# added after them, never replace them.  WERROR= builds without -Werror.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DESTDIR   ?=

APPLETS   := $(sort $(filter-out main,$(basename $(notdir $(wildcard cmd/*.c)))))
PKGS      := libbsd-overlay smartcols
WERROR    ?= -Werror

ifeq ($(SANITIZE),1)
BUILD     := build-san
SANFLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
CFLAGS    ?= -O1 -g
else ifeq ($(VALGRIND),1)
# valgrind (issue 17): no sanitizer, a build of its own.
BUILD     := build-vg
SANFLAGS  :=
CFLAGS    ?= -O1 -g
else
BUILD     := build
SANFLAGS  :=
CFLAGS    ?= -O2 -g
endif

# Read when make reads this file; `make check` and `make demo` install the
# packages first and build in a second make, which reads them again.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBDIR := $(shell pkg-config --variable=libdir libbsd 2>/dev/null)

# The ordinary Debian shape: glibc (and libdl) dynamic; libbsd and libmd
# from their static archives, so no extra shared object is loaded when a
# hot verb starts (libbsd.so and libmd.so cost `shmctl read` 13 more page
# faults and 12% of its time); libsmartcols, the one renderer of tables
# and JSON, loaded with dlopen(3) when a table is printed (lib/table.c has
# the figures).  bench/startup.sh measures the hot verbs against an empty
# program built with the same flags.
IPCBOX_CPPFLAGS := -D_GNU_SOURCE -DIPCBOX_VERSION='"$(VERSION)"' -Ilib $(PKG_CFLAGS)
IPCBOX_CFLAGS   := -std=c11 -Wall -Wextra $(WERROR) $(SANFLAGS) \
                   -ffunction-sections -fdata-sections
IPCBOX_LDFLAGS  := $(SANFLAGS) -Wl,--gc-sections -Wl,--as-needed
IPCBOX_LDLIBS   := -Wl,-Bstatic -lbsd -lmd -Wl,-Bdynamic -ldl

# Objects are rebuilt when the flags change (make CFLAGS=-O0 after make).
FLAGS_NOW := $(CC) $(IPCBOX_CPPFLAGS) $(CPPFLAGS) $(IPCBOX_CFLAGS) $(CFLAGS) | \
             $(IPCBOX_LDFLAGS) $(LDFLAGS) $(IPCBOX_LDLIBS) $(LDLIBS)
ifneq ($(FLAGS_NOW),$(file <$(BUILD)/flags))
$(shell mkdir -p $(BUILD))
$(file >$(BUILD)/flags,$(FLAGS_NOW))
endif

LIB_SRC  := $(wildcard lib/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_SRC  := cmd/main.c $(APPLETS:%=cmd/%.c)
CMD_OBJ  := $(CMD_SRC:%.c=$(BUILD)/%.o)
DEPS     := $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)

BIN      := $(BUILD)/ipcbox
LINKS    := $(APPLETS:%=$(BUILD)/%)
MANPAGES := man/ipcbox.1 $(APPLETS:%=man/%.1)

.PHONY: all check check-only vg-deps deb deb-deps demo bench bench-deps install deps need lint lint-deps clean
all: $(BIN) $(LINKS)

# Before the first compile: say what is missing instead of a compiler error.
need:
	@pkg-config --version >/dev/null 2>&1 && pkg-config --exists $(PKGS) && \
	  test -f "$(PKG_LIBDIR)/libbsd.a" -a -f "$(PKG_LIBDIR)/libmd.a" || { \
	  echo "ipcbox: cannot build: missing pkg-config, libbsd-dev or libsmartcols-dev;" \
	       "'make deps' installs them (as root; 'make check' and 'make demo' do it first)" >&2; \
	  exit 1; }

$(BUILD)/%.o: %.c Makefile $(BUILD)/flags | need
	@mkdir -p $(dir $@)
	$(CC) $(IPCBOX_CPPFLAGS) $(CPPFLAGS) $(IPCBOX_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libipcbox.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BIN): $(CMD_OBJ) $(BUILD)/libipcbox.a $(BUILD)/flags
	$(CC) $(IPCBOX_CFLAGS) $(CFLAGS) $(IPCBOX_LDFLAGS) $(LDFLAGS) -L$(PKG_LIBDIR) -o $@ \
	  $(CMD_OBJ) $(BUILD)/libipcbox.a $(IPCBOX_LDLIBS) $(LDLIBS)

$(LINKS): $(BIN)
	ln -sf ipcbox $@

-include $(DEPS)

deps:
	@sh tests/deps.sh

# deps first, then a make that reads this file again (pkg-config's answers).
check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory check-only

ifneq ($(VALGRIND),1)
check-only:
	mandoc -Tlint -Wwarning $(MANPAGES)
	IPCBOX_BIN=$(abspath $(BIN)) IPCBOX_SANITIZE=$(if $(SANITIZE),1,0) \
	  bash tests/run.sh tests/
else
# ---- make check VALGRIND=1 (issue 17) ---------------------------------
# Every suite with IPCBOX_BIN at build-vg/vg/ipcbox, a wrapper that runs
# the binary under memcheck (tests/valgrind.sh: options and why), one log
# a process in build-vg/vg-logs/; then the totals of errors and definite
# leaks, with the names of the logs that hold them.  IPCBOX_TIME_FACTOR
# stretches the suites' waits for a slow start (valgrind: ~20x).
check: vg-deps

vg-deps:
	@sh tests/deps.sh valgrind

check-only:
	mandoc -Tlint -Wwarning $(MANPAGES)
	bash tests/valgrind.sh setup $(BUILD)
	IPCBOX_BIN=$(abspath $(BUILD))/vg/ipcbox IPCBOX_VALGRIND=1 \
	  IPCBOX_TIME_FACTOR=$${IPCBOX_TIME_FACTOR:-20} \
	  bash tests/run.sh $(or $(SUITES),tests/); s=$$?; \
	  bash tests/valgrind.sh summary $(BUILD) && exit $$s
# ---- end of make check VALGRIND=1 --------------------------------------
endif

demo: deps
	@$(MAKE) --no-print-directory all
	IPCBOX_BIN=$(abspath $(BIN)) sh demos/tour.sh

# The deps plus what the benchmarks run.
bench-deps:
	@sh tests/deps.sh hyperfine jq time

bench: bench-deps
	@$(MAKE) --no-print-directory all
	IPCBOX_BIN=$(abspath $(BIN)) BENCH_CC="$(CC)" \
	  BENCH_CFLAGS="$(IPCBOX_CFLAGS) $(CFLAGS)" BENCH_LDFLAGS="$(IPCBOX_LDFLAGS) $(LDFLAGS)" \
	  sh bench/run.sh $(BENCH)

# bash-completion loads completions/NAME for the command NAME: the one
# file, and a symlink to it for each applet.
COMPDIR   ?= $(PREFIX)/share/bash-completion/completions

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/ipcbox
	for a in $(APPLETS); do ln -sf ipcbox $(DESTDIR)$(BINDIR)/$$a; done
	install -m 0644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 completions/ipcbox $(DESTDIR)$(COMPDIR)/ipcbox
	for a in $(APPLETS); do ln -sf ipcbox $(DESTDIR)$(COMPDIR)/$$a; done

# ---- make deb (issue 17) ----------------------------------------------
# dpkg-buildpackage in a copy of the tree under build/deb/ (it writes its
# .deb, .buildinfo and .changes one directory up, build/deb/, and cleans
# its copy, not this tree), then lintian (errors fail the build) and
# tests/deb.bats on the .deb: installed with dpkg --root into a scratch
# root, ipcbox --version, shmctl --help, man and the completion from there.
DEB_DIR := build/deb

deb-deps:
	@sh tests/deps.sh dpkg-dev debhelper fakeroot lintian

deb: deb-deps
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/ipcbox-$(VERSION)
	tar -cf - --exclude='./build*' --exclude=./.git . | tar -xf - -C $(DEB_DIR)/ipcbox-$(VERSION)
	cd $(DEB_DIR)/ipcbox-$(VERSION) && dpkg-buildpackage -us -uc -b
	lintian --fail-on error $(DEB_DIR)/*.changes
	IPCBOX_DEB="$$(ls $(abspath $(DEB_DIR))/ipcbox_*.deb)" \
	  bats tests/deb.bats
# ---- end of make deb ---------------------------------------------------

lint-deps:
	@sh tests/deps.sh clang-format cppcheck shellcheck

lint: lint-deps
	clang-format --dry-run --Werror cmd/*.c cmd/*.h lib/*.c lib/*.h
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability -Ilib cmd lib
	shellcheck demos/*.sh bench/*.sh tests/*.sh tests/*.bash
	shellcheck -s bash completions/ipcbox

clean:
	rm -rf build build-san build-vg

# ---- fuzzing (issue 17): begin ---------------------------------------
# A harness is tests/fuzz/NAME.c (LLVMFuzzerTestOneInput, one parser or
# decoder of lib/), its seed corpus tests/fuzz/NAME/, and its name here:
FUZZ_HARNESSES := addr size mode time seals semop cols escape fdstore_req \
                  ring_hdr
#
#   make fuzz FUZZ_TIME=60   each harness built with clang's libFuzzer,
#                            ASan and UBSan into build-fuzz/, run for
#                            FUZZ_TIME seconds on a copy of its seeds
#   FUZZ_RUNS=1000000        stop each at that many executions instead
#   FUZZ=addr,ring_hdr       only those
#
# It prints each harness's executions and coverage and fails on a crash,
# a leak or a timeout (the input is kept in build-fuzz/run/NAME/).  The
# corpus it grows stays in build-fuzz/; copy an input worth keeping into
# tests/fuzz/NAME/, and one that crashed into tests/fuzz/regress/NAME/.
# `make` also links every harness with tests/fuzz/driver.c and the
# project's compiler ($(BUILD)/fuzz/NAME FILE|DIR...): tests/fuzz.bats
# replays the seeds and the regressions through them, so `make check`
# needs no clang.
FUZZ_CC       ?= clang
FUZZ_TIME     ?= 60
FUZZ_RUNS     ?=
FUZZ          ?= $(FUZZ_HARNESSES)
FUZZ_DIR      := build-fuzz
FUZZ_SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
                 -fno-omit-frame-pointer
FUZZ_CFLAGS   := -std=c11 -Wall -Wextra $(WERROR) $(FUZZ_SANFLAGS)
FUZZ_LIB_OBJ  := $(LIB_SRC:%.c=$(FUZZ_DIR)/%.o)
FUZZ_REPLAY   := $(FUZZ_HARNESSES:%=$(BUILD)/fuzz/%)
comma         := ,

.PHONY: fuzz fuzz-deps fuzz-build fuzz-clean fuzz-lint
all: $(FUZZ_REPLAY)
clean: fuzz-clean
lint: fuzz-lint

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/driver.c tests/fuzz/fuzz.h \
    $(BUILD)/libipcbox.a $(BUILD)/flags
	@mkdir -p $(dir $@)
	$(CC) $(IPCBOX_CPPFLAGS) $(CPPFLAGS) $(IPCBOX_CFLAGS) $(CFLAGS) \
	  $(IPCBOX_LDFLAGS) $(LDFLAGS) -L$(PKG_LIBDIR) -o $@ $< \
	  tests/fuzz/driver.c $(BUILD)/libipcbox.a $(IPCBOX_LDLIBS) $(LDLIBS)

$(FUZZ_DIR)/%.o: %.c Makefile | need
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(IPCBOX_CPPFLAGS) $(CPPFLAGS) $(FUZZ_CFLAGS) $(CFLAGS) \
	  -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/libipcbox.a: $(FUZZ_LIB_OBJ)
	$(AR) rcs $@ $^

$(FUZZ_DIR)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_DIR)/libipcbox.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(IPCBOX_CPPFLAGS) $(CPPFLAGS) $(FUZZ_CFLAGS) $(CFLAGS) \
	  -fsanitize=fuzzer $(LDFLAGS) -L$(PKG_LIBDIR) -o $@ $< \
	  $(FUZZ_DIR)/libipcbox.a $(IPCBOX_LDLIBS) $(LDLIBS)

-include $(FUZZ_LIB_OBJ:.o=.d)

# clang and the libFuzzer runtime, with the build's packages.
fuzz-deps:
	@sh tests/deps.sh clang libclang-rt-dev

fuzz-build: $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/fuzz/%)

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-build
	FUZZ_TIME="$(FUZZ_TIME)" FUZZ_RUNS="$(FUZZ_RUNS)" \
	  sh tests/fuzz/run.sh $(FUZZ_DIR) $(subst $(comma), ,$(FUZZ))

fuzz-lint: lint-deps
	clang-format --dry-run --Werror tests/fuzz/*.c tests/fuzz/*.h
	shellcheck tests/fuzz/run.sh

fuzz-clean:
	rm -rf $(FUZZ_DIR)
# ---- fuzzing (issue 17): end -----------------------------------------

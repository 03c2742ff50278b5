# ipcbox — GNU make, non-recursive.
#
#   make                 build/ipcbox and the applet symlinks
#   make check           build, run every bats suite, lint the man pages
#   make check SANITIZE=1  the same with an ASan+UBSan build
#   make demo            the tour (demos/tour.sh)
#   make bench           benchmarks against the peers (bench/run.sh)
#   make install PREFIX=/usr/local DESTDIR=
#   make deps            install what is missing from Debian packages

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DESTDIR   ?=

APPLETS   := $(sort $(filter-out main,$(basename $(notdir $(wildcard cmd/*.c)))))
CC        ?= cc
PKGS      := libbsd-overlay smartcols

ifeq ($(SANITIZE),1)
BUILD     := build-san
SANFLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT       := -O1 -g
LINKMODE  :=
else
BUILD     := build
SANFLAGS  :=
OPT       := -O2 -g
# Static: a hot verb starts faster than /bin/true. libsmartcols has no static
# library, so lib/table.c loads it with dlopen(3) only when a table is printed.
# Two load segments (code with read-only data, then data) and no RELRO
# mprotect: glibc's start-up touches fewer pages, 3 to 5% of a hot verb's
# time (bench/shmctl.sh).  The cost: .got and .init_array stay writable.
# Unused functions of the static libraries are dropped (--gc-sections):
# 3 fewer pages touched at start-up, about 4% of a hot verb's time.
OPT       += -ffunction-sections -fdata-sections
LINKMODE  := -static -Wl,-z,noseparate-code,-z,norelro -Wl,--gc-sections
DEFS      := -DIPCBOX_STATIC
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config $(if $(LINKMODE),--static) --libs libbsd 2>/dev/null)

CFLAGS   ?= $(OPT)
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $(SANFLAGS) $(DEFS) \
            -DIPCBOX_VERSION='"$(VERSION)"' -Ilib $(PKG_CFLAGS)
LDFLAGS  += $(SANFLAGS) $(LINKMODE)
LDLIBS   += $(PKG_LIBS) -ldl

LIB_SRC  := $(wildcard lib/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_SRC  := cmd/main.c $(APPLETS:%=cmd/%.c)
CMD_OBJ  := $(CMD_SRC:%.c=$(BUILD)/%.o)
DEPS     := $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)

BIN      := $(BUILD)/ipcbox
LINKS    := $(APPLETS:%=$(BUILD)/%)
MANPAGES := man/ipcbox.1 $(APPLETS:%=man/%.1)

.PHONY: all check check-only demo bench bench-deps install deps lint lint-deps clean
all: $(BIN) $(LINKS)

$(BUILD)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libipcbox.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

# glibc warns that a static dlopen/getpwuid needs the same glibc at run time:
# it is the one we build on, and the warning is expected.
$(BIN): $(CMD_OBJ) $(BUILD)/libipcbox.a
	@rm -f $@
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libipcbox.a $(LDLIBS) 2>&1 | \
	  grep -v -e 'statically linked applications requires' -e 'in function' >&2 || true
	@test -x $@

$(LINKS): $(BIN)
	ln -sf ipcbox $@

-include $(DEPS)

deps:
	@sh tests/deps.sh

check: deps all
	@$(MAKE) --no-print-directory check-only

check-only:
	mandoc -Tlint -Wwarning $(MANPAGES)
	IPCBOX_BIN=$(abspath $(BIN)) IPCBOX_SANITIZE=$(if $(SANITIZE),1,0) \
	  bash tests/run.sh tests/

demo: deps all
	IPCBOX_BIN=$(abspath $(BIN)) sh demos/tour.sh

# The deps plus what the benchmarks run.
bench-deps:
	@sh tests/deps.sh hyperfine jq time

bench: bench-deps all
	IPCBOX_BIN=$(abspath $(BIN)) sh bench/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/ipcbox
	for a in $(APPLETS); do ln -sf ipcbox $(DESTDIR)$(BINDIR)/$$a; done
	install -m 0644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/

lint-deps:
	@sh tests/deps.sh clang-format cppcheck shellcheck

lint: lint-deps
	clang-format --dry-run --Werror cmd/*.c cmd/*.h lib/*.c lib/*.h
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability -Ilib cmd lib
	shellcheck demos/*.sh bench/*.sh tests/*.sh

clean:
	rm -rf build build-san

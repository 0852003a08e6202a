# ssmprobe — build, run, test.
#
#   make              build ./ssmprobe
#   make run          build and probe (REGION=… or discovery; ARGS=… passed on)
#   make test         install test dependencies, build, run every test
#   make SAN=1 test   the same under ASan+UBSan
#   make install      PREFIX=/usr/local DESTDIR=
#   make V=1          show full command lines

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
CC        ?= cc
PKGS      := libuv libcares openssl jansson

PKG_OK    := $(shell pkg-config --exists $(PKGS) && echo yes)
ifeq ($(PKG_OK),yes)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
endif

CSTD      := -std=c11 -D_DEFAULT_SOURCE
WARN      := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wformat=2
ifeq ($(WERROR),1)
WARN      += -Werror
endif
OPT       ?= -O2 -g
CFLAGS    := $(CSTD) $(WARN) $(OPT) -Iinclude -DSSMPROBE_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS    := $(PKG_LIBS) -lm
LDFLAGS   ?=

BUILD     := build
ifeq ($(SAN),1)
CFLAGS    += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS   += -fsanitize=address,undefined
BUILD     := build-san
endif

ifneq ($(V),1)
Q := @
QCC = @printf '  CC      %s\n' $@;
QLD = @printf '  LD      %s\n' $@;
endif

SRCS      := $(sort $(wildcard src/*.c))
OBJS      := $(SRCS:src/%.c=$(BUILD)/%.o)
LIBOBJS   := $(filter-out $(BUILD)/main.o,$(OBJS))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all build deps run test unit-test check-man install clean bench fuzz valgrind soak
# When pkg-config cannot find a library, install it (root) or say how (not
# root), then build in a fresh make so that pkg-config is asked again.
all:
ifneq ($(PKG_OK),yes)
	$(Q)scripts/install-deps build
endif
	$(Q)$(MAKE) --no-print-directory build

build: ssmprobe check-man

# The binary is linked per build flavour and copied to ./ssmprobe, so that
# "make SAN=1 test" always tests the sanitizer build.
$(BUILD)/ssmprobe: $(OBJS)
	$(QLD)$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

ssmprobe: $(BUILD)/ssmprobe FORCE
	$(Q)cmp -s $< $@ || { cp $< $@.tmp && mv -f $@.tmp $@; }

$(BUILD)/%.o: src/%.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS) -UUNITTEST -MMD -MP -c -o $@ $<

# Unit tests link the library objects built with UNITTEST so static helpers are visible.
$(BUILD)/ut/%.o: src/%.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(QCC)$(CC) $(CFLAGS) -DUNITTEST -MMD -MP -c -o $@ $<

UT_LIBOBJS := $(LIBOBJS:$(BUILD)/%.o=$(BUILD)/ut/%.o)
# Keep the unit-test objects between runs (make would delete them as
# intermediates and rebuild them every time).
.SECONDARY: $(UT_LIBOBJS)

$(BUILD)/tests/%: tests/unit/%.c $(UT_LIBOBJS) $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(QLD)$(CC) $(CFLAGS) -DUNITTEST $(shell pkg-config --cflags cmocka 2>/dev/null) -o $@ $< $(UT_LIBOBJS) $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

# Rebuild everything when the flags change (redis' .make-settings idea).
$(BUILD)/.flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CFLAGS) $(LDFLAGS)' > $@
FORCE:

check-man: man/ssmprobe.1
	$(Q)if command -v mandoc >/dev/null; then mandoc -T lint -W warning man/ssmprobe.1; \
	 else groff -ww -z -man man/ssmprobe.1; fi

run: all
	./ssmprobe $(if $(REGION),--region $(REGION)) $(ARGS)

test:
	$(Q)scripts/install-deps test
	$(Q)$(MAKE) --no-print-directory WERROR=1 build $(UNIT_BINS)
	$(Q)tests/run-tests $(BUILD)

unit-test: all $(UNIT_BINS)
	$(Q)tests/run-tests $(BUILD) unit

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 ssmprobe $(DESTDIR)$(PREFIX)/bin/ssmprobe
	install -m 0644 man/ssmprobe.1 $(DESTDIR)$(PREFIX)/share/man/man1/ssmprobe.1

# libFuzzer targets for every parser, each for FUZZ_SECONDS (tests/fuzz/run).
FUZZ_SECONDS ?= 5
fuzz:
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run

# Memcheck of the real binary over representative scenarios.
valgrind: all
	$(Q)tests/valgrind/run

# 5,000 connections with ~30 % faults in a private namespace (root).
soak: all
	$(Q)tests/soak/run

# Speed, cost and accuracy against curl and an OpenSSL loop (bench/README.md).
bench: all
	bench/run

clean:
	rm -rf build build-san build-fuzz ssmprobe

-include $(OBJS:.o=.d) $(UT_LIBOBJS:.o=.d)

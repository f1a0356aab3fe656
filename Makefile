# SPDX-License-Identifier: Apache-2.0
# fwtrail - build, test, install.  `make` builds build/fwtrail and the
# library; `make check` runs every test; `make demo` runs the main job on
# sample data; `make bench` prints the benchmark table; `make fuzz` runs the
# fuzz targets.

VERSION   := 0.1.0
SOVERSION := 0
PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR    ?= $(PREFIX)/bin
LIBDIR    ?= $(PREFIX)/lib
INCDIR    ?= $(PREFIX)/include
MANDIR    ?= $(PREFIX)/share/man
DATADIR   ?= $(PREFIX)/share
B         ?= build
ifeq ($(V),1)
Q :=
else
Q := @
endif

CC        ?= cc
PKGS      := openssl p11-kit-1 jansson libcbor libarchive libxml-2.0 xmlsec1-openssl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libarchive, libxml2, xmlsec and p11-kit are not linked: lib/lazy.c loads
# them on first use (by the SONAME found here), so that commands that never
# read an archive or a SWID tag, or open a token, do not pay for loading them.
LAZY_PKGS  := libarchive libxml-2.0 xmlsec1-openssl p11-kit-1
PKG_LIBS   := $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS)) 2>/dev/null)
soname     = $(shell objdump -p "$$(readlink -f "$$($(CC) -print-file-name=$(1))")" 2>/dev/null | awk '/SONAME/ { print $$2 }')
LAZY_DEFS  := -DFWT_LIBARCHIVE_SONAME='"$(call soname,libarchive.so)"' \
              -DFWT_LIBXMLSEC_SONAME='"$(call soname,libxmlsec1-openssl.so)"' \
              -DFWT_LIBP11KIT_SONAME='"$(call soname,libp11-kit.so)"'

WARN      := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wformat=2 -Wvla \
             -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter -Wno-format-truncation
DEFS      := -D_FILE_OFFSET_BITS=64 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
             -DFWT_VERSION='"$(VERSION)"' $(LAZY_DEFS)
ifeq ($(SANITIZE),1)
OPT       := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDSAN     := -fsanitize=address,undefined
export FWT_SANITIZED := 1
export ASAN_OPTIONS := abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS := halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS := suppressions=$(abspath scripts/lsan.supp):print_suppressions=0
else
OPT       := -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
LDSAN     :=
endif
ALL_CFLAGS := -std=c11 $(OPT) $(WARN) $(DEFS) -fPIC -pthread -Ilib/include -Ilib $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := -pthread $(LDSAN) $(LDFLAGS)
LIBS      := $(PKG_LIBS) -ldl
# unit tests may call them directly (to make an archive, to read JUnit XML)
TEST_LIBS := $(LIBS) $(shell pkg-config --libs $(LAZY_PKGS) 2>/dev/null)

LIB_SRCS  := $(sort $(wildcard lib/*.c))
CMD_SRCS  := $(sort $(wildcard cmd/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(B)/%.o)
CMD_OBJS  := $(CMD_SRCS:%.c=$(B)/%.o)
UNIT_SRCS := $(sort $(wildcard lib/tests/*_test.c))
UNIT_BINS := $(UNIT_SRCS:lib/tests/%.c=$(B)/tests/%)
FUZZ_SRCS := $(sort $(wildcard lib/tests/fuzz_*.c))
FUZZ_SRCS := $(filter-out lib/tests/fuzz_main.c,$(FUZZ_SRCS))
FUZZ_NAMES := $(FUZZ_SRCS:lib/tests/%.c=%)
REPLAY_BINS := $(FUZZ_NAMES:%=$(B)/replay/%)
HEADERS   := $(wildcard lib/include/fwtrail/*.h) $(wildcard lib/*.h) $(wildcard cmd/*.h)
MANPAGES  := $(sort $(wildcard man/*.1 man/*.5))

.PHONY: all deps check unit bats lint demo bench fuzz install uninstall clean completions

all: $(B)/fwtrail $(B)/libfwtrail.a $(B)/libfwtrail.so $(B)/fwtrail.pc

# Rebuild everything when the flags change (e.g. SANITIZE=1 after a release build).
$(B)/.flags: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@
FORCE:

$(B)/%.o: %.c $(HEADERS) $(B)/.flags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $<')
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libfwtrail.a: $(LIB_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(B)/libfwtrail.so: $(LIB_OBJS)
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) -shared -Wl,-soname,libfwtrail.so.$(SOVERSION) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/fwtrail: $(CMD_OBJS) $(B)/libfwtrail.a
	@$(if $(Q),echo '  LD      $@')
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJS) $(B)/libfwtrail.a $(LIBS)

$(B)/fwtrail.pc: Makefile
	@mkdir -p $(B)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCDIR)' '' \
	  'Name: fwtrail' 'Description: firmware supply-chain paper trail: signing, OCP SAFE SFRs, RIMs, evidence' \
	  'Version: $(VERSION)' 'Requires.private: $(filter-out $(LAZY_PKGS),$(PKGS))' \
	  'Libs: -L$${libdir} -lfwtrail' 'Cflags: -I$${includedir}' > $@

$(B)/tests/%: lib/tests/%.c lib/tests/t.h $(B)/libfwtrail.a $(B)/.flags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $@')
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libfwtrail.a $(TEST_LIBS)

# Fuzz targets replayed over their seed corpora without libFuzzer (make check).
$(B)/replay/%: lib/tests/%.c lib/tests/fuzz_main.c $(B)/libfwtrail.a $(B)/.flags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $@')
	$(Q)$(CC) $(ALL_CFLAGS) -DFUZZ_REPLAY $(ALL_LDFLAGS) -o $@ $< lib/tests/fuzz_main.c $(B)/libfwtrail.a $(LIBS)

deps:
	@scripts/deps.sh

# ---- tests ----
check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory bats

unit: $(UNIT_BINS) $(REPLAY_BINS)
	@scripts/run-unit.sh $(UNIT_BINS)
	@scripts/replay-fuzz.sh $(B) $(FUZZ_NAMES)

BATS_JOBS ?= 2
bats: all
	@FWTRAIL=$(abspath $(B)/fwtrail) scripts/run-bats.sh $(BATS_JOBS)

lint: all
	@scripts/check-man.sh
	@scripts/check-help-vs-man.sh $(abspath $(B)/fwtrail)
	@scripts/gen-completions.sh --check $(abspath $(B)/fwtrail)
	@scripts/check-headers.sh

completions: all
	scripts/gen-completions.sh $(B)/fwtrail

# ---- the main job, benchmarks, fuzzing ----
demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh

FUZZ_SECONDS ?= 30
fuzz: deps
	@scripts/fuzz.sh $(FUZZ_SECONDS)

# ---- install ----
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR)/fwtrail \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(DATADIR)/bash-completion/completions $(DESTDIR)$(DATADIR)/zsh/vendor-completions \
	  $(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	install -m 0755 $(B)/fwtrail $(DESTDIR)$(BINDIR)/fwtrail
	install -m 0644 $(B)/libfwtrail.a $(DESTDIR)$(LIBDIR)/libfwtrail.a
	install -m 0755 $(B)/libfwtrail.so $(DESTDIR)$(LIBDIR)/libfwtrail.so.$(VERSION)
	ln -sf libfwtrail.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libfwtrail.so.$(SOVERSION)
	ln -sf libfwtrail.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libfwtrail.so
	install -m 0644 $(B)/fwtrail.pc $(DESTDIR)$(LIBDIR)/pkgconfig/fwtrail.pc
	install -m 0644 lib/include/fwtrail/*.h $(DESTDIR)$(INCDIR)/fwtrail/
	install -m 0644 $(filter %.1,$(MANPAGES)) $(DESTDIR)$(MANDIR)/man1/
	$(if $(filter %.5,$(MANPAGES)),install -m 0644 $(filter %.5,$(MANPAGES)) $(DESTDIR)$(MANDIR)/man5/)
	install -m 0644 completions/fwtrail.bash $(DESTDIR)$(DATADIR)/bash-completion/completions/fwtrail
	install -m 0644 completions/_fwtrail $(DESTDIR)$(DATADIR)/zsh/vendor-completions/_fwtrail
	install -m 0644 completions/fwtrail.fish $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/fwtrail.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fwtrail $(DESTDIR)$(LIBDIR)/libfwtrail.* $(DESTDIR)$(LIBDIR)/pkgconfig/fwtrail.pc
	rm -rf $(DESTDIR)$(INCDIR)/fwtrail
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(filter %.1,$(MANPAGES))))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(filter %.5,$(MANPAGES))))
	rm -f $(DESTDIR)$(DATADIR)/bash-completion/completions/fwtrail \
	  $(DESTDIR)$(DATADIR)/zsh/vendor-completions/_fwtrail $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/fwtrail.fish

clean:
	rm -rf $(B)

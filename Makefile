# bpfskel build, test and maintenance targets. Run "make help" for a list.

# The pinned compiler for checked-in BPF objects: objects are rebuilt and
# compared byte for byte in CI, so every machine must use the same clang.
CLANG       ?= clang-19
CLANG_MAJOR := 19
GO          ?= go
ARCH_INCLUDE := /usr/include/$(shell uname -m)-linux-gnu

# -ffile-prefix-map keeps the checkout's absolute path out of DWARF so the
# objects are byte-identical in any clone; -g keeps the DWARF that type
# recovery reads.
BPF_CFLAGS := -target bpf -O2 -g -Wall -Werror -mcpu=v3 \
	-ffile-prefix-map=$(CURDIR)=. \
	-I$(CURDIR)/testdata/include -I$(ARCH_INCLUDE)

BPF_SOURCES := $(wildcard testdata/*.bpf.c testdata/link/*.bpf.c examples/*/*.bpf.c)
# Sources also compiled big-endian (X.bpfeb.o): byte-order pairs for gen.
BPF_EB_SOURCES := testdata/gen_basic.bpf.c testdata/types.bpf.c testdata/link/lib.bpf.c testdata/link/a.bpf.c testdata/link/b.bpf.c
BPF_OBJECTS := $(BPF_SOURCES:.bpf.c=.bpf.o) $(BPF_EB_SOURCES:.bpf.c=.bpfeb.o)

.PHONY: help build test test-all test-race testdata testdata-check check-clang lint bench demo fuzz clean bazel-check

help:
	@echo "make demo            build and run the arena examples"
	@echo "make test            run the tests (kernel tests need root)"
	@echo "make test-all        the tests plus the slow, machine-wide checks (CI runs both)"
	@echo "make test-race       run the memory-touching packages under -race"
	@echo "make testdata        rebuild the checked-in BPF objects with $(CLANG)"
	@echo "make testdata-check  rebuild the objects and fail on any difference"
	@echo "make lint            gofmt, go vet and staticcheck"
	@echo "make bench           run the benchmarks and print the tables"
	@echo "make fuzz            run every fuzz target for FUZZTIME (default 20s) each"
	@echo "make bazel-check     build examples/bazel with Bazel + rules_go offline (opt-in: minutes, ~1.2 GB under ~/.cache)"

build:
	$(GO) build ./...

test:
	$(GO) test ./...

# The slow checks (internal/testenv.Slow) run only here; results of the
# packages that have none come from make test's cache.
test-all:
	BPFSKEL_TEST_ALL=1 $(GO) test ./...

test-race:
	$(GO) test -race ./runtime/... ./examples/... ./btf2go/internal/typestest ./gen/internal/e2e/...

check-clang:
	@command -v $(CLANG) >/dev/null || { echo "$(CLANG) not found: apt-get install clang-$(CLANG_MAJOR) llvm-$(CLANG_MAJOR) libbpf-dev" >&2; exit 1; }
	@$(CLANG) --version | head -1 | grep -q "version $(CLANG_MAJOR)\." || { echo "$(CLANG) is not clang $(CLANG_MAJOR)" >&2; exit 1; }

%.bpf.o: %.bpf.c $(wildcard testdata/include/*.h) | check-clang
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

%.bpfeb.o: %.bpf.c $(wildcard testdata/include/*.h) | check-clang
	$(CLANG) $(subst -target bpf ,-target bpfeb ,$(BPF_CFLAGS)) -c $< -o $@

testdata: check-clang
	@rm -f $(BPF_OBJECTS)
	$(MAKE) $(BPF_OBJECTS)

testdata-check: testdata
	@git diff --exit-code --stat -- $(BPF_OBJECTS) || { echo "checked-in BPF objects differ from a rebuild with $(CLANG): run make testdata and commit" >&2; exit 1; }
	@test -z "$$(git status --porcelain -- $(BPF_OBJECTS))" || { git status --porcelain -- $(BPF_OBJECTS); echo "untracked BPF objects: commit them" >&2; exit 1; }

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); test -z "$$out" || { echo "gofmt needed:"; echo "$$out"; exit 1; }
	$(GO) vet ./...
	staticcheck ./...

bench:
	$(GO) run ./internal/benchtab -count 5 -o BENCHMARKS.md

# The three arena use cases, each through its generated skeleton (root).
EXAMPLES := kv structs heap

demo:
	@for ex in $(EXAMPLES); do echo "== examples/$$ex"; $(GO) run ./examples/$$ex || exit 1; echo; done

# Every fuzz target in the module (found anew each run), FUZZTIME each,
# with minimisation capped at FUZZMINIMIZETIME; seed corpora and found
# failures (testdata/fuzz) also run in plain go test.
FUZZTIME         ?= 20s
FUZZMINIMIZETIME ?= 10x

fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) FUZZMINIMIZETIME=$(FUZZMINIMIZETIME) bash scripts/fuzz.sh

# Opt-in: a real Bazel build of examples/bazel (installs Bazel from apt).
bazel-check:
	GO=$(GO) bash scripts/bazel-check.sh

clean:
	$(GO) clean -testcache

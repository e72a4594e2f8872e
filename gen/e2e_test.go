package gen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bpfskel/bpfskel/internal/golden"
)

// e2eSkeletons are the checked-in skeletons under internal/e2e that the
// end-to-end tests (there) load on the real kernel.
var e2eSkeletons = []struct {
	name string
	opts Options
}{
	{"basic", Options{Package: "basic", Ident: "Basic", Output: "internal/e2e/basic/basic.go",
		Objects: []Input{{Path: "../testdata/gen_basic.bpf.o"}}}},
	{"arena", Options{Package: "arena", Ident: "ListSkel", Output: "internal/e2e/arena/arena.go",
		Objects: []Input{{Path: "../testdata/gen_arena.bpf.o"}}, Types: []string{"item"}}},
	// An arena at a fixed address (map_extra), for the handle lifetime
	// tests: a second load maps its arena where the first one was.
	{"fixed", Options{Package: "fixed", Ident: "Fixed", Output: "internal/e2e/fixed/fixed.go",
		Objects: []Input{{Path: "../testdata/arena_fixed.bpf.o"}}}},
	// Three skeletons in one package: arenas of 1, 2 and 15 pages, smaller
	// than the Go allocator's 16-page chunks.
	{"small1", Options{Package: "small", Ident: "Small1", Output: "internal/e2e/small/small1.go",
		Objects: []Input{{Path: "../testdata/arena_small1.bpf.o"}}}},
	{"small2", Options{Package: "small", Ident: "Small2", Output: "internal/e2e/small/small2.go",
		Objects: []Input{{Path: "../testdata/arena_small2.bpf.o"}}}},
	{"small15", Options{Package: "small", Ident: "Small15", Output: "internal/e2e/small/small15.go",
		Objects: []Input{{Path: "../testdata/arena_small15.bpf.o"}}}},
	// Three skeletons of one package, generated separately (three
	// go:generate lines) with -prefix: the same struct, enum, map, global
	// and program names in each object.
	{"many_a", Options{Package: "many", Ident: "ManyA", Output: "internal/e2e/many/many_a.go", PrefixTypes: true, Types: []string{"event"},
		Objects: []Input{{Path: "../testdata/many_a.bpf.o"}}}},
	{"many_b", Options{Package: "many", Ident: "ManyB", Output: "internal/e2e/many/many_b.go", PrefixTypes: true, Types: []string{"event"},
		Objects: []Input{{Path: "../testdata/many_b.bpf.o"}}}},
	{"many_c", Options{Package: "many", Ident: "ManyC", Output: "internal/e2e/many/many_c.go", PrefixTypes: true, Types: []string{"event"},
		Objects: []Input{{Path: "../testdata/many_c.bpf.o"}}}},
	// Ring buffer, perf event array, queue, stack and bloom filter maps.
	{"events", Options{Package: "events", Ident: "Events", Output: "internal/e2e/events/events.go",
		Objects: []Input{{Path: "../testdata/events.bpf.o"}}, Events: []string{"events=event", "perf_events=event"}}},
	// What real objects carry (issue 12): a struct_ops TCP congestion
	// control, data sections the kernel cannot map, weak symbols and
	// every LINUX_* kconfig extern, and attach alternatives.
	{"compat_cc", Options{Package: "compat", Ident: "Cc", Output: "internal/e2e/compat/cc.go",
		Objects: []Input{{Path: "../testdata/structops_cc.bpf.o"}}}},
	{"compat_locked", Options{Package: "compat", Ident: "Locked", Output: "internal/e2e/compat/locked.go",
		Objects: []Input{{Path: "../testdata/locked.bpf.o"}}}},
	{"compat_weak", Options{Package: "compat", Ident: "Weak", Output: "internal/e2e/compat/weak.go",
		Objects: []Input{{Path: "../testdata/weak.bpf.o"}}}},
	{"compat_attach", Options{Package: "compat", Ident: "AttachAlt", Output: "internal/e2e/compat/attach_alt.go",
		Objects: []Input{{Path: "../testdata/attach_alt.bpf.o"}}}},
	{"compat_subprog", Options{Package: "compat", Ident: "Subprog", Output: "internal/e2e/compat/subprog.go",
		Objects: []Input{{Path: "../testdata/subprog.bpf.o"}}}},
	{"compat_collide", Options{Package: "compat", Ident: "Collide", Output: "internal/e2e/compat/collide.go",
		Objects: []Input{{Path: "../testdata/gen_collide.bpf.o"}}, Renames: []string{"map:ring__buf=RingBuf2"}}},
	{"compat_odd", Options{Package: "compat", Ident: "Odd", Output: "internal/e2e/compat/odd.go",
		Objects: []Input{{Path: "../testdata/oddglobals.bpf.o"}}}},
	// Three objects linked into one skeleton: an arena list library and
	// two programs using it (testdata/link).
	{"linked", Options{Package: "linked", Ident: "List", Output: "internal/e2e/linked/list.go",
		Objects: []Input{{Path: "../testdata/link/lib.bpf.o"}, {Path: "../testdata/link/a.bpf.o"}, {Path: "../testdata/link/b.bpf.o"}}}},
	// The library skeleton of that library, for any collection linking it.
	{"listlib", Options{Package: "listlib", Ident: "Lib", Output: "internal/e2e/linked/listlib/lib.go", Library: true,
		Objects: []Input{{Path: "../testdata/link/lib.bpf.o"}}}},
}

// TestE2EFresh regenerates the checked-in end-to-end skeletons (the Go
// file and the embedded copy of the object) and fails when they are stale.
// go test -run TestE2EFresh -update rewrites them.
func TestE2EFresh(t *testing.T) {
	for _, sk := range e2eSkeletons {
		t.Run(sk.name, func(t *testing.T) {
			opts := sk.opts
			opts.Objects = nil
			for _, in := range sk.opts.Objects {
				data, err := os.ReadFile(in.Path)
				if err != nil {
					t.Fatal(err)
				}
				opts.Objects = append(opts.Objects, Input{Path: in.Path, Data: data})
			}
			files, err := Generate(opts)
			if err != nil {
				t.Fatal(err)
			}
			want := 2 * len(opts.Objects) // each Go file and object copy
			switch sk.name {
			case "linked":
				want = 2 // the Go file and the linked object
			case "listlib":
				want = 1 // a library skeleton embeds nothing
			}
			if len(files) != want {
				t.Errorf("got %d files, want %d", len(files), want)
			}
			for _, f := range files {
				golden.Check(t, filepath.Clean(f.Path), f.Data)
			}
		})
	}
}

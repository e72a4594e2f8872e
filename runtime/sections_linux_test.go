//go:build linux

package runtime_test

import (
	"errors"
	"testing"

	"github.com/bpfskel/bpfskel/runtime"
)

type u64Section struct{ V uint64 }

func TestDataSections(t *testing.T) {
	s := parseObject(t, "arena_sections")
	// Edit initial values through SpecView before loading.
	ro, err := runtime.SpecView[u64Section](s, ".rodata")
	if err != nil {
		t.Fatal(err)
	}
	if ro.V != 22 {
		t.Fatalf("spec .rodata = %d", ro.V)
	}
	ro.V = 200
	ag, err := runtime.SpecView[struct{ Value, Sum uint64 }](s, runtime.ArenaGlobalsSection)
	if err != nil {
		t.Fatal(err)
	}
	if ag.Value != 44 {
		t.Fatalf("spec arena_value = %d", ag.Value)
	}
	ag.Value = 400
	again, err := runtime.SpecView[u64Section](s, ".rodata")
	if err != nil || again != ro {
		t.Fatalf("second SpecView: %p, %v; want %p", again, err, ro)
	}
	if _, err := runtime.SpecView[[3]uint64](s, ".data"); !errors.Is(err, runtime.ErrSizeMismatch) {
		t.Fatalf("SpecView of the wrong size: %v", err)
	}
	if _, err := runtime.SpecView[u64Section](s, ".nope"); !errors.Is(err, runtime.ErrNoSection) {
		t.Fatalf("SpecView of a missing section: %v", err)
	}

	c, err := s.Load(nil)
	if err != nil {
		t.Fatalf("%+v", err)
	}
	defer c.Close()
	data := mustView[u64Section](t, c, ".data")
	rodata := mustView[u64Section](t, c, ".rodata")
	bss := mustView[u64Section](t, c, ".bss")
	custom := mustView[u64Section](t, c, ".data.custom")
	arena := mustView[struct{ Value, Sum uint64 }](t, c, runtime.ArenaGlobalsSection)
	if data.V != 11 || rodata.V != 200 || bss.V != 0 || custom.V != 33 || arena.Value != 400 {
		t.Fatalf("initial: data %d rodata %d bss %d custom %d arena %d", data.V, rodata.V, bss.V, custom.V, arena.Value)
	}
	data.V = 1000
	run(t, c, "mix", nil)
	want := uint64(1000 + 200 + 33 + 400)
	if bss.V != want || arena.Sum != want || data.V != 1001 || custom.V != 34 {
		t.Fatalf("after run: bss %d arena sum %d (want %d), data %d, custom %d", bss.V, arena.Sum, want, data.V, custom.V)
	}
	if _, err := runtime.View[[2]uint64](c, ".data"); !errors.Is(err, runtime.ErrSizeMismatch) {
		t.Fatalf("View of the wrong size: %v", err)
	}
}

func TestArenaGlobalsAtEnd(t *testing.T) {
	atEnd := true
	s, c := loadObject(t, "arena_list", &runtime.Options{ArenaGlobalsAtEnd: &atEnd})
	a := c.Arena()
	off, size := a.GlobalsOffset()
	if off == 0 || off+size > a.Size() || a.Size()-off >= 2*4096 && size < 4096 {
		t.Fatalf("globals at %#x+%d in a %d-byte arena", off, size, a.Size())
	}
	run(t, c, "read_globals", nil)
	if got := *global[uint64](t, s, c, "seen_init"); got != 42 {
		t.Fatalf("BPF saw init_value %d with globals at the end", got)
	}
	run(t, c, "build_list", u32(100))
	if n := *global[uint64](t, s, c, "bpf_count"); n != 100 {
		t.Fatalf("bpf_count = %d", n)
	}
}

func mustView[T any](t *testing.T, c *runtime.Collection, section string) *T {
	t.Helper()
	v, err := runtime.View[T](c, section)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

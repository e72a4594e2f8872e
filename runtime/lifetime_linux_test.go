//go:build linux

package runtime_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"unsafe"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
)

// TestStaleArenaAtFixedAddress closes a collection whose arena is at a fixed
// address (map_extra), loads the object again (its arena lands at the same
// address) and uses every handle of the closed one: each refuses with
// ErrClosed, nil, 0 or a panic naming the closed arena, and the new arena's
// bytes stay as they were.
func TestStaleArenaAtFixedAddress(t *testing.T) {
	kerneltest.Require(t)
	s := parseObject(t, "arena_fixed")
	c1, err := s.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	a1 := c1.Arena()
	v1, err := runtime.New[uint64](a1)
	if err != nil {
		t.Fatal(err)
	}
	*v1 = 1
	p := runtime.PtrTo(a1, v1)
	off, _ := p.Offset(a1)
	globalsSize := len(runtime.ArenaOf(s).Data)
	if err := c1.Close(); err != nil {
		t.Fatal(err)
	}

	c2, err := s.Load(nil)
	if err != nil {
		t.Fatalf("load after close at the same map_extra: %v", err)
	}
	defer c2.Close()
	a2 := c2.Arena()
	if a2.Base() != a1.Base() {
		t.Fatalf("second arena at %#x, first at %#x: the test needs the same address", a2.Base(), a1.Base())
	}
	// Give the new arena recognisable contents where the stale handles
	// point: the globals and the page the old New used.
	if _, err := runtime.New[uint64](a2); err != nil {
		t.Fatal(err)
	}
	for i := range a2.Bytes()[:4096] {
		a2.Bytes()[i] = byte(i*7 + 3)
	}
	if off >= 4096 {
		fill := a2.Bytes()[off&^4095 : off&^4095+4096]
		for i := range fill {
			fill[i] = byte(i*5 + 1)
		}
	}
	before := bytes.Clone(a2.Bytes()[:max(off&^4095+4096, 4096)])

	wantClosed := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, runtime.ErrClosed) {
			t.Errorf("%s on the closed arena: %v, want ErrClosed", what, err)
		}
	}
	buf := []byte{0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee}
	_, err = a1.WriteAt(buf, int64(off))
	wantClosed("WriteAt", err)
	_, err = a1.ReadAt(buf, 0)
	wantClosed("ReadAt", err)
	_, err = a1.Alloc(8, 8)
	wantClosed("Alloc", err)
	_, err = runtime.New[uint64](a1)
	wantClosed("New", err)
	_, err = runtime.NewSlice[uint64](a1, 4)
	wantClosed("NewSlice", err)
	_, err = a1.AllocPages(1)
	wantClosed("AllocPages", err)
	wantClosed("FreePages", a1.FreePages(0, 1))
	wantClosed("Guard", a1.Guard(func() { t.Error("Guard ran fn on a closed arena") }))
	_, err = runtime.View[[1]byte](c1, runtime.ArenaGlobalsSection)
	wantClosed("View of the arena globals", err)
	if g := p.Get(a1); g != nil {
		*g = 0xdead
		t.Errorf("Ptr.Get on the closed arena returned %p", g)
	}
	if o, ok := p.Offset(a1); ok {
		t.Errorf("Ptr.Offset on the closed arena: %#x, true", o)
	}
	if q := runtime.PtrAt[uint64](a1, 0); q != 0 {
		t.Errorf("PtrAt on the closed arena: %#x", uint64(q))
	}
	if q := runtime.PtrTo(a1, &a2.Bytes()[0]); q != 0 {
		t.Errorf("PtrTo on the closed arena: %#x", uint64(q))
	}
	if a1.Size() != 0 || a1.Map() != nil {
		t.Errorf("closed arena: Size %d, Map %v", a1.Size(), a1.Map())
	}
	func() {
		defer func() {
			msg, _ := recover().(string)
			if !strings.Contains(msg, "closed") || !strings.Contains(msg, "arena arena at 0x100000000000") {
				t.Errorf("Bytes on the closed arena: panic %q, want one naming the closed arena", msg)
			}
		}()
		b := a1.Bytes()
		b[off] = 0xee
	}()

	if got := a2.Bytes()[:len(before)]; !bytes.Equal(got, before) {
		for i := range got {
			if got[i] != before[i] {
				t.Fatalf("the new arena changed at offset %#x: %#x, was %#x", i, got[i], before[i])
			}
		}
	}
	if globalsSize == 0 {
		t.Fatal("arena_fixed has no arena globals")
	}
}

// TestStaleViewsDoNotFault keeps Go pointers into the data sections, the
// arena globals and a New allocation (in an arena at no fixed address)
// across Close: using them afterwards neither faults nor reaches another
// mapping (they read zeros, and a later load maps elsewhere). .rodata's view
// is a copy of the frozen contents: writing to it never faults and changes
// nothing the programs see.
func TestStaleViewsDoNotFault(t *testing.T) {
	kerneltest.Require(t)
	s := parseObject(t, "arena_sections")
	c, err := s.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	data := mustView[u64Section](t, c, ".data")
	rodata := mustView[u64Section](t, c, ".rodata")
	bss := mustView[u64Section](t, c, ".bss")
	custom := mustView[u64Section](t, c, ".data.custom")
	globals := mustView[struct{ Value, Sum uint64 }](t, c, runtime.ArenaGlobalsSection)
	v, err := runtime.New[uint64](c.Arena())
	if err != nil {
		t.Fatal(err)
	}
	*v = 5

	// .rodata while loaded: the write lands in the copy, the program
	// still adds the frozen 22.
	rodata.V = 1 << 40
	run(t, c, "mix", nil)
	if want := uint64(11 + 22 + 33 + 44); bss.V != want {
		t.Fatalf("after writing the .rodata view, mix computed %d, want %d", bss.V, want)
	}

	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := runtime.View[u64Section](c, ".bss"); !errors.Is(err, runtime.ErrClosed) {
		t.Errorf("View after Close: %v, want ErrClosed", err)
	}
	stale := []*uint64{&data.V, &bss.V, &custom.V, &globals.Value, &globals.Sum, v}
	for i, p := range stale {
		if *p != 0 {
			t.Errorf("stale pointer %d reads %d after Close, want 0", i, *p)
		}
		*p = 0xdead // must not fault
	}
	rodata.V++ // a copy in Go memory: still fine

	// A new collection maps elsewhere: the retired ranges stay reserved.
	c2, err := s.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	for _, sec := range []string{".data", ".bss", ".data.custom"} {
		p := mustView[u64Section](t, c2, sec)
		for i, q := range stale {
			if &p.V == q {
				t.Errorf("new %s is at stale pointer %d's address", sec, i)
			}
		}
	}
	if nb := c2.Arena().Base(); uintptr(unsafe.Pointer(v)) >= nb && uintptr(unsafe.Pointer(v)) < nb+uintptr(c2.Arena().Size()) {
		t.Errorf("new arena at %#x covers the stale New pointer %p", nb, v)
	}
	if d := mustView[u64Section](t, c2, ".data"); d.V != 11 {
		t.Errorf("new .data = %d, want its initial 11", d.V)
	}
}

// TestAllocOnePageArena loads examples/bazel's object, whose arena is one
// page holding an 8-byte global: Go allocates the rest of that page, and
// then gets ErrNoMemory, not a crash.
func TestAllocOnePageArena(t *testing.T) {
	kerneltest.Require(t)
	obj, err := os.ReadFile("../examples/bazel/counter.bpf.o")
	if err != nil {
		t.Fatal(err)
	}
	s, err := runtime.LoadSpec(obj)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a := c.Arena()
	if a.Size() != 4096 {
		t.Fatalf("arena of %d bytes, want one page", a.Size())
	}
	n := 0
	for {
		v, err := runtime.New[uint64](a)
		if errors.Is(err, runtime.ErrNoMemory) {
			break
		}
		if err != nil {
			t.Fatalf("New #%d: %v", n, err)
		}
		*v = uint64(n)
		n++
	}
	if want := (4096 - 8) / 8; n != want {
		t.Fatalf("allocated %d uint64s in the one-page arena, want %d", n, want)
	}
}

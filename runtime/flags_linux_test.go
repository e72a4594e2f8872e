//go:build linux

package runtime_test

import (
	"errors"
	"os"
	"testing"

	"github.com/bpfskel/bpfskel/runtime"
)

// exerciseList has BPF build a list that Go walks, and Go build a list that
// BPF sums, in an object made by gen() in testdata (arena_{nouserconv,segv,
// fixed,4g}.bpf.c share their programs).
func exerciseList(t *testing.T, s *runtime.Spec, c *runtime.Collection) {
	t.Helper()
	a := c.Arena()
	if got := *global[uint64](t, s, c, "marker"); got != 0x1234 {
		t.Fatalf("marker = %#x, want 0x1234", got)
	}
	run(t, c, "build_list", u32(10))
	if got := *global[uint64](t, s, c, "seen_marker"); got != 0x1234 {
		t.Fatalf("BPF saw marker %#x, want 0x1234", got)
	}
	head := *global[runtime.Ptr[elem]](t, s, c, "bpf_head")
	want := uint64(10)
	for e := head.Get(a); e != nil; e = e.Next.Get(a) {
		if e.Value != want {
			t.Fatalf("value %d, want %d", e.Value, want)
		}
		want--
	}
	if want != 0 {
		t.Fatalf("list ended early at %d", want)
	}

	var goHead runtime.Ptr[elem]
	var sum uint64
	for i := range 20 {
		e, err := runtime.New[elem](a)
		if err != nil {
			t.Fatal(err)
		}
		e.Value = uint64(3*i + 7)
		sum += e.Value
		e.Next = goHead
		goHead = runtime.PtrTo(a, e)
	}
	*global[runtime.Ptr[elem]](t, s, c, "go_head") = goHead
	run(t, c, "sum_go_list", nil)
	if got := *global[uint64](t, s, c, "go_sum"); got != sum {
		t.Fatalf("BPF summed %d, want %d", got, sum)
	}
}

func TestNoUserConv(t *testing.T) {
	s, c := loadObject(t, "arena_nouserconv", nil)
	exerciseList(t, s, c)
	a := c.Arena()
	// BPF's casts from kernel to arena pointers keep only 32 bits here,
	// while bpf_arena_alloc_pages returns full addresses: Go reads both, and
	// BPF follows both.
	head := *global[runtime.Ptr[elem]](t, s, c, "bpf_head")
	short := runtime.Ptr[elem](uint32(head))
	if short.Get(a) != head.Get(a) || head.Get(a) == nil {
		t.Errorf("32-bit form %#x and full form %#x disagree", uint64(short), uint64(head))
	}
	var goHead runtime.Ptr[elem]
	for i := range 3 {
		e, err := runtime.New[elem](a)
		if err != nil {
			t.Fatal(err)
		}
		e.Value = uint64(i + 1)
		e.Next = goHead
		goHead = runtime.Ptr[elem](uint32(runtime.PtrTo(a, e)))
	}
	*global[runtime.Ptr[elem]](t, s, c, "go_head") = goHead
	run(t, c, "sum_go_list", nil)
	if got := *global[uint64](t, s, c, "go_sum"); got != 6 {
		t.Fatalf("BPF summed a list of 32-bit pointers to %d, want 6", got)
	}
}

func TestDefaultPointersAreUserAddresses(t *testing.T) {
	s, c := loadObject(t, "arena_fixed", nil)
	run(t, c, "build_list", u32(1))
	head := *global[runtime.Ptr[elem]](t, s, c, "bpf_head")
	if uint64(head)>>32 != uint64(c.Arena().Base())>>32 {
		t.Errorf("BPF stored %#x, base %#x", uint64(head), c.Arena().Base())
	}
}

// TestSegvOnFault runs with the arena globals forced to each of the two
// places Load can put them (libbpf >= 1.7 puts them at the end when the
// kernel accepts full-range ld_imm64 offsets, at offset 0 otherwise).
func TestSegvOnFault(t *testing.T) {
	for _, atEnd := range []bool{false, true} {
		name := "globals_at_start"
		if atEnd {
			name = "globals_at_end"
		}
		t.Run(name, func(t *testing.T) { testSegvOnFault(t, atEnd) })
	}
}

func testSegvOnFault(t *testing.T, atEnd bool) {
	s, c := loadObject(t, "arena_segv", &runtime.Options{ArenaGlobalsAtEnd: &atEnd})
	a := c.Arena()
	ps := uint64(os.Getpagesize())
	gOff, gSize := a.GlobalsOffset()
	gEnd := gOff + (gSize+ps-1)/ps*ps
	if gSize == 0 {
		t.Fatal("arena_segv has no arena globals: the test cannot tell the placements apart")
	}
	if wantOff := a.Size() - (gEnd - gOff); atEnd && gOff != wantOff {
		t.Fatalf("globals at %#x with ArenaGlobalsAtEnd, want %#x", gOff, wantOff)
	} else if !atEnd && gOff != 0 {
		t.Fatalf("globals at %#x with !ArenaGlobalsAtEnd, want 0", gOff)
	}

	// Right after Load only the globals' pages are allocated (Load
	// allocates them; no BPF program and no Go allocation has run yet), so
	// a page in the middle of the arena and outside the globals is not.
	off := a.Size() / 2 / ps * ps
	if off < gEnd && off+ps > gOff {
		t.Fatalf("page %#x chosen as unallocated holds globals [%#x, %#x)", off, gOff, gEnd)
	}
	buf := make([]byte, 16)
	_, err := a.ReadAt(buf, int64(off))
	var fe *runtime.FaultError
	if !errors.As(err, &fe) || !errors.Is(err, runtime.ErrArenaFault) || fe.Offset != off {
		t.Fatalf("ReadAt of unallocated page %#x: %v, want a *runtime.FaultError there", off, err)
	}
	if _, err := a.WriteAt(buf, int64(off)); !errors.Is(err, runtime.ErrArenaFault) {
		t.Fatalf("WriteAt of unallocated page %#x: %v", off, err)
	}
	var sink byte
	err = a.Guard(func() { sink = a.Bytes()[off+8] })
	_ = sink
	if !errors.As(err, &fe) || fe.Offset != off+8 {
		t.Fatalf("Guard around a read of unallocated offset %#x: %v", off+8, err)
	}

	// The globals, BPF's and Go's allocations all work around the hole.
	exerciseList(t, s, c)
	if _, err := a.ReadAt(buf, int64(gOff)); err != nil {
		t.Fatalf("ReadAt of the globals at %#x: %v", gOff, err)
	}
	p, err := a.AllocPages(1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.WriteAt([]byte("hello"), int64(p)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReadAt(buf[:5], int64(p)); err != nil || string(buf[:5]) != "hello" {
		t.Fatalf("ReadAt allocated page: %q, %v", buf[:5], err)
	}
	if _, err := a.ReadAt(buf, int64(a.Size())); !errors.Is(err, runtime.ErrOutOfRange) {
		t.Fatalf("ReadAt past the end: %v", err)
	}
}

func TestMapExtra(t *testing.T) {
	s, c := loadObject(t, "arena_fixed", nil)
	if runtime.ArenaOf(s).MapExtra != 1<<44 {
		t.Fatalf("map_extra = %#x", runtime.ArenaOf(s).MapExtra)
	}
	if c.Arena().Base() != 1<<44 {
		t.Fatalf("arena mapped at %#x, want %#x", c.Arena().Base(), uint64(1)<<44)
	}
	exerciseList(t, s, c)
	// A second load cannot map at the same address: clear error, no leak.
	_, err := s.Load(nil)
	if err == nil {
		t.Fatal("second load at the same map_extra succeeded")
	}
	t.Logf("second load: %v", err)
}

func TestArena4GiB(t *testing.T) {
	s, c := loadObject(t, "arena_4g", nil)
	a := c.Arena()
	if a.Size() != 1<<32 || uint64(len(a.Bytes())) != 1<<32 {
		t.Fatalf("size %d, bytes %d", a.Size(), len(a.Bytes()))
	}
	if a.Base()&(1<<32-1) != 0 {
		t.Logf("base %#x", a.Base())
	}
	exerciseList(t, s, c)
	// Go allocates near the end too.
	off, err := a.AllocPages(1)
	if err != nil {
		t.Fatal(err)
	}
	p := runtime.PtrAt[uint64](a, a.Size()-8)
	*p.Get(a) = 99
	if a.Bytes()[a.Size()-8] != 99 || off >= a.Size() {
		t.Fatal("last word of the 4 GiB arena not writable")
	}
}

func TestObjectErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		want error
	}{
		{"arena_two", runtime.ErrMultipleArenas},
		{"arena_nomap", runtime.ErrNoArenaMap},
	} {
		t.Run(tc.name, func(t *testing.T) {
			obj := readObject(t, tc.name)
			_, err := runtime.LoadSpec(obj)
			if !errors.Is(err, tc.want) {
				t.Fatalf("LoadSpec: %v, want %v", err, tc.want)
			}
			t.Log(err)
		})
	}
}

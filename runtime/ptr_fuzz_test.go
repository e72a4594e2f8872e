//go:build linux

package runtime

import (
	"sync"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// fuzzWindow is a 4 GiB-aligned, 4 GiB range of reserved (PROT_NONE)
// addresses: FuzzPtrTranslation places its arenas there, so that the
// pointers it computes never point into the Go heap, and never touched.
var fuzzWindow = sync.OnceValues(func() (uintptr, error) {
	const reserve = 8 << 30 // holds an aligned 4 GiB window wherever it lands
	mem, err := unix.MmapPtr(-1, 0, nil, reserve, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_NORESERVE)
	if err != nil {
		return 0, err
	}
	return (uintptr(mem) + 1<<32 - 1) &^ (1<<32 - 1), nil
})

// fuzzArena is an Arena over [base, base+size) of the reserved window.
func fuzzArena(tb testing.TB, baseOff uint64, pages uint32) *Arena {
	w, err := fuzzWindow()
	if err != nil {
		tb.Skipf("reserving address space: %v", err)
	}
	off := uintptr(baseOff%(1<<32)) &^ uintptr(pageSize-1)
	size := min(uint64(max(pages, 1))*uint64(pageSize), 1<<32-uint64(off))
	base := w + off
	// unsafe: base is inside the reserved window; the fuzz target only
	// computes pointers from it and never dereferences them.
	mem := unsafe.Add(unsafe.Pointer(nil), base)
	return &Arena{mem: mem, base: base, lo32: uint32(base), hi32: uint32(uint64(base) >> 32), size: size, mapped: size, name: "fuzz"}
}

// FuzzPtrTranslation checks Ptr.Get, Ptr.Offset, PtrTo and PtrAt over
// arbitrary pointer values, arena placements (any page of a 4 GiB window,
// up to its end) and sizes, for element types of several sizes and
// alignments, in both pointer modes and on a closed arena: a non-nil Get
// lies entirely inside the arena, aligned, at the offset the low 32 bits
// give; nil exactly when it must be; and the encodings round-trip.
func FuzzPtrTranslation(f *testing.F) {
	for _, seed := range []struct {
		p       uint64
		baseOff uint64
		pages   uint32
		lowOnly bool
	}{
		{0, 0, 1, false},
		{8, 0, 1, true},
		{4096 - 8, 0, 1, true},
		{4096 - 7, 0, 1, true},
		{4096, 0, 1, true},
		{1<<32 - 1, 0, 16, true},
		{1<<64 - 1, 1<<32 - 4096, 1, false},
		{1<<32 - 8, 1<<32 - 4096, 1, true},
		{1 << 31, 1 << 31, 1 << 19, true},
		{0x7fff_0000_1000, 0x1000, 64, false},
		{123456789, 987654321, 1 << 20, false},
		{1<<32 - 4096, 1<<32 - 8192, 2, true},
	} {
		f.Add(seed.p, seed.baseOff, seed.pages, seed.lowOnly)
	}
	f.Fuzz(func(t *testing.T, p, baseOff uint64, pages uint32, lowOnly bool) {
		a := fuzzArena(t, baseOff, pages)
		if lowOnly {
			p = uint64(uint32(p))
		} else if p != 0 && p>>32 == 0 {
			p |= uint64(a.hi32) << 32 // a full user address
		}
		checkPtr[byte](t, a, p)
		checkPtr[uint64](t, a, p)
		checkPtr[[3]uint32](t, a, p)
		checkPtr[struct {
			A uint16
			B [5]uint64
		}](t, a, p)
		checkPtr[[0]uint64](t, a, p)
		checkPtr[[8192]byte](t, a, p)
		a.size = 0 // closed
		if g := Ptr[uint64](p).Get(a); g != nil {
			t.Fatalf("Get(%#x) on a closed arena = %p", p, g)
		}
		if _, ok := Ptr[uint64](p).Offset(a); ok {
			t.Fatalf("Offset(%#x) on a closed arena: ok", p)
		}
		if q := PtrAt[uint64](a, p%4096); q != 0 {
			t.Fatalf("PtrAt on a closed arena = %#x", uint64(q))
		}
	})
}

func checkPtr[T any](t *testing.T, a *Arena, p uint64) {
	t.Helper()
	var zero T
	size, align := uint64(unsafe.Sizeof(zero)), uint64(unsafe.Alignof(zero))
	off := uint64(uint32(p) - a.lo32)
	want := p != 0 && off+max(size, 1) <= a.size && off%align == 0
	got := Ptr[T](p).Get(a)
	// unsafe: only the address's value is compared, never dereferenced.
	addr := uintptr(unsafe.Pointer(got))
	switch {
	case !want && got != nil:
		t.Fatalf("%T: Get(%#x) = %#x, want nil (arena %#x+%#x)", zero, p, addr, a.base, a.size)
	case want && got == nil:
		t.Fatalf("%T: Get(%#x) = nil, want %#x (arena %#x+%#x)", zero, p, a.base+uintptr(off), a.base, a.size)
	case got != nil:
		if addr != a.base+uintptr(off) || uint64(addr-a.base)+max(size, 1) > a.size || uint64(addr)%align != 0 || uint32(addr) != uint32(p) {
			t.Fatalf("%T: Get(%#x) = %#x, outside or off (arena %#x+%#x)", zero, p, addr, a.base, a.size)
		}
		back := PtrTo(a, got)
		if uint64(back) != uint64(addr) || back.Get(a) != got {
			t.Fatalf("%T: PtrTo(Get(%#x)) = %#x, want %#x", zero, p, uint64(back), addr)
		}
	}
	o, ok := Ptr[T](p).Offset(a)
	if wantOK := p != 0 && off < a.size; ok != wantOK || (ok && o != off) {
		t.Fatalf("%T: Offset(%#x) = %#x, %v; want %#x, %v", zero, p, o, ok, off, wantOK)
	}
	at := PtrAt[T](a, off)
	if (off < a.size) != (at != 0) || (at != 0 && uintptr(at) != a.base+uintptr(off)) {
		t.Fatalf("%T: PtrAt(%#x) = %#x (arena %#x+%#x)", zero, off, uint64(at), a.base, a.size)
	}
	if at != 0 && (at.Get(a) == nil) != (got == nil) && p>>32 == uint64(a.hi32) {
		t.Fatalf("%T: PtrAt(%#x).Get and Get(%#x) disagree", zero, off, p)
	}
}

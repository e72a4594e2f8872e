//go:build linux

package runtime

import (
	"errors"
	"slices"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapped reports whether the page at p is mapped (msync fails with ENOMEM
// on unmapped memory).
func mapped(p unsafe.Pointer) bool {
	return !errors.Is(unix.Msync(unsafe.Slice((*byte)(p), pageSize), unix.MS_ASYNC), unix.ENOMEM)
}

// TestRetireKeepsRecentRanges retires more mappings than retiredLimit: the
// newest stay reserved and writable, the oldest are released, and
// releaseRetired frees a range early.
func TestRetireKeepsRecentRanges(t *testing.T) {
	retired.mu.Lock()
	saved := retired.ranges
	retired.ranges = nil
	retired.mu.Unlock()
	var mems []unsafe.Pointer
	t.Cleanup(func() {
		retired.mu.Lock()
		for _, r := range retired.ranges {
			unix.MunmapPtr(r.mem, r.size)
		}
		retired.ranges = saved
		retired.mu.Unlock()
	})
	for range retiredLimit + 3 {
		m, err := unix.MmapPtr(-1, 0, nil, uintptr(pageSize), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_ANON)
		if err != nil {
			t.Fatal(err)
		}
		*(*byte)(m) = 1
		if err := retire(m, uintptr(pageSize)); err != nil {
			t.Fatal(err)
		}
		mems = append(mems, m)
	}
	if n := len(retired.ranges); n != retiredLimit {
		t.Fatalf("%d ranges retired, want %d", n, retiredLimit)
	}
	for i, r := range retired.ranges {
		if r.mem != mems[i+3] {
			t.Fatalf("retired range %d is %p, want mapping %d at %p", i, r.mem, i+3, mems[i+3])
		}
	}
	for i, m := range mems {
		if i < 3 && !slices.Contains(mems[3:], m) && mapped(m) {
			// (A released range's addresses may be reused by a
			// later mapping of the loop: only check the others.)
			t.Fatalf("released mapping %d is still mapped", i)
		}
		if i >= 3 && !mapped(m) {
			t.Fatalf("retired mapping %d is not mapped", i)
		}
	}
	last := mems[len(mems)-1]
	if v := *(*byte)(last); v != 0 {
		t.Fatalf("retired mapping reads %d, want 0", v)
	}
	*(*byte)(last) = 2 // inert, writable
	if err := releaseRetired(uintptr(last)+1, 1); err != nil {
		t.Fatal(err)
	}
	if mapped(last) {
		t.Fatal("releaseRetired left an overlapping range mapped")
	}
	if n := len(retired.ranges); n != retiredLimit-1 {
		t.Fatalf("%d ranges after release, want %d", n, retiredLimit-1)
	}
}

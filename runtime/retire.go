package runtime

import (
	"fmt"
	"sync"
	"unsafe"
)

// Retiring mappings.
//
// Go pointers into a data section or the arena are raw addresses that the
// runtime cannot revoke. If Close simply unmapped that memory, a stale
// pointer would fault (a crash Go cannot recover from), or, once the
// kernel reused the addresses for a later mapping (another collection's
// data, a thread stack, the Go heap), silently write into it. So Close
// retires a mapping instead: it maps private anonymous memory over the same
// range in one step (MAP_FIXED replaces the old mapping atomically), which
// drops the kernel map's memory but keeps the addresses reserved. Stale
// pointers then read zeros and write into pages that nothing else sees.
// The cost is address space only, until a stale write touches a page
// (MAP_NORESERVE: no commit charge).
//
// Retired ranges are kept for the most recent retiredLimit mappings,
// oldest unmapped first, so that a process that loads and closes
// collections forever does not run out of mappings (vm.max_map_count).
// A range is also released early when a later Load needs its addresses
// for an arena at a fixed address (map_extra): the new arena must be there.

// retiredLimit is how many retired ranges are kept reserved.
const retiredLimit = 1024

type retiredRange struct {
	mem  unsafe.Pointer
	size uintptr
}

var retired struct {
	mu     sync.Mutex
	ranges []retiredRange // oldest first
}

// retire replaces the mapping [mem, mem+size) by inert anonymous memory
// and keeps its addresses reserved (see above).
func retire(mem unsafe.Pointer, size uintptr) error {
	retired.mu.Lock()
	defer retired.mu.Unlock()
	if err := mmapInert(mem, size); err != nil {
		// Leave the live mapping in place rather than unmap it: a stale
		// pointer then still reaches the old (unreferenced) map's memory.
		return fmt.Errorf("retire mapping at %p: %w", mem, err)
	}
	retired.ranges = append(retired.ranges, retiredRange{mem, size})
	if len(retired.ranges) > retiredLimit {
		old := retired.ranges[0]
		retired.ranges = retired.ranges[1:]
		if err := munmap(old.mem, old.size); err != nil {
			return fmt.Errorf("release retired mapping at %p: %w", old.mem, err)
		}
	}
	return nil
}

// releaseRetired unmaps the retired ranges that overlap [addr, addr+size),
// so that an arena can be mapped at a fixed address a closed collection's
// arena had. Stale Go pointers into the old arena then reach the new one:
// with a fixed address, that cannot be told apart from a fresh pointer.
func releaseRetired(addr, size uintptr) error {
	retired.mu.Lock()
	defer retired.mu.Unlock()
	kept := retired.ranges[:0]
	var err error
	for _, r := range retired.ranges {
		start := uintptr(r.mem)
		if start < addr+size && addr < start+r.size {
			if e := munmap(r.mem, r.size); e != nil && err == nil {
				err = fmt.Errorf("release retired mapping at %p: %w", r.mem, e)
			}
			continue
		}
		kept = append(kept, r)
	}
	clear(retired.ranges[len(kept):])
	retired.ranges = kept
	return err
}

package runtime

import (
	"sync/atomic"
	"unsafe"
)

// Ptr is an arena pointer to a T as BPF stores it in arena memory: 8 bytes
// holding either a full user address (the default) or only its low 32 bits
// (arenas with BPF_F_NO_USER_CONV). Only the low 32 bits are significant, so
// one translation serves both modes. The zero value is the nil pointer.
//
// T must not contain Go pointers: arena memory is not scanned by the garbage
// collector.
type Ptr[T any] uint64

// Get returns the Go pointer that p refers to in a, or nil when p is 0, when a
// is nil or closed, when p (with the size of T) does not lie entirely inside
// a, or when p is not aligned for T.
// No value of p can yield a pointer outside the arena's mapping.
func (p Ptr[T]) Get(a *Arena) *T {
	if p == 0 || a == nil {
		return nil
	}
	// The mapping never crosses a 4 GiB boundary, so the low 32 bits of p
	// minus those of the base are the offset in both pointer modes; a value
	// below the base wraps around to a huge offset and fails the check.
	// A closed arena has size 0 and fails it too.
	var zero T
	// A zero-size T still needs its address inside the arena.
	need := max(uint64(unsafe.Sizeof(zero)), 1)
	off := uint32(p) - a.lo32
	// The mapping is page-aligned, so an offset aligned for T is an address
	// aligned for T: Load, Store and CompareAndSwap on fields of the result
	// then never straddle a cache line.
	if uint64(off)+need > a.size || off&uint32(unsafe.Alignof(zero)-1) != 0 {
		return nil
	}
	if uint32(p>>32) == a.hi32 {
		// A full user address (the default pointer mode) whose offset
		// is in range is the address itself: base and p share the high
		// 32 bits, and base's low 32 bits plus off do not carry. Using p
		// as it is keeps the arithmetic off the chain of dependent loads
		// that a list walk is: the checks above are predicted branches.
		//
		// unsafe: reinterprets the bits of p, an address inside the live
		// mapping [a.mem, a.mem+a.size) (not Go memory), as a pointer.
		return *(**T)(unsafe.Pointer(&p))
	}
	// unsafe: the checked offset and sizeof(T) lie inside the live mapping
	// [a.mem, a.mem+a.size) (not Go memory), so the result points into it.
	// Written base-minus-low-bits first so that only one addition depends
	// on p.
	return (*T)(unsafe.Pointer(uintptr(a.mem) - uintptr(a.lo32) + uintptr(uint32(p))))
}

// Offset returns p's offset from the start of the arena, and whether p is a
// non-nil pointer into a.
func (p Ptr[T]) Offset(a *Arena) (uint64, bool) {
	if p == 0 || a == nil {
		return 0, false
	}
	off := uint64(uint32(p) - a.lo32)
	return off, off < a.size
}

// IsNil reports whether p is the nil arena pointer.
func (p Ptr[T]) IsNil() bool { return p == 0 }

// Load atomically loads the pointer stored at *p; use it (and Store and
// CompareAndSwap) for pointers that BPF programs update concurrently. It is
// compatible with BPF's atomic instructions and with sync/atomic.
func (p *Ptr[T]) Load() Ptr[T] {
	return Ptr[T](atomic.LoadUint64((*uint64)(p)))
}

// Store atomically stores v at *p.
func (p *Ptr[T]) Store(v Ptr[T]) {
	atomic.StoreUint64((*uint64)(p), uint64(v))
}

// CompareAndSwap atomically replaces *p by new if it holds old.
func (p *Ptr[T]) CompareAndSwap(old, new Ptr[T]) bool {
	return atomic.CompareAndSwapUint64((*uint64)(p), uint64(old), uint64(new))
}

// PtrTo encodes v, which must point into a, as the arena pointer BPF programs
// follow: its full user address, the form bpf_arena_alloc_pages returns in
// both pointer modes (BPF dereferences only the low 32 bits). It returns 0
// for nil and for a pointer outside the arena.
func PtrTo[T any](a *Arena, v *T) Ptr[T] {
	if v == nil || a == nil {
		return 0
	}
	// unsafe: only the address's value is used, to range-check it and to
	// encode it; it is never converted back to a pointer here.
	addr := uintptr(unsafe.Pointer(v))
	if addr < a.base || uint64(addr-a.base) >= a.size {
		return 0
	}
	return Ptr[T](addr)
}

// PtrAt returns the arena pointer to offset off of a, in the form PtrTo
// would produce, or 0 when off is outside the arena.
func PtrAt[T any](a *Arena, off uint64) Ptr[T] {
	if a == nil || off >= a.size {
		return 0
	}
	return Ptr[T](a.base + uintptr(off))
}

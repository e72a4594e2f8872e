package runtime

import (
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"unsafe"

	"github.com/cilium/ebpf"
)

// BPF map flags that matter for arenas (include/uapi/linux/bpf.h).
const (
	flagMmapable    = 1 << 10 // BPF_F_MMAPABLE
	flagSegvOnFault = 1 << 17 // BPF_F_SEGV_ON_FAULT
	flagNoUserConv  = 1 << 18 // BPF_F_NO_USER_CONV
)

// Arena is the user-space mapping of a BPF arena map. Go pointers obtained
// from it (through Ptr.Get, Bytes, New, ...) are valid until the Collection
// that owns the arena is closed. After Close the Arena refuses every use:
// methods that return an error return one wrapping ErrClosed, Bytes panics,
// Size returns 0 and Ptr.Get returns nil (see the package documentation on
// handle lifetimes).
type Arena struct {
	// The fields Ptr.Get reads come first, in one cache line. Close sets
	// size to 0, so that every bounds check of a closed arena fails
	// without a check of its own.
	mem   unsafe.Pointer // start of the user mapping (not Go memory)
	size  uint64         // bytes mapped; 0 once closed
	lo32  uint32         // uint32(base)
	hi32  uint32         // uint32(base >> 32), the same for every address in the arena
	base  uintptr        // == uintptr(mem)
	flags uint32         // BPF_F_* of the map
	m     *ebpf.Map      // the arena map; owned by the Collection

	name   string // the arena map's name, for errors
	mapped uint64 // bytes mapped, kept after Close

	globalsOff  uint64 // offset of the arena globals
	globalsSize uint64 // size of the arena globals, 0 if none

	allocMu sync.Mutex
	alloc   *pageAllocator // created on first use
}

// Size returns the arena's size in bytes (max_entries pages), or 0 once its
// Collection is closed.
func (a *Arena) Size() uint64 { return a.size }

// Base returns the user address of the arena's offset 0.
func (a *Arena) Base() uintptr { return a.base }

// Flags returns the arena map's BPF_F_* flags.
func (a *Arena) Flags() uint32 { return a.flags }

// Map returns the arena map, or nil once its Collection is closed.
func (a *Arena) Map() *ebpf.Map { return a.m }

// Bytes returns the whole arena as a byte slice. Touching a page that BPF has
// not allocated allocates a zero page, or raises SIGSEGV when the arena has
// BPF_F_SEGV_ON_FAULT (use ReadAt, WriteAt or Guard there). It panics once
// the arena's Collection is closed.
func (a *Arena) Bytes() []byte {
	if a.size == 0 {
		panic(a.closedMessage("Bytes"))
	}
	// unsafe: mem is the start of a mapping of size bytes that stays mapped
	// until the owning Collection is closed (size is 0 from then on).
	return unsafe.Slice((*byte)(a.mem), a.size)
}

// errClosed is the error of a use of a after Close.
func (a *Arena) errClosed(what string) error {
	return fmt.Errorf("%s: arena %s at %#x: %w", what, a.name, a.base, ErrClosed)
}

// closedMessage is the panic message of a use of a after Close where the
// signature has no error.
func (a *Arena) closedMessage(what string) string {
	return fmt.Sprintf("bpfskel/runtime: Arena.%s: arena %s at %#x belongs to a closed collection", what, a.name, a.base)
}

// GlobalsOffset returns where Load placed the arena globals (0 on kernels
// that reject full-range ld_imm64 arena offsets, the end of the arena
// otherwise) and their size.
func (a *Arena) GlobalsOffset() (off, size uint64) { return a.globalsOff, a.globalsSize }

// FaultError is returned by the safe accessors when user space touched an
// arena page that BPF has not allocated in an arena with BPF_F_SEGV_ON_FAULT.
type FaultError struct {
	Offset uint64 // offset in the arena of the faulting address
}

func (e *FaultError) Error() string {
	return fmt.Sprintf("arena fault at offset %#x: page not allocated", e.Offset)
}

// Is makes errors.Is(err, ErrArenaFault) true for every *FaultError.
func (e *FaultError) Is(target error) bool { return target == ErrArenaFault }

// Guard runs fn on the calling goroutine and turns a memory fault inside the
// arena (an unallocated page of a BPF_F_SEGV_ON_FAULT arena) into a
// *FaultError instead of a crash. Faults elsewhere are re-raised. fn must not
// start goroutines that touch the arena: the protection is per goroutine.
//
// Once the arena's Collection is closed, Guard does not run fn and returns
// an error wrapping ErrClosed.
func (a *Arena) Guard(fn func()) (err error) {
	if a.size == 0 {
		return a.errClosed("arena guard")
	}
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		// The runtime's fault panics carry the faulting address.
		if fe, ok := r.(interface{ Addr() uintptr }); ok {
			addr := fe.Addr()
			if addr >= a.base && uint64(addr-a.base) < a.size {
				err = &FaultError{Offset: uint64(addr - a.base)}
				return
			}
		}
		panic(r)
	}()
	fn()
	return nil
}

// ReadAt copies len(p) bytes at offset off of the arena into p. It never
// crashes the process: a fault on an unallocated page of a
// BPF_F_SEGV_ON_FAULT arena returns a *FaultError (errors.Is ErrArenaFault).
func (a *Arena) ReadAt(p []byte, off int64) (int, error) {
	if a.size == 0 {
		return 0, a.errClosed("arena read")
	}
	if off < 0 || uint64(off) > a.size || uint64(len(p)) > a.size-uint64(off) {
		return 0, fmt.Errorf("arena read of %d bytes at %#x: %w", len(p), off, ErrOutOfRange)
	}
	n := 0
	err := a.Guard(func() {
		src := a.Bytes()[off:]
		// Copy in page-sized steps so that n reports what was read.
		for n < len(p) {
			end := min(len(p), n+pageSize-int((off+int64(n))%int64(pageSize)))
			copy(p[n:end], src[n:end])
			n = end
		}
	})
	return n, err
}

// WriteAt copies p into the arena at offset off, with the same protection as
// ReadAt.
func (a *Arena) WriteAt(p []byte, off int64) (int, error) {
	if a.size == 0 {
		return 0, a.errClosed("arena write")
	}
	if off < 0 || uint64(off) > a.size || uint64(len(p)) > a.size-uint64(off) {
		return 0, fmt.Errorf("arena write of %d bytes at %#x: %w", len(p), off, ErrOutOfRange)
	}
	n := 0
	err := a.Guard(func() {
		dst := a.Bytes()[off:]
		for n < len(p) {
			end := min(len(p), n+pageSize-int((off+int64(n))%int64(pageSize)))
			copy(dst[n:end], p[n:end])
			n = end
		}
	})
	return n, err
}

var pageSize = os.Getpagesize()

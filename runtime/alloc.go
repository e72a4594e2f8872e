package runtime

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// pageAllocator obtains arena pages for Go from the kernel's own arena
// allocator, through two tiny sleepable syscall programs that call
// bpf_arena_alloc_pages and bpf_arena_free_pages. Pages handed to Go this
// way are never handed to BPF, and vice versa. Small objects are carved
// out of chunks of such pages by a bump allocator.
type pageAllocator struct {
	allocProg *ebpf.Program
	freeProg  *ebpf.Program
	cur, end  uint64 // current chunk [cur, end) as arena offsets
}

// chunkPages is how many pages the small-object allocator takes at a time.
const chunkPages = 16

// allocCtx is the context the helper programs read: the page address (0 =
// anywhere), the page count, and where the result goes.
type allocCtx struct {
	Addr  uint64
	Pages uint32
	_     uint32
	Ret   uint64
}

// close releases the allocator's programs and marks a closed: from now on
// every method refuses to run and every Ptr bounds check fails. It does not
// touch the mapping; the Collection retires it.
func (a *Arena) close() {
	a.allocMu.Lock()
	defer a.allocMu.Unlock()
	if a.alloc != nil {
		a.alloc.allocProg.Close()
		a.alloc.freeProg.Close()
		a.alloc = nil
	}
	a.m = nil
	a.size = 0
}

// allocator returns the page allocator, loading its programs on first use.
// a.allocMu must be held.
func (a *Arena) allocator() (*pageAllocator, error) {
	if a.alloc != nil {
		return a.alloc, nil
	}
	if a.m == nil || a.size == 0 {
		return nil, a.errClosed("arena allocator")
	}
	kernel, err := kernelTypes.Kernel()
	if err != nil {
		return nil, fmt.Errorf("arena allocator: kernel BTF: %w", err)
	}
	kfunc := func(name string) (asm.Instruction, error) {
		var fn *btf.Func
		if err := kernel.TypeByName(name, &fn); err != nil {
			return asm.Instruction{}, fmt.Errorf("arena allocator: kfunc %s: %w", name, ebpf.ErrNotSupported)
		}
		id, err := kernel.TypeID(fn)
		if err != nil {
			return asm.Instruction{}, err
		}
		return asm.Instruction{OpCode: asm.OpCode(asm.JumpClass).SetJumpOp(asm.Call), Src: asm.PseudoKfuncCall, Constant: int64(id)}, nil
	}
	allocCall, err := kfunc("bpf_arena_alloc_pages")
	if err != nil {
		return nil, err
	}
	freeCall, err := kfunc("bpf_arena_free_pages")
	if err != nil {
		return nil, err
	}
	// r0 = bpf_arena_alloc_pages(&arena, ctx->addr, ctx->pages, NUMA_NO_NODE, 0); ctx->ret = r0
	allocInsns := asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.LoadMapPtr(asm.R1, a.m.FD()),
		asm.LoadMem(asm.R2, asm.R6, 0, asm.DWord),
		asm.LoadMem(asm.R3, asm.R6, 8, asm.Word),
		asm.Mov.Imm(asm.R4, -1),
		asm.Mov.Imm(asm.R5, 0),
		allocCall,
		asm.StoreMem(asm.R6, 16, asm.R0, asm.DWord),
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
	}
	// bpf_arena_free_pages(&arena, ctx->addr, ctx->pages)
	freeInsns := asm.Instructions{
		asm.Mov.Reg(asm.R6, asm.R1),
		asm.LoadMapPtr(asm.R1, a.m.FD()),
		asm.LoadMem(asm.R2, asm.R6, 0, asm.DWord),
		asm.LoadMem(asm.R3, asm.R6, 8, asm.Word),
		freeCall,
		asm.Mov.Imm(asm.R0, 0),
		asm.Return(),
	}
	load := func(name string, insns asm.Instructions) (*ebpf.Program, error) {
		p, err := ebpf.NewProgram(&ebpf.ProgramSpec{
			Name:         name,
			Type:         ebpf.Syscall,
			Flags:        bpfFSleepable,
			Instructions: insns,
			License:      "GPL",
		})
		if err != nil {
			return nil, fmt.Errorf("arena allocator: load %s: %w", name, classify(err, ""))
		}
		return p, nil
	}
	ap, err := load("bpfskel_alloc", allocInsns)
	if err != nil {
		return nil, err
	}
	fp, err := load("bpfskel_free", freeInsns)
	if err != nil {
		ap.Close()
		return nil, err
	}
	a.alloc = &pageAllocator{allocProg: ap, freeProg: fp}
	if a.globalsSize > 0 {
		// Load wrote the arena globals, so their pages are Go's as far as
		// the kernel's allocator is concerned; the rest of the last one
		// is nobody's. Small allocations start there, which is all a
		// one-page arena has.
		a.alloc.cur = a.globalsOff + a.globalsSize
		a.alloc.end = a.globalsOff + roundUp(a.globalsSize, uint64(pageSize))
	}
	return a.alloc, nil
}

func runHelper(p *ebpf.Program, in allocCtx) (allocCtx, error) {
	buf := make([]byte, unsafe.Sizeof(in))
	binary.NativeEndian.PutUint64(buf[0:], in.Addr)
	binary.NativeEndian.PutUint32(buf[8:], in.Pages)
	out := make([]byte, len(buf))
	if _, err := p.Run(&ebpf.RunOptions{Context: buf, ContextOut: out}); err != nil {
		return allocCtx{}, err
	}
	return allocCtx{Addr: in.Addr, Pages: in.Pages, Ret: binary.NativeEndian.Uint64(out[16:])}, nil
}

// allocPagesAt has the kernel allocate n pages at offset off (or anywhere
// when anywhere is set), returning their offset. a.allocMu must not be held.
func (a *Arena) allocPagesAt(off uint64, n int) (uint64, error) {
	a.allocMu.Lock()
	defer a.allocMu.Unlock()
	return a.allocPagesLocked(off, n, false)
}

func (a *Arena) allocPagesLocked(off uint64, n int, anywhere bool) (uint64, error) {
	if a.size == 0 {
		return 0, a.errClosed("allocate arena pages")
	}
	if n <= 0 || uint64(n) > a.size/uint64(pageSize) {
		return 0, fmt.Errorf("allocate %d arena pages: %w", n, ErrOutOfRange)
	}
	addr := uint64(0)
	if !anywhere {
		if off%uint64(pageSize) != 0 || off > a.size-uint64(n)*uint64(pageSize) {
			return 0, fmt.Errorf("allocate %d arena pages at %#x: %w", n, off, ErrOutOfRange)
		}
		addr = uint64(a.base) + off
	}
	al, err := a.allocator()
	if err != nil {
		return 0, err
	}
	res, err := runHelper(al.allocProg, allocCtx{Addr: addr, Pages: uint32(n)})
	if err != nil {
		return 0, fmt.Errorf("allocate %d arena pages: %w", n, err)
	}
	if res.Ret == 0 {
		return 0, fmt.Errorf("allocate %d arena pages: %w", n, ErrNoMemory)
	}
	got := uint64(uint32(res.Ret) - uint32(a.base))
	if got >= a.size {
		return 0, fmt.Errorf("allocate %d arena pages: kernel returned %#x outside the arena", n, res.Ret)
	}
	return got, nil
}

// AllocPages has the kernel allocate n zeroed pages of the arena for Go and
// returns their offset. BPF's bpf_arena_alloc_pages will not hand them out
// until they are freed with FreePages.
func (a *Arena) AllocPages(n int) (uint64, error) {
	a.allocMu.Lock()
	defer a.allocMu.Unlock()
	return a.allocPagesLocked(0, n, true)
}

// FreePages returns n pages at offset off to the kernel. Their contents are
// lost, and touching them again from Go faults in a fresh page (or crashes
// with BPF_F_SEGV_ON_FAULT).
func (a *Arena) FreePages(off uint64, n int) error {
	a.allocMu.Lock()
	defer a.allocMu.Unlock()
	if a.size == 0 {
		return a.errClosed("free arena pages")
	}
	if off%uint64(pageSize) != 0 || n <= 0 || uint64(n) > a.size/uint64(pageSize) || off > a.size-uint64(n)*uint64(pageSize) {
		return fmt.Errorf("free %d arena pages at %#x: %w", n, off, ErrOutOfRange)
	}
	al, err := a.allocator()
	if err != nil {
		return err
	}
	if _, err := runHelper(al.freeProg, allocCtx{Addr: uint64(a.base) + off, Pages: uint32(n)}); err != nil {
		return fmt.Errorf("free %d arena pages at %#x: %w", n, off, err)
	}
	return nil
}

// Alloc returns the offset of size zeroed bytes aligned to align (a power of
// two, at most the page size) in memory the kernel gave to Go: first the
// unused rest of the arena globals' last page, then chunks of up to 16
// pages, fewer when the arena has fewer free pages, so that arenas of any
// size, down to one page, can allocate. The memory lives until the arena is
// closed.
func (a *Arena) Alloc(size, align uint64) (uint64, error) {
	if align == 0 {
		align = 1
	}
	if align&(align-1) != 0 || align > uint64(pageSize) {
		return 0, fmt.Errorf("arena alloc: alignment %d is not a power of two up to the page size", align)
	}
	if size == 0 {
		size = 1
	}
	if a.size == 0 {
		return 0, a.errClosed("arena alloc")
	}
	// The arena is at most 4 GiB: bounding size by it first keeps every
	// sum and rounding below from overflowing.
	if size > a.size {
		return 0, fmt.Errorf("arena alloc of %d bytes: %w", size, ErrOutOfRange)
	}
	a.allocMu.Lock()
	defer a.allocMu.Unlock()
	al, err := a.allocator()
	if err != nil {
		return 0, err
	}
	pages := roundUp(size, uint64(pageSize)) / uint64(pageSize)
	if size > chunkPages*uint64(pageSize)/4 {
		// Large: pages of its own.
		return a.allocPagesLocked(0, int(pages), true)
	}
	start := roundUp(al.cur, align)
	if al.end == 0 || start+size > al.end {
		off, n, err := a.allocChunkLocked(int(pages))
		if err != nil {
			return 0, err
		}
		al.cur, al.end = off, off+uint64(n)*uint64(pageSize)
		start = off
	}
	al.cur = start + size
	return start, nil
}

// allocChunkLocked takes a chunk of chunkPages pages for the small-object
// allocator, or, when the arena has no run of free pages that long, the
// longest run it can get by halving down to need pages. It returns the
// chunk's offset and length in pages. a.allocMu must be held.
func (a *Arena) allocChunkLocked(need int) (uint64, int, error) {
	n := int(min(chunkPages, a.size/uint64(pageSize)))
	for {
		n = max(n, need)
		off, err := a.allocPagesLocked(0, n, true)
		if err == nil || n == need || !errors.Is(err, ErrNoMemory) {
			return off, n, err
		}
		n /= 2
	}
}

// New allocates a zeroed T in a, in memory BPF's allocator will not hand
// out, and returns a Go pointer to it; encode it for BPF with PtrTo. T must
// not contain Go pointers.
func New[T any](a *Arena) (*T, error) {
	var zero T
	off, err := a.Alloc(uint64(unsafe.Sizeof(zero)), uint64(unsafe.Alignof(zero)))
	if err != nil {
		return nil, err
	}
	// unsafe: off..off+sizeof(T) was just allocated inside the mapping,
	// aligned for T.
	return (*T)(unsafe.Add(a.mem, off)), nil
}

// NewSlice allocates n zeroed Ts in a, contiguously, like New. A length
// whose size overflows or exceeds the arena is an error wrapping
// ErrOutOfRange.
func NewSlice[T any](a *Arena, n int) ([]T, error) {
	var zero T
	elem := uint64(unsafe.Sizeof(zero))
	if a.size == 0 {
		return nil, a.errClosed("arena slice")
	}
	if n < 0 || elem != 0 && uint64(n) > a.size/elem {
		return nil, fmt.Errorf("arena slice of %d %T elements: %w", n, zero, ErrOutOfRange)
	}
	off, err := a.Alloc(uint64(n)*elem, uint64(unsafe.Alignof(zero)))
	if err != nil {
		return nil, err
	}
	// unsafe: n elements of T were just allocated inside the mapping.
	return unsafe.Slice((*T)(unsafe.Add(a.mem, off)), n), nil
}

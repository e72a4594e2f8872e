// Package runtime is for generated code: it is the small support library that
// skeletons written by bpfskel link against. (The parser of BPF objects it
// loads with, which the generator shares, is internal to bpfskel.)
//
// [LoadSpec] parses BPF ELF objects that cilium/ebpf cannot read on its own
// (arena globals in .addr_space.1). [Spec.Load] loads them through an
// arena-safe path: the arena is created and mapped before programs load (at
// map_extra when the object asks), arena globals are placed where libbpf
// would put them and relocated, programs that contain addr_space_cast reach
// the kernel intact (the runtime issues BPF_PROG_LOAD itself while
// cilium/ebpf's encoder clears the cast's offset, and steps aside once it
// does not), and data sections are mapped for live typed views ([View]).
//
// Programs and maps are ordinary *ebpf.Program and *ebpf.Map values, so
// cilium/ebpf's link package works with them; [Collection.Attach] attaches by
// section name like libbpf's skeletons.
//
// Go reaches arena memory through [Arena] and [Ptr], the 8-byte pointer BPF
// stores, whose Get never yields a pointer outside the arena. Go-side
// allocations ([New], [NewSlice], [Arena.Alloc]) come from pages the kernel's
// arena allocator hands to Go, so they never collide with BPF's
// bpf_arena_alloc_pages. For arenas with BPF_F_SEGV_ON_FAULT,
// [Arena.ReadAt], [Arena.WriteAt] and [Arena.Guard] turn a fault on an
// unallocated page into an error.
//
// Typed maps: [Map] and [PerCPUMap] for hash, array, LRU and LPM trie maps;
// [Queue], [Stack] and [BloomFilter] with Push, Pop and Peek; [RingBuf] and
// [PerfEventArray], whose readers ([RingReader], [PerfReader], also made
// from a plain map with [NewRingReader] and [NewPerfReader]) yield records
// as the generated type of the events, laid over or copied from the
// record, with no decoding.
//
// # Handle lifetimes
//
// A [Collection] owns its programs, maps, links, arena and mapped data
// sections, and Close releases them all. Afterwards:
//
//   - The [Arena] refuses every use. ReadAt, WriteAt, Guard, Alloc,
//     AllocPages, FreePages, [New] and [NewSlice] return an error wrapping
//     [ErrClosed]; Bytes panics with a message naming the arena and its
//     address; Size returns 0 and Map nil. [Ptr.Get] returns nil,
//     [Ptr.Offset] reports false, and [PtrTo] and [PtrAt] return 0, as for
//     any address outside an arena: Close sets the arena's size to 0, so
//     the bounds check every Get already makes fails, at no cost per call.
//   - [View] returns an error wrapping ErrClosed.
//   - The view of a read-only section (.rodata) is a copy in Go memory,
//     made at load (the section is frozen then): it stays valid, and
//     writing to it never faults and changes nothing the programs see.
//   - Go pointers and slices into live memory handed out before Close
//     (views of writable data sections and of the arena globals, and what
//     Ptr.Get, New, NewSlice and Bytes returned) are raw addresses that
//     cannot be revoked. Close therefore retires that memory instead of
//     unmapping it: it maps private anonymous memory over the same
//     addresses in one step, which releases the kernel's memory and keeps
//     the addresses reserved. Stale pointers read zeros and write into
//     pages nothing else sees; they neither fault nor reach another
//     mapping. The cost is address space (and any page a stale write
//     touches). The ranges of the 1024 most recently closed mappings stay
//     reserved; older ones are released.
//   - The exception is an arena at a fixed address (map_extra): loading
//     such an object again must map its arena at the same address, so Load
//     releases the retired range first. A raw Go pointer into the closed
//     arena then points into the new one. The closed Arena itself, Ptr.Get
//     with it and View on the closed Collection still refuse; a raw
//     pointer cannot. Do not keep raw pointers across Close.
//
// Close must not run concurrently with other uses of the collection's
// handles.
//
// Generated files assert compatibility with this package at compile time:
//
//	const _ = runtime.SupportPackageIsVersion1
package runtime

// SupportPackageIsVersion1 is referenced by generated code to fail the build
// when the generated code needs a newer runtime than the one it is compiled
// against.
const SupportPackageIsVersion1 = true

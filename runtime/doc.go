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
// Generated files assert compatibility with this package at compile time:
//
//	const _ = runtime.SupportPackageIsVersion1
package runtime

// SupportPackageIsVersion1 is referenced by generated code to fail the build
// when the generated code needs a newer runtime than the one it is compiled
// against.
const SupportPackageIsVersion1 = true

// Package objfile is the one parser of BPF objects, shared by the runtime's
// loader and the generator so that both agree on what an object contains.
//
// [Read] reads an object's ELF structure once; [Object.Parse] has
// cilium/ebpf parse a copy of it fixed where cilium/ebpf cannot read it
// (arena globals in .addr_space.1, kconfig extern offsets) and completes the
// result with the arena map and its globals. [AttachPoint] is the decision
// of the runtime's Attach for one section name, which the generator's
// documentation repeats.
package objfile

// Package dwarfbtf recovers, from the DWARF of a BPF ELF object, the types
// that the object's BTF only forward-declares or leaves out, and converts
// them to cilium/ebpf btf.Type values shaped like the BTF clang would emit.
//
// clang puts into BTF only the types reachable from globals, maps and
// function signatures: a struct reached only through a pointer member is a
// forward declaration (btf.Fwd) and a struct used only by local variables is
// absent. An object compiled with -g and not stripped has them complete in
// .debug_info. Load reads that DWARF, Lookup converts a named type, and
// Complete replaces the forward declarations of a BTF type graph by the
// complete definitions, keeping BTF authoritative where it has them and
// reporting a layout disagreement between the two as an error.
//
// Go's debug/elf refuses to apply relocations to BPF objects, so Load reads
// the raw .debug_* sections, applies their REL relocations itself (in a BPF
// object they point at section symbols, with the addend in place) and hands
// the result to debug/dwarf.
//
// A generator uses it in this order:
//
//	d, err := dwarfbtf.Load(obj) // ErrNoDWARF: go on with d == nil
//	// roots: the BTF types of maps and data sections, plus
//	// d.Lookup(name) for each requested type BTF lacks
//	report, err := d.CompleteReport(roots, nil) // or d.Complete(roots)
//	// report: forward declarations left, with why and Hint
//
// Types converted from DWARF have the shapes clang's BTF gives the same C
// types: typedef chains kept, Int sized in bytes with Signed or Bool
// encoding, Enum with Size and Signed, bitfield members with BitfieldSize,
// multi-dimensional arrays nested, flexible arrays with no elements,
// __ARRAY_SIZE_TYPE__ as array index, btf_type_tag and btf_decl_tag
// annotations as TypeTag and Tags. Neither BTF nor DWARF records the
// address space of a pointer: which pointers point into a BPF arena is for
// the caller to decide.
//
// A Types is not safe for concurrent use.
package dwarfbtf

// Package gen builds the object model of a BPF skeleton from a compiled BPF
// object and emits the typed Go skeleton for it.
//
// The object model ([Object]) is read through bpfskel's internal object
// parser, the one runtime.LoadSpec (and so the generated code) loads
// objects with, reading each object once, and completed with the
// object's DWARF where BTF only forward-declares or omits a type. [Generate]
// turns one object (or a pair of objects compiled for both byte orders)
// into Go files; [Inspect] writes a readable report of the model.
//
// The DWARF is read only when something needs it: a named forward
// declaration reachable from what the skeleton emits, an [Options.Types]
// name BTF lacks, or [Options.AllTypes]. Only then does gen cross-check
// the layout of the complete structs, unions and enums BTF gives against
// DWARF's (an error when they disagree), and only then does a DWARF that
// cannot be read fail the object; an object whose BTF has everything it
// emits gets its skeleton from BTF alone.
//
// # The generated file
//
// For ident X, the file declares (see DESIGN.md, "The generated API"):
//
//   - LoadXSpec() (*XSpec, error): parses the embedded object. XSpec has
//     the editable initial values of every data section (Rodata, Data,
//     BSS, DataFoo for .data.foo, …) and of the arena globals
//     (ArenaGlobals), and CollectionSpec() for the *ebpf.CollectionSpec.
//   - (*XSpec).Load(*runtime.Options) and LoadX(*runtime.Options) load it;
//     nil options are the defaults.
//   - X: Programs (XPrograms, one *ebpf.Program per program, documented
//     with how it attaches), Maps (XMaps, one field per map), live views of
//     the data sections and the arena globals, Arena, and the methods
//     Attach, Close and Collection.
//   - runtime.Map[K, V] (and runtime.PerCPUMap[K, V]) fields for maps with
//     BTF keys and values of hash, array, LRU and LPM trie kinds: Lookup,
//     Update, Delete and All (an iter.Seq2), with the *ebpf.Map embedded.
//     Other maps are plain *ebpf.Map fields.
//   - The Go declarations of the types reachable from maps and globals
//     (btf2go), plus those named with -type, or all with -all.
//
// An exported ident gives exported declarations; an unexported one gives
// unexported names (loadXSpec, xSpec, …). A C type whose Go name is one of
// the skeleton's own gets btf2go's suffix.
//
// The object is embedded with go:embed; when it is not in the output's
// directory, [Generate] returns a copy to write there. The header names the
// object relative to the output. Given two objects compiled for opposite
// byte orders and output x.go, Generate returns x_bpfel.go and x_bpfeb.go,
// each with the build constraint of its GOARCHes and its own object.
// Given objects for GOARCHes ([Input.GOARCHes], from [ParseTargets]), it
// returns one file per object, x_<arch>_<order>.go under a build
// constraint listing its GOARCHes, x.go with the declarations every
// architecture's file has alike (when there are some), and x_other.go,
// which fails to compile for every other GOARCH.
//
// # Several skeletons in one package
//
// A skeleton's own declarations carry its ident (XMaps, XBSS); its C types
// do not, unless [Options.PrefixTypes] starts their names with the ident.
// [GenerateMany] writes the C type declarations that several skeletons of
// one directory declare identically once, in [SharedFile].
// [CheckSiblings] reports a name that a file about to be written shares
// with another generated file of its directory.
//
// # From C, and many skeletons at once
//
// [Compile] runs a C compiler (clang) on a BPF C source for one byte order
// ([Targets]), and optionally one architecture (__TARGET_ARCH_x), with [DefaultCFlags] (-O2 -g, the source directory mapped to
// "." so that the object does not depend on where it was built), and
// returns the object and the files the compiler read; [WriteMakeDeps]
// writes those as a make-style dependency file, and [StripDebug] removes
// the DWARF from an object after [Generate] has read it. [GenerateMany]
// runs Generate for many skeletons concurrently and rejects skeletons
// that would clash in one Go package.
//
// # Arena pointers
//
// BTF records no address spaces, so gen decides for every pointer member of
// a struct, union or data section whether it points into the arena. The
// rules, first match wins:
//
//  1. -arena-ptr TYPE.FIELD and -no-arena-ptr TYPE.FIELD
//     ([Options.ArenaPointers], [Options.NoArenaPointers]) decide for that
//     member. TYPE is the C name of a struct or union (not of a typedef),
//     or the name of a data section (".bss.list" names the global list in
//     .bss, ".addr_space.1.p" the arena global p).
//  2. A pointer tagged btf_type_tag("arena") points into the arena.
//  3. A pointer tagged for the kernel (btf_type_tag kptr, kptr_untrusted,
//     kptr_ref, percpu_kptr, rcu, percpu, user or uptr) does not.
//  4. In an object that declares no arena, no pointer does.
//  5. Pointers to functions never do.
//  6. A member of a type that resides in the arena does. Types of arena
//     globals reside in the arena, and so does every type reachable from a
//     resident type, by value or through an arena pointer.
//  7. A pointer global (a variable of pointer type, or an array of
//     pointers, in a data section) does, and its target type resides in
//     the arena.
//  8. A member of a type reachable only from keys and values of maps
//     other than the arena does not: that memory is a kernel copy. But
//     one that points to a type residing in the arena does: BPF stores
//     no other untagged pointer in a map.
//  9. A member of a type reachable only from a program's context argument
//     (struct xdp_md, struct bpf_iter__task and what they point to) does
//     not: that memory is the kernel's.
//  10. Any other pointer does: the object declares an arena, and the arena
//     is the only memory a Go program shares with it by address.
//
// Arena pointers are emitted as runtime.Ptr[T]; other pointers as opaque
// 8-byte integers. [Inspect] shows the decision and its rule for every
// pointer.
package gen

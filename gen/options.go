package gen

// Options configure [Generate]. The zero value is not usable: Package and
// Objects are required.
type Options struct {
	// Package is the name of the Go package the skeleton belongs to.
	Package string
	// Ident is the Go name of the skeleton (X in LoadXSpec, XSpec, X,
	// XPrograms, …). An exported Ident gives exported declarations, an
	// unexported one unexported declarations. Empty: derived from the
	// first object's file name (gen_basic.bpf.o → GenBasic).
	Ident string
	// Output is the path of the Go file to write, as the caller will
	// write it. It decides where the embedded object must live and the
	// relative path in the header. Empty: "<ident>.go" in the current
	// directory, in lower case (genbasic.go for GenBasic).
	Output string
	// Objects are the BPF objects to generate for: one object, two
	// objects of the same source compiled for opposite byte orders (then
	// one file per byte order is generated, picked by build tags), several
	// objects of one byte order (or of each of the two), which are linked
	// into one per byte order like bpfskel link does, or
	// objects for GOARCHes (every Input has GOARCHes: then one file per
	// object, picked by build tags, plus one for the other GOARCHes that
	// fails to compile).
	Objects []Input
	// Types names additional C types (struct, union, enum or typedef
	// names) to emit besides those reachable from maps and globals. A
	// type that BTF lacks is taken from the object's DWARF.
	Types []string
	// PrefixTypes starts the Go name of every C type and enum constant
	// with Ident (struct event → XEvent, KIND_A → XKindA), so that
	// skeletons generated separately into one package cannot clash.
	PrefixTypes bool
	// Events are MAP=TYPE pairs: the ring buffer or perf event array MAP
	// carries records of the C type TYPE (struct, union or typedef name,
	// resolved like Types), and its field becomes runtime.RingBuf[T] or
	// runtime.PerfEventArray[T], whose Reader yields *T.
	Events []string
	// AllTypes emits every named struct, union, enum and typedef of the
	// object: those of its BTF, in type ID order, then those only its
	// DWARF defines, by name (leaving out a name DWARF defines
	// differently more than once).
	AllTypes bool
	// ArenaPointers are TYPE.FIELD members that point into the arena,
	// whatever the inference rules say (see the package documentation).
	ArenaPointers []string
	// NoArenaPointers are TYPE.FIELD members that do not point into the
	// arena, whatever the inference rules say.
	NoArenaPointers []string
	// Library generates a library skeleton (libbpf's subskeleton) for the
	// one object: no embedded object and no loading, but NewX, which
	// finds the library's maps, global data and arena globals in any
	// collection whose object linked the library.
	Library bool
	// Statics includes static variables in the data section structs.
	// Without it their bytes are padding.
	Statics bool
	// Renames give programs, maps and data sections other Go names than
	// their C names would, as KIND:CNAME=GoName with KIND one of prog, map
	// and section ("prog:handle__x=HandleX2"): the way out when two C
	// names become one Go name (otherwise an error wrapping
	// ErrNameCollision that names every collision of the object and the
	// renames they need). GoName must be an exported Go identifier; a
	// rename that names nothing is an error.
	Renames []string
	// NoDWARF ignores the objects' DWARF, as if they had none: types come
	// from BTF alone ("bpfskel types" falls back to it when the DWARF
	// cannot be parsed).
	NoDWARF bool
	// TypesOnly parses for the type declarations alone ("bpfskel
	// types"): the Go names of programs, maps and sections, which only a
	// skeleton declares, may collide. Generate refuses it.
	TypesOnly bool
}

// Input is one BPF object given to [Generate].
type Input struct {
	// Path is the object's path as the caller opens it (relative to the
	// working directory, or absolute). The generated header names it
	// relative to the output's directory.
	Path string
	// Data is the object's contents.
	Data []byte
	// GOARCHes are the GOARCHes the object is for (see [ParseTargets]):
	// its Go file is x_<arch>_<order>.go under a //go:build line listing
	// them. Set for every object of a skeleton or for none.
	GOARCHes []string
}

// File is one file [Generate] produces.
type File struct {
	// Path is where the file belongs: Options.Output, a byte-order variant
	// of it, or a copy of an object next to the output for go:embed.
	Path string
	// Data is the file's contents.
	Data []byte
}

package gen

import (
	"bytes"
	"cmp"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/bpfskel/bpfskel/internal/btfq"
	"github.com/bpfskel/bpfskel/internal/dwarfbtf"
	"github.com/bpfskel/bpfskel/internal/objfile"
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// Sentinel errors for objects gen cannot read. Errors from [Parse] and
// [Generate] wrap them with the object's name.
var (
	// ErrNotELF reports input that is not an ELF file.
	ErrNotELF = errors.New("not an ELF file")
	// ErrMalformed reports an ELF file that is truncated or corrupt.
	ErrMalformed = errors.New("truncated or malformed ELF file")
	// ErrNotBPF reports an ELF file for another machine than BPF.
	ErrNotBPF = errors.New("not a BPF object")
	// ErrNoBTF reports a BPF object without a .BTF section that cannot be
	// read without it (BTF map definitions, data sections).
	ErrNoBTF = errors.New("no BTF (compile with clang -g)")
	// ErrNameCollision reports C names that map to the same Go name: one
	// error names every collision of the object.
	ErrNameCollision = errors.New("names collide")
	// ErrUnsupported reports a section gen cannot give a skeleton for.
	ErrUnsupported = errors.New("unsupported")
	// ErrMultipleArenas reports an object with more than one arena map.
	ErrMultipleArenas = objfile.ErrMultipleArenas
	// ErrNoArenaMap reports arena globals without an arena map.
	ErrNoArenaMap = objfile.ErrNoArenaMap
)

// Object is the object model of one BPF object: what its skeleton exposes.
type Object struct {
	// Name is the object's file name, for messages.
	Name string
	// ByteOrder is the byte order the object was compiled for.
	ByteOrder binary.ByteOrder
	// Maps are the object's maps other than data sections, sorted by Go
	// name. The arena map is one of them.
	Maps []*Map
	// Programs are the object's programs, sorted by Go name.
	Programs []*Program
	// Subprograms are the functions in sections that name no program type
	// (SEC("other")): callees of programs, not programs; sorted.
	Subprograms []string
	// Sections are the global data sections with variables (.bss, .data,
	// .rodata, .data.*, .rodata.*), sorted by Go name. The arena globals
	// are in Arena.
	Sections []*Section
	// Arena is the arena the object declares, or nil.
	Arena *Arena
	// StructOps are the struct_ops maps, sorted by Go name.
	StructOps []*StructOps
	// Pointers is the arena pointer decision for every pointer member of
	// the types the skeleton emits, sorted by owner and member.
	Pointers []*Pointer
	// HasDWARF reports whether the object carries DWARF (a .debug_info
	// section), whether or not gen needed to read it.
	HasDWARF bool
	// Unresolved are the forward declarations that neither BTF nor DWARF
	// complete, sorted by name.
	Unresolved []Unresolved

	// types are the extra types to emit (-type, -all), in option order.
	types   []btf.Type
	spec    *objfile.Object
	renames *renames
	cls     *classifier
}

// Unresolved is a forward declaration gen could not complete.
type Unresolved struct {
	// Name is its C name ("struct node").
	Name string
	// Reason says why.
	Reason string
	// Hint says how to make it complete.
	Hint string
}

// Map is a BPF map of the object.
type Map struct {
	// Name is the map's C name.
	Name string
	// GoName is its field name in XMaps.
	GoName string
	// Type, KeySize, ValueSize, MaxEntries, Flags and MapExtra are its
	// definition.
	Type       ebpf.MapType
	KeySize    uint32
	ValueSize  uint32
	MaxEntries uint32
	Flags      uint32
	MapExtra   uint64
	// Key and Value are its BTF key and value types, nil when absent.
	Key, Value btf.Type
	// Helpers says which typed helpers the skeleton gives the map.
	Helpers MapHelpers
}

// MapHelpers is the kind of typed access the skeleton gives a map.
type MapHelpers int

const (
	// NoHelpers: the field is the plain *ebpf.Map (arena, ring buffer,
	// map of maps, maps without BTF key and value, …).
	NoHelpers MapHelpers = iota
	// KeyValue: typed Lookup, Update, Delete and All over K and V.
	KeyValue
	// PerCPU: like KeyValue with one V per possible CPU.
	PerCPU
)

// Program is a BPF program of the object.
type Program struct {
	// Name is the program's C function name.
	Name string
	// GoName is its field name in XPrograms.
	GoName string
	// Section is the ELF section it was compiled into.
	Section string
	// Type, AttachType and AttachTo are what the section name says.
	Type       ebpf.ProgramType
	AttachType ebpf.AttachType
	AttachTo   string
	// AutoAttach reports whether X.Attach attaches it by default.
	AutoAttach bool
	// Attachable reports whether its section names where to attach it, so
	// that Attach may (Attach's options, autoload): XLinks has a field for
	// it.
	Attachable bool
	// Attach says how it attaches, or what the user must supply.
	Attach string
}

// Section is a global data section.
type Section struct {
	// Name is the ELF section name (".bss", ".data.foo", ".addr_space.1").
	Name string
	// GoName is its field name in X and XSpec (BSS, DataFoo,
	// ArenaGlobals).
	GoName string
	// ReadOnly reports a .rodata section: editable in the spec only.
	ReadOnly bool
	// Size is its size in bytes.
	Size uint32
	// Datasec is its BTF.
	Datasec *btf.Datasec
	// Vars are its variables by offset.
	Vars []Variable
	// Unmapped says why the kernel cannot map the section into user
	// space (a lock, timer or other special field), "" when it can: the
	// skeleton reads and writes it through its map instead of a live
	// view.
	Unmapped string
}

// StructOps is a struct_ops map: a C struct of function pointers (and
// data) that registers programs with a kernel subsystem.
type StructOps struct {
	// Map is the map's C name, GoName its Go name (as in XMaps).
	Map, GoName string
	// Section is .struct_ops.link (Attach registers it) or .struct_ops.
	Section string
	// Type is the C struct.
	Type *btf.Struct
	// Members are its function pointers that name programs, in member
	// order.
	Members []StructOpsMember
}

// StructOpsMember is a function pointer of a struct_ops map and the
// program it names.
type StructOpsMember struct {
	Name, GoName string // C member name, Go field name
	Program      string // C name of the program
}

// Variable is a global variable of a data section.
type Variable struct {
	Name   string
	Offset uint32
	Size   uint32
	Type   btf.Type
	Static bool
}

// Arena is the arena map of an object.
type Arena struct {
	// MapName is the arena map's C name.
	MapName string
	// Pages is max_entries: the arena's size in pages.
	Pages uint32
	// Flags are its BPF_F_* map flags.
	Flags uint32
	// MapExtra is the fixed user address, 0 for any.
	MapExtra uint64
	// Globals is the .addr_space.1 section, nil without arena globals.
	Globals *Section
}

// Pointer is the arena pointer decision for one pointer member.
type Pointer struct {
	// Owner is the C name of the struct, union or data section.
	Owner string
	// Member is the member or variable name.
	Member string
	// Target is the C type pointed to.
	Target string
	// Arena reports whether it points into the arena.
	Arena bool
	// Rule says why (see the package documentation).
	Rule string
}

// Parse reads a BPF object and builds its object model. name names the
// object in messages.
func Parse(name string, data []byte, opts *Options) (*Object, error) {
	if opts == nil {
		opts = &Options{}
	}
	o, err := parse(name, data, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return o, nil
}

func parse(name string, data []byte, opts *Options) (*Object, error) {
	// The object is read once: its ELF structure here, then the programs
	// and maps (objfile) and the DWARF from that same structure.
	if len(data) < 4 || !bytes.Equal(data[:4], []byte(elf.ELFMAG)) {
		return nil, ErrNotELF
	}
	spec, err := guard(func() (*objfile.Object, error) { return objfile.Read(data) })
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	hasBTF, err := checkELF(spec.ELF, len(data))
	if err != nil {
		return nil, err
	}
	if _, err := guard(func() (struct{}, error) { return struct{}{}, spec.Parse() }); err != nil {
		if !hasBTF {
			// What an object without BTF most likely lacks: BTF map
			// definitions and data sections need it.
			return nil, ErrNoBTF
		}
		return nil, err
	}
	o := &Object{Name: name, ByteOrder: spec.Collection.ByteOrder, spec: spec}
	// The DWARF is read only when something needs it (see lazyDWARF).
	dw := &lazyDWARF{f: spec.ELF, off: opts.NoDWARF}
	o.HasDWARF = dw.present()

	if o.renames, err = parseRenames(opts.Renames); err != nil {
		return nil, err
	}
	if err := o.readMaps(); err != nil {
		return nil, err
	}
	if err := o.readPrograms(); err != nil {
		return nil, err
	}
	if err := o.readSections(); err != nil {
		return nil, err
	}
	if !opts.TypesOnly {
		if err := o.checkNames(); err != nil {
			return nil, err
		}
	}
	if err := o.readExtraTypes(opts, dw); err != nil {
		return nil, err
	}

	roots := o.roots()
	// Complete only what the skeleton may emit: a pointer that cannot
	// point into the arena is an integer in Go, and what it points to
	// (typically a kernel type and all it reaches) is never emitted.
	follow := mayFollow(o, opts)
	// Without the DWARF and a named forward declaration, completing
	// would change nothing and report nothing.
	if dw.loaded || reachesFwd(roots, follow) {
		types, err := dw.load()
		if err != nil {
			return nil, err
		}
		o.HasDWARF = types != nil
		unresolved, err := types.CompleteReport(roots, follow)
		if err != nil {
			return nil, fmt.Errorf("complete types from DWARF: %w", err)
		}
		for _, u := range unresolved {
			o.Unresolved = append(o.Unresolved, Unresolved{Name: u.Kind.String() + " " + u.Name, Reason: u.Err.Error(), Hint: u.Hint()})
		}
	}

	cls, err := newClassifier(o, opts)
	if err != nil {
		return nil, err
	}
	o.cls = cls
	o.Pointers = cls.report(roots)
	if unused := o.renames.unused(); len(unused) > 0 {
		return nil, fmt.Errorf("rename %s: no such map, program or section", strings.Join(unused, ", "))
	}
	if unused := cls.unusedOverrides(); len(unused) > 0 {
		return nil, fmt.Errorf("arena pointer override %s: no such pointer member", strings.Join(unused, ", "))
	}
	return o, nil
}

// guard runs a parser of untrusted bytes and turns a panic (a bug in the
// parser, found with a malformed object) into an error, so that gen
// reports one line instead of crashing.
func guard[T any](parse func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			if rerr, ok := r.(error); ok { // a runtime.Error, typically
				err = fmt.Errorf("%w: parser panicked: %w", ErrMalformed, rerr)
			} else {
				err = fmt.Errorf("%w: parser panicked: %v", ErrMalformed, r)
			}
		}
	}()
	return parse()
}

// checkELF turns what the ELF structure of an object of size bytes says
// into one clear error, and reports whether the object has BTF. An object
// without BTF (legacy map definitions) gets a skeleton without typed maps
// or globals when it parses.
func checkELF(f *elf.File, size int) (hasBTF bool, err error) {
	if f.Machine != elf.EM_BPF {
		return false, fmt.Errorf("%w: machine is %v", ErrNotBPF, f.Machine)
	}
	for _, s := range f.Sections {
		if s.Type != elf.SHT_NOBITS {
			// A section whose contents lie beyond the end of the file
			// means the file was cut short.
			if s.Offset+s.FileSize > uint64(size) {
				return false, fmt.Errorf("%w: section %s extends past the end of the file", ErrMalformed, s.Name)
			}
		}
		if s.Name == ".BTF" {
			hasBTF = true
		}
	}
	return hasBTF, nil
}

func (o *Object) readMaps() error {
	for _, name := range slices.Sorted(maps.Keys(o.spec.Collection.Maps)) {
		ms := o.spec.Collection.Maps[name]
		if strings.HasPrefix(name, ".") {
			continue // data sections
		}
		m := &Map{
			Name:       name,
			GoName:     o.renames.name("map", name, goName(name)),
			Type:       ms.Type,
			KeySize:    ms.KeySize,
			ValueSize:  ms.ValueSize,
			MaxEntries: ms.MaxEntries,
			Flags:      ms.Flags,
			MapExtra:   ms.MapExtra,
			Key:        ms.Key,
			Value:      ms.Value,
		}
		m.Helpers = mapHelpers(m)
		o.Maps = append(o.Maps, m)
	}
	for _, m := range o.Maps {
		so := o.spec.StructOps[m.Name]
		if so == nil {
			continue
		}
		x := &StructOps{Map: m.Name, GoName: m.GoName, Section: so.Section, Type: so.Type}
		for _, mb := range so.Type.Members {
			if prog, ok := so.Programs[mb.Name]; ok {
				gn := goName(mb.Name)
				if gn == "Map" { // the skeleton's field for the map itself
					gn = "MapProgram"
				}
				x.Members = append(x.Members, StructOpsMember{Name: mb.Name, GoName: gn, Program: prog})
			}
		}
		o.StructOps = append(o.StructOps, x)
	}
	if a := o.spec.Arena; a != nil {
		o.Arena = &Arena{MapName: a.MapName, Pages: a.Pages, Flags: a.Flags, MapExtra: a.MapExtra}
	}
	slices.SortFunc(o.Maps, func(a, b *Map) int { return cmp.Compare(a.GoName, b.GoName) })
	slices.SortFunc(o.StructOps, func(a, b *StructOps) int { return cmp.Compare(a.GoName, b.GoName) })
	return nil
}

func mapHelpers(m *Map) MapHelpers {
	if !hasType(m.Key) || !hasType(m.Value) {
		return NoHelpers
	}
	switch m.Type {
	case ebpf.Hash, ebpf.Array, ebpf.LRUHash, ebpf.LPMTrie:
		return KeyValue
	case ebpf.PerCPUHash, ebpf.PerCPUArray, ebpf.LRUCPUHash:
		return PerCPU
	}
	return NoHelpers
}

func hasType(t btf.Type) bool {
	if t == nil {
		return false
	}
	_, void := underlying(t).(*btf.Void)
	return !void
}

func (o *Object) readPrograms() error {
	sections := map[string]string{}
	for name, ps := range o.spec.Collection.Programs {
		sections[name] = ps.SectionName
	}
	_, passed := objfile.Preferred(sections, func(name string) bool { return objfile.Autoload(sections[name]) })
	for _, name := range slices.Sorted(maps.Keys(o.spec.Collection.Programs)) {
		ps := o.spec.Collection.Programs[name]
		if ps.Type == ebpf.UnspecifiedProgram {
			// A function in a section that names no program type, such
			// as SEC("other"), that programs call: a callee, not a
			// program (cilium/ebpf and the runtime do not load it on its
			// own). One that nothing calls is a program of a kind no
			// loader knows.
			if !o.called(name) {
				return fmt.Errorf("program %s: section %q: %w program type", name, ps.SectionName, ErrUnsupported)
			}
			o.Subprograms = append(o.Subprograms, name)
			continue
		}
		p := &Program{
			Name:       name,
			GoName:     o.renames.name("prog", name, goName(name)),
			Section:    ps.SectionName,
			Type:       ps.Type,
			AttachType: ps.AttachType,
			AttachTo:   ps.AttachTo,
		}
		p.AutoAttach, p.Attach = attachInfo(ps, passed[name])
		_, _, p.Attachable = objfile.AttachPoint(ps.SectionName)
		o.Programs = append(o.Programs, p)
	}
	slices.SortFunc(o.Programs, func(a, b *Program) int { return cmp.Compare(a.GoName, b.GoName) })
	return nil
}

// called reports whether another program calls the function fn.
func (o *Object) called(fn string) bool {
	for name, ps := range o.spec.Collection.Programs {
		if name == fn {
			continue
		}
		for i := range ps.Instructions {
			ins := &ps.Instructions[i]
			if ins.Symbol() == fn || (ins.IsFunctionReference() && ins.Reference() == fn) {
				return true
			}
		}
	}
	return false
}

func (o *Object) readSections() error {
	for _, name := range slices.Sorted(maps.Keys(o.spec.Collection.Maps)) {
		ms := o.spec.Collection.Maps[name]
		if !strings.HasPrefix(name, ".") {
			continue
		}
		ds, ok := ms.Value.(*btf.Datasec)
		if !ok || name == ".kconfig" {
			continue // .kconfig: extern values the loader fills in
		}
		if !isDataSection(name) {
			return fmt.Errorf("section %s: %w data section", name, ErrUnsupported)
		}
		s := newSection(name, ds, ms.ValueSize)
		s.GoName = o.renames.name("section", name, s.GoName)
		s.Unmapped = o.spec.Unmappable[name]
		if len(s.Vars) == 0 {
			continue // string literals and the like: nothing to name
		}
		o.Sections = append(o.Sections, s)
	}
	slices.SortFunc(o.Sections, func(a, b *Section) int { return cmp.Compare(a.GoName, b.GoName) })
	if o.Arena != nil && o.spec.Arena.Globals != nil {
		ds := o.spec.Arena.Globals
		o.Arena.Globals = newSection(ds.Name, ds, ds.Size)
		o.Arena.Globals.GoName = "ArenaGlobals"
	}
	return nil
}

func isDataSection(name string) bool {
	switch {
	case name == ".bss", name == ".data", name == ".rodata":
		return true
	case strings.HasPrefix(name, ".data."), strings.HasPrefix(name, ".rodata."):
		return true
	}
	return false
}

func newSection(name string, ds *btf.Datasec, size uint32) *Section {
	s := &Section{
		Name:     name,
		GoName:   sectionGoName(name),
		ReadOnly: strings.HasPrefix(name, ".rodata"),
		Size:     size,
		Datasec:  ds,
	}
	for _, vs := range ds.Vars {
		v, ok := vs.Type.(*btf.Var)
		if !ok {
			continue
		}
		s.Vars = append(s.Vars, Variable{
			Name:   v.Name,
			Offset: vs.Offset,
			Size:   vs.Size,
			Type:   v.Type,
			Static: v.Linkage == btf.StaticVar,
		})
	}
	slices.SortStableFunc(s.Vars, func(a, b Variable) int { return cmp.Compare(a.Offset, b.Offset) })
	return s
}

// sectionGoName names a data section in Go: ".bss" → BSS, ".data" → Data,
// ".rodata.cfg" → RodataCfg.
func sectionGoName(name string) string {
	if name == ".bss" {
		return "BSS"
	}
	return goName(name)
}

// readExtraTypes resolves -type and -all. -all takes every named struct,
// union, enum and typedef of BTF, in type ID order, then those only DWARF
// defines, sorted by kind and name; a name with several different DWARF
// definitions is left out (-type reports it).
func (o *Object) readExtraTypes(opts *Options, lazy *lazyDWARF) error {
	spec := o.spec.Collection.Types
	if opts.AllTypes {
		inBTF := map[string]bool{}
		if spec != nil {
			for t, err := range spec.All() {
				if err != nil {
					return fmt.Errorf("read BTF: %w", err)
				}
				if isNamedDecl(t) {
					o.types = append(o.types, t)
					inBTF[declKey(t)] = true
				}
			}
		}
		dw, err := lazy.load()
		if err != nil {
			return err
		}
		for _, key := range dw.Names() {
			if inBTF[key] {
				continue
			}
			t, err := dw.Lookup(key)
			switch {
			case errors.Is(err, dwarfbtf.ErrAmbiguous):
				continue
			case err != nil:
				return fmt.Errorf("DWARF: %w", err)
			}
			o.types = append(o.types, t)
		}
	}
	for _, name := range opts.Types {
		t, err := o.lookupType(name, lazy)
		if err != nil {
			return err
		}
		o.types = append(o.types, t)
	}
	return nil
}

// declKey names a named struct, union, enum or typedef as dwarfbtf's
// Names and Lookup do: "struct node", "typedef root_t".
func declKey(t btf.Type) string {
	switch t.(type) {
	case *btf.Struct:
		return "struct " + t.TypeName()
	case *btf.Union:
		return "union " + t.TypeName()
	case *btf.Enum:
		return "enum " + t.TypeName()
	case *btf.Typedef:
		return "typedef " + t.TypeName()
	}
	return ""
}

func isNamedDecl(t btf.Type) bool {
	if t.TypeName() == "" {
		return false
	}
	switch t.(type) {
	case *btf.Struct, *btf.Union, *btf.Enum, *btf.Typedef:
		return true
	}
	return false
}

func (o *Object) lookupType(name string, lazy *lazyDWARF) (btf.Type, error) {
	if spec := o.spec.Collection.Types; spec != nil {
		types, err := spec.AnyTypesByName(name)
		if err != nil && !errors.Is(err, btf.ErrNotFound) {
			return nil, fmt.Errorf("type %s: %w", name, err)
		}
		for _, t := range types {
			if isNamedDecl(t) {
				return t, nil
			}
		}
	}
	dw, err := lazy.load()
	if err != nil {
		return nil, err
	}
	if dw != nil {
		t, err := dw.Lookup(name)
		if err == nil {
			return t, nil
		}
		return nil, fmt.Errorf("type %s: not in BTF, and DWARF: %w", name, err)
	}
	return nil, fmt.Errorf("type %s: not in BTF and the object has no DWARF", name)
}

// lazyDWARF reads an object's DWARF the first time something needs it:
// a named forward declaration reachable from what the skeleton emits,
// a -type name BTF lacks, or -all. Reading and indexing the DWARF is
// much of what parsing an object costs, and most objects need none of it.
type lazyDWARF struct {
	f      *elf.File
	off    bool // Options.NoDWARF: as if there were none
	loaded bool
	types  *dwarfbtf.Types
	err    error
}

// present reports whether the object carries DWARF that load would read.
func (l *lazyDWARF) present() bool {
	if l.off {
		return false
	}
	s := l.f.Section(".debug_info")
	return s != nil && s.Type != elf.SHT_NOBITS && s.Size > 0
}

// load returns the object's DWARF, reading it on the first call; nil
// without an error when the object has none (or with NoDWARF).
func (l *lazyDWARF) load() (*dwarfbtf.Types, error) {
	if !l.loaded {
		l.loaded = true
		if !l.off {
			l.types, l.err = guard(func() (*dwarfbtf.Types, error) { return dwarfbtf.LoadELF(l.f) })
			if errors.Is(l.err, dwarfbtf.ErrNoDWARF) {
				l.types, l.err = nil, nil // completes nothing, reports every forward declaration
			}
		}
	}
	return l.types, l.err // l.err says "read DWARF"
}

// reachesFwd reports whether a named forward declaration is reachable from
// roots through the pointers follow accepts: one DWARF may complete.
func reachesFwd(roots []btf.Type, follow func(*btf.Pointer) bool) bool {
	found := false
	walkReached(roots, func(_ btf.Type, _ string, p *btf.Pointer) bool { return follow(p) }, func(t btf.Type) {
		if f, ok := t.(*btf.Fwd); ok && f.Name != "" {
			found = true
		}
	})
	return found
}

// mayFollow returns which pointers may lead to types the skeleton emits,
// decided before the types are complete and so before the classifier
// (arenaptr.go) can say which pointers are arena pointers: in an object
// without an arena only tagged pointers do, unless -arena-ptr names
// another; with an arena, any may.
func mayFollow(o *Object, opts *Options) func(*btf.Pointer) bool {
	if o.Arena != nil || len(opts.ArenaPointers) > 0 {
		return func(*btf.Pointer) bool { return true }
	}
	return isTagged
}

// roots are the types the skeleton starts from.
func (o *Object) roots() []btf.Type {
	var roots []btf.Type
	for _, m := range o.Maps {
		if m.Key != nil {
			roots = append(roots, m.Key)
		}
		if m.Value != nil {
			roots = append(roots, m.Value)
		}
	}
	for _, s := range o.Sections {
		roots = append(roots, s.Datasec)
	}
	if o.Arena != nil && o.Arena.Globals != nil {
		roots = append(roots, o.Arena.Globals.Datasec)
	}
	return append(roots, o.types...)
}

// Types returns the types named with Options.Types and Options.AllTypes,
// in that order, completed from DWARF like everything the skeleton emits.
func (o *Object) Types() []btf.Type { return slices.Clone(o.types) }

// VariableTypes returns the key and value types of the maps and the types
// of the global variables (not the static ones) of the data sections and
// of the arena globals, in that order, without repeats, completed from
// DWARF: the types a skeleton's maps and sections refer to.
func (o *Object) VariableTypes() []btf.Type {
	var ts []btf.Type
	seen := map[btf.Type]bool{}
	add := func(t btf.Type) {
		if hasType(t) && !seen[t] {
			seen[t] = true
			ts = append(ts, t)
		}
	}
	for _, m := range o.Maps {
		add(m.Key)
		add(m.Value)
	}
	sections := o.Sections
	if o.Arena != nil && o.Arena.Globals != nil {
		sections = append(slices.Clip(sections), o.Arena.Globals)
	}
	for _, s := range sections {
		for _, v := range s.Vars {
			if !v.Static {
				add(v.Type)
			}
		}
	}
	return ts
}

// ArenaPointer reports whether member of owner (a *btf.Struct, *btf.Union
// or *btf.Datasec reachable from the object's types) points into the
// arena, as the skeleton decides (see the package documentation). It has
// the signature of btf2go.Options.ArenaPointer.
func (o *Object) ArenaPointer(owner btf.Type, member string) bool {
	return o.cls.ArenaPointer(owner, member)
}

// seenMaps are walkTypes' sets of visited types, kept for the next walk:
// growing a new one for every walk was a tenth of what gen allocates.
var seenMaps = sync.Pool{New: func() any { return map[btf.Type]bool{} }}

// walkReached calls fn once for every type reachable from roots as the
// skeleton reaches them: through a pointer only when follow says so, given
// the struct, union or section holding the pointer and its member's name
// (nil and "" for a pointer that is not a member, such as a map's key).
func walkReached(roots []btf.Type, follow func(owner btf.Type, member string, p *btf.Pointer) bool, fn func(btf.Type)) {
	seen := seenMaps.Get().(map[btf.Type]bool)
	defer func() {
		clear(seen)
		seenMaps.Put(seen)
	}()
	var visit func(t btf.Type)
	member := func(owner btf.Type, name string, t btf.Type) {
		if p := memberPointer(t); p != nil {
			if follow(owner, name, p) {
				visit(p.Target)
			}
			return
		}
		visit(t)
	}
	visit = func(t btf.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		fn(t)
		switch t := t.(type) {
		case *btf.Struct, *btf.Union, *btf.Datasec:
			eachMember(t, func(name string, typ btf.Type) { member(t, name, typ) })
		case *btf.Pointer:
			if follow(nil, "", t) {
				visit(t.Target)
			}
		default:
			for _, c := range btfq.Children(t) {
				visit(*c)
			}
		}
	}
	for _, r := range roots {
		visit(r)
	}
}

// walkTypes calls fn once for every type reachable from roots.
func walkTypes(roots []btf.Type, fn func(btf.Type)) {
	seen := seenMaps.Get().(map[btf.Type]bool)
	defer func() {
		clear(seen)
		seenMaps.Put(seen)
	}()
	var visit func(t btf.Type)
	visit = func(t btf.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		fn(t)
		for _, c := range btfq.Children(t) {
			visit(*c)
		}
	}
	for _, r := range roots {
		visit(r)
	}
}

// btfq.MaxDepth bounds the chains of qualifiers, typedefs and arrays gen
// follows: in malformed BTF such a type can refer to itself (cilium/ebpf's
// parser accepts that), and the search must end. btf2go and dwarfbtf bound
// theirs alike.
// underlying is t without typedefs and qualifiers, nil for a cycle (see
// [btfq.Strip]).
func underlying(t btf.Type) btf.Type {
	t, _ = btfq.Strip(t, true)
	return t
}

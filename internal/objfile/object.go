package objfile

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// Sentinel errors; the runtime's errors of the same names match them.
var (
	// ErrMultipleArenas: the object declares more than one arena map.
	ErrMultipleArenas = errors.New("more than one arena map")
	// ErrNoArenaMap: the object has arena globals (.addr_space.1) but no
	// arena map to place them in.
	ErrNoArenaMap = errors.New("arena globals without an arena map")
)

// PageSize is the host's page size: arenas and mapped sections come in
// pages.
var PageSize = os.Getpagesize()

// FlagMmapable is BPF_F_MMAPABLE.
const FlagMmapable = 1 << 10

// Counters of the parses done by this process (see ParseCounts).
var elfReads, collectionParses atomic.Int64

// ParseCounts returns how many times Read has read an ELF structure and
// Parse has had cilium/ebpf parse an object, in this process. Tests use
// it to check that each object is parsed once.
func ParseCounts() (reads, parses int64) {
	return elfReads.Load(), collectionParses.Load()
}

// ArenaGlobalsSection is the ELF section clang (>= 19) puts __arena globals in.
const ArenaGlobalsSection = ".addr_space.1"

// arenaAlias is the name .addr_space.1 is given in the copy of the object
// handed to cilium/ebpf, which then parses it as an ordinary data section.
// It has the same length, so the rename happens in place; the double dot
// cannot come from a C section attribute by accident.
const arenaAlias = ".data..arena1"

// Object is a parsed BPF object: what cilium/ebpf reads, completed with what
// it cannot (the arena and its globals). It is the one model of an object
// that both the generator and the runtime's loader use.
type Object struct {
	// Raw is the object's bytes, as given to Read (not copied).
	Raw []byte
	// ELF is the object's ELF structure, read once from Raw.
	ELF *elf.File

	// Collection holds programs, maps (the arena map included) and data
	// sections. Arena globals are not a map here: instructions that use them
	// reference the arena map with PseudoMapValue and the global's offset
	// within the arena globals; Load adds where it placed them.
	Collection *ebpf.CollectionSpec
	// Arena is nil when the object declares no arena map.
	Arena *ArenaSpec
	// Weak are the names of the object's weak (__weak) symbols: maps,
	// functions and variables it defines weakly, and the externs it may
	// do without (kconfig, ksym, kfunc), which resolve to 0 when missing.
	Weak map[string]bool
	// TypedKsyms are the __ksym variables with a kernel type (loaded as
	// BPF_PSEUDO_BTF_ID, resolved against kernel BTF), by name.
	TypedKsyms map[string]bool
	// Unmappable are the data sections the kernel cannot map into user
	// space (they hold a bpf_spin_lock, bpf_timer or another special
	// type), with the reason, by section name; nil when none.
	Unmappable map[string]string
	// StructOps are the struct_ops maps by map name, nil when none.
	StructOps map[string]*StructOps

	syms     []elf.Symbol // ELF's symbol table, read on first use
	symsRead bool
}

// Symbols returns the object's ELF symbols (nil without a symbol table),
// read once; callers must not modify them.
func (o *Object) Symbols() []elf.Symbol { return o.symbols() }

// symbols returns the object's symbols (nil without a symbol table), read
// from the ELF structure once.
func (o *Object) symbols() []elf.Symbol {
	if !o.symsRead {
		o.syms, _ = o.ELF.Symbols()
		o.symsRead = true
	}
	return o.syms
}

// ArenaSpec describes an object's arena map and arena globals.
type ArenaSpec struct {
	MapName  string // name of the arena map in Collection.Maps
	Flags    uint32 // BPF_F_* map flags
	Pages    uint32 // max_entries: size in pages
	MapExtra uint64 // fixed user address of the mapping; 0 = anywhere
	// Globals is the .addr_space.1 Datasec with its real size and variable
	// offsets (the ELF's has zeros; they are fixed from the symbol table).
	// Its variables, and the types they reference, are those of
	// Collection.Types. Nil when the object has no arena globals.
	Globals *btf.Datasec
	// Data holds the initial values of the arena globals; edit it before
	// Load to change them. len(Data) == Globals.Size.
	Data []byte
}

// ArenaOf checks the definition of the arena map m and returns what it
// says (without globals).
func ArenaOf(m *ebpf.MapSpec) (*ArenaSpec, error) {
	if m.Flags&FlagMmapable == 0 {
		return nil, fmt.Errorf("arena map %s: map_flags lack BPF_F_MMAPABLE", m.Name)
	}
	if m.MaxEntries == 0 || uint64(m.MaxEntries)*uint64(PageSize) > 1<<32 {
		return nil, fmt.Errorf("arena map %s: %d pages: an arena holds 1 to %d pages", m.Name, m.MaxEntries, (1<<32)/PageSize)
	}
	if m.MapExtra%uint64(PageSize) != 0 {
		return nil, fmt.Errorf("arena map %s: map_extra %#x is not page-aligned", m.Name, m.MapExtra)
	}
	return &ArenaSpec{MapName: m.Name, Flags: m.Flags, Pages: m.MaxEntries, MapExtra: m.MapExtra}, nil
}

// Size returns the arena's size in bytes.
func (a *ArenaSpec) Size() uint64 { return uint64(a.Pages) * uint64(PageSize) }

// Parse reads and parses a BPF ELF object: Read, then Object.Parse.
func Parse(obj []byte) (*Object, error) {
	o, err := Read(obj)
	if err != nil {
		return nil, fmt.Errorf("parse object: %w", err)
	}
	if err := o.Parse(); err != nil {
		return nil, err
	}
	return o, nil
}

// Read reads the ELF structure of obj (counted by ParseCounts); Collection
// and Arena stay nil until Parse.
func Read(obj []byte) (*Object, error) {
	elfReads.Add(1)
	f, err := elf.NewFile(bytes.NewReader(obj))
	if err != nil {
		return nil, err
	}
	return &Object{Raw: obj, ELF: f}, nil
}

// Parse parses the programs, maps and data sections of o (with cilium/ebpf,
// on a copy of the object fixed where cilium/ebpf cannot read it), and its
// arena.
func (o *Object) Parse() error {
	if err := o.parse(); err != nil {
		return fmt.Errorf("parse object: %w", err)
	}
	return nil
}

func (o *Object) parse() error {
	obj, f := o.Raw, o.ELF
	var err error
	var arenaSec *elf.Section
	for _, s := range f.Sections {
		switch {
		case s.Name == ArenaGlobalsSection:
			arenaSec = s
		case s.Name == arenaAlias:
			return fmt.Errorf("section %s: reserved name", s.Name)
		case strings.HasPrefix(s.Name, ".addr_space."):
			return fmt.Errorf("section %s: address space not supported (only 1, the arena)", s.Name)
		}
	}
	if arenaSec != nil {
		for _, s := range f.Sections {
			if s.Type == elf.SHT_REL && int(s.Info) < len(f.Sections) && f.Sections[s.Info] == arenaSec {
				return fmt.Errorf("section %s has relocations (arena globals initialised with addresses): not supported", ArenaGlobalsSection)
			}
		}
	}

	input := &cow{b: obj}
	if arenaSec != nil {
		if err := aliasArenaSection(input, f); err != nil {
			return err
		}
	}
	if o.TypedKsyms, err = untypeKsyms(input, f); err != nil {
		return err
	}
	if err := staticHidden(input, f, o.symbols()); err != nil {
		return err
	}
	// Last of the copy's changes to .BTF: it moves .BTF to the end.
	renamed, renamedStructOps, err := renameStructOps(input.b, f)
	if err != nil {
		return err
	}
	if renamedStructOps {
		input = &cow{b: renamed, owned: true}
	}
	kconfig := kconfigNames(input.b, f)
	if o.Weak, err = strengthenWeak(input, f, o.symbols(), kconfig); err != nil {
		return err
	}
	if err := markKconfigLoads(input, f, o.symbols(), kconfig); err != nil {
		return err
	}
	final, err := alignExtInfo(input.b, f, o.symbols())
	if err != nil {
		return err
	}
	collectionParses.Add(1)
	cs, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(final))
	if err != nil {
		return err
	}

	spec := o
	spec.Collection = cs
	if err := o.fixKconfigOffsets(); err != nil {
		return err
	}
	if err := o.readStructOps(renamedStructOps); err != nil {
		return err
	}
	o.readUnmappable()
	var arenaNames []string
	for name, m := range cs.Maps {
		if m.Type == ebpf.Arena {
			arenaNames = append(arenaNames, name)
		}
	}
	slices.Sort(arenaNames)
	if len(arenaNames) > 1 {
		return fmt.Errorf("maps %s: %w", strings.Join(arenaNames, ", "), ErrMultipleArenas)
	}
	if len(arenaNames) == 1 {
		a, err := ArenaOf(cs.Maps[arenaNames[0]])
		if err != nil {
			return err
		}
		a.MapName = arenaNames[0]
		spec.Arena = a
	}

	data, hasData := cs.Maps[arenaAlias]
	if arenaSec == nil || !hasData {
		// No arena globals, or none referenced or named (nothing to place).
		return nil
	}
	if spec.Arena == nil {
		return fmt.Errorf("section %s: %w", ArenaGlobalsSection, ErrNoArenaMap)
	}
	delete(cs.Maps, arenaAlias)
	for name, v := range cs.Variables {
		if v.SectionName == arenaAlias {
			delete(cs.Variables, name)
		}
	}
	if len(data.Contents) == 1 {
		if b, ok := data.Contents[0].Value.([]byte); ok {
			spec.Arena.Data = slices.Clone(b)
		}
	}
	// Checked before allocating: the section header is untrusted.
	if arenaSec.Size > spec.Arena.Size() {
		return fmt.Errorf("%s: %d bytes of arena globals exceed the %d-byte arena", ArenaGlobalsSection, arenaSec.Size, spec.Arena.Size())
	}
	if arenaSec.Size > math.MaxUint32 {
		return fmt.Errorf("%s: %d bytes of arena globals: BTF sizes stop at 4 GiB - 1", ArenaGlobalsSection, arenaSec.Size)
	}
	if uint64(len(spec.Arena.Data)) != arenaSec.Size {
		spec.Arena.Data = make([]byte, arenaSec.Size)
	}
	if ds, ok := data.Value.(*btf.Datasec); ok {
		// A shallow copy: the variables and the types they reference stay
		// those of Collection.Types, so each C type is one btf.Type.
		ds = &btf.Datasec{Name: ArenaGlobalsSection, Size: ds.Size, Vars: slices.Clone(ds.Vars)}
		spec.Arena.Globals = ds
	} else {
		spec.Arena.Globals = &btf.Datasec{Name: ArenaGlobalsSection, Size: uint32(arenaSec.Size)}
	}
	if err := checkDatasec(spec.Arena.Globals, len(spec.Arena.Data)); err != nil {
		return err
	}

	// Retarget references to the arena globals at the arena map. They stay
	// PseudoMapValue loads (a load of the map itself is PseudoMapFD), which is
	// how Load tells them apart to add the globals' placement.
	for _, p := range cs.Programs {
		for i := range p.Instructions {
			ins := &p.Instructions[i]
			if ins.Reference() == arenaAlias {
				*ins = ins.WithReference(spec.Arena.MapName)
			}
		}
	}
	return nil
}

// checkDatasec checks that ds describes size bytes and that every variable
// lies within them.
func checkDatasec(ds *btf.Datasec, size int) error {
	if uint64(ds.Size) != uint64(size) {
		return fmt.Errorf("section %s: Datasec of %d bytes, section has %d", ds.Name, ds.Size, size)
	}
	for _, v := range ds.Vars {
		if uint64(v.Offset)+uint64(v.Size) > uint64(ds.Size) {
			return fmt.Errorf("section %s: variable %s at %d+%d outside its %d bytes", ds.Name, typeName(v.Type), v.Offset, v.Size, ds.Size)
		}
	}
	return nil
}

// typeName returns t's name, or "<nil>".
func typeName(t btf.Type) string {
	if t == nil {
		return "<nil>"
	}
	return t.TypeName()
}

// sectionBytes returns the bytes of s in obj, the object s was read from,
// or an error when the section header points outside obj.
func sectionBytes(obj []byte, s *elf.Section) ([]byte, error) {
	if s.Offset > uint64(len(obj)) || s.Size > uint64(len(obj))-s.Offset {
		return nil, fmt.Errorf("section %s: offset %#x size %#x outside the %d-byte object", s.Name, s.Offset, s.Size, len(obj))
	}
	return obj[s.Offset : s.Offset+s.Size], nil
}

// IsArenaGlobalRef reports whether ins loads the address of an arena global
// of an object whose arena map is arenaMap.
func IsArenaGlobalRef(ins *asm.Instruction, arenaMap string) bool {
	return ins.OpCode.IsDWordLoad() && ins.Src == asm.PseudoMapValue && ins.Reference() == arenaMap
}

// cow holds the object bytes parse hands cilium/ebpf: the caller's until
// the first fix that changes them, then one private copy that every later
// fix patches in place, so that a large object is copied once, not once
// per fix.
type cow struct {
	b     []byte
	owned bool // b is parse's own copy
}

// mut returns the bytes to patch, copying the caller's on the first call.
func (c *cow) mut() []byte {
	if !c.owned {
		c.b, c.owned = slices.Clone(c.b), true
	}
	return c.b
}

// aliasArenaSection renames, in obj, the section .addr_space.1 and the BTF
// Datasec describing it to arenaAlias, so that cilium/ebpf parses the
// arena globals as a data section (it rejects relocations into
// .addr_space.1). Both renames are in place: the names have the same
// length.
func aliasArenaSection(obj *cow, f *elf.File) error {
	if f.Class != elf.ELFCLASS64 {
		return fmt.Errorf("%s: not a 64-bit ELF object", ArenaGlobalsSection)
	}
	if len(obj.b) < 64 {
		return fmt.Errorf("truncated ELF header")
	}
	out := obj.mut()
	bo := f.ByteOrder
	shoff := bo.Uint64(out[0x28:])
	shentsize := uint64(bo.Uint16(out[0x3a:]))
	shstrndx := int(bo.Uint16(out[0x3e:]))
	if shstrndx >= len(f.Sections) || shentsize < 64 {
		return fmt.Errorf("bad section header table")
	}
	strtab := f.Sections[shstrndx]
	// Find the sh_name offsets of .addr_space.1 and check that no other
	// section name shares its bytes (string tables may merge tails).
	var nameOff uint64
	found := false
	for i := range f.Sections {
		h := shoff + uint64(i)*shentsize
		if h+4 > uint64(len(out)) {
			return fmt.Errorf("truncated section header table")
		}
		if f.Sections[i].Name == ArenaGlobalsSection {
			nameOff = uint64(bo.Uint32(out[h:]))
			found = true
		}
	}
	if !found {
		return fmt.Errorf("section %s not found", ArenaGlobalsSection)
	}
	nameLen := uint64(len(ArenaGlobalsSection))
	for i := range f.Sections {
		h := shoff + uint64(i)*shentsize
		o := uint64(bo.Uint32(out[h:]))
		end := o + uint64(len(f.Sections[i].Name))
		if f.Sections[i].Name != ArenaGlobalsSection && o < nameOff+nameLen && end > nameOff {
			return fmt.Errorf("section name %s shares its string with %s: not supported", ArenaGlobalsSection, f.Sections[i].Name)
		}
	}
	names, err := sectionBytes(out, strtab)
	if err != nil {
		return fmt.Errorf("section name table: %w", err)
	}
	if nameOff > uint64(len(names)) || nameLen > uint64(len(names))-nameOff || string(names[nameOff:nameOff+nameLen]) != ArenaGlobalsSection {
		return fmt.Errorf("section name table does not hold %s", ArenaGlobalsSection)
	}
	copy(names[nameOff:], arenaAlias)

	// The BTF string table: rename the Datasec so that BTF's own fixup of
	// data sections (size and offsets from the ELF) finds the renamed section.
	if s := f.Section(".BTF"); s != nil && s.Type != elf.SHT_NOBITS {
		raw, err := sectionBytes(out, s)
		if err != nil {
			return err
		}
		if err := renameBTFString(raw, bo, ArenaGlobalsSection, arenaAlias); err != nil {
			return fmt.Errorf(".BTF: %w", err)
		}
	}
	return nil
}

// renameBTFString replaces the whole string old by new (same length) in the
// string section of raw BTF.
func renameBTFString(raw []byte, bo binary.ByteOrder, old, new string) error {
	if len(raw) < 24 || bo.Uint16(raw) != 0xeb9f {
		return fmt.Errorf("bad header")
	}
	hdrLen := uint64(bo.Uint32(raw[4:]))
	strOff := uint64(bo.Uint32(raw[16:]))
	strLen := uint64(bo.Uint32(raw[20:]))
	start := hdrLen + strOff
	if start+strLen > uint64(len(raw)) {
		return fmt.Errorf("string section out of bounds")
	}
	strs := raw[start : start+strLen]
	needle := append([]byte{0}, old...)
	needle = append(needle, 0)
	i := bytes.Index(strs, needle)
	if i < 0 {
		return nil // no Datasec for the section: nothing to rename
	}
	copy(strs[i+1:], new)
	return nil
}

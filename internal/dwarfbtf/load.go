package dwarfbtf

import (
	"bytes"
	"cmp"
	"debug/dwarf"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cilium/ebpf/btf"
)

var (
	// ErrNoDWARF means the object carries no DWARF: it was compiled
	// without -g, or stripped.
	ErrNoDWARF = errors.New("object has no DWARF")
	// ErrNotFound means the DWARF defines no complete type of that name
	// (it may declare one without defining it).
	ErrNotFound = errors.New("no complete definition in DWARF")
	// ErrAmbiguous means the DWARF has several complete definitions of
	// that name with different layouts (types local to different scopes).
	ErrAmbiguous = errors.New("several different definitions in DWARF")
	// ErrLayoutMismatch means BTF and DWARF disagree on the layout (size,
	// member names, offsets, bitfields) of a type of the same name.
	ErrLayoutMismatch = errors.New("BTF and DWARF layouts differ")
)

// maxSection bounds the size of one decompressed DWARF section, so that a
// malformed object cannot make Load allocate without limit.
const maxSection = 1 << 30

// BPF relocation types (linux/include/uapi/linux/elf-em.h has EM_BPF; the
// types are those of the LLVM BPF backend).
const (
	rBPFNone       = 0
	rBPF64Abs64    = 2
	rBPF64Abs32    = 3
	rBPF64Nodyld32 = 4
)

// Types is the DWARF of one BPF object, indexed by type name. Converted
// types are cached: every DWARF type becomes one btf.Type, however often
// it is looked up or reached.
type Types struct {
	data  *dwarf.Data
	order binary.ByteOrder
	// dies holds every entry in order of offset (the order the reader
	// returns them in), for lookup by binary search: a map of every entry
	// costs more to build than the lookups save.
	dies []*die
	// named holds the struct, union, enum and typedef entries by key
	// ("struct node", "typedef node_t"), in the order of .debug_info.
	named map[string][]*die
	// cache maps a DWARF entry to its conversion; origin is the reverse,
	// and tells DWARF-made types apart from BTF's.
	cache  map[dwarf.Offset]btf.Type
	origin map[btf.Type]dwarf.Offset
	// index is the __ARRAY_SIZE_TYPE__ integer clang uses as every BTF
	// array's index type.
	index *btf.Int
}

// die is one debugging information entry and its children.
type die struct {
	*dwarf.Entry
	kids []*die
}

// Load reads the DWARF sections of a BPF ELF object (little- or
// big-endian). It returns an error wrapping ErrNoDWARF when the object has
// no .debug_info, and an error naming the section at fault when a section
// cannot be read.
func Load(obj []byte) (t *Types, err error) {
	// debug/elf and debug/dwarf are meant to return errors on malformed
	// input, but have panicked on some in the past; a corrupt object must
	// not take the caller down.
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("read DWARF: malformed object: %v", r)
		}
	}()
	f, err := elf.NewFile(bytes.NewReader(obj))
	if err != nil {
		return nil, fmt.Errorf("read DWARF: parse ELF: %w", err)
	}
	return LoadELF(f)
}

// LoadELF is Load for an object whose ELF structure the caller has already
// read (so that the object is parsed once).
func LoadELF(f *elf.File) (t *Types, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("read DWARF: malformed object: %v", r)
		}
	}()
	if f.Machine != elf.EM_BPF {
		return nil, fmt.Errorf("read DWARF: not a BPF object (machine %s)", f.Machine)
	}
	if f.Section(".debug_info") == nil {
		return nil, ErrNoDWARF
	}
	syms, err := symbolValues(f)
	if err != nil {
		return nil, fmt.Errorf("read DWARF: section .symtab: %w", err)
	}
	sections := map[string][]byte{}
	for _, name := range []string{
		".debug_abbrev", ".debug_info", ".debug_str",
		".debug_str_offsets", ".debug_addr", ".debug_line_str", ".debug_rnglists",
	} {
		s := f.Section(name)
		if s == nil {
			continue
		}
		b, err := sectionData(f, s, syms)
		if err != nil {
			return nil, fmt.Errorf("read DWARF: section %s: %w", name, err)
		}
		sections[name] = b
	}
	if len(sections[".debug_info"]) == 0 {
		return nil, ErrNoDWARF
	}
	if so, ok := sections[".debug_str_offsets"]; ok {
		sections[".debug_str"] = padStrings(sections[".debug_str"], so, f.ByteOrder)
	}
	if sections[".debug_abbrev"] == nil {
		return nil, errors.New("read DWARF: section .debug_abbrev: missing")
	}
	data, err := dwarf.New(sections[".debug_abbrev"], nil, nil, sections[".debug_info"],
		nil, nil, nil, sections[".debug_str"])
	if err != nil {
		return nil, fmt.Errorf("read DWARF: section .debug_info: %w", err)
	}
	for _, name := range []string{".debug_str_offsets", ".debug_addr", ".debug_line_str", ".debug_rnglists"} {
		if b, ok := sections[name]; ok {
			if err := data.AddSection(name, b); err != nil {
				return nil, fmt.Errorf("read DWARF: section %s: %w", name, err)
			}
		}
	}
	t = &Types{
		data:   data,
		order:  f.ByteOrder,
		named:  map[string][]*die{},
		cache:  map[dwarf.Offset]btf.Type{},
		origin: map[btf.Type]dwarf.Offset{},
		index:  &btf.Int{Name: "__ARRAY_SIZE_TYPE__", Size: 4},
	}
	if err := t.index0(len(sections[".debug_info"])); err != nil {
		return nil, fmt.Errorf("read DWARF: section .debug_info: %w", err)
	}
	return t, nil
}

// symbolValues returns the value of every symbol of f's symbol table, by
// index (0 is the null symbol), or none when f has no symbol table.
// Relocations need nothing else, so for a 64-bit object it reads the
// values from the table's bytes rather than building f.Symbols (names
// and all).
func symbolValues(f *elf.File) ([]uint64, error) {
	if f.Class != elf.ELFCLASS64 {
		syms, err := f.Symbols()
		if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
			return nil, err
		}
		vals := make([]uint64, len(syms)+1)
		for i, s := range syms {
			vals[i+1] = s.Value
		}
		return vals, nil
	}
	var tab *elf.Section
	for _, s := range f.Sections {
		if s.Type == elf.SHT_SYMTAB {
			tab = s
			break
		}
	}
	if tab == nil {
		return nil, nil
	}
	b, err := tab.Data()
	if err != nil {
		return nil, err
	}
	if len(b)%elf.Sym64Size != 0 {
		return nil, fmt.Errorf("size %d is not a multiple of %d", len(b), elf.Sym64Size)
	}
	vals := make([]uint64, len(b)/elf.Sym64Size)
	for i := range vals {
		vals[i] = f.ByteOrder.Uint64(b[i*elf.Sym64Size+8:]) // st_value
	}
	return vals, nil
}

// sectionData returns the contents of s, decompressed, with the relocations
// of its REL or RELA section applied.
func sectionData(f *elf.File, s *elf.Section, syms []uint64) ([]byte, error) {
	if s.Type == elf.SHT_NOBITS {
		return nil, nil
	}
	var b []byte
	if s.Flags&elf.SHF_COMPRESSED == 0 {
		// debug/elf has checked that the section lies within the file:
		// read it into one buffer of its size, which relocate may modify.
		if s.Size > maxSection {
			return nil, fmt.Errorf("larger than %d bytes", maxSection)
		}
		b = make([]byte, s.Size)
		if _, err := io.ReadFull(s.Open(), b); err != nil {
			return nil, err
		}
	} else {
		var err error
		b, err = io.ReadAll(io.LimitReader(s.Open(), maxSection+1))
		if err != nil {
			return nil, err
		}
		if len(b) > maxSection {
			return nil, fmt.Errorf("larger than %d bytes", maxSection)
		}
	}
	for i, rs := range f.Sections {
		if (rs.Type != elf.SHT_REL && rs.Type != elf.SHT_RELA) || int(rs.Info) >= len(f.Sections) || f.Sections[rs.Info] != s || i == 0 {
			continue
		}
		rb, err := rs.Data()
		if err != nil {
			return nil, fmt.Errorf("section %s: %w", rs.Name, err)
		}
		if err := relocate(b, rb, rs.Type == elf.SHT_RELA, f.ByteOrder, syms); err != nil {
			return nil, fmt.Errorf("section %s: %w", rs.Name, err)
		}
	}
	return b, nil
}

// maxStrPad bounds the padding padStrings adds.
const maxStrPad = 16 << 20

// padStrings works around debug/dwarf reading a DWARF 5 compile unit's
// DW_FORM_strx attributes once before it knows the unit's
// DW_AT_str_offsets_base: it then takes the .debug_str_offsets header
// (length, version, padding) for string offsets, and fails when they point
// past .debug_str, as the version does in a big-endian object (0x00050000).
// Strings read on that pass are discarded, so padding .debug_str with zeros
// until those offsets are in range is harmless.
func padStrings(str, strOffsets []byte, order binary.ByteOrder) []byte {
	need := len(str)
	for i := 0; i+4 <= len(strOffsets) && i < 64; i += 4 {
		if v := int(order.Uint32(strOffsets[i:])); v >= need && v < maxStrPad {
			need = v + 1
		}
	}
	if need == len(str) {
		return str
	}
	return append(str, make([]byte, need-len(str))...)
}

// relocate applies the relocations rel (Elf64_Rel or Elf64_Rela entries) to
// b. A BPF object's debug sections use absolute relocations whose addend is
// in place (REL); the value is the symbol's value (its offset within its
// section, 0 for a section symbol) plus that addend.
func relocate(b, rel []byte, rela bool, order binary.ByteOrder, syms []uint64) error {
	entSize := 16
	if rela {
		entSize = 24
	}
	if len(rel)%entSize != 0 {
		return fmt.Errorf("size %d is not a multiple of %d", len(rel), entSize)
	}
	for i := 0; i < len(rel); i += entSize {
		off := order.Uint64(rel[i:])
		info := order.Uint64(rel[i+8:])
		typ, symIdx := uint32(info), info>>32
		var s uint64
		if symIdx != 0 {
			if symIdx >= uint64(len(syms)) {
				return fmt.Errorf("relocation %d: symbol index %d out of range", i/entSize, symIdx)
			}
			s = syms[symIdx]
		}
		var size uint64
		switch typ {
		case rBPFNone:
			continue
		case rBPF64Abs64:
			size = 8
		case rBPF64Abs32, rBPF64Nodyld32:
			size = 4
		default:
			return fmt.Errorf("relocation %d: unsupported type %d", i/entSize, typ)
		}
		if off > uint64(len(b)) || uint64(len(b))-off < size {
			return fmt.Errorf("relocation %d: offset %#x out of range", i/entSize, off)
		}
		if size == 8 {
			a := order.Uint64(b[off:])
			if rela {
				a = order.Uint64(rel[i+16:])
			}
			order.PutUint64(b[off:], s+a)
		} else {
			a := uint64(order.Uint32(b[off:]))
			if rela {
				a = order.Uint64(rel[i+16:])
			}
			order.PutUint32(b[off:], uint32(s+a))
		}
	}
	return nil
}

// index0 reads every entry of infoLen bytes of .debug_info into a tree and
// indexes the named types.
func (t *Types) index0(infoLen int) error {
	r := t.data.Reader()
	// stack holds the indexes in t.dies of the open parents, parent the
	// index of each entry's parent (-1 for none); the children are linked
	// once all are read, into one slice.
	var stack []int32
	// Entries are allocated in blocks, the first one and the slice of
	// them sized from the section's length (clang's BPF DWARF takes 8 to
	// 16 bytes an entry), so that indexing allocates little per entry.
	guess := min(infoLen/6+16, 4096)
	t.dies = make([]*die, 0, guess)
	parent := make([]int32, 0, guess)
	block := make([]die, guess)
	sorted := true
	for n := 0; ; n++ {
		e, err := r.Next()
		if err != nil {
			return err
		}
		if e == nil {
			break
		}
		// Every entry, null entries included, takes at least one byte.
		// debug/dwarf's reader returns null entries forever, without
		// advancing, when a unit ends inside an abbreviation code.
		if n >= infoLen {
			return fmt.Errorf("entry %d: reader does not advance (truncated entry at the end of a unit)", n)
		}
		if e.Tag == 0 {
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if len(block) == 0 {
			block = make([]die, max(len(t.dies)/2, 16))
		}
		d := &block[0]
		block = block[1:]
		d.Entry = e
		if k := len(t.dies); k > 0 && t.dies[k-1].Offset >= e.Offset {
			sorted = false
		}
		p := int32(-1)
		if len(stack) > 0 {
			p = stack[len(stack)-1]
		}
		parent = append(parent, p)
		if e.Children {
			stack = append(stack, int32(len(t.dies)))
		}
		t.dies = append(t.dies, d)
		if k := keyOf(d); k != "" {
			t.named[k] = append(t.named[k], d)
		}
	}
	count := make([]int32, len(t.dies))
	nkids := 0
	for _, p := range parent {
		if p >= 0 {
			count[p]++
			nkids++
		}
	}
	kids := make([]*die, nkids)
	for i, c := range count {
		if c > 0 {
			t.dies[i].kids, kids = kids[:0:c], kids[c:]
		}
	}
	for i, p := range parent {
		if p >= 0 {
			t.dies[p].kids = append(t.dies[p].kids, t.dies[i])
		}
	}
	if !sorted {
		slices.SortStableFunc(t.dies, func(a, b *die) int { return cmp.Compare(a.Offset, b.Offset) })
	}
	return nil
}

// dieAt returns the entry at off, or nil when there is none.
func (t *Types) dieAt(off dwarf.Offset) *die {
	i, ok := slices.BinarySearchFunc(t.dies, off, func(d *die, off dwarf.Offset) int { return cmp.Compare(d.Offset, off) })
	if !ok {
		return nil
	}
	return t.dies[i]
}

// keyOf returns the lookup key of a named struct, union, enum or typedef
// entry, and "" for anything else.
func keyOf(d *die) string {
	name, _ := d.Val(dwarf.AttrName).(string)
	if name == "" {
		return ""
	}
	switch d.Tag {
	case dwarf.TagStructType, dwarf.TagClassType:
		return "struct " + name
	case dwarf.TagUnionType:
		return "union " + name
	case dwarf.TagEnumerationType:
		return "enum " + name
	case dwarf.TagTypedef:
		return "typedef " + name
	}
	return ""
}

// isDecl reports whether d only declares its type.
func isDecl(d *die) bool {
	v, _ := d.Val(dwarf.AttrDeclaration).(bool)
	return v
}

// Names returns the keys of every named type the DWARF defines completely,
// as "struct node", "union u", "enum e" or "typedef t", sorted; Lookup
// accepts these keys. It returns nil when t is nil.
func (t *Types) Names() []string {
	if t == nil {
		return nil
	}
	var out []string
	for k, ds := range t.named {
		for _, d := range ds {
			if !isDecl(d) {
				out = append(out, k)
				break
			}
		}
	}
	sortStrings(out)
	return out
}

// splitKey splits "struct node" into "struct" and "node"; a bare name has
// an empty kind.
func splitKey(name string) (kind, bare string) {
	for _, k := range []string{"struct", "union", "enum", "typedef"} {
		if rest, ok := strings.CutPrefix(name, k+" "); ok {
			return k, strings.TrimSpace(rest)
		}
	}
	return "", name
}

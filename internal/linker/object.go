package linker

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"strings"
)

// byteOrder reads and appends integers in an object's byte order.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// object is one parsed input.
type object struct {
	name  string
	order byteOrder
	class elf.Data
	// secs is indexed by ELF section index; nil for sections the linker
	// does not copy (symbol and string tables, relocations, BTF, ...).
	secs []*inSection
	// syms is the symbol table, indexed by ELF symbol index (0 is the
	// null symbol).
	syms []elf.Symbol
	btf  []byte // raw .BTF, nil if none
	ext  []byte // raw .BTF.ext, nil if none
}

// inSection is a section of an input that goes to the output.
type inSection struct {
	name  string
	typ   elf.SectionType
	flags elf.SectionFlag
	align uint64
	size  uint64
	data  []byte // nil for SHT_NOBITS
	rels  []rel
	out   *outSection
	off   uint64 // offset of this section inside out
	// deduped marks a license or version section with the same contents
	// as the first object's, which stands for it: its symbols and
	// relocations are not linked.
	deduped bool
}

// rel is one REL entry of an input or output section.
type rel struct {
	off uint64
	sym uint32
	typ uint32
}

// BPF relocation types (the ones the linker treats specially).
const (
	rBPF64_64      = 1  // ld_imm64: imm of the first slot
	rBPF64Abs64    = 2  // 8-byte absolute
	rBPF64Abs32    = 3  // 4-byte absolute
	rBPF64NoDyld32 = 4  // 4-byte absolute, not applied at load
	rBPF64_32      = 10 // call: imm in instructions
)

const emBPF = elf.Machine(247)

// isDroppedSection reports whether a section of the given name is not
// copied: the inputs' symbol and string tables are rebuilt, BTF is merged
// separately and address-significance tables mean nothing after linking.
func isDroppedSection(s *elf.Section) bool {
	switch s.Type {
	case elf.SHT_NULL, elf.SHT_SYMTAB, elf.SHT_STRTAB, elf.SHT_REL, elf.SHT_RELA:
		return true
	case elf.SHT_PROGBITS, elf.SHT_NOBITS:
	default:
		return true // .llvm_addrsig and other tool metadata
	}
	return s.Name == ".BTF" || s.Name == ".BTF.ext"
}

// readObject parses one input.
func readObject(in Input) (*object, error) {
	f, err := elf.NewFile(bytes.NewReader(in.Data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Name, err)
	}
	switch {
	case f.Class != elf.ELFCLASS64:
		return nil, fmt.Errorf("%s: not a 64-bit ELF object", in.Name)
	case f.Machine != emBPF:
		return nil, fmt.Errorf("%s: machine %v, want BPF", in.Name, f.Machine)
	case f.Type != elf.ET_REL:
		return nil, fmt.Errorf("%s: ELF type %v, want a relocatable object", in.Name, f.Type)
	}
	o := &object{name: in.Name, order: binary.LittleEndian, class: f.Data, secs: make([]*inSection, len(f.Sections))}
	if f.Data == elf.ELFDATA2MSB {
		o.order = binary.BigEndian
	}
	syms, err := f.Symbols()
	if err != nil && err != elf.ErrNoSymbols {
		return nil, fmt.Errorf("%s: symbol table: %w", in.Name, err)
	}
	o.syms = append([]elf.Symbol{{}}, syms...)
	for i, s := range f.Sections {
		switch s.Name {
		case ".BTF", ".BTF.ext":
			data, err := s.Data()
			if err != nil {
				return nil, fmt.Errorf("%s: section %s: %w", in.Name, s.Name, err)
			}
			if s.Name == ".BTF" {
				o.btf = data
			} else {
				o.ext = data
			}
			continue
		}
		if isDroppedSection(s) || strings.HasPrefix(s.Name, ".rel.BTF") {
			continue
		}
		is := &inSection{name: s.Name, typ: s.Type, flags: s.Flags, align: max(s.Addralign, 1), size: s.Size}
		if s.Type != elf.SHT_NOBITS {
			if is.data, err = s.Data(); err != nil {
				return nil, fmt.Errorf("%s: section %s: %w", in.Name, s.Name, err)
			}
		}
		o.secs[i] = is
	}
	for _, s := range f.Sections {
		if s.Type == elf.SHT_RELA {
			return nil, fmt.Errorf("%s: section %s: RELA relocations are not used by BPF", in.Name, s.Name)
		}
		if s.Type != elf.SHT_REL {
			continue
		}
		if int(s.Info) >= len(o.secs) {
			return nil, fmt.Errorf("%s: section %s: relocates section %d, which does not exist", in.Name, s.Name, s.Info)
		}
		target := o.secs[s.Info]
		if target == nil {
			continue // relocations of BTF, DWARF-less metadata and the like
		}
		data, err := s.Data()
		if err != nil {
			return nil, fmt.Errorf("%s: section %s: %w", in.Name, s.Name, err)
		}
		if len(data)%16 != 0 {
			return nil, fmt.Errorf("%s: section %s: size %d is not a multiple of 16", in.Name, s.Name, len(data))
		}
		for p := 0; p < len(data); p += 16 {
			info := o.order.Uint64(data[p+8:])
			r := rel{off: o.order.Uint64(data[p:]), sym: uint32(info >> 32), typ: uint32(info)}
			if int(r.sym) >= len(o.syms) {
				return nil, fmt.Errorf("%s: section %s: relocation at %#x uses symbol %d of %d", in.Name, s.Name, r.off, r.sym, len(o.syms))
			}
			if r.off+relWidth(r.typ) > target.size {
				return nil, fmt.Errorf("%s: section %s: relocation at %#x outside %s", in.Name, s.Name, r.off, target.name)
			}
			target.rels = append(target.rels, r)
		}
	}
	for i, sym := range o.syms[1:] {
		if sym.Section < elf.SHN_LORESERVE && int(sym.Section) >= len(o.secs) {
			return nil, fmt.Errorf("%s: symbol %d %q: section %d does not exist", in.Name, i+1, sym.Name, sym.Section)
		}
	}
	return o, nil
}

// relWidth is how many bytes from a relocation's offset its type touches.
func relWidth(typ uint32) uint64 {
	switch typ {
	case rBPF64_64:
		return 16
	case rBPF64Abs64, rBPF64_32:
		return 8
	default:
		return 4
	}
}

// section returns the copied section sym is defined in, or nil (also
// for a deduplicated section, whose symbols are not linked).
func (o *object) section(sym elf.Symbol) *inSection {
	if is := o.sectionOf(sym); is != nil && !is.deduped {
		return is
	}
	return nil
}

// sectionOf returns the section sym is defined in, deduplicated or not,
// or nil.
func (o *object) sectionOf(sym elf.Symbol) *inSection {
	if sym.Section == elf.SHN_UNDEF || sym.Section >= elf.SHN_LORESERVE {
		return nil
	}
	return o.secs[sym.Section]
}

// inDeduped reports whether sym is defined in a deduplicated section.
func (o *object) inDeduped(sym elf.Symbol) bool {
	is := o.sectionOf(sym)
	return is != nil && is.deduped
}

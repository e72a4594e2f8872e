package linker

import (
	"bytes"
	"debug/elf"
	"fmt"
)

// outSection is a section of the output: the concatenation of the input
// sections of its name, each at its own alignment, in input order.
type outSection struct {
	name   string
	typ    elf.SectionType
	flags  elf.SectionFlag
	align  uint64
	size   uint64
	data   []byte // nil while every part is SHT_NOBITS
	parts  []*inSection
	rels   []rel
	secSym bool // an input has a section symbol for it
	index  int  // ELF section index in the output
	symIdx uint32
}

func (s *outSection) exec() bool { return s.flags&elf.SHF_EXECINSTR != 0 }

// layoutSections assigns every copied input section its place in an output
// section, creating output sections in order of first appearance. The
// license and version sections are not concatenated: each object may have
// them, with the same contents, and the first object's stands for all.
func layoutSections(objs []*object) ([]*outSection, error) {
	var outs []*outSection
	byName := map[string]*outSection{}
	firstObj := map[*outSection]*object{}
	for _, o := range objs {
		for _, is := range o.secs {
			if is == nil {
				continue
			}
			out := byName[is.name]
			if out == nil {
				out = &outSection{name: is.name, typ: is.typ, flags: is.flags &^ (elf.SHF_MERGE | elf.SHF_STRINGS), align: 1}
				byName[is.name] = out
				firstObj[out] = o
				outs = append(outs, out)
			} else if isDedupedSection(is.name) {
				first := out.parts[0]
				if !sameContents(first, is) {
					fo := firstObj[out]
					return nil, fmt.Errorf("section %s: %s in %s but %s in %s", is.name, sectionValue(fo, first), fo.name, sectionValue(o, is), o.name)
				}
				is.deduped, is.out, is.off = true, out, first.off
				continue
			}
			if out.exec() != (is.flags&elf.SHF_EXECINSTR != 0) {
				return nil, fmt.Errorf("%s: section %s: holds code in one object and data in another", o.name, is.name)
			}
			if is.flags&elf.SHF_EXECINSTR != 0 && is.size%8 != 0 {
				return nil, fmt.Errorf("%s: section %s: size %d is not a multiple of an instruction", o.name, is.name, is.size)
			}
			// Merging of constants and strings is not done: the output
			// section is plain data.
			out.flags |= is.flags &^ (elf.SHF_MERGE | elf.SHF_STRINGS)
			if is.align > maxAlign || is.size > maxSection {
				return nil, fmt.Errorf("%s: section %s: size %d or alignment %d too large", o.name, is.name, is.size, is.align)
			}
			out.align = max(out.align, is.align)
			is.off = alignUp(out.size, is.align)
			out.size = is.off + is.size
			if out.size > maxSection {
				return nil, fmt.Errorf("%s: section %s: merged size %d too large", o.name, is.name, out.size)
			}
			is.out = out
			out.parts = append(out.parts, is)
			if is.typ != elf.SHT_NOBITS {
				out.typ = elf.SHT_PROGBITS
			}
		}
	}
	for _, out := range outs {
		if out.typ == elf.SHT_NOBITS {
			continue
		}
		if out.size > maxZeroFill {
			return nil, fmt.Errorf("section %s: %d bytes of data and zeros to write", out.name, out.size)
		}
		out.data = make([]byte, out.size)
		for _, is := range out.parts {
			copy(out.data[is.off:], is.data)
		}
	}
	return outs, nil
}

// isDedupedSection reports whether the sections of a name are kept once
// when their contents are the same in every object, rather than
// concatenated: the program license and the (legacy) kernel version,
// which each C file of a program may define.
func isDedupedSection(name string) bool {
	return name == "license" || name == "version"
}

// sameContents reports whether two sections hold the same bytes.
func sameContents(a, b *inSection) bool {
	if a.size != b.size || (a.typ == elf.SHT_NOBITS) != (b.typ == elf.SHT_NOBITS) {
		return false
	}
	return bytes.Equal(a.data, b.data)
}

// sectionValue describes the contents of a license or version section
// for an error: the license string, or the version number.
func sectionValue(o *object, is *inSection) string {
	switch {
	case is.typ == elf.SHT_NOBITS:
		return fmt.Sprintf("%d zero bytes", is.size)
	case is.name == "version" && len(is.data) == 4:
		return fmt.Sprint(o.order.Uint32(is.data))
	}
	s := string(bytes.TrimSuffix(is.data, []byte{0}))
	if len(s) > 64 {
		return fmt.Sprintf("%q...", s[:64])
	}
	return fmt.Sprintf("%q", s)
}

// Limits on sections: offsets into a section must fit the 32 bits of BTF
// and instructions; a section whose parts mix data and SHT_NOBITS zeros is
// written out whole, so its size is bounded to keep memory use sane.
const (
	maxSection  = 1<<32 - 1
	maxAlign    = 1 << 16
	maxZeroFill = 1 << 28
)

func alignUp(n, a uint64) uint64 {
	if a <= 1 {
		return n
	}
	return (n + a - 1) / a * a
}

// relocate copies every input relocation to its output section, pointing
// it at the output symbol table (symMap[object][input symbol]) and, for a
// relocation against a section symbol, adding the referenced section's new
// offset to the addend kept in place (REL keeps addends in the data). A
// relocation against a symbol of a deduplicated section (DWARF describing
// an object's license variable) points at the same place in the first
// object's identical section, through its section symbol.
func relocate(objs []*object, symMap [][]uint32) error {
	for oi, o := range objs {
		for _, is := range o.secs {
			if is == nil || is.deduped {
				continue
			}
			out := is.out
			for _, r := range is.rels {
				sym := o.syms[r.sym]
				nr := rel{off: is.off + r.off, sym: symMap[oi][r.sym], typ: r.typ}
				var target *inSection
				switch {
				case o.inDeduped(sym):
					target = o.sectionOf(sym)
					nr.sym = target.out.symIdx
				case elf.ST_TYPE(sym.Info) == elf.STT_SECTION:
					if target = o.section(sym); target == nil {
						return fmt.Errorf("%s: section %s: relocation at %#x against a section that is not linked", o.name, is.name, r.off)
					}
				}
				if r.sym != 0 && nr.sym == 0 {
					return fmt.Errorf("%s: section %s: relocation at %#x against symbol %q, which is not linked", o.name, is.name, r.off, sym.Name)
				}
				if target != nil {
					delta := target.off
					if elf.ST_TYPE(sym.Info) != elf.STT_SECTION {
						delta += sym.Value
					}
					if err := addAddend(out, nr, delta, o.order); err != nil {
						return fmt.Errorf("%s: section %s: %w", o.name, is.name, err)
					}
				}
				out.rels = append(out.rels, nr)
			}
		}
	}
	return nil
}

// addAddend adds delta to the in-place addend of r in out.
func addAddend(out *outSection, r rel, delta uint64, order byteOrder) error {
	if delta == 0 {
		return nil
	}
	if out.data == nil {
		return fmt.Errorf("relocation at %#x in a section without data", r.off)
	}
	d := out.data[r.off:]
	if out.exec() {
		// The addend of an instruction is its imm: a byte offset for
		// ld_imm64, an instruction count for a call.
		imm := int64(int32(order.Uint32(d[4:])))
		if d[0] == 0x85 { // BPF_JMP | BPF_CALL
			imm += int64(delta / 8)
		} else {
			imm += int64(delta)
		}
		if imm != int64(int32(imm)) {
			return fmt.Errorf("relocation at %#x: offset %d does not fit an instruction", r.off, imm)
		}
		order.PutUint32(d[4:], uint32(int32(imm)))
		return nil
	}
	switch r.typ {
	case rBPF64Abs64:
		order.PutUint64(d, order.Uint64(d)+delta)
	case rBPF64Abs32, rBPF64NoDyld32:
		v := uint64(order.Uint32(d)) + delta
		if v > 0xffffffff {
			return fmt.Errorf("relocation at %#x: offset %d does not fit 32 bits", r.off, v)
		}
		order.PutUint32(d, uint32(v))
	default:
		return fmt.Errorf("relocation at %#x: type %d against a section symbol in data", r.off, r.typ)
	}
	return nil
}

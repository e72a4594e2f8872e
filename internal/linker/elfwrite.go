package linker

import (
	"debug/elf"
)

// elfSection is a section of the file being written.
type elfSection struct {
	name                string
	typ                 elf.SectionType
	flags               elf.SectionFlag
	link, info          uint32
	align, entsize      uint64
	size                uint64
	data                []byte // nil for SHT_NOBITS
	nameOff, fileOffset uint64
}

// writeELF returns the output object: .strtab, .symtab, the merged
// sections, their relocations, then .BTF and .BTF.ext when present.
func writeELF(order byteOrder, class elf.Data, outs []*outSection, st *symbols, btfData, extData []byte) []byte {
	strs := newStrtab()
	secs := []*elfSection{{}, {name: ".strtab", typ: elf.SHT_STRTAB, align: 1}, {name: ".symtab", typ: elf.SHT_SYMTAB, link: 1, align: 8, entsize: 24}}
	for _, out := range outs {
		out.index = len(secs)
		secs = append(secs, &elfSection{name: out.name, typ: out.typ, flags: out.flags, align: out.align, size: out.size, data: out.data})
	}
	for _, out := range outs {
		if len(out.rels) == 0 {
			continue
		}
		var b []byte
		for _, r := range out.rels {
			b = order.AppendUint64(b, r.off)
			b = order.AppendUint64(b, uint64(r.sym)<<32|uint64(r.typ))
		}
		secs = append(secs, &elfSection{name: ".rel" + out.name, typ: elf.SHT_REL, flags: elf.SHF_INFO_LINK,
			link: 2, info: uint32(out.index), align: 8, entsize: 16, size: uint64(len(b)), data: b})
	}
	if btfData != nil {
		secs = append(secs, &elfSection{name: ".BTF", typ: elf.SHT_PROGBITS, align: 4, size: uint64(len(btfData)), data: btfData})
	}
	if extData != nil {
		secs = append(secs, &elfSection{name: ".BTF.ext", typ: elf.SHT_PROGBITS, align: 4, size: uint64(len(extData)), data: extData})
	}
	for _, s := range secs[1:] {
		s.nameOff = uint64(strs.add(s.name))
	}

	var symtab []byte
	for _, s := range st.table {
		shndx := uint16(s.shndx)
		if s.sec != nil {
			shndx = uint16(s.sec.index)
		}
		var name uint32
		if s.name != "" && s.typ() != elf.STT_SECTION {
			name = strs.add(s.name)
		}
		symtab = order.AppendUint32(symtab, name)
		symtab = append(symtab, s.info, s.other)
		symtab = order.AppendUint16(symtab, shndx)
		symtab = order.AppendUint64(symtab, s.value)
		symtab = order.AppendUint64(symtab, s.size)
	}
	secs[2].data, secs[2].size, secs[2].info = symtab, uint64(len(symtab)), uint32(st.firstGlobal)
	secs[1].data, secs[1].size = strs.data, uint64(len(strs.data))

	const ehdrSize, shdrSize = 64, 64
	off := uint64(ehdrSize)
	for _, s := range secs[1:] {
		off = alignUp(off, s.align)
		s.fileOffset = off
		if s.typ != elf.SHT_NOBITS {
			off += s.size
		}
	}
	shoff := alignUp(off, 8)

	b := make([]byte, 0, shoff+uint64(len(secs))*shdrSize)
	b = append(b, 0x7f, 'E', 'L', 'F', byte(elf.ELFCLASS64), byte(class), byte(elf.EV_CURRENT), byte(elf.ELFOSABI_NONE))
	b = append(b, make([]byte, 8)...)
	b = order.AppendUint16(b, uint16(elf.ET_REL))
	b = order.AppendUint16(b, uint16(emBPF))
	b = order.AppendUint32(b, uint32(elf.EV_CURRENT))
	b = order.AppendUint64(b, 0) // entry
	b = order.AppendUint64(b, 0) // program headers
	b = order.AppendUint64(b, shoff)
	b = order.AppendUint32(b, 0) // flags
	b = order.AppendUint16(b, ehdrSize)
	b = order.AppendUint16(b, 0) // program header entry size
	b = order.AppendUint16(b, 0) // program headers
	b = order.AppendUint16(b, shdrSize)
	b = order.AppendUint16(b, uint16(len(secs)))
	b = order.AppendUint16(b, 1) // .strtab holds the section names too
	for _, s := range secs[1:] {
		if s.typ == elf.SHT_NOBITS {
			continue
		}
		b = append(b, make([]byte, s.fileOffset-uint64(len(b)))...)
		b = append(b, s.data...)
	}
	b = append(b, make([]byte, shoff-uint64(len(b)))...)
	for _, s := range secs {
		b = order.AppendUint32(b, uint32(s.nameOff))
		b = order.AppendUint32(b, uint32(s.typ))
		b = order.AppendUint64(b, uint64(s.flags))
		b = order.AppendUint64(b, 0) // address
		b = order.AppendUint64(b, s.fileOffset)
		b = order.AppendUint64(b, s.size)
		b = order.AppendUint32(b, s.link)
		b = order.AppendUint32(b, s.info)
		b = order.AppendUint64(b, s.align)
		b = order.AppendUint64(b, s.entsize)
	}
	return b
}

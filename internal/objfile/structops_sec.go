package objfile

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"slices"
)

// structOpsLinkSec is the only struct_ops section cilium/ebpf v0.22 reads;
// it rejects the older .struct_ops (maps registered when their value is
// written, without a link).
const (
	structOpsSec     = ".struct_ops"
	structOpsLinkSec = ".struct_ops.link"
	flagLink         = 1 << 13 // BPF_F_LINK
)

// renameStructOps returns a copy of obj in which the section .struct_ops
// and its BTF Datasec are named .struct_ops.link, so that cilium/ebpf
// parses its maps; Parse then clears the BPF_F_LINK flag cilium/ebpf gives
// them. The names differ in length, so the copy carries a new section name
// table and a new .BTF, appended at its end, with the section headers
// pointing at them. ok is false when obj has no .struct_ops section.
func renameStructOps(obj []byte, f *elf.File) (out []byte, ok bool, err error) {
	sec := f.Section(structOpsSec)
	if sec == nil {
		return obj, false, nil
	}
	if f.Section(structOpsLinkSec) != nil {
		return nil, false, fmt.Errorf("sections %s and %s: both in one object: not supported", structOpsSec, structOpsLinkSec)
	}
	if f.Class != elf.ELFCLASS64 || len(obj) < 64 {
		return nil, false, fmt.Errorf("section %s: not a 64-bit ELF object", structOpsSec)
	}
	bo := f.ByteOrder
	shoff := bo.Uint64(obj[0x28:])
	shentsize := uint64(bo.Uint16(obj[0x3a:]))
	shstrndx := int(bo.Uint16(obj[0x3e:]))
	if shstrndx >= len(f.Sections) || shentsize < 64 || shoff > uint64(len(obj)) || uint64(len(f.Sections))*shentsize > uint64(len(obj))-shoff {
		return nil, false, fmt.Errorf("section %s: bad section header table", structOpsSec)
	}
	header := func(i int) []byte { return out[shoff+uint64(i)*shentsize:][:64] }
	secIdx := slices.Index(f.Sections, sec)
	btfSec := f.Section(".BTF")

	out = slices.Clone(obj)
	// The section name table, with the new name at its end.
	names, err := sectionBytes(obj, f.Sections[shstrndx])
	if err != nil {
		return nil, false, fmt.Errorf("section name table: %w", err)
	}
	newNames := append(slices.Clip(names), append([]byte(structOpsLinkSec), 0)...)
	nameOff := uint32(len(names))
	out = appendAligned(out, newNames, 8)
	h := header(shstrndx)
	bo.PutUint64(h[0x18:], uint64(len(out)-len(newNames))) // sh_offset
	bo.PutUint64(h[0x20:], uint64(len(newNames)))          // sh_size
	bo.PutUint32(header(secIdx)[0:], nameOff)              // sh_name

	if btfSec == nil || btfSec.Type == elf.SHT_NOBITS {
		return out, true, nil
	}
	raw, err := sectionBytes(obj, btfSec)
	if err != nil {
		return nil, false, err
	}
	newBTF, err := renameDatasec(raw, bo, structOpsSec, structOpsLinkSec)
	if err != nil {
		return nil, false, fmt.Errorf(".BTF: %w", err)
	}
	out = appendAligned(out, newBTF, 8)
	h = header(slices.Index(f.Sections, btfSec))
	bo.PutUint64(h[0x18:], uint64(len(out)-len(newBTF)))
	bo.PutUint64(h[0x20:], uint64(len(newBTF)))
	return out, true, nil
}

func appendAligned(b, data []byte, align int) []byte {
	for len(b)%align != 0 {
		b = append(b, 0)
	}
	return append(b, data...)
}

// renameDatasec returns a copy of raw BTF whose Datasec named old is named
// new, a string appended to the string section (which must end the BTF).
func renameDatasec(raw []byte, bo binary.ByteOrder, old, new string) ([]byte, error) {
	if len(raw) < 24 || bo.Uint16(raw) != 0xeb9f {
		return nil, fmt.Errorf("bad header")
	}
	hdrLen := uint64(bo.Uint32(raw[4:]))
	typeOff, typeLen := uint64(bo.Uint32(raw[8:])), uint64(bo.Uint32(raw[12:]))
	strOff, strLen := uint64(bo.Uint32(raw[16:])), uint64(bo.Uint32(raw[20:]))
	if hdrLen < 24 || hdrLen+typeOff+typeLen > uint64(len(raw)) || hdrLen+strOff+strLen != uint64(len(raw)) {
		return nil, fmt.Errorf("layout not supported (strings must end it)")
	}
	strs := raw[hdrLen+strOff:]
	name := func(off uint32) string {
		if uint64(off) >= uint64(len(strs)) {
			return ""
		}
		s := strs[off:]
		if i := bytes.IndexByte(s, 0); i >= 0 {
			s = s[:i]
		}
		return string(s)
	}
	out := append(slices.Clone(raw), append([]byte(new), 0)...)
	bo.PutUint32(out[20:], uint32(strLen)+uint32(len(new))+1)
	types := out[hdrLen+typeOff : hdrLen+typeOff+typeLen]
	found := false
	err := walkBTF(types, bo, func(_ uint32, rec []byte, kind uint32, _ uint64) {
		if kind == btfKindDatasec && name(bo.Uint32(rec)) == old {
			bo.PutUint32(rec, uint32(strLen))
			found = true
		}
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("no Datasec %s", old)
	}
	return out, nil
}

// BTF kinds this package looks at.
const (
	btfKindConst    = 10
	btfKindVolatile = 9
	btfKindFunc     = 12
	btfKindVar      = 14
	btfKindDatasec  = 15
)

// walkBTF calls fn for each type record of the raw BTF type section types,
// with its type ID (from 1), the record (header and the data after it),
// its kind and vlen.
func walkBTF(types []byte, bo binary.ByteOrder, fn func(id uint32, rec []byte, kind uint32, vlen uint64)) error {
	id := uint32(1)
	for p := uint64(0); p+12 <= uint64(len(types)); id++ {
		info := bo.Uint32(types[p+4:])
		kind, vlen := (info>>24)&0x1f, uint64(info&0xffff)
		n := uint64(12)
		switch kind {
		case 1, 14, 17: // INT, VAR, DECL_TAG
			n += 4
		case 3: // ARRAY
			n += 12
		case 4, 5, 15, 19: // STRUCT, UNION, DATASEC, ENUM64
			n += 12 * vlen
		case 6, 13: // ENUM, FUNC_PROTO
			n += 8 * vlen
		case 2, 7, 8, 9, 10, 11, 12, 16, 18:
		default:
			return fmt.Errorf("type %d: kind %d not known", id, kind)
		}
		if p+n > uint64(len(types)) {
			return fmt.Errorf("type %d: truncated", id)
		}
		fn(id, types[p:p+n], kind, vlen)
		p += n
	}
	return nil
}

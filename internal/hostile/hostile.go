// Package hostile builds BPF objects with hostile names, for tests: it
// renames a symbol, a section or a BTF name of a real object to any bytes
// (newlines, comment ends, directives, invalid UTF-8, very long names),
// which no compiler would write but an attacker can.
package hostile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Where selects the string tables Rename edits.
type Where int

const (
	// Symbols renames ELF symbols (.strtab through .symtab).
	Symbols Where = 1 << iota
	// Sections renames ELF sections (.shstrtab), and their relocation
	// sections ".rel"+name alike.
	Sections
	// BTF renames BTF names: types, members, variables, functions,
	// sections (DATASEC), enum constants, parameters.
	BTF
)

var le = binary.LittleEndian

// Rename returns a copy of obj, a little-endian ELF64 object, in which
// every use of the name old in the tables where selects is the name
// neu instead. It fails when old is not found in any of them. The edited
// tables are moved to the end of the file; nothing else moves, so
// offsets into other sections (.BTF.ext into .BTF's strings) stay valid.
func Rename(obj []byte, old, neu string, where Where) ([]byte, error) {
	if len(obj) < 64 || string(obj[:4]) != "\x7fELF" || obj[4] != 2 || obj[5] != 1 {
		return nil, errors.New("not a little-endian ELF64 file")
	}
	e := &elfFile{data: bytes.Clone(obj)}
	shoff := le.Uint64(e.data[0x28:])
	shnum := int(le.Uint16(e.data[0x3c:]))
	shstrndx := int(le.Uint16(e.data[0x3e:]))
	if shoff+uint64(shnum)*64 > uint64(len(e.data)) || shstrndx >= shnum {
		return nil, errors.New("bad section headers")
	}
	for i := range shnum {
		e.headers = append(e.headers, e.data[shoff+uint64(i)*64:shoff+uint64(i+1)*64])
	}
	found := false
	if where&Sections != 0 {
		n, err := e.renameSections(shstrndx, old, neu)
		if err != nil {
			return nil, err
		}
		found = found || n > 0
	}
	if where&Symbols != 0 {
		n, err := e.renameSymbols(old, neu)
		if err != nil {
			return nil, err
		}
		found = found || n > 0
	}
	if where&BTF != 0 {
		n, err := e.renameBTF(shstrndx, old, neu)
		if err != nil {
			return nil, err
		}
		found = found || n > 0
	}
	if !found {
		return nil, fmt.Errorf("name %q not found", old)
	}
	return e.data, nil
}

type elfFile struct {
	data    []byte
	headers [][]byte // section headers, aliasing data (until data grows)
}

func (e *elfFile) contents(i int) []byte {
	h := e.headers[i]
	off, size := le.Uint64(h[0x18:]), le.Uint64(h[0x20:])
	return e.data[off : off+size]
}

// replace puts new contents for section i at the end of the file.
func (e *elfFile) replace(i int, contents []byte) {
	for len(e.data)%8 != 0 {
		e.data = append(e.data, 0)
	}
	off := len(e.data)
	shoff := le.Uint64(e.data[0x28:])
	e.data = append(e.data, contents...)
	// data may have moved: re-slice the headers.
	for j := range e.headers {
		e.headers[j] = e.data[shoff+uint64(j)*64 : shoff+uint64(j+1)*64]
	}
	le.PutUint64(e.headers[i][0x18:], uint64(off))
	le.PutUint64(e.headers[i][0x20:], uint64(len(contents)))
}

// cstring is the NUL-terminated string at off in table.
func cstring(table []byte, off uint32) string {
	if int(off) >= len(table) {
		return ""
	}
	s := table[off:]
	if n := bytes.IndexByte(s, 0); n >= 0 {
		s = s[:n]
	}
	return string(s)
}

// appendString adds s to a string table and returns its offset.
func appendString(table []byte, s string) ([]byte, uint32) {
	off := uint32(len(table))
	table = append(bytes.Clone(table), s...)
	return append(table, 0), off
}

func (e *elfFile) sectionName(shstrndx, i int) string {
	return cstring(e.contents(shstrndx), le.Uint32(e.headers[i]))
}

func (e *elfFile) renameSections(shstrndx int, old, neu string) (int, error) {
	table := e.contents(shstrndx)
	table, off := appendString(table, neu)
	table, relOff := appendString(table, ".rel"+neu)
	n := 0
	var renamed []int
	for i := range e.headers {
		switch e.sectionName(shstrndx, i) {
		case old:
			renamed = append(renamed, i)
			n++
		case ".rel" + old:
			renamed = append(renamed, -i-1)
		}
	}
	if n == 0 {
		return 0, nil
	}
	for _, i := range renamed {
		if i >= 0 {
			le.PutUint32(e.headers[i], off)
		} else {
			le.PutUint32(e.headers[-i-1], relOff)
		}
	}
	e.replace(shstrndx, table)
	return n, nil
}

func (e *elfFile) renameSymbols(old, neu string) (int, error) {
	for i, h := range e.headers {
		if le.Uint32(h[4:]) != 2 { // SHT_SYMTAB
			continue
		}
		strndx := int(le.Uint32(h[0x28:]))
		if strndx >= len(e.headers) {
			return 0, errors.New("bad .symtab link")
		}
		table, off := appendString(e.contents(strndx), neu)
		syms := e.contents(i)
		n := 0
		strtab := e.contents(strndx)
		for s := 0; s+24 <= len(syms); s += 24 {
			if cstring(strtab, le.Uint32(syms[s:])) == old {
				le.PutUint32(syms[s:], off)
				n++
			}
		}
		if n > 0 {
			e.replace(strndx, table)
		}
		return n, nil
	}
	return 0, nil
}

// BTF kinds whose records have extra data, and its size.
const (
	kindInt, kindArray, kindStruct, kindUnion, kindEnum = 1, 3, 4, 5, 6
	kindFuncProto, kindVar, kindDatasec, kindDeclTag    = 13, 14, 15, 17
	kindEnum64                                          = 19
)

func (e *elfFile) renameBTF(shstrndx int, old, neu string) (int, error) {
	idx := -1
	for i := range e.headers {
		if e.sectionName(shstrndx, i) == ".BTF" {
			idx = i
		}
	}
	if idx < 0 {
		return 0, errors.New("no .BTF section")
	}
	btf := e.contents(idx)
	if len(btf) < 24 || le.Uint16(btf) != 0xeb9f {
		return 0, errors.New("not little-endian BTF")
	}
	hdrLen := le.Uint32(btf[4:])
	typeOff, typeLen := hdrLen+le.Uint32(btf[8:]), le.Uint32(btf[12:])
	strOff, strLen := hdrLen+le.Uint32(btf[16:]), le.Uint32(btf[20:])
	if uint64(typeOff)+uint64(typeLen) > uint64(len(btf)) || uint64(strOff)+uint64(strLen) > uint64(len(btf)) {
		return 0, errors.New("bad BTF header")
	}
	types := bytes.Clone(btf[typeOff : typeOff+typeLen])
	strs := btf[strOff : strOff+strLen]
	strs, off := appendString(strs, neu)
	n := 0
	patch := func(at int) {
		if cstring(strs, le.Uint32(types[at:])) == old {
			le.PutUint32(types[at:], off)
			n++
		}
	}
	for p := 0; p+12 <= len(types); {
		info := le.Uint32(types[p+4:])
		kind, vlen := (info>>24)&0x1f, int(info&0xffff)
		patch(p)
		p += 12
		member, members := 0, 0
		switch kind {
		case kindInt, kindVar, kindDeclTag:
			p += 4
		case kindArray:
			p += 12
		case kindStruct, kindUnion, kindEnum64:
			member, members = 12, vlen
		case kindEnum, kindFuncProto:
			member, members = 8, vlen
		case kindDatasec:
			p += 12 * vlen
		}
		for range members {
			if p+member > len(types) {
				return 0, errors.New("truncated BTF")
			}
			patch(p)
			p += member
		}
	}
	if n == 0 {
		return 0, nil
	}
	// Header, types, then the strings with the new one appended.
	out := bytes.Clone(btf[:hdrLen])
	le.PutUint32(out[8:], 0)
	le.PutUint32(out[12:], uint32(len(types)))
	le.PutUint32(out[16:], uint32(len(types)))
	le.PutUint32(out[20:], uint32(len(strs)))
	out = append(out, types...)
	out = append(out, strs...)
	if typeOff > strOff {
		return 0, errors.New("BTF strings before types: not supported")
	}
	e.replace(idx, out)
	return n, nil
}

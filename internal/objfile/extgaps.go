package objfile

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// alignExtInfo works around how cilium/ebpf ties .BTF.ext records to
// instructions. It splits each code section at its function symbols and
// counts only the instructions that symbols cover, expecting records at
// those counts; the records hold real section offsets. Both agree unless
// code lies outside every symbol, which linking leaves behind where a weak
// function or program lost to another object's (libbpf's linker and
// bpfskel's alike). Then every later record of the section lands on the
// wrong instruction: a function record on another function, a CO-RE
// relocation on the wrong load. alignExtInfo returns obj with the records
// of such sections renumbered the way cilium/ebpf counts and those of
// uncovered code dropped, or obj itself when no code section has a gap.
// orig is the ELF obj was made from: its code sections and symbols are
// obj's; syms are orig's symbols.
func alignExtInfo(obj []byte, orig *elf.File, syms []elf.Symbol) ([]byte, error) {
	f := orig
	// raw[section name] maps a byte offset of the section to cilium's.
	raw := map[string]func(uint32) (uint32, bool){}
	for idx, s := range f.Sections {
		if s.Type != elf.SHT_PROGBITS || s.Flags&elf.SHF_EXECINSTR == 0 || s.Size == 0 {
			continue
		}
		// The symbols cilium/ebpf splits the section at, by offset (the
		// last of one offset wins, as there).
		byOff := map[uint64]elf.Symbol{}
		for _, sym := range syms {
			typ, bind := elf.ST_TYPE(sym.Info), elf.ST_BIND(sym.Info)
			if int(sym.Section) != idx || sym.Name == "" || (typ != elf.STT_FUNC && typ != elf.STT_NOTYPE) || (typ == elf.STT_NOTYPE && bind == elf.STB_LOCAL) {
				continue
			}
			byOff[sym.Value] = sym
		}
		offs := slices.Sorted(func(yield func(uint64) bool) {
			for o := range byOff {
				if !yield(o) {
					return
				}
			}
		})
		gap := false
		end := uint64(0)
		for _, o := range offs {
			if o < end {
				return obj, nil // overlapping symbols: leave the object alone
			}
			gap = gap || o > end
			end = o + byOff[o].Size
		}
		if !gap && end == s.Size {
			continue
		}
		starts := make([]uint64, len(offs))
		var sum uint64
		for i, o := range offs {
			starts[i] = sum
			sum += byOff[o].Size
		}
		raw[s.Name] = func(off uint32) (uint32, bool) {
			i, found := slices.BinarySearch(offs, uint64(off))
			if !found {
				i--
			}
			if i < 0 || uint64(off) >= offs[i]+byOff[offs[i]].Size {
				return 0, false
			}
			return uint32(starts[i] + uint64(off) - offs[i]), true
		}
	}
	if len(raw) == 0 {
		return obj, nil
	}
	f, err := elf.NewFile(bytes.NewReader(obj)) // where .BTF and .BTF.ext are now
	if err != nil {
		return nil, err
	}
	btfSec, extSec := f.Section(".BTF"), f.Section(".BTF.ext")
	if btfSec == nil || extSec == nil || btfSec.Type == elf.SHT_NOBITS || extSec.Type == elf.SHT_NOBITS {
		return obj, nil
	}
	var order extOrder = binary.LittleEndian
	if f.Data == elf.ELFDATA2MSB {
		order = binary.BigEndian
	}
	btf, err := btfSec.Data()
	if err != nil {
		return nil, err
	}
	if len(btf) < 24 {
		return nil, errors.New(".BTF: header truncated")
	}
	strStart := uint64(order.Uint32(btf[4:])) + uint64(order.Uint32(btf[16:]))
	strEnd := strStart + uint64(order.Uint32(btf[20:]))
	if strEnd > uint64(len(btf)) {
		return nil, errors.New(".BTF: strings outside the section")
	}
	strs := btf[strStart:strEnd]
	ext, err := extSec.Data()
	if err != nil {
		return nil, err
	}
	out, err := rebuildExt(ext, order, strs, raw)
	if err != nil {
		return nil, fmt.Errorf(".BTF.ext: %w", err)
	}
	if uint64(len(out)) > extSec.Size || extSec.Offset+extSec.Size > uint64(len(obj)) {
		return nil, errors.New(".BTF.ext: grew while dropping records")
	}
	fixed := bytes.Clone(obj)
	dst := fixed[extSec.Offset : extSec.Offset+extSec.Size]
	clear(dst[copy(dst, out):])
	return fixed, nil
}

// extOrder reads and appends integers in the object's byte order.
type extOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// rebuildExt returns ext with the func, line and CO-RE records of the
// sections in raw renumbered by it (records it has no number for are
// dropped), in the same layout; the result is never longer.
func rebuildExt(ext []byte, order extOrder, strs []byte, raw map[string]func(uint32) (uint32, bool)) ([]byte, error) {
	if len(ext) < 24 {
		return nil, errors.New("header truncated")
	}
	hdrLen := order.Uint32(ext[4:])
	if hdrLen < 24 || uint64(hdrLen) > uint64(len(ext)) {
		return nil, fmt.Errorf("header length %d", hdrLen)
	}
	kinds := (int(hdrLen) - 8) / 8
	out := bytes.Clone(ext[:hdrLen])
	var pos uint32
	for k := 0; k < min(kinds, 3); k++ {
		off, n := order.Uint32(ext[8+8*k:]), order.Uint32(ext[12+8*k:])
		start := uint64(hdrLen) + uint64(off)
		if start+uint64(n) > uint64(len(ext)) {
			return nil, fmt.Errorf("subsection %d outside the section", k)
		}
		sub, err := rebuildSub(ext[start:start+uint64(n)], order, strs, raw)
		if err != nil {
			return nil, err
		}
		order.PutUint32(out[8+8*k:], pos)
		order.PutUint32(out[12+8*k:], uint32(len(sub)))
		out = append(out, sub...)
		pos += uint32(len(sub))
	}
	return out, nil
}

// rebuildSub rebuilds one subsection: a record size, then per section its
// name, record count and records, each starting with an instruction offset.
func rebuildSub(b []byte, order extOrder, strs []byte, raw map[string]func(uint32) (uint32, bool)) ([]byte, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if len(b) < 4 {
		return nil, errors.New("record size truncated")
	}
	size := uint64(order.Uint32(b))
	if size < 4 {
		return nil, fmt.Errorf("record size %d", size)
	}
	out := bytes.Clone(b[:4])
	for p := uint64(4); p < uint64(len(b)); {
		if p+8 > uint64(len(b)) {
			return nil, errors.New("truncated")
		}
		nameOff, num := uint64(order.Uint32(b[p:])), uint64(order.Uint32(b[p+4:]))
		recs := b[p+8:]
		if num*size > uint64(len(recs)) {
			return nil, errors.New("records truncated")
		}
		recs = recs[:num*size]
		p += 8 + num*size
		name := ""
		if nameOff < uint64(len(strs)) {
			if end := bytes.IndexByte(strs[nameOff:], 0); end >= 0 {
				name = string(strs[nameOff : nameOff+uint64(end)])
			}
		}
		fn := raw[name]
		head := len(out)
		out = order.AppendUint32(order.AppendUint32(out, uint32(nameOff)), 0)
		kept := uint32(0)
		for r := uint64(0); r < num; r++ {
			rec := recs[r*size : (r+1)*size]
			if fn != nil {
				off, ok := fn(order.Uint32(rec))
				if !ok {
					continue
				}
				rec = order.AppendUint32(nil, off)
				rec = append(rec, recs[r*size+4:(r+1)*size]...)
			}
			out = append(out, rec...)
			kept++
		}
		order.PutUint32(out[head+4:], kept)
	}
	return out, nil
}

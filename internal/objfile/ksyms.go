package objfile

import (
	"bytes"
	"debug/elf"
	"fmt"
)

// untypeKsyms makes every __ksym variable untyped (type void) in the BTF
// of the object c holds, as cilium/ebpf v0.22 only reads untyped ones
// ("expected X to be *Void"). `extern const void sym __ksym` is untyped
// in libbpf too; the names of the others, whose type is
// a kernel type (extern const struct rq runqueues __ksym, loaded as
// BPF_PSEUDO_BTF_ID), are returned: the runtime resolves those against
// kernel BTF instead of /proc/kallsyms.
func untypeKsyms(c *cow, f *elf.File) (map[string]bool, error) {
	bt, ok := readRawBTF(c.b, f)
	if !ok || !bytes.Contains(bt.strs, []byte("\x00.ksyms\x00")) {
		return nil, nil
	}
	bo, name, types := f.ByteOrder, bt.name, bt.types
	// Records and kinds by type ID (walkBTF numbers the records 1, 2, …,
	// so index i holds type i+1); an ID past the end has kind 0 (void).
	var recs [][]byte
	var kinds []uint32
	kindOf := func(id uint32) uint32 {
		if id == 0 || uint64(id) > uint64(len(kinds)) {
			return 0
		}
		return kinds[id-1]
	}
	var ksymVars []uint32 // VAR IDs the .ksyms Datasec lists
	err := walkBTF(types, bo, func(id uint32, rec []byte, kind uint32, vlen uint64) {
		recs, kinds = append(recs, rec), append(kinds, kind)
		if kind == btfKindDatasec && name(bo.Uint32(rec)) == ".ksyms" {
			for i := uint64(0); i < vlen; i++ {
				ksymVars = append(ksymVars, bo.Uint32(rec[12+12*i:]))
			}
		}
	})
	if err != nil {
		return nil, fmt.Errorf(".BTF: %w", err)
	}
	var typed map[string]bool
	for _, id := range ksymVars {
		if kindOf(id) != btfKindVar || bo.Uint32(recs[id-1][8:]) == 0 {
			continue // functions, untyped variables
		}
		rec := recs[id-1]
		target := bo.Uint32(rec[8:])
		for range 8 { // const void is untyped too
			if k := kindOf(target); k != btfKindConst && k != btfKindVolatile {
				break
			}
			target = bo.Uint32(recs[target-1][8:])
		}
		if target != 0 {
			if typed == nil {
				typed = map[string]bool{}
			}
			typed[name(bo.Uint32(rec))] = true
		}
		// rec lies in the object's .BTF; write the same place of the
		// bytes to patch.
		at := bt.typesAt + uint64(cap(types)-cap(rec)) + 8
		bo.PutUint32(c.mut()[at:], 0)
	}
	return typed, nil
}

// rawBTF is the .BTF section of an object, as bytes of the object.
type rawBTF struct {
	types, strs []byte // the type and string sections
	typesAt     uint64 // offset of types in the object
}

// readRawBTF finds the type and string sections of obj's .BTF; ok is false
// when it has none or a malformed one (cilium/ebpf then reports it).
func readRawBTF(obj []byte, f *elf.File) (bt rawBTF, ok bool) {
	s := f.Section(".BTF")
	if s == nil || s.Type == elf.SHT_NOBITS {
		return bt, false
	}
	raw, err := sectionBytes(obj, s)
	if err != nil || len(raw) < 24 {
		return bt, false
	}
	bo := f.ByteOrder
	hdrLen := uint64(bo.Uint32(raw[4:]))
	typeOff, typeLen := uint64(bo.Uint32(raw[8:])), uint64(bo.Uint32(raw[12:]))
	strOff, strLen := uint64(bo.Uint32(raw[16:])), uint64(bo.Uint32(raw[20:]))
	if bo.Uint16(raw) != 0xeb9f || hdrLen+typeOff+typeLen > uint64(len(raw)) || hdrLen+strOff+strLen > uint64(len(raw)) {
		return bt, false
	}
	return rawBTF{
		types:   raw[hdrLen+typeOff : hdrLen+typeOff+typeLen],
		strs:    raw[hdrLen+strOff : hdrLen+strOff+strLen],
		typesAt: s.Offset + hdrLen + typeOff,
	}, true
}

// name returns the string at off of the string section, "" when outside.
func (bt rawBTF) name(off uint32) string {
	if uint64(off) >= uint64(len(bt.strs)) {
		return ""
	}
	b := bt.strs[off:]
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

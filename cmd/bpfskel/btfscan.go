package main

import (
	"encoding/binary"

	"github.com/cilium/ebpf/btf"
)

// BTF kinds (include/uapi/linux/btf.h) that namedTypeIDs needs to know.
const (
	kindInt       = 1
	kindArray     = 3
	kindStruct    = 4
	kindUnion     = 5
	kindEnum      = 6
	kindTypedef   = 8
	kindFuncProto = 13
	kindVar       = 14
	kindDatasec   = 15
	kindDeclTag   = 17
	kindEnum64    = 19
	maxKind       = 19
)

// namedTypeIDs scans raw BTF (what /sys/kernel/btf/vmlinux holds) for the
// IDs of named structs, unions, enums and typedefs, in ID order, without
// decoding a type. -all then decodes only those and what they reference,
// not the tens of thousands of functions vmlinux also describes. ok is false
// when raw is not raw BTF or holds anything the scan does not know; the
// caller then decodes every type instead.
func namedTypeIDs(raw []byte) (ids []btf.TypeID, ok bool) {
	if len(raw) < 24 {
		return nil, false
	}
	var bo binary.ByteOrder
	switch {
	case raw[0] == 0x9f && raw[1] == 0xeb:
		bo = binary.LittleEndian
	case raw[0] == 0xeb && raw[1] == 0x9f:
		bo = binary.BigEndian
	default:
		return nil, false
	}
	hdrLen, typeOff, typeLen := uint64(bo.Uint32(raw[4:])), uint64(bo.Uint32(raw[8:])), uint64(bo.Uint32(raw[12:]))
	start := hdrLen + typeOff
	if hdrLen < 24 || start+typeLen > uint64(len(raw)) {
		return nil, false
	}
	types := raw[start : start+typeLen]
	for id := btf.TypeID(1); len(types) > 0; id++ {
		if len(types) < 12 {
			return nil, false
		}
		nameOff, info := bo.Uint32(types), bo.Uint32(types[4:])
		kind, vlen := info>>24&0x1f, uint64(info&0xffff)
		size := uint64(12)
		switch kind {
		case kindInt, kindVar, kindDeclTag:
			size += 4
		case kindArray:
			size += 12
		case kindStruct, kindUnion, kindDatasec, kindEnum64:
			size += 12 * vlen
		case kindEnum, kindFuncProto:
			size += 8 * vlen
		case 0:
			return nil, false // void is not in the type section
		default:
			if kind > maxKind {
				return nil, false
			}
		}
		if size > uint64(len(types)) {
			return nil, false
		}
		switch kind {
		case kindStruct, kindUnion, kindEnum, kindEnum64, kindTypedef:
			if nameOff != 0 {
				ids = append(ids, id)
			}
		}
		types = types[size:]
	}
	return ids, true
}

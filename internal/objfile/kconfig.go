package objfile

import (
	"bytes"
	"debug/elf"
	"fmt"
	"slices"

	"github.com/cilium/ebpf/btf"
)

// kconfigOffsets returns the offsets of the __kconfig externs of obj in
// .kconfig by name, nil when it has none (or no BTF).
func kconfigOffsets(obj []byte, f *elf.File) map[string]uint32 {
	syms, err := f.Symbols()
	if err != nil || len(syms) == 0 {
		return nil
	}
	hasUndef := false
	for _, s := range syms {
		if s.Section == elf.SHN_UNDEF && s.Name != "" {
			hasUndef = true
			break
		}
	}
	if !hasUndef {
		return nil
	}
	types, err := btf.LoadSpecFromReader(bytes.NewReader(obj))
	if err != nil {
		return nil // no BTF: no kconfig
	}
	var ds *btf.Datasec
	if err := types.TypeByName(".kconfig", &ds); err != nil {
		return nil
	}
	offsets := map[string]uint32{}
	for _, v := range ds.Vars {
		offsets[typeName(v.Type)] = v.Offset
	}
	return offsets
}

// markKconfigLoads writes, into a copy of obj when needed, the offset of the
// __kconfig extern that each ld_imm64 of a program section reads into the
// instruction's upper immediate (where a map value load keeps its offset).
// cilium/ebpf keeps the instruction's constant but records the extern only
// in private metadata; the runtime's own program loader reads it back from
// there. cilium/ebpf's own loader overwrites the constant, so this is
// harmless to it.
func markKconfigLoads(obj []byte, f *elf.File, offsets map[string]uint32) ([]byte, error) {
	if len(offsets) == 0 {
		return obj, nil
	}
	syms, err := f.Symbols()
	if err != nil || len(syms) == 0 {
		return obj, nil
	}
	out := obj
	copied := false
	bo := f.ByteOrder
	for _, rs := range f.Sections {
		if rs.Type != elf.SHT_REL || int(rs.Info) >= len(f.Sections) {
			continue
		}
		target := f.Sections[rs.Info]
		if target.Flags&elf.SHF_EXECINSTR == 0 || target.Type != elf.SHT_PROGBITS {
			continue
		}
		raw, err := rs.Data()
		if err != nil {
			return nil, fmt.Errorf("section %s: %w", rs.Name, err)
		}
		for i := 0; i+16 <= len(raw); i += 16 {
			roff := bo.Uint64(raw[i:])
			symIdx := bo.Uint64(raw[i+8:]) >> 32
			if symIdx == 0 || symIdx > uint64(len(syms)) {
				continue
			}
			sym := syms[symIdx-1]
			off, ok := offsets[sym.Name]
			if sym.Section != elf.SHN_UNDEF || !ok {
				continue
			}
			// Untrusted offsets: compare without overflowing.
			if target.Size < 16 || roff > target.Size-16 || target.Offset > uint64(len(obj)) || roff > uint64(len(obj))-target.Offset {
				continue
			}
			at := target.Offset + roff
			if uint64(len(obj)) < 16 || at > uint64(len(obj))-16 || obj[at] != 0x18 {
				continue // not an ld_imm64
			}
			if !copied {
				out = slices.Clone(obj)
				copied = true
			}
			bo.PutUint32(out[at+12:], off)
		}
	}
	return out, nil
}

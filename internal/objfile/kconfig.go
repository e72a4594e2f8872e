package objfile

import (
	"bytes"
	"debug/elf"
	"fmt"
	"maps"
	"slices"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// kconfigNames returns the names of the __kconfig externs of obj, read from
// its raw BTF (the .kconfig Datasec), nil when it has none.
func kconfigNames(obj []byte, f *elf.File) map[string]bool {
	bt, ok := readRawBTF(obj, f)
	if !ok || !bytes.Contains(bt.strs, []byte("\x00.kconfig\x00")) {
		return nil
	}
	recs := map[uint32][]byte{}
	var vars []uint32
	err := walkBTF(bt.types, f.ByteOrder, func(id uint32, rec []byte, kind uint32, vlen uint64) {
		recs[id] = rec
		if kind == btfKindDatasec && bt.name(f.ByteOrder.Uint32(rec)) == ".kconfig" {
			for i := uint64(0); i < vlen; i++ {
				vars = append(vars, f.ByteOrder.Uint32(rec[12+12*i:]))
			}
		}
	})
	if err != nil || len(vars) == 0 {
		return nil
	}
	names := map[string]bool{}
	for _, id := range vars {
		if rec := recs[id]; rec != nil {
			names[bt.name(f.ByteOrder.Uint32(rec))] = true
		}
	}
	return names
}

// fixKconfigOffsets replaces the mark markKconfigLoads left in each
// kconfig load (the extern's symbol index) by the extern's offset in
// .kconfig, which cilium/ebpf computed while parsing.
func (o *Object) fixKconfigOffsets() error {
	var ds *btf.Datasec
	if o.Collection.Types == nil || o.Collection.Types.TypeByName(".kconfig", &ds) != nil {
		return nil
	}
	offsets := map[string]uint32{}
	for _, v := range ds.Vars {
		offsets[typeName(v.Type)] = v.Offset
	}
	syms := o.symbols() // none: no kconfig loads were marked
	for _, name := range slices.Sorted(maps.Keys(o.Collection.Programs)) {
		insns := o.Collection.Programs[name].Instructions
		for i := range insns {
			ins := &insns[i]
			if !ins.IsLoadFromMap() || ins.Src != asm.PseudoMapValue || ins.Reference() != "" || ins.Map() != nil {
				continue
			}
			mark := uint64(ins.Constant) >> 32
			if mark == 0 || mark > uint64(len(syms)) {
				continue
			}
			off, ok := offsets[syms[mark-1].Name]
			if !ok {
				return fmt.Errorf("program %s: instruction %d: kconfig load of %s, not in .kconfig", name, i, syms[mark-1].Name)
			}
			ins.Constant = int64(uint64(off)<<32 | uint64(uint32(ins.Constant)))
		}
	}
	return nil
}

// markKconfigLoads writes, into a copy of obj when needed, the symbol
// index of the __kconfig extern that each ld_imm64 of a program section
// reads into the instruction's upper immediate (where a map value load
// keeps its offset); fixKconfigOffsets turns it into the extern's offset
// after cilium/ebpf parsed the copy. cilium/ebpf keeps the instruction's
// constant but records the extern only in private metadata; the runtime
// reads it back from there. cilium/ebpf's own loader overwrites the
// constant, so this is harmless to it.
func markKconfigLoads(c *cow, f *elf.File, syms []elf.Symbol, kconfig map[string]bool) error {
	if len(kconfig) == 0 || len(syms) == 0 {
		return nil
	}
	obj := c.b
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
			return fmt.Errorf("section %s: %w", rs.Name, err)
		}
		for i := 0; i+16 <= len(raw); i += 16 {
			roff := bo.Uint64(raw[i:])
			symIdx := bo.Uint64(raw[i+8:]) >> 32
			if symIdx == 0 || symIdx > uint64(len(syms)) {
				continue
			}
			sym := syms[symIdx-1]
			if sym.Section != elf.SHN_UNDEF || !kconfig[sym.Name] {
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
			bo.PutUint32(c.mut()[at+12:], uint32(symIdx))
		}
	}
	return nil
}

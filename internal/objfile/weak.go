package objfile

import (
	"debug/elf"
	"fmt"
)

// strengthenWeak returns obj, copied when it changes, with the weak
// symbols cilium/ebpf rejects made global, and the names of all weak
// symbols. cilium/ebpf v0.22 refuses weak map definitions, weak kconfig
// externs and address loads of weak functions ("unsupported binding:
// STB_WEAK"). Within one object a weak definition is simply the
// definition, so those become global; a weak kconfig extern is marked in
// the returned set, where the runtime finds it to resolve a missing one to
// 0. Weak ksyms and kfuncs stay weak: cilium/ebpf resolves those itself.
func strengthenWeak(c *cow, f *elf.File, syms []elf.Symbol, kconfig map[string]bool) (map[string]bool, error) {
	if len(syms) == 0 {
		return nil, nil
	}
	obj := c.b
	var weak map[string]bool
	var rewrite []int // indices into syms
	for i, s := range syms {
		if elf.ST_BIND(s.Info) != elf.STB_WEAK {
			continue
		}
		if weak == nil {
			weak = map[string]bool{}
		}
		weak[s.Name] = true
		if s.Section != elf.SHN_UNDEF || kconfig[s.Name] {
			rewrite = append(rewrite, i)
		}
	}
	if len(rewrite) == 0 {
		return weak, nil
	}
	symtab := f.SectionByType(elf.SHT_SYMTAB)
	if symtab == nil || f.Class != elf.ELFCLASS64 {
		return nil, fmt.Errorf("weak symbols: no 64-bit symbol table")
	}
	const entSize = 24 // Elf64_Sym
	if symtab.Offset > uint64(len(obj)) || symtab.Size > uint64(len(obj))-symtab.Offset {
		return nil, fmt.Errorf("section %s: outside the %d-byte object", symtab.Name, len(obj))
	}
	out := c.mut()
	for _, i := range rewrite {
		// syms omits the null symbol at index 0.
		at := symtab.Offset + uint64(i+1)*entSize + 4 // st_info
		if uint64(i+2)*entSize > symtab.Size {
			return nil, fmt.Errorf("symbol %s: outside section %s", syms[i].Name, symtab.Name)
		}
		info := out[at]
		if elf.ST_BIND(info) != elf.STB_WEAK {
			return nil, fmt.Errorf("symbol %s: symbol table entry %d does not match", syms[i].Name, i+1)
		}
		out[at] = byte(elf.ST_INFO(elf.STB_GLOBAL, elf.ST_TYPE(info)))
	}
	return weak, nil
}

package objfile

import (
	"debug/elf"
	"fmt"
	"slices"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// StructOps is a struct_ops map of an object: a C struct of function
// pointers (and data) that registers BPF programs with a kernel subsystem,
// such as struct tcp_congestion_ops.
type StructOps struct {
	// Map is the map's name (the C variable's).
	Map string
	// Section is the ELF section of the variable: .struct_ops.link (a link
	// registers it, made by Attach) or .struct_ops (registered when the
	// map's value is written).
	Section string
	// Type is the C struct, the map's value type.
	Type *btf.Struct
	// Programs are the programs the function pointers name, by member name.
	Programs map[string]string
}

// Link reports whether the map is registered through a link.
func (s *StructOps) Link() bool { return s.Section == structOpsLinkSec }

// readStructOps finds the program each function pointer of each struct_ops
// map names, from the relocations of its section.
func (o *Object) readStructOps(renamed bool) error {
	var names []string
	for name, m := range o.Collection.Maps {
		if m.Type == ebpf.StructOpsMap {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	syms := o.symbols()
	if len(syms) == 0 {
		return fmt.Errorf("struct_ops maps %s: no symbol table", strings.Join(names, ", "))
	}
	o.StructOps = map[string]*StructOps{}
	for _, secName := range []string{structOpsLinkSec, structOpsSec} {
		sec := o.ELF.Section(secName)
		if sec == nil {
			continue
		}
		// cilium/ebpf read a .struct_ops section under the name
		// .struct_ops.link (renameStructOps), Datasec included.
		btfName := secName
		if renamed && secName == structOpsSec {
			btfName = structOpsLinkSec
		}
		var ds *btf.Datasec
		if o.Collection.Types == nil || o.Collection.Types.TypeByName(btfName, &ds) != nil {
			continue
		}
		relocs, err := o.relocations(sec, syms)
		if err != nil {
			return fmt.Errorf("section %s: %w", secName, err)
		}
		for _, vs := range ds.Vars {
			v, ok := vs.Type.(*btf.Var)
			if !ok {
				continue
			}
			m := o.Collection.Maps[v.Name]
			if m == nil || m.Type != ebpf.StructOpsMap {
				continue
			}
			st, ok := btf.As[*btf.Struct](v.Type)
			if !ok {
				return fmt.Errorf("struct_ops map %s: value is %s, not a struct", v.Name, v.Type)
			}
			so := &StructOps{Map: v.Name, Section: secName, Type: st, Programs: map[string]string{}}
			if secName == structOpsSec {
				m.Flags &^= flagLink // registered by writing its value
			}
			for _, mb := range st.Members {
				if sym, ok := relocs[uint64(vs.Offset)+uint64(mb.Offset.Bytes())]; ok {
					if _, isProg := o.Collection.Programs[sym]; !isProg {
						return fmt.Errorf("struct_ops map %s: member %s points to %s, not a program", v.Name, mb.Name, sym)
					}
					so.Programs[mb.Name] = sym
				}
			}
			o.StructOps[v.Name] = so
		}
	}
	for _, n := range names {
		if o.StructOps[n] == nil {
			return fmt.Errorf("struct_ops map %s: no variable in a struct_ops section", n)
		}
	}
	return nil
}

// relocations returns the symbol each relocation of sec names, by offset.
func (o *Object) relocations(sec *elf.Section, syms []elf.Symbol) (map[uint64]string, error) {
	out := map[uint64]string{}
	for i, rs := range o.ELF.Sections {
		if rs.Type != elf.SHT_REL || int(rs.Info) >= len(o.ELF.Sections) || o.ELF.Sections[rs.Info] != sec {
			continue
		}
		raw, err := rs.Data()
		if err != nil {
			return nil, fmt.Errorf("section %d (%s): %w", i, rs.Name, err)
		}
		bo := o.ELF.ByteOrder
		for j := 0; j+16 <= len(raw); j += 16 {
			off := bo.Uint64(raw[j:])
			idx := bo.Uint64(raw[j+8:]) >> 32
			if idx == 0 || idx > uint64(len(syms)) {
				return nil, fmt.Errorf("relocation at %#x: symbol %d out of range", off, idx)
			}
			out[off] = syms[idx-1].Name
		}
	}
	return out, nil
}

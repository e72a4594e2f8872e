package linker

import (
	"debug/elf"
	"fmt"
)

// outSym is one entry of the output symbol table.
type outSym struct {
	name  string
	info  byte // binding << 4 | type
	other byte // visibility
	sec   *outSection
	shndx elf.SectionIndex // used when sec is nil: SHN_UNDEF or SHN_ABS
	value uint64
	size  uint64
}

func (s *outSym) typ() elf.SymType { return elf.SymType(s.info & 0xf) }

// global is the resolution state of one global (or weak) symbol name.
type global struct {
	sym    *outSym
	idx    uint32 // index of sym in the output symbol table
	extern bool   // no object defines it (yet)
	weak   bool   // the definition in sym is weak
	obj    int    // object of the definition in sym, or of the first extern
}

// symbols is the output symbol table and how input symbols map to it.
type symbols struct {
	table       []*outSym
	firstGlobal int
	// symMap[object][input symbol index] is the output symbol index; 0 for
	// symbols of dropped sections, which are not linked.
	symMap  [][]uint32
	globals map[string]*global
}

// resolveSymbols builds the output symbol table: the null symbol, one
// section symbol per output section an input has a section symbol for,
// every input's local symbols, then the global symbols in order of first
// appearance, each resolved to its winning definition. Symbols of a
// deduplicated license or version section are left out, as libbpf does:
// the first object's section and symbols stand for them.
//
// A weak function in .text that another object's definition overrides
// stays in the code, unused; it gets a local symbol NAME.weak.N (N the
// object's index) so that the code is a subprogram of its own: loaders
// that split .text by symbols (cilium/ebpf) then keep .BTF.ext records in
// step with the instructions.
func resolveSymbols(objs []*object, outs []*outSection) (*symbols, error) {
	st := &symbols{table: []*outSym{{}}, symMap: make([][]uint32, len(objs)), globals: map[string]*global{}}
	var order []string
	for oi, o := range objs {
		st.symMap[oi] = make([]uint32, len(o.syms))
		for _, sym := range o.syms[1:] {
			if elf.ST_TYPE(sym.Info) == elf.STT_SECTION {
				if is := o.section(sym); is != nil {
					is.out.secSym = true
				}
			}
			if elf.ST_BIND(sym.Info) == elf.STB_LOCAL || o.inDeduped(sym) {
				continue // a deduplicated section's symbols: the first object's stand for them
			}
			isNew, err := st.addGlobal(objs, oi, sym)
			if err != nil {
				return nil, err
			}
			if isNew {
				order = append(order, sym.Name)
			}
		}
		for _, is := range o.secs {
			if is == nil || is.deduped {
				continue
			}
			for _, r := range is.rels {
				if sym := o.syms[r.sym]; o.inDeduped(sym) {
					o.sectionOf(sym).out.secSym = true // relocate points r there
				}
			}
		}
	}
	for _, out := range outs {
		if out.secSym {
			out.symIdx = uint32(len(st.table))
			st.table = append(st.table, &outSym{name: out.name, info: byte(elf.STB_LOCAL)<<4 | byte(elf.STT_SECTION), sec: out})
		}
	}
	for oi, o := range objs {
		for i, sym := range o.syms[1:] {
			if elf.ST_BIND(sym.Info) != elf.STB_LOCAL {
				continue
			}
			switch elf.ST_TYPE(sym.Info) {
			case elf.STT_SECTION:
				if is := o.section(sym); is != nil {
					st.symMap[oi][i+1] = is.out.symIdx
				}
				continue
			}
			s, ok := placeSym(o, sym)
			if !ok {
				continue
			}
			st.symMap[oi][i+1] = uint32(len(st.table))
			st.table = append(st.table, s)
		}
		for _, sym := range o.syms[1:] {
			is := o.section(sym)
			if elf.ST_BIND(sym.Info) != elf.STB_WEAK || elf.ST_TYPE(sym.Info) != elf.STT_FUNC || is == nil || is.name != ".text" || st.globals[sym.Name].obj == oi {
				continue
			}
			s, _ := placeSym(o, sym)
			s.name = fmt.Sprintf("%s.weak.%d", sym.Name, oi)
			s.info = byte(elf.STB_LOCAL)<<4 | byte(elf.STT_FUNC)
			st.table = append(st.table, s)
		}
	}
	st.firstGlobal = len(st.table)
	for _, name := range order {
		g := st.globals[name]
		g.idx = uint32(len(st.table))
		st.table = append(st.table, g.sym)
	}
	for oi, o := range objs {
		for i, sym := range o.syms[1:] {
			if elf.ST_BIND(sym.Info) != elf.STB_LOCAL && !o.inDeduped(sym) {
				st.symMap[oi][i+1] = st.globals[sym.Name].idx
			}
		}
	}
	return st, nil
}

// placeSym returns the output symbol for a defined or undefined input
// symbol, moved to its section's place; false if its section is dropped.
func placeSym(o *object, sym elf.Symbol) (*outSym, bool) {
	s := &outSym{name: sym.Name, info: sym.Info, other: sym.Other, size: sym.Size, value: sym.Value}
	switch {
	case sym.Section == elf.SHN_UNDEF || sym.Section == elf.SHN_ABS:
		s.shndx = sym.Section
	case sym.Section >= elf.SHN_LORESERVE:
		return nil, false
	default:
		is := o.section(sym)
		if is == nil {
			return nil, false
		}
		s.sec = is.out
		s.value += is.off
	}
	return s, true
}

// ErrDuplicateSymbol is returned (wrapped) when two objects define the same
// global symbol and neither definition is weak.
var ErrDuplicateSymbol = fmt.Errorf("duplicate symbol")

// addGlobal resolves one global or weak symbol of objs[oi] against the ones
// seen before and returns its output index: a definition beats an extern,
// a strong definition beats a weak one, the first of two weak definitions
// wins, and two strong definitions are an error. It reports whether the
// name is new. The binding becomes
// global as soon as any object has it global, and the visibility is the
// strictest seen.
func (st *symbols) addGlobal(objs []*object, oi int, sym elf.Symbol) (isNew bool, err error) {
	o := objs[oi]
	bind := elf.ST_BIND(sym.Info)
	if bind != elf.STB_GLOBAL && bind != elf.STB_WEAK {
		return false, fmt.Errorf("%s: symbol %q: unsupported binding %v", o.name, sym.Name, bind)
	}
	if sym.Section == elf.SHN_COMMON {
		return false, fmt.Errorf("%s: symbol %q: common symbols are not supported", o.name, sym.Name)
	}
	extern := sym.Section == elf.SHN_UNDEF
	g := st.globals[sym.Name]
	if g == nil {
		s, ok := placeSym(o, sym)
		if !ok {
			return false, fmt.Errorf("%s: symbol %q: defined in a section that is not linked", o.name, sym.Name)
		}
		st.globals[sym.Name] = &global{sym: s, extern: extern, weak: bind == elf.STB_WEAK, obj: oi}
		return true, nil
	}
	dst := g.sym
	if !extern && !g.extern && bind == elf.STB_GLOBAL && !g.weak {
		return false, fmt.Errorf("%w %q: defined in %s and in %s", ErrDuplicateSymbol, sym.Name, objs[g.obj].name, o.name)
	}
	if t, dt := elf.ST_TYPE(sym.Info), dst.typ(); t != elf.STT_NOTYPE && dt != elf.STT_NOTYPE && t != dt {
		return false, fmt.Errorf("symbol %q: %v in %s but %v in %s", sym.Name, dt, objs[g.obj].name, t, o.name)
	}
	if bind == elf.STB_GLOBAL {
		dst.info = byte(elf.STB_GLOBAL)<<4 | dst.info&0xf
	}
	if vis := sym.Other & 3; vis > dst.other&3 {
		dst.other = dst.other&^3 | vis
	}
	if extern || (!g.extern && bind == elf.STB_WEAK) {
		return false, nil // the existing symbol stays
	}
	s, ok := placeSym(o, sym)
	if !ok {
		return false, fmt.Errorf("%s: symbol %q: defined in a section that is not linked", o.name, sym.Name)
	}
	dst.info = dst.info&0xf0 | byte(elf.ST_TYPE(sym.Info))
	dst.sec, dst.shndx, dst.value, dst.size = s.sec, s.shndx, s.value, s.size
	g.extern, g.weak, g.obj = false, bind == elf.STB_WEAK, oi
	return false, nil
}

// definer returns the index of the object whose definition of the global
// symbol name won, or -1 when it is not a global symbol or only extern.
func (st *symbols) definer(name string) int {
	g := st.globals[name]
	if g == nil || g.extern {
		return -1
	}
	return g.obj
}

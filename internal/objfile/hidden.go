package objfile

import (
	"debug/elf"
	"fmt"
)

// BTF_FUNC_STATIC and BTF_FUNC_GLOBAL, which a FUNC record keeps in its
// vlen bits.
const (
	btfLinkageStatic = 0
	btfLinkageGlobal = 1
	btfVlenMask      = 0xffff
)

// staticHidden marks static, in the BTF of the object c holds, every
// global or weak function of .text (a subprogram) whose symbol has hidden
// or internal visibility, as libbpf does: the kernel then verifies it
// with its caller's context instead of on its own, which libbpf's
// usdt.bpf.h (bpf_usdt_arg) and sched_ext's __hidden helpers rely on.
func staticHidden(c *cow, f *elf.File, syms []elf.Symbol) error {
	text := -1
	for i, s := range f.Sections {
		if s.Name == ".text" {
			text = i
		}
	}
	var hidden map[string]bool
	for _, s := range syms {
		vis, bind := elf.ST_VISIBILITY(s.Other), elf.ST_BIND(s.Info)
		if elf.ST_TYPE(s.Info) == elf.STT_FUNC && int(s.Section) == text &&
			(bind == elf.STB_GLOBAL || bind == elf.STB_WEAK) &&
			(vis == elf.STV_HIDDEN || vis == elf.STV_INTERNAL) {
			if hidden == nil {
				hidden = map[string]bool{}
			}
			hidden[s.Name] = true
		}
	}
	if len(hidden) == 0 {
		return nil
	}
	bt, ok := readRawBTF(c.b, f)
	if !ok {
		return nil // no BTF: no linkage to change
	}
	bo, name, types := f.ByteOrder, bt.name, bt.types
	var at []uint64 // offsets of the info words to rewrite
	err := walkBTF(types, bo, func(_ uint32, rec []byte, kind uint32, vlen uint64) {
		if kind == btfKindFunc && vlen == btfLinkageGlobal && hidden[name(bo.Uint32(rec))] {
			at = append(at, bt.typesAt+uint64(cap(types)-cap(rec))+4)
		}
	})
	if err != nil {
		return fmt.Errorf(".BTF: %w", err)
	}
	for _, a := range at {
		out := c.mut()
		bo.PutUint32(out[a:], bo.Uint32(out[a:])&^btfVlenMask|btfLinkageStatic)
	}
	return nil
}

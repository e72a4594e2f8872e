package runtime

import (
	"fmt"
	"unsafe"

	"github.com/cilium/ebpf/btf"
)

// LibraryView returns a typed pointer to a library's part of a data section
// (".bss", ".data", ".rodata", ...) or of the arena globals
// (".addr_space.1") in c, a collection whose object linked the library.
// Library skeletons (bpfskel gen -lib) call it: linking keeps each
// object's part of a section whole, so the library's section layout, T,
// starts anchorOff bytes before anchor, a global variable the library
// defines at offset anchorOff of its own section. T must fit the section
// from there. As with View, a read-only section gives a copy, and the
// pointer is live until c is closed.
func LibraryView[T any](c *Collection, section, anchor string, anchorOff uint64) (*T, error) {
	var zero T
	size := uint64(unsafe.Sizeof(zero))
	if err := c.checkOpen(section); err != nil {
		return nil, err
	}
	var (
		ds       *btf.Datasec
		mem      unsafe.Pointer
		secSize  uint64
		readOnly bool
	)
	if section == arenaGlobalsSection {
		a := c.arena
		if a == nil || a.globalsSize == 0 || c.spec.obj.Arena == nil {
			return nil, fmt.Errorf("section %s: %w", section, ErrNoSection)
		}
		ds = c.spec.obj.Arena.Globals
		// unsafe: the globals lie inside the arena mapping at globalsOff.
		mem, secSize = unsafe.Add(a.mem, a.globalsOff), a.globalsSize
	} else {
		mm, ok := c.sections[section]
		ms := c.spec.Collection.Maps[section]
		if !ok || ms == nil {
			return nil, fmt.Errorf("section %s: %w", section, ErrNoSection)
		}
		ds, _ = ms.Value.(*btf.Datasec)
		mem, secSize, readOnly = mm.mem, uint64(mm.valueSize), mm.readOnly
	}
	off, err := globalOffset(ds, anchor)
	if err != nil {
		return nil, fmt.Errorf("section %s: %w", section, err)
	}
	if off < anchorOff || off-anchorOff+size > secSize {
		return nil, fmt.Errorf("section %s: %T of %d bytes, %d before %s at %d, does not fit %d bytes: %w", section, zero, size, anchorOff, anchor, off, secSize, ErrSizeMismatch)
	}
	// unsafe: [off-anchorOff, off-anchorOff+size) lies inside the section's
	// memory (checked above); the linker placed the library's part of the
	// section there whole, at its own alignment, which T's fields share.
	p := unsafe.Add(mem, off-anchorOff)
	if readOnly {
		v := new(T)
		copy(unsafe.Slice((*byte)(unsafe.Pointer(v)), size), unsafe.Slice((*byte)(p), size))
		return v, nil
	}
	return (*T)(p), nil
}

// globalOffset returns the offset of the one global (not static) variable
// called name in ds.
func globalOffset(ds *btf.Datasec, name string) (uint64, error) {
	if ds == nil {
		return 0, fmt.Errorf("no BTF to find variable %s in: %w", name, ErrNoSection)
	}
	found := -1
	for i, v := range ds.Vars {
		if bv, ok := v.Type.(*btf.Var); ok && bv.Name == name && bv.Linkage != btf.StaticVar {
			if found >= 0 {
				return 0, fmt.Errorf("variable %s defined twice", name)
			}
			found = i
		}
	}
	if found < 0 {
		return 0, fmt.Errorf("no global variable %s: was the library linked into this object?", name)
	}
	return uint64(ds.Vars[found].Offset), nil
}

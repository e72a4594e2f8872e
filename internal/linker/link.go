package linker

import (
	"debug/elf"
	"errors"
	"fmt"
)

// Input is one relocatable BPF object to link.
type Input struct {
	// Name identifies the object in errors (usually its path).
	Name string
	// Data is the object's ELF bytes.
	Data []byte
}

// Link links objects into one relocatable BPF object, as libbpf's static
// linker does. The objects must share one byte order. Same inputs in the
// same order give the same bytes.
func Link(objects []Input) ([]byte, error) {
	if len(objects) == 0 {
		return nil, errors.New("link: no objects")
	}
	objs := make([]*object, len(objects))
	for i, in := range objects {
		o, err := readObject(in)
		if err != nil {
			return nil, fmt.Errorf("link: %w", err)
		}
		if i > 0 && o.class != objs[0].class {
			return nil, fmt.Errorf("link: %s is %s but %s is %s: link each byte order separately", in.Name, byteOrderName(o), objs[0].name, byteOrderName(objs[0]))
		}
		objs[i] = o
	}
	outs, err := layoutSections(objs)
	if err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	if n := 5 + 2*len(outs); n >= int(elf.SHN_LORESERVE) {
		return nil, fmt.Errorf("link: %d sections, more than an ELF section index holds", n)
	}
	st, err := resolveSymbols(objs, outs)
	if err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	if err := relocate(objs, st.symMap); err != nil {
		return nil, fmt.Errorf("link: %w", err)
	}
	order := objs[0].order
	var btfData, extData []byte
	if hasBTF(objs) {
		m, err := mergeBTF(objs, st)
		if err != nil {
			return nil, fmt.Errorf("link: %w", err)
		}
		strs := newStrtab()
		types := m.encodeTypes(order, strs)
		if extData, err = encodeExt(objs, outs, m, strs, order); err != nil {
			return nil, fmt.Errorf("link: %w", err)
		}
		btfData = encodeBTF(order, types, strs)
	}
	return writeELF(order, objs[0].class, outs, st, btfData, extData), nil
}

func byteOrderName(o *object) string {
	if o.class == elf.ELFDATA2MSB {
		return "big-endian"
	}
	return "little-endian"
}

func hasBTF(objs []*object) bool {
	for _, o := range objs {
		if o.btf != nil {
			return true
		}
	}
	return false
}

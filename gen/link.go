package gen

import (
	"github.com/bpfskel/bpfskel/internal/linker"
)

// linkByOrder links the objects of each byte order into one, in argument
// order, as bpfskel link does. It returns objects unchanged when no two
// share a byte order (one object, or a byte-order pair) or when one is not
// an ELF object (for Parse to report). A linked object's
// path is the one a compiled object of that byte order would have next to
// output (x_bpfel.o, x_bpfeb.o); linked reports those paths, whose data
// the caller must write since no file holds them yet.
func linkByOrder(objects []Input, output string) (_ []Input, linked map[string]bool, _ error) {
	type group struct {
		order byte
		ins   []linker.Input
	}
	var groups []*group
	for _, in := range objects {
		if len(in.Data) < 6 || string(in.Data[:4]) != "\x7fELF" || (in.Data[5] != 1 && in.Data[5] != 2) {
			return objects, nil, nil // Parse reports what is wrong
		}
		var g *group
		for _, h := range groups {
			if h.order == in.Data[5] {
				g = h
			}
		}
		if g == nil {
			g = &group{order: in.Data[5]}
			groups = append(groups, g)
		}
		g.ins = append(g.ins, linker.Input{Name: in.Path, Data: in.Data})
	}
	if len(groups) == len(objects) {
		return objects, nil, nil
	}
	linked = map[string]bool{}
	var out []Input
	for _, g := range groups {
		if len(g.ins) == 1 {
			out = append(out, Input{Path: g.ins[0].Name, Data: g.ins[0].Data})
			continue
		}
		data, err := linker.Link(g.ins)
		if err != nil {
			return nil, nil, err
		}
		p := ObjectPath(output, map[byte]string{1: "bpfel", 2: "bpfeb"}[g.order])
		linked[p] = true
		out = append(out, Input{Path: p, Data: data})
	}
	return out, linked, nil
}

// Package btfq holds the BTF graph primitives that btf2go, gen and dwarfbtf
// share: a bounded walk through qualifiers (const, volatile, restrict and
// type tags) and, on request, typedefs, so that a malformed type which
// refers to itself cannot hang any of them; and the edges of the type graph.
package btfq

import (
	"slices"

	"github.com/cilium/ebpf/btf"
)

// MaxDepth bounds a chain of qualifiers and typedefs. Real chains are a
// handful long; a longer one is a cycle in malformed input.
const MaxDepth = 512

// Strip follows t through const, volatile, restrict and type tags, and
// through typedefs too if typedefs is set. It returns the type it reaches,
// or nil when the chain is longer than MaxDepth, and reports whether one of
// the type tags it passed was "arena".
func Strip(t btf.Type, typedefs bool) (_ btf.Type, arena bool) {
	t, arena = strip(t, typedefs, "arena")
	return t, arena
}

// HasTag reports whether one of the type tags on t's chain of qualifiers
// and type tags (not through typedefs) has one of values.
func HasTag(t btf.Type, values ...string) bool {
	_, found := strip(t, false, values...)
	return found
}

// strip is Strip, reporting whether a type tag it passed has one of values.
func strip(t btf.Type, typedefs bool, values ...string) (_ btf.Type, found bool) {
	for range MaxDepth {
		switch q := t.(type) {
		case *btf.TypeTag:
			found = found || slices.Contains(values, q.Value)
			t = q.Type
		case *btf.Const:
			t = q.Type
		case *btf.Volatile:
			t = q.Type
		case *btf.Restrict:
			t = q.Type
		case *btf.Typedef:
			if !typedefs {
				return t, found
			}
			t = q.Type
		default:
			return t, found
		}
	}
	return nil, found
}

// Children returns the slots through which typ refers to other types
// directly, in declaration order. Writing to a slot replaces the reference.
func Children(typ btf.Type) []*btf.Type {
	switch t := typ.(type) {
	case *btf.Pointer:
		return []*btf.Type{&t.Target}
	case *btf.Array:
		return []*btf.Type{&t.Index, &t.Type}
	case *btf.Struct:
		return memberSlots(t.Members)
	case *btf.Union:
		return memberSlots(t.Members)
	case *btf.Typedef:
		return []*btf.Type{&t.Type}
	case *btf.Const:
		return []*btf.Type{&t.Type}
	case *btf.Volatile:
		return []*btf.Type{&t.Type}
	case *btf.Restrict:
		return []*btf.Type{&t.Type}
	case *btf.TypeTag:
		return []*btf.Type{&t.Type}
	case *btf.FuncProto:
		out := []*btf.Type{&t.Return}
		for i := range t.Params {
			out = append(out, &t.Params[i].Type)
		}
		return out
	case *btf.Func:
		return []*btf.Type{&t.Type}
	case *btf.Var:
		return []*btf.Type{&t.Type}
	case *btf.Datasec:
		out := make([]*btf.Type, 0, len(t.Vars))
		for i := range t.Vars {
			out = append(out, &t.Vars[i].Type)
		}
		return out
	}
	return nil
}

func memberSlots(ms []btf.Member) []*btf.Type {
	out := make([]*btf.Type, 0, len(ms))
	for i := range ms {
		out = append(out, &ms[i].Type)
	}
	return out
}

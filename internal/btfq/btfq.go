// Package btfq looks through BTF qualifiers (const, volatile, restrict and
// type tags) and, on request, typedefs. It is the one bounded walk that
// btf2go, gen and dwarfbtf share, so that a malformed type which refers to
// itself cannot hang any of them.
package btfq

import "github.com/cilium/ebpf/btf"

// MaxDepth bounds a chain of qualifiers and typedefs. Real chains are a
// handful long; a longer one is a cycle in malformed input.
const MaxDepth = 512

// Strip follows t through const, volatile, restrict and type tags, and
// through typedefs too if typedefs is set. It returns the type it reaches,
// or nil when the chain is longer than MaxDepth, and reports whether one of
// the type tags it passed was "arena".
func Strip(t btf.Type, typedefs bool) (_ btf.Type, arena bool) {
	for range MaxDepth {
		switch q := t.(type) {
		case *btf.TypeTag:
			arena = arena || q.Value == "arena"
			t = q.Type
		case *btf.Const:
			t = q.Type
		case *btf.Volatile:
			t = q.Type
		case *btf.Restrict:
			t = q.Type
		case *btf.Typedef:
			if !typedefs {
				return t, arena
			}
			t = q.Type
		default:
			return t, arena
		}
	}
	return nil, arena
}

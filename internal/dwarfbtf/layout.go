package dwarfbtf

import (
	"fmt"
	"sort"

	"github.com/bpfskel/bpfskel/internal/btfq"
	"github.com/cilium/ebpf/btf"
)

// sameLayout returns nil when a and b lay memory out alike, and otherwise
// an error describing the first difference: for structs and unions their
// size and, member by member, name, offset, bitfield size and the size of
// the member's type, recursing into anonymous members; for enums, ints and
// floats their size; for typedefs the layout of their targets. Named types
// reached through members are compared by size only: they are checked on
// their own.
func sameLayout(a, b btf.Type) error {
	c := layoutCmp{seen: map[cmpKey]bool{}}
	return c.layoutDiff(a, b, "", 0)
}

// layoutCmp compares each pair of types once, so that corrupt input with
// types that contain themselves cannot make the comparison exponential.
type layoutCmp struct {
	seen map[cmpKey]bool
}

type cmpKey struct {
	a, b   btf.Type
	member bool // compared by memberTypeDiff, not layoutDiff
}

func (c *layoutCmp) layoutDiff(a, b btf.Type, path string, depth int) error {
	k := cmpKey{a: a, b: b}
	if depth > maxDepth || c.seen[k] {
		return nil
	}
	c.seen[k] = true
	a, b = skipQualifiers(a), skipQualifiers(b)
	if path == "" {
		path = typeString(a)
	}
	switch a := a.(type) {
	case *btf.Struct:
		b, ok := b.(*btf.Struct)
		if !ok {
			return fmt.Errorf("%s: struct in one, %s in the other", path, typeString(b))
		}
		if a.Size != b.Size {
			return fmt.Errorf("%s: size %d vs %d", path, a.Size, b.Size)
		}
		return c.membersDiff(a.Members, b.Members, path, depth)
	case *btf.Union:
		b, ok := b.(*btf.Union)
		if !ok {
			return fmt.Errorf("%s: union in one, %s in the other", path, typeString(b))
		}
		if a.Size != b.Size {
			return fmt.Errorf("%s: size %d vs %d", path, a.Size, b.Size)
		}
		return c.membersDiff(a.Members, b.Members, path, depth)
	case *btf.Typedef:
		b, ok := b.(*btf.Typedef)
		if !ok {
			return fmt.Errorf("%s: typedef in one, %s in the other", path, typeString(b))
		}
		return c.layoutDiff(a.Type, b.Type, path, depth+1)
	case *btf.Array:
		b, ok := b.(*btf.Array)
		if !ok {
			return fmt.Errorf("%s: array in one, %s in the other", path, typeString(b))
		}
		if a.Nelems != b.Nelems {
			return fmt.Errorf("%s: %d vs %d elements", path, a.Nelems, b.Nelems)
		}
		return c.layoutDiff(a.Type, b.Type, path+"[]", depth+1)
	}
	sa, errA := btf.Sizeof(a)
	sb, errB := btf.Sizeof(b)
	if errA == nil && errB == nil && sa != sb {
		return fmt.Errorf("%s: size %d vs %d", path, sa, sb)
	}
	return nil
}

func (c *layoutCmp) membersDiff(a, b []btf.Member, path string, depth int) error {
	if len(a) != len(b) {
		return fmt.Errorf("%s: %d vs %d members", path, len(a), len(b))
	}
	for i := range a {
		ma, mb := a[i], b[i]
		mpath := fmt.Sprintf("%s.%s", path, memberName(ma, i))
		if ma.Name != mb.Name {
			return fmt.Errorf("%s: member %d named %q vs %q", path, i, ma.Name, mb.Name)
		}
		if ma.Offset != mb.Offset {
			return fmt.Errorf("%s: bit offset %d vs %d", mpath, ma.Offset, mb.Offset)
		}
		if ma.BitfieldSize != mb.BitfieldSize {
			return fmt.Errorf("%s: bitfield size %d vs %d", mpath, ma.BitfieldSize, mb.BitfieldSize)
		}
		if err := c.memberTypeDiff(ma.Type, mb.Type, mpath, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// memberTypeDiff compares the types of two members: anonymous composites
// fully, arrays element by element, everything else by size.
func (c *layoutCmp) memberTypeDiff(a, b btf.Type, path string, depth int) error {
	k := cmpKey{a: a, b: b, member: true}
	if depth > maxDepth || c.seen[k] {
		return nil
	}
	c.seen[k] = true
	ua, ub := btf.UnderlyingType(a), btf.UnderlyingType(b)
	if aa, ok := ua.(*btf.Array); ok {
		ab, ok := ub.(*btf.Array)
		if !ok {
			return fmt.Errorf("%s: array in one, %s in the other", path, typeString(ub))
		}
		if aa.Nelems != ab.Nelems {
			return fmt.Errorf("%s: %d vs %d elements", path, aa.Nelems, ab.Nelems)
		}
		return c.memberTypeDiff(aa.Type, ab.Type, path+"[]", depth+1)
	}
	if ua.TypeName() == "" && ub.TypeName() == "" {
		switch ua.(type) {
		case *btf.Struct, *btf.Union:
			return c.layoutDiff(ua, ub, path, depth+1)
		}
	}
	sa, errA := btf.Sizeof(ua)
	sb, errB := btf.Sizeof(ub)
	if errA == nil && errB == nil && sa != sb {
		return fmt.Errorf("%s: size %d vs %d", path, sa, sb)
	}
	return nil
}

func memberName(m btf.Member, i int) string {
	if m.Name != "" {
		return m.Name
	}
	return fmt.Sprintf("(anonymous %d)", i)
}

// skipQualifiers removes const, volatile, restrict and type tags; on a
// cycle it returns t unchanged.
func skipQualifiers(t btf.Type) btf.Type {
	if s, _ := btfq.Strip(t, false); s != nil {
		return s
	}
	return t
}

// typeString names a type the way C would: "struct node", "enum e",
// "typedef t", or its kind for anonymous types.
func typeString(t btf.Type) string {
	if t == nil {
		return "void"
	}
	kind := kindOf(t)
	if name := t.TypeName(); name != "" {
		return kind + " " + name
	}
	return "anonymous " + kind
}

func kindOf(t btf.Type) string {
	switch t := t.(type) {
	case *btf.Struct:
		return "struct"
	case *btf.Union:
		return "union"
	case *btf.Enum:
		return "enum"
	case *btf.Typedef:
		return "typedef"
	case *btf.Fwd:
		if t.Kind == btf.FwdUnion {
			return "union"
		}
		return "struct"
	case *btf.Int:
		return "int"
	case *btf.Float:
		return "float"
	case *btf.Pointer:
		return "pointer"
	case *btf.Array:
		return "array"
	case *btf.FuncProto:
		return "func_proto"
	case *btf.Func:
		return "func"
	case *btf.Var:
		return "var"
	case *btf.Datasec:
		return "datasec"
	case *btf.Void, nil:
		return "void"
	}
	return fmt.Sprintf("%T", t)
}

func sortStrings(s []string) { sort.Strings(s) }

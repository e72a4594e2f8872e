package linker

import (
	"errors"
	"fmt"
)

// checkGlobals makes sure that every FUNC or VAR replaced by another
// object's of the same global symbol agrees with it, as libbpf requires of
// an extern and its definition, or of a losing weak definition and the
// winner: a map's definition must be the same type, anything else a
// compatible one (see compatible).
func (m *btfMerge) checkGlobals(objs []*object, st *symbols) error {
	for _, id := range m.globalAliases {
		t, c := m.all[id], m.all[m.alias[id]]
		var err error
		if g := st.globals[t.name]; t.kind() == kindVar && g != nil && g.sym.sec != nil && g.sym.sec.name == ".maps" {
			if m.class[m.resolve(t.sizeType)] != m.class[m.resolve(c.sizeType)] {
				err = errors.New("another map definition")
			}
		} else {
			err = m.compatible(id, m.alias[id])
		}
		if err != nil {
			return fmt.Errorf("symbol %q: type in %s differs from the one in %s: %w", t.name, objs[t.obj].name, objs[c.obj].name, err)
		}
	}
	return nil
}

// compatible reports, as an error saying where they differ, whether the
// types a and b of two objects may describe one global, with the rules of
// libbpf's linker:
//
//   - typedefs and modifiers (const, volatile, restrict, type tags) do not
//     count: a bool typedef is its _Bool, a const u32 a u32;
//   - integers, floats and enums agree by size, whatever their encoding
//     or values; arrays by element type, whatever their length;
//   - structs, unions, enums, forward declarations, functions and
//     variables must have the same name, functions and variables the
//     same static-or-not linkage;
//   - structs and unions must have the same members (name, offset,
//     compatible type), function prototypes the same number of
//     compatible parameters (names do not count) and compatible returns;
//   - behind a pointer only the outline counts: a struct or union agrees
//     with any of the same kind and name, and with a forward declaration
//     of that name.
//
// The types are compared as each object wrote them, before forward
// declarations are resolved.
func (m *btfMerge) compatible(a, b uint32) error {
	c := &matcher{m: m, seen: map[matchPair]bool{}}
	return c.match(a, b, false)
}

// matcher compares two types for compatible.
type matcher struct {
	m *btfMerge
	// seen holds the pairs compared so far, or being compared: a pair met
	// again is taken to agree (BTF from a bad object may have cycles the
	// rules would otherwise follow forever).
	seen map[matchPair]bool
}

type matchPair struct {
	a, b    uint32
	outline bool
}

// skipAliases follows typedefs and modifiers from id.
func (c *matcher) skipAliases(id uint32) uint32 {
	for range len(c.m.all) {
		if id == 0 {
			return 0
		}
		switch c.m.all[id].kind() {
		case kindTypedef, kindConst, kindVolatile, kindRestrict, kindTypeTag:
			id = c.m.all[id].sizeType
		default:
			return id
		}
	}
	return id
}

// match compares a and b; outline is set behind a pointer.
func (c *matcher) match(a, b uint32, outline bool) error {
	a, b = c.skipAliases(a), c.skipAliases(b)
	p := matchPair{a, b, outline}
	if c.seen[p] {
		return nil
	}
	c.seen[p] = true
	if a == 0 || b == 0 {
		if a != b {
			return fmt.Errorf("%s and %s", c.describe(a), c.describe(b))
		}
		return nil
	}
	ta, tb := c.m.all[a], c.m.all[b]
	ka, kb := ta.kind(), tb.kind()
	if outline && (ka == kindFwd) != (kb == kindFwd) {
		fwd, def := ta, tb
		if kb == kindFwd {
			fwd, def = tb, ta
		}
		want := kindStruct
		if fwd.kflag() == 1 {
			want = kindUnion
		}
		if fwd.name != def.name || def.kind() != want {
			return fmt.Errorf("%s and %s", c.describe(a), c.describe(b))
		}
		return nil
	}
	if ka != kb {
		return fmt.Errorf("%s and %s", c.describe(a), c.describe(b))
	}
	switch ka {
	case kindStruct, kindUnion, kindEnum, kindEnum64, kindFwd, kindFunc, kindVar:
		if ta.name != tb.name || (ka == kindFwd && ta.kflag() != tb.kflag()) {
			return fmt.Errorf("%s and %s", c.describe(a), c.describe(b))
		}
	}
	switch ka {
	case kindFwd:
		return nil
	case kindInt, kindFloat, kindEnum, kindEnum64:
		if ta.sizeType != tb.sizeType {
			return fmt.Errorf("%s of %d bytes and of %d", c.describe(a), ta.sizeType, tb.sizeType)
		}
		return nil
	case kindPtr:
		return within("pointer target", c.match(ta.sizeType, tb.sizeType, true))
	case kindArray:
		return within("array element", c.match(ta.extra[0], tb.extra[0], outline))
	case kindFunc, kindVar:
		if (ta.linkage() == linkStatic) != (tb.linkage() == linkStatic) {
			return fmt.Errorf("static %s and global %[1]s", kindNames[ka])
		}
		return c.match(ta.sizeType, tb.sizeType, outline)
	case kindStruct, kindUnion:
		if outline {
			return nil
		}
		if ta.vlen() != tb.vlen() {
			return fmt.Errorf("%s with %d members and with %d", c.describe(a), ta.vlen(), tb.vlen())
		}
		for i := range ta.vlen() {
			name := ta.strs[i]
			if name != tb.strs[i] || ta.extra[3*i+2] != tb.extra[3*i+2] {
				return fmt.Errorf("%s: member %d is %q at %#x and %q at %#x", c.describe(a), i, name, ta.extra[3*i+2], tb.strs[i], tb.extra[3*i+2])
			}
			if err := c.match(ta.extra[3*i+1], tb.extra[3*i+1], false); err != nil {
				return within(fmt.Sprintf("%s: member %s", c.describe(a), name), err)
			}
		}
		return nil
	case kindFuncProto:
		if ta.vlen() != tb.vlen() {
			return fmt.Errorf("%d parameters and %d", ta.vlen(), tb.vlen())
		}
		for i := range ta.vlen() {
			if err := c.match(ta.extra[2*i+1], tb.extra[2*i+1], outline); err != nil {
				return within(fmt.Sprintf("parameter %d", i+1), err)
			}
		}
		return within("return value", c.match(ta.sizeType, tb.sizeType, outline))
	}
	return fmt.Errorf("%s: not a type a global may have", c.describe(a))
}

// within prefixes a mismatch found inside a type with where it was.
func within(where string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", where, err)
}

var kindNames = [...]string{
	kindInt: "int", kindPtr: "pointer", kindArray: "array", kindStruct: "struct",
	kindUnion: "union", kindEnum: "enum", kindFwd: "forward declaration", kindTypedef: "typedef",
	kindVolatile: "volatile", kindConst: "const", kindRestrict: "restrict", kindFunc: "function",
	kindFuncProto: "function prototype", kindVar: "variable", kindDatasec: "datasec",
	kindFloat: "float", kindDeclTag: "decl tag", kindTypeTag: "type tag", kindEnum64: "enum64",
}

// describe names a type for a mismatch: its kind and name.
func (c *matcher) describe(id uint32) string {
	if id == 0 {
		return "void"
	}
	t := c.m.all[id]
	k := kindNames[t.kind()]
	if t.kind() == kindFwd {
		k = "struct"
		if t.kflag() == 1 {
			k = "union"
		}
		k = "declared " + k
	}
	if t.name == "" {
		return k
	}
	return k + " " + t.name
}

package linker

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
)

// rawBTF builds a little-endian .BTF from type words and a string section.
func rawBTF(types []uint32, strs string) []byte {
	le := binary.LittleEndian
	var t []byte
	for _, w := range types {
		t = le.AppendUint32(t, w)
	}
	b := le.AppendUint16(nil, btfMagic)
	b = append(b, 1, 0)
	for _, w := range []uint32{btfHeaderLen, 0, uint32(len(t)), uint32(len(t)), uint32(len(strs))} {
		b = le.AppendUint32(b, w)
	}
	return append(append(b, t...), strs...)
}

func TestParseBTFErrors(t *testing.T) {
	intType := []uint32{1, kindInt << 24, 4, 32} // "a": int, 4 bytes
	ptrTo := func(id uint32) []uint32 { return []uint32{0, kindPtr << 24, id} }
	for _, c := range []struct {
		name string
		raw  []byte
		want string
	}{
		{"short", []byte{0x9f, 0xeb}, "header truncated"},
		{"magic", func() []byte { b := rawBTF(nil, "\x00"); b[0], b[1] = b[1], b[0]; return b }(), "bad magic"},
		{"version", func() []byte { b := rawBTF(nil, "\x00"); b[2] = 2; return b }(), "version 2"},
		{"types-outside", func() []byte { b := rawBTF(intType, "\x00a\x00"); b[12] = 200; return b }(), "types: section"},
		{"name-outside", rawBTF([]uint32{99, kindInt << 24, 4, 32}, "\x00a\x00"), "name: string offset 99"},
		{"unterminated", rawBTF(intType, "\x00a"), "not terminated"},
		{"unknown-kind", rawBTF([]uint32{0, 31 << 24, 0}, "\x00"), "unknown BTF kind 31"},
		{"truncated-type", rawBTF([]uint32{1, kindInt << 24, 4}, "\x00a\x00"), "truncated"},
		{"dangling-ref", rawBTF(ptrTo(7), "\x00"), "refers to type 7 of 1"},
		{"member-name", rawBTF([]uint32{0, kindStruct<<24 | 1, 4, 50, 0, 0}, "\x00"), "member 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := parseBTF(c.raw, binary.LittleEndian, 0, 0)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("parseBTF: %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestDedup(t *testing.T) {
	// Two objects each with: 1 int "a", 2 ptr -> 3, 3 struct "s" {p: 2},
	// a struct referring to itself through a pointer, plus in the second
	// object a struct "s" of another size: the copies merge, the other
	// struct stays apart.
	one := []uint32{
		1, kindInt << 24, 4, 32,
		0, kindPtr << 24, 3,
		3, kindStruct<<24 | 1, 8, 5, 2, 0,
	}
	two := append(append([]uint32(nil), one...), 3, kindStruct<<24|1, 16, 5, 2, 0)
	strs := "\x00a\x00s\x00p\x00"
	m := mergeRaw(t, rawBTF(one, strs), rawBTF(two, strs))
	m.dedup()
	c := m.class
	if c[1] != c[4] || c[2] != c[5] || c[3] != c[6] {
		t.Errorf("classes %v: the two copies of int, pointer and struct must merge", c)
	}
	if c[7] == c[3] {
		t.Errorf("classes %v: the 16-byte struct s must stay apart", c)
	}
}

// mergeRaw returns the unmerged btfMerge of objects' raw .BTF, ready for
// dedup, resolveFwds and compatible.
func mergeRaw(tb testing.TB, objects ...[]byte) *btfMerge {
	tb.Helper()
	m := &btfMerge{all: []*btfType{nil}}
	for i, raw := range objects {
		m.base = append(m.base, uint32(len(m.all)-1))
		ts, _, err := parseBTF(raw, binary.LittleEndian, i, uint32(len(m.all)-1))
		if err != nil {
			tb.Fatal(err)
		}
		m.all = append(m.all, ts...)
	}
	m.alias = make([]uint32, len(m.all))
	m.dropped = make([]bool, len(m.all))
	return m
}

// btfBuilder writes the .BTF of one object, type by type; each method
// returns the new type's ID.
type btfBuilder struct {
	words []uint32
	strs  []byte
	n     uint32
}

func (b *btfBuilder) str(s string) uint32 {
	if len(b.strs) == 0 {
		b.strs = []byte{0}
	}
	if s == "" {
		return 0
	}
	off := uint32(len(b.strs))
	b.strs = append(append(b.strs, s...), 0)
	return off
}

func (b *btfBuilder) add(name string, kind, vlen, kflag int, sizeType uint32, extra ...uint32) uint32 {
	b.words = append(b.words, b.str(name), uint32(kflag)<<31|uint32(kind)<<24|uint32(vlen), sizeType)
	b.words = append(b.words, extra...)
	b.n++
	return b.n
}

func (b *btfBuilder) raw() []byte { b.str(""); return rawBTF(b.words, string(b.strs)) }

func (b *btfBuilder) integer(name string, size uint32) uint32 {
	return b.add(name, kindInt, 0, 0, size, size*8)
}
func (b *btfBuilder) ptr(to uint32) uint32 { return b.add("", kindPtr, 0, 0, to) }
func (b *btfBuilder) typedef(name string, to uint32) uint32 {
	return b.add(name, kindTypedef, 0, 0, to)
}
func (b *btfBuilder) mod(kind int, to uint32) uint32 { return b.add("", kind, 0, 0, to) }
func (b *btfBuilder) fwd(name string, union bool) uint32 {
	kflag := 0
	if union {
		kflag = 1
	}
	return b.add(name, kindFwd, 0, kflag, 0)
}
func (b *btfBuilder) array(elem, index, n uint32) uint32 {
	return b.add("", kindArray, 0, 0, 0, elem, index, n)
}

// member is a struct member: name, type and bit offset.
type member struct {
	name      string
	typ, bits uint32
}

func (b *btfBuilder) structure(name string, size uint32, ms ...member) uint32 {
	var extra []uint32
	for _, m := range ms {
		extra = append(extra, b.str(m.name), m.typ, m.bits)
	}
	return b.add(name, kindStruct, len(ms), 0, size, extra...)
}

// fn adds a global FUNC and its prototype: ret(params...).
func (b *btfBuilder) fn(name string, linkage int, ret uint32, params ...uint32) uint32 {
	var extra []uint32
	for i, p := range params {
		extra = append(extra, b.str(fmt.Sprintf("%s_p%d", name, i)), p)
	}
	proto := b.add("", kindFuncProto, len(params), 0, ret, extra...)
	return b.add(name, kindFunc, linkage, 0, proto)
}

func (b *btfBuilder) variable(name string, linkage int, typ uint32) uint32 {
	return b.add(name, kindVar, 0, 0, typ, uint32(linkage))
}

// TestCompatible checks the rules a global's types in two objects must
// follow (libbpf's): what they may differ in, and what they may not.
func TestCompatible(t *testing.T) {
	for _, c := range []struct {
		name string
		// def and ext each write one object and return the ID of the
		// global's FUNC or VAR in it.
		def, ext func(b *btfBuilder) uint32
		want     string // "" when compatible, else the start of the mismatch
	}{
		{
			name: "bool-typedef", // stdbool.h's _Bool against vmlinux.h's typedef
			def:  func(b *btfBuilder) uint32 { return b.fn("f", linkGlobal, b.integer("_Bool", 1)) },
			ext:  func(b *btfBuilder) uint32 { return b.fn("f", linkExtern, b.typedef("bool", b.integer("_Bool", 1))) },
		},
		{
			name: "modifiers",
			def: func(b *btfBuilder) uint32 {
				return b.fn("f", linkGlobal, b.integer("int", 4), b.ptr(b.structure("foo", 4, member{"x", b.integer("int", 4), 0})))
			},
			ext: func(b *btfBuilder) uint32 {
				s := b.mod(kindTypeTag, b.mod(kindConst, b.mod(kindVolatile, b.fwd("foo", false))))
				return b.fn("f", linkExtern, b.typedef("s32", b.integer("int", 4)), b.mod(kindRestrict, b.mod(kindConst, b.ptr(s))))
			},
		},
		{
			name: "pointer-outline", // behind a pointer, a struct's members do not count
			def: func(b *btfBuilder) uint32 {
				return b.fn("f", linkGlobal, 0, b.ptr(b.structure("foo", 4, member{"x", b.integer("int", 4), 0})))
			},
			ext: func(b *btfBuilder) uint32 {
				l := b.integer("long", 8)
				return b.fn("f", linkExtern, 0, b.ptr(b.structure("foo", 16, member{"a", l, 0}, member{"b", l, 64})))
			},
		},
		{
			name: "int-encoding",
			def:  func(b *btfBuilder) uint32 { return b.fn("f", linkGlobal, b.integer("char", 1)) },
			ext:  func(b *btfBuilder) uint32 { return b.fn("f", linkExtern, b.integer("_Bool", 1)) },
		},
		{
			name: "array-length", // extern int a[]; against int a[4];
			def: func(b *btfBuilder) uint32 {
				i := b.integer("int", 4)
				return b.variable("a", linkGlobal, b.array(i, i, 4))
			},
			ext: func(b *btfBuilder) uint32 {
				i := b.integer("int", 4)
				return b.variable("a", linkExtern, b.array(i, b.integer("__ARRAY_SIZE_TYPE__", 4), 0))
			},
		},
		{
			name: "struct-by-value-through-typedef",
			def: func(b *btfBuilder) uint32 {
				i := b.integer("int", 4)
				return b.variable("v", linkGlobal, b.structure("pair", 8, member{"a", i, 0}, member{"b", b.typedef("s32", i), 32}))
			},
			ext: func(b *btfBuilder) uint32 {
				i := b.integer("int", 4)
				return b.variable("v", linkExtern, b.mod(kindConst, b.structure("pair", 8, member{"a", i, 0}, member{"b", i, 32})))
			},
		},
		{
			name: "int-size",
			def:  func(b *btfBuilder) uint32 { return b.fn("f", linkGlobal, b.integer("long", 8)) },
			ext:  func(b *btfBuilder) uint32 { return b.fn("f", linkExtern, b.typedef("bool", b.integer("_Bool", 1))) },
			want: "return value: int long of 8 bytes and of 1",
		},
		{
			name: "struct-name",
			def: func(b *btfBuilder) uint32 {
				return b.fn("f", linkGlobal, 0, b.ptr(b.structure("foo", 4, member{"x", b.integer("int", 4), 0})))
			},
			ext:  func(b *btfBuilder) uint32 { return b.fn("f", linkExtern, 0, b.ptr(b.fwd("bar", false))) },
			want: "parameter 1: pointer target: struct foo and declared struct bar",
		},
		{
			name: "param-count",
			def:  func(b *btfBuilder) uint32 { i := b.integer("int", 4); return b.fn("f", linkGlobal, i, i) },
			ext:  func(b *btfBuilder) uint32 { i := b.integer("int", 4); return b.fn("f", linkExtern, i, i, i) },
			want: "1 parameters and 2",
		},
		{
			name: "union-declared-as-struct",
			def: func(b *btfBuilder) uint32 {
				u := b.add("u", kindUnion, 1, 0, 4, b.str("x"), b.integer("int", 4), 0)
				return b.fn("f", linkGlobal, 0, b.ptr(u))
			},
			ext:  func(b *btfBuilder) uint32 { return b.fn("f", linkExtern, 0, b.ptr(b.fwd("u", false))) },
			want: "parameter 1: pointer target: union u and declared struct u",
		},
		{
			name: "declared-by-value", // only behind a pointer may a declaration stand for a struct
			def: func(b *btfBuilder) uint32 {
				return b.variable("v", linkGlobal, b.structure("foo", 4, member{"x", b.integer("int", 4), 0}))
			},
			ext:  func(b *btfBuilder) uint32 { return b.variable("v", linkExtern, b.fwd("foo", false)) },
			want: "struct foo and declared struct foo",
		},
		{
			name: "member-offset",
			def: func(b *btfBuilder) uint32 {
				i := b.integer("int", 4)
				return b.variable("v", linkGlobal, b.structure("pair", 8, member{"a", i, 0}, member{"b", i, 32}))
			},
			ext: func(b *btfBuilder) uint32 {
				i := b.integer("int", 4)
				return b.variable("v", linkExtern, b.structure("pair", 8, member{"a", i, 0}, member{"b", i, 16}))
			},
			want: "struct pair: member 1 is \"b\" at 0x20 and \"b\" at 0x10",
		},
		{
			name: "member-type",
			def: func(b *btfBuilder) uint32 {
				return b.variable("v", linkGlobal, b.structure("s", 8, member{"p", b.ptr(0), 0}))
			},
			ext: func(b *btfBuilder) uint32 {
				return b.variable("v", linkExtern, b.structure("s", 8, member{"p", b.integer("long", 8), 0}))
			},
			want: "struct s: member p: pointer and int long",
		},
		{
			name: "void-return",
			def:  func(b *btfBuilder) uint32 { return b.fn("f", linkGlobal, 0) },
			ext:  func(b *btfBuilder) uint32 { return b.fn("f", linkExtern, b.integer("int", 4)) },
			want: "return value: void and int int",
		},
		{
			name: "typedef-cycle", // a bad object must not hang the check
			def: func(b *btfBuilder) uint32 {
				return b.fn("f", linkGlobal, b.add("t", kindTypedef, 0, 0, 1)) // itself
			},
			ext:  func(b *btfBuilder) uint32 { return b.fn("f", linkExtern, b.integer("int", 4)) },
			want: "return value: typedef t and int int",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			var def, ext btfBuilder
			d, e := c.def(&def), c.ext(&ext)
			m := mergeRaw(t, def.raw(), ext.raw())
			err := m.compatible(m.base[0]+d, m.base[1]+e)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("incompatible: %v", err)
			case c.want != "" && err == nil:
				t.Errorf("compatible, want a mismatch %q", c.want)
			case c.want != "" && !strings.HasPrefix(err.Error(), c.want):
				t.Errorf("mismatch %q, want %q", err, c.want)
			}
			if err2 := m.compatible(m.base[1]+e, m.base[0]+d); (err == nil) != (err2 == nil) {
				t.Errorf("compatible one way (%v) but not the other (%v)", err, err2)
			}
		})
	}
}

// TestResolveFwds checks that forward declarations resolve however deep
// the declaration that keeps two definitions apart, and in cycles.
func TestResolveFwds(t *testing.T) {
	var x, y, z btfBuilder
	// x: complete leaf and mid, ring_a and ring_b, and an ambiguous amb.
	i := x.integer("int", 4)
	leaf := x.structure("leaf", 4, member{"v", i, 0})
	midX := x.structure("mid", 16, member{"l", x.ptr(leaf), 0}, member{"m", i, 64})
	toB := x.ptr(x.n + 4) // ring_b, three types on
	ringA := x.structure("ring_a", 8, member{"b", toB, 0})
	ringB := x.structure("ring_b", 8, member{"a", x.ptr(ringA), 0})
	ambX := x.structure("amb", 4, member{"v", i, 0})
	useAmbX := x.structure("use_amb", 8, member{"p", x.ptr(ambX), 0})
	if ringB != toB+3 {
		t.Fatalf("ring_b is %d, want %d", ringB, toB+3)
	}
	// y: mid with leaf declared; ring_a with ring_b declared; another amb.
	i = y.integer("int", 4)
	midY := y.structure("mid", 16, member{"l", y.ptr(y.fwd("leaf", false)), 0}, member{"m", i, 64})
	ringAY := y.structure("ring_a", 8, member{"b", y.ptr(y.fwd("ring_b", false)), 0})
	y.structure("amb", 8, member{"v", y.integer("long", 8), 0})
	useAmbY := y.structure("use_amb", 8, member{"p", y.ptr(y.fwd("amb", false)), 0})
	// z: mid declared; ring_b with ring_a declared.
	fwdMid := z.fwd("mid", false)
	ringBZ := z.structure("ring_b", 8, member{"a", z.ptr(z.fwd("ring_a", false)), 0})

	m := mergeRaw(t, x.raw(), y.raw(), z.raw())
	m.resolveFwds()
	id := func(obj int, local uint32) uint32 { return m.base[obj] + local }
	class := func(obj int, local uint32) int { return m.class[m.resolve(id(obj, local))] }
	for _, c := range []struct {
		name string
		a, b int
	}{
		{"mid (leaf declared in y)", class(0, midX), class(1, midY)},
		{"mid (declared in z)", class(0, midX), class(2, fwdMid)},
		{"ring_a", class(0, ringA), class(1, ringAY)},
		{"ring_b", class(0, ringB), class(2, ringBZ)},
	} {
		if c.a != c.b {
			t.Errorf("%s: classes %d and %d, want one", c.name, c.a, c.b)
		}
	}
	if class(0, useAmbX) == class(1, useAmbY) {
		t.Error("use_amb: one class, but amb has two definitions, so y's declaration of it must stay one")
	}
	for id := 1; id < len(m.all); id++ {
		if t0 := m.all[id]; t0.kind() == kindFwd && (m.alias[id] == 0) != (t0.name == "amb") {
			t.Errorf("declaration of %s: alias %d", t0.name, m.alias[id])
		}
	}
}

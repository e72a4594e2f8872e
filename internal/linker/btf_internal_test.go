package linker

import (
	"encoding/binary"
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
	m := &btfMerge{all: []*btfType{nil}}
	for i, types := range [][]uint32{one, two} {
		ts, _, err := parseBTF(rawBTF(types, strs), binary.LittleEndian, i, uint32(len(m.all)-1))
		if err != nil {
			t.Fatal(err)
		}
		m.all = append(m.all, ts...)
	}
	m.alias = make([]uint32, len(m.all))
	m.dropped = make([]bool, len(m.all))
	m.dedup()
	c := m.class
	if c[1] != c[4] || c[2] != c[5] || c[3] != c[6] {
		t.Errorf("classes %v: the two copies of int, pointer and struct must merge", c)
	}
	if c[7] == c[3] {
		t.Errorf("classes %v: the 16-byte struct s must stay apart", c)
	}
}

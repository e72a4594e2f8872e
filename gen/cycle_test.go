package gen

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf/btf"
)

// BTF type kinds and record sizes the patches below need (see the kernel's
// Documentation/bpf/btf.rst).
const (
	btfKindArray   = 3
	btfKindTypedef = 8
	btfKindConst   = 10
	btfKindVar     = 14
)

// btfRecords returns the offset in data of each type record of the .BTF
// section of a little-endian BPF object, by type ID (index 0 unused).
func btfRecords(tb testing.TB, data []byte) []int {
	tb.Helper()
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	s := f.Section(".BTF")
	if s == nil {
		tb.Fatal("no .BTF section")
	}
	le := binary.LittleEndian
	b := data[s.Offset : s.Offset+s.Size]
	hdrLen, typeOff, typeLen := le.Uint32(b[4:]), le.Uint32(b[8:]), le.Uint32(b[12:])
	start := int(s.Offset) + int(hdrLen+typeOff)
	recs := []int{0}
	for off := 0; off < int(typeLen); {
		recs = append(recs, start+off)
		info := le.Uint32(data[start+off+4:])
		kind, vlen := (info>>24)&0x1f, int(info&0xffff)
		off += 12
		switch kind {
		case 1, 14, 17: // int, var, decl tag
			off += 4
		case 3: // array
			off += 12
		case 4, 5, 15, 19: // struct, union, datasec, enum64
			off += 12 * vlen
		case 6, 13: // enum, func proto
			off += 8 * vlen
		}
	}
	return recs
}

// btfRecord finds the type record of the given kind and name.
func btfRecord(tb testing.TB, data []byte, recs []int, kind uint32, name string) int {
	tb.Helper()
	f, _ := elf.NewFile(bytes.NewReader(data))
	s := f.Section(".BTF")
	le := binary.LittleEndian
	b := data[s.Offset : s.Offset+s.Size]
	strs := b[le.Uint32(b[4:])+le.Uint32(b[16:]):]
	for id, off := range recs[1:] {
		info := le.Uint32(data[off+4:])
		n := strs[le.Uint32(data[off:]):]
		if (info>>24)&0x1f == kind && string(n[:bytes.IndexByte(n, 0)]) == name {
			return id + 1
		}
	}
	tb.Fatalf("no BTF type %s of kind %d", name, kind)
	return 0
}

// selfReferentialObjects returns testdata/gen_arena.bpf.o patched so that
// a type refers to itself, which cilium/ebpf's BTF parser accepts:
//   - "const": the typedef root_t, the target of the pointer global list,
//     becomes an anonymous const of itself;
//   - "array": the variable list becomes the array _license has, whose
//     element type becomes that array itself.
func selfReferentialObjects(tb testing.TB) map[string][]byte {
	tb.Helper()
	orig, err := os.ReadFile("../testdata/gen_arena.bpf.o")
	if err != nil {
		tb.Fatal(err)
	}
	le := binary.LittleEndian
	objs := map[string][]byte{}

	data := bytes.Clone(orig)
	recs := btfRecords(tb, data)
	id := btfRecord(tb, data, recs, btfKindTypedef, "root_t")
	off := recs[id]
	le.PutUint32(data[off:], 0)                  // name_off: anonymous
	le.PutUint32(data[off+4:], btfKindConst<<24) // info: const
	le.PutUint32(data[off+8:], uint32(id))       // type: itself
	objs["const"] = data

	data = bytes.Clone(orig)
	recs = btfRecords(tb, data)
	arr := btfRecord(tb, data, recs, btfKindVar, "_license")
	arr = int(le.Uint32(data[recs[arr]+8:])) // the var's type: char[N]
	le.PutUint32(data[recs[arr]+12:], uint32(arr))
	list := btfRecord(tb, data, recs, btfKindVar, "list")
	le.PutUint32(data[recs[list]+8:], uint32(arr))
	objs["array"] = data
	return objs
}

// TestSelfReferentialTypes: Parse, Inspect and Generate return (an error
// or a result) on BTF whose qualifiers or arrays refer to themselves.
func TestSelfReferentialTypes(t *testing.T) {
	for name, data := range selfReferentialObjects(t) {
		t.Run(name, func(t *testing.T) {
			done := make(chan string)
			go func() {
				var log string
				if o, err := Parse("x.o", data, nil); err != nil {
					log = fmt.Sprintf("Parse: %v; ", err)
				} else if err := Inspect(io.Discard, o); err != nil {
					log = fmt.Sprintf("Inspect: %v; ", err)
				}
				_, err := Generate(Options{Package: "p", Output: "x.go", Objects: []Input{{Path: "x.o", Data: data}}, AllTypes: true})
				done <- log + fmt.Sprintf("Generate: %v", err)
			}()
			select {
			case log := <-done:
				t.Log(log)
				// Errors stay one readable line each.
				if strings.Contains(log, "\n") || len(log) > 2000 {
					t.Errorf("errors are not short single lines (%d bytes)", len(log))
				}
			case <-time.After(20 * time.Second):
				t.Fatal("Parse, Inspect or Generate did not return in 20s")
			}
		})
	}
}

// TestStripCycles: the helpers that look through qualifiers and arrays
// stop on types that contain themselves.
func TestStripCycles(t *testing.T) {
	c := &btf.Const{}
	c.Type = c
	a := &btf.Array{Nelems: 1}
	a.Type = a
	tag := &btf.TypeTag{Value: "arena"}
	tag.Type = tag
	if isTagged(&btf.Pointer{Target: c}) {
		t.Error("isTagged(pointer to self-const) = true")
	}
	if !isTagged(&btf.Pointer{Target: tag}) {
		t.Error(`isTagged(pointer to self-tag "arena") = false`)
	}
	if p := memberPointer(a); p != nil {
		t.Errorf("memberPointer(self-array) = %v", p)
	}
	if p := memberPointer(c); p != nil {
		t.Errorf("memberPointer(self-const) = %v", p)
	}
	if s := cTypeName(a); !strings.HasSuffix(s, "[1]") || !strings.HasPrefix(s, "…") {
		t.Errorf("cTypeName(self-array) = %.40q…", s)
	}
	if u := underlying(c); u != nil {
		t.Errorf("underlying(self-const) = %v, want nil", u)
	}
}

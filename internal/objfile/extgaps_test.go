package objfile

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
	"testing"

	"github.com/bpfskel/bpfskel/internal/linker"
)

// TestAlignExtInfo: objects whose code symbols cover every instruction
// come back as they are (no copy); a link whose overridden weak program
// left code without a symbol comes back with a rewritten .BTF.ext of the
// same size.
func TestAlignExtInfo(t *testing.T) {
	paths, err := filepath.Glob("../../testdata/*.bpf.o")
	if err != nil || len(paths) < 10 {
		t.Fatalf("%d testdata objects (%v)", len(paths), err)
	}
	read := func(p string) []byte {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	align := func(obj []byte) []byte {
		f, err := elf.NewFile(bytes.NewReader(obj))
		if err != nil {
			t.Fatal(err)
		}
		syms, _ := f.Symbols()
		out, err := alignExtInfo(obj, f, syms)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, p := range paths {
		obj := read(p)
		if out := align(obj); &out[0] != &obj[0] {
			t.Errorf("%s: copied although its symbols cover all code", filepath.Base(p))
		}
	}
	linked, err := linker.Link([]linker.Input{
		{Name: "weakprog1.bpf.o", Data: read("../../testdata/link/weakprog1.bpf.o")},
		{Name: "weakprog2.bpf.o", Data: read("../../testdata/link/weakprog2.bpf.o")},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := align(linked)
	if len(out) != len(linked) || bytes.Equal(out, linked) {
		t.Errorf("link with a gap: %d bytes in, %d out, changed: %v; want the same size, changed", len(linked), len(out), !bytes.Equal(out, linked))
	}
}

// FuzzAlignExtInfo feeds mutated links with a gap to alignExtInfo: an
// error or an object, never a panic, and never a different size.
func FuzzAlignExtInfo(f *testing.F) {
	var ins []linker.Input
	for _, n := range []string{"weakprog1", "weakprog2"} {
		data, err := os.ReadFile("../../testdata/link/" + n + ".bpf.o")
		if err != nil {
			f.Fatal(err)
		}
		ins = append(ins, linker.Input{Name: n, Data: data})
	}
	linked, err := linker.Link(ins)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(linked)
	f.Fuzz(func(t *testing.T, obj []byte) {
		ef, err := elf.NewFile(bytes.NewReader(obj))
		if err != nil {
			return
		}
		syms, _ := ef.Symbols()
		out, err := alignExtInfo(obj, ef, syms)
		if err == nil && len(out) != len(obj) {
			t.Fatalf("%d bytes in, %d out", len(obj), len(out))
		}
	})
}

package btf2go

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/golden"
	"github.com/cilium/ebpf/btf"
)

// testdataObjects returns the testdata objects that exercise btf2go.
func testdataObjects(tb testing.TB) []string {
	tb.Helper()
	objs, err := filepath.Glob("../testdata/types*.bpf.o")
	if err != nil || len(objs) == 0 {
		tb.Fatalf("no testdata/types*.bpf.o (run make testdata): %v", err)
	}
	return objs
}

// generateObject translates every named type and every section of obj.
func generateObject(tb testing.TB, obj string) []byte {
	tb.Helper()
	spec, err := btf.LoadSpec(obj)
	if err != nil {
		tb.Fatal(err)
	}
	g := New(Options{Statics: true})
	for _, t := range namedRoots(tb, spec, true) {
		if err := g.Add(t, ""); err != nil {
			tb.Fatal(err)
		}
	}
	return render(tb, g, "types", "testdata/"+filepath.Base(obj))
}

// TestGolden compares the declarations of each testdata object with
// testdata/golden/btf2go/NAME.go.golden.
func TestGolden(t *testing.T) {
	for _, obj := range testdataObjects(t) {
		name := strings.TrimSuffix(filepath.Base(obj), ".bpf.o")
		t.Run(name, func(t *testing.T) {
			got := generateObject(t, obj)
			golden.Check(t, filepath.Join("..", "testdata", "golden", "btf2go", name+".go.golden"), got)
		})
	}
}

// TestLayoutCompiles builds and vets the declarations of every testdata
// object: their compile-time assertions check that unsafe.Sizeof and
// unsafe.Offsetof equal BTF's sizes and offsets.
func TestLayoutCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a temporary module")
	}
	files := make(map[string][]byte)
	for _, obj := range testdataObjects(t) {
		name := strings.TrimSuffix(filepath.Base(obj), ".bpf.o")
		files[name+".go"] = generateObject(t, obj)
	}
	// One package per object: names would collide across objects.
	for name, src := range files {
		t.Run(strings.TrimSuffix(name, ".go"), func(t *testing.T) {
			checkCompiles(t, map[string][]byte{name: src})
		})
	}
}

// TestBigEndian translates the testdata objects compiled for big-endian
// BPF: bitfields use the BE helpers, 128-bit integers the BE types, and the
// output is formatted.
func TestBigEndian(t *testing.T) {
	objs, _ := filepath.Glob("../testdata/*.bpfeb.o")
	if len(objs) == 0 {
		t.Skip("no big-endian testdata objects")
	}
	for _, obj := range objs {
		t.Run(filepath.Base(obj), func(t *testing.T) {
			spec, err := btf.LoadSpec(obj)
			if err != nil {
				t.Fatal(err)
			}
			gen := func() *Generator {
				g := New(Options{ByteOrder: binary.BigEndian})
				for _, root := range namedRoots(t, spec, true) {
					if err := g.Add(root, ""); err != nil {
						t.Fatal(err)
					}
				}
				return g
			}
			src := render(t, gen(), "types", "x")
			if bytes.Contains(src, []byte("runtime.Bits(")) || bytes.Contains(src, []byte("runtime.Int128\n")) {
				t.Error("little-endian helpers in big-endian output")
			}
		})
	}
}

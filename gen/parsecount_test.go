package gen

import (
	"os"
	"testing"

	"github.com/bpfskel/bpfskel/internal/objfile"
)

// TestParseOnce checks that generating a skeleton reads and parses each
// object once: one ELF read and one cilium/ebpf parse per object, the DWARF
// and the checks included.
func TestParseOnce(t *testing.T) {
	for _, objs := range [][]string{
		{"../testdata/gen_basic.bpf.o"},
		{"../testdata/dwarf_list.bpf.o"},
		{"../testdata/gen_basic.bpf.o", "../testdata/gen_basic.bpfeb.o"},
	} {
		var in []Input
		for _, p := range objs {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			in = append(in, Input{Path: p, Data: data})
		}
		reads0, parses0 := objfile.ParseCounts()
		if _, err := Generate(Options{Package: "p", Output: t.TempDir() + "/x.go", Objects: in}); err != nil {
			t.Fatal(err)
		}
		reads, parses := objfile.ParseCounts()
		if reads-reads0 != int64(len(objs)) || parses-parses0 != int64(len(objs)) {
			t.Errorf("%v: %d ELF reads and %d parses, want %d of each", objs, reads-reads0, parses-parses0, len(objs))
		}
	}
}

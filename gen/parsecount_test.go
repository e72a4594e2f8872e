package gen

import (
	"os"
	"testing"

	"github.com/bpfskel/bpfskel/internal/objfile"
)

// TestParseOnce checks that generating a skeleton reads and parses each
// object once: one ELF read and one cilium/ebpf parse per object, the DWARF
// and the checks included; a library skeleton's anchors too.
func TestParseOnce(t *testing.T) {
	for _, c := range []struct {
		objs []string
		lib  bool
	}{
		{objs: []string{"../testdata/gen_basic.bpf.o"}},
		{objs: []string{"../testdata/dwarf_list.bpf.o"}},
		{objs: []string{"../testdata/gen_basic.bpf.o", "../testdata/gen_basic.bpfeb.o"}},
		{objs: []string{"../testdata/link/lib.bpf.o"}, lib: true},
	} {
		objs := c.objs
		var in []Input
		for _, p := range objs {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			in = append(in, Input{Path: p, Data: data})
		}
		reads0, parses0 := objfile.ParseCounts()
		if _, err := Generate(Options{Package: "p", Output: t.TempDir() + "/x.go", Objects: in, Library: c.lib}); err != nil {
			t.Fatal(err)
		}
		reads, parses := objfile.ParseCounts()
		if reads-reads0 != int64(len(objs)) || parses-parses0 != int64(len(objs)) {
			t.Errorf("%v: %d ELF reads and %d parses, want %d of each", objs, reads-reads0, parses-parses0, len(objs))
		}
	}
}

package gen

import (
	"bytes"
	"debug/elf"
	"os"
	"strings"
	"testing"
)

// badDWARF returns the object at path with the DWARF version of its first
// compilation unit set to 0xffff: its DWARF cannot be read, the rest can.
func badDWARF(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	s := f.Section(".debug_info")
	if s == nil || s.Size < 6 || s.Flags&elf.SHF_COMPRESSED != 0 {
		t.Fatalf("%s: no uncompressed .debug_info section", path)
	}
	data[s.Offset+4], data[s.Offset+5] = 0xff, 0xff
	return data
}

// TestDWARFReadWhenNeeded checks that gen reads an object's DWARF only
// when something needs it: an unreadable DWARF goes unnoticed by an
// object whose emitted types BTF has complete (forward declarations behind
// kernel pointers included), and fails an object with a forward
// declaration to complete, -type of a type BTF lacks, and -all.
func TestDWARFReadWhenNeeded(t *testing.T) {
	for _, tc := range []struct {
		obj   string
		types []string
		all   bool
		reads bool
	}{
		{obj: "gen_basic", reads: false},
		{obj: "gen_basic", types: []string{"flow_key"}, reads: false}, // in BTF
		{obj: "dwarf_list", reads: true},                              // struct node is a Fwd
		// Forward declarations only behind kernel pointers, which the
		// skeleton writes as integers: nothing to complete.
		{obj: "gen_cc", reads: false},           // struct cc_list.first → struct cc_node
		{obj: "structops_legacy", reads: false}, // struct sock * in tcp_congestion_ops' functions
		{obj: "gen_basic", all: true, reads: true},
		{obj: "gen_basic", types: []string{"no_such_type"}, reads: true},
	} {
		path := "../testdata/" + tc.obj + ".bpf.o"
		good, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		opts := &Options{Types: tc.types, AllTypes: tc.all}
		want, wantErr := Parse(tc.obj, good, opts)
		o, err := Parse(tc.obj, badDWARF(t, path), opts)
		switch {
		case tc.reads && (err == nil || !strings.Contains(err.Error(), "read DWARF")):
			t.Errorf("%s %v all=%v: %v, want an error reading the DWARF", tc.obj, tc.types, tc.all, err)
		case !tc.reads && wantErr != nil:
			t.Errorf("%s %v all=%v: intact object: %v", tc.obj, tc.types, tc.all, wantErr)
		case !tc.reads && err != nil:
			t.Errorf("%s %v all=%v: %v, want the DWARF left unread", tc.obj, tc.types, tc.all, err)
		case !tc.reads && (!o.HasDWARF || !want.HasDWARF):
			t.Errorf("%s: HasDWARF false for an object with DWARF", tc.obj)
		}
	}
}

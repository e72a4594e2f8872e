package gen

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestByteOrderAccessors checks that a skeleton for a big-endian object
// reads bitfields and 128-bit integers the big-endian way, and one for a
// little-endian object the little-endian way.
func TestByteOrderAccessors(t *testing.T) {
	el := readInput(t, "../testdata/types.bpf.o")
	eb := readInput(t, "../testdata/types.bpfeb.o")
	files, err := Generate(Options{Package: "p", Ident: "T", Output: filepath.Join("..", "testdata", "t.go"), Objects: []Input{eb, el}})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Fatalf("got %d files, want 2", len(files))
	}
	big, little := files[0].Data, files[1].Data
	for _, tc := range []struct {
		name      string
		data      []byte
		want, not []string
	}{
		{"big-endian", big, []string{"runtime.BitsBE(", "runtime.SetBitsBE(", "runtime.Int128BE"}, []string{"runtime.Bits(", "runtime.Int128\n"}},
		{"little-endian", little, []string{"runtime.Bits(", "runtime.SetBits(", "runtime.Int128"}, []string{"BitsBE(", "Int128BE"}},
	} {
		for _, w := range tc.want {
			if !bytes.Contains(tc.data, []byte(w)) {
				t.Errorf("%s skeleton lacks %q", tc.name, w)
			}
		}
		for _, n := range tc.not {
			if bytes.Contains(tc.data, []byte(n)) {
				t.Errorf("%s skeleton has %q", tc.name, n)
			}
		}
	}
}

package gen

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds mutated objects to Parse and Inspect: they must return
// an error or a model, never panic or hang.
func FuzzParse(f *testing.F) {
	objs, err := filepath.Glob("../testdata/gen_*.bpf.o")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range objs {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, data := range selfReferentialObjects(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := Parse("fuzz.o", data, nil)
		if err != nil {
			return
		}
		if err := Inspect(io.Discard, o); err != nil {
			t.Fatal(err)
		}
	})
}

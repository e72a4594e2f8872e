package linker_test

import (
	"testing"

	"github.com/bpfskel/bpfskel/internal/linker"
)

// FuzzLink links a mutated object after an intact one: the linker must
// return an error or an object, never panic, and a result must link again
// (with itself as the only input) without error.
func FuzzLink(f *testing.F) {
	for _, p := range []string{"../../testdata/link/a.bpf.o", "../../testdata/link/b.bpfeb.o", "../../testdata/link/lib.bpf.o"} {
		f.Add(readInput(f, p).Data)
	}
	lib := readInput(f, "../../testdata/link/lib.bpf.o")
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := linker.Link([]linker.Input{lib, {Name: "fuzz.o", Data: data}})
		if err != nil {
			return
		}
		if _, err := linker.Link([]linker.Input{{Name: "linked.o", Data: out}}); err != nil {
			t.Fatalf("relinking the output: %v", err)
		}
	})
}

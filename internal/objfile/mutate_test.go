package objfile

import (
	"math/rand/v2"
	"os"
	"testing"
)

// TestParseMutated parses objects that exercise each rewrite of the copy
// handed to cilium/ebpf (arena alias, .struct_ops rename, ksym untyping,
// weak bindings, kconfig marks) with bytes changed at random: Parse must
// return an error or an object, never panic.
func TestParseMutated(t *testing.T) {
	for _, name := range []string{"structops_legacy", "structops_cc", "ksyms", "weak", "gen_arena", "locked"} {
		obj, err := os.ReadFile("../../testdata/" + name + ".bpf.o")
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, uint64(len(obj))))
		for i := range 40 {
			b := append([]byte(nil), obj...)
			for range 1 + rng.IntN(4) {
				// Mostly the ELF and section headers and the tables at the
				// end, where the rewrites read.
				at := rng.IntN(len(b))
				if rng.IntN(2) == 0 {
					at = len(b) - 1 - rng.IntN(min(len(b), 2048))
				}
				b[at] = byte(rng.Uint32())
			}
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s mutation %d: panic: %v", name, i, r)
					}
				}()
				_, _ = Parse(b)
			}()
		}
	}
}

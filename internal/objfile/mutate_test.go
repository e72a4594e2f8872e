package objfile

import (
	"bytes"
	"math/rand/v2"
	"os"
	"testing"
)

// TestParseMutated parses objects that exercise each rewrite of the copy
// handed to cilium/ebpf (arena alias, .struct_ops rename, ksym untyping,
// weak bindings, kconfig marks) with bytes changed at random: Parse must
// return an error or an object, never panic.
func TestParseMutated(t *testing.T) {
	for _, name := range []string{"structops_legacy", "structops_cc", "ksyms", "weak", "gen_arena", "locked", "hidden"} {
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

// TestParseLeavesInput checks that the rewrites patch parse's own copy of
// the object, never the caller's bytes, on objects that take several of
// them (the first copies, the later ones patch that copy in place).
func TestParseLeavesInput(t *testing.T) {
	for _, name := range []string{"structops_legacy", "structops_cc", "ksyms", "weak", "gen_arena", "arena_list", "locked", "hidden"} {
		obj, err := os.ReadFile("../../testdata/" + name + ".bpf.o")
		if err != nil {
			t.Fatal(err)
		}
		in := bytes.Clone(obj)
		if _, err := Parse(in); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(in, obj) {
			t.Errorf("%s: Parse changed the bytes it was given", name)
		}
	}
}

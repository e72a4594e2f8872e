//go:build linux

package runtime_test

import (
	"testing"

	"github.com/cilium/ebpf"
)

// TestSubprogramSections loads an object whose programs call functions
// placed in sections that name no program type.
func TestSubprogramSections(t *testing.T) {
	_, c := loadObject(t, "subprog", nil)
	if c.Program("plus_one") != nil || c.Program("twice") != nil {
		t.Fatal("a callee was loaded as a program")
	}
	if _, err := c.Program("compute").Run(&ebpf.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := mustView[struct{ Result uint64 }](t, c, ".bss").Result; got != 41 {
		t.Fatalf("result = %d, want 41", got)
	}
}

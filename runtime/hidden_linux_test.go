//go:build linux

package runtime_test

import (
	"testing"

	"github.com/cilium/ebpf"
)

// TestHiddenFunctions loads testdata/hidden.bpf.c, whose hidden global
// functions only pass the verifier when checked with their caller (as
// libbpf has it, marking them static in BTF), and runs it.
func TestHiddenFunctions(t *testing.T) {
	_, c := loadObject(t, "hidden", nil)
	if ret, err := c.Program("run").Run(&ebpf.RunOptions{}); err != nil || ret != 0 {
		t.Fatalf("run: %d, %v", ret, err)
	}
	if got := *mustView[uint64](t, c, ".bss"); got != 50 {
		t.Errorf("result = %d, want 50", got)
	}
}

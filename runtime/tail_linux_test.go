//go:build linux

package runtime_test

import (
	"testing"

	"github.com/cilium/ebpf"
)

// TestProgramArray checks that a program array initialised in the object
// is filled once its programs exist: the tail call reaches an arena program.
func TestProgramArray(t *testing.T) {
	s, c := loadObject(t, "arena_tail", nil)
	ret, err := c.Program("entry").Run(&ebpf.RunOptions{Data: make([]byte, 64)})
	if err != nil {
		t.Fatal(err)
	}
	if ret != 2 { // XDP_PASS from the tail program, not XDP_DROP
		t.Fatalf("entry returned %d, want 2 (XDP_PASS)", ret)
	}
	if n := *global[uint64](t, s, c, "tail_hits"); n != 1 {
		t.Fatalf("tail_hits = %d", n)
	}
}

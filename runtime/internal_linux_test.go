//go:build linux

package runtime

import (
	"os"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
)

// TestPlacementProbe records what the full-range ld_imm64 probe finds and
// that Load places the globals accordingly.
func TestPlacementProbe(t *testing.T) {
	kerneltest.Require(t)
	full, err := haveFullRangeLdImm64()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("kernel accepts full-range ld_imm64 offsets: %v", full)
	obj, err := os.ReadFile("../testdata/arena_list.bpf.o")
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadSpec(obj)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	off, _ := c.Arena().GlobalsOffset()
	if want := uint64(0); full {
		want = c.Arena().Size() - roundUp(uint64(len(s.arena().Data)), uint64(pageSize))
		if off != want {
			t.Fatalf("globals at %#x, want %#x", off, want)
		}
	} else if off != want {
		t.Fatalf("globals at %#x, want 0", off)
	}
}

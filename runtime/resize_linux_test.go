//go:build linux

package runtime_test

import (
	"os"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/cilium/ebpf"
)

// TestArenaResizedInSpec checks that Load takes the arena's size from the
// arena map of Spec.Collection as edited after LoadSpec.
func TestArenaResizedInSpec(t *testing.T) {
	kerneltest.Require(t)
	s := parseObject(t, "smoke")
	const size = 2 << 20
	n := 0
	for _, m := range s.Collection.Maps {
		if m.Type == ebpf.Arena {
			m.MaxEntries = uint32(size / os.Getpagesize())
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d arena maps", n)
	}
	c, err := s.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := c.Arena().Size(); got != size {
		t.Fatalf("arena of %d bytes, want %d", got, size)
	}
}

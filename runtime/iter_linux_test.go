//go:build linux

package runtime_test

import (
	"io"
	"testing"

	"github.com/cilium/ebpf/link"
)

// TestAttachIter attaches a task iterator through Attach and runs it.
func TestAttachIter(t *testing.T) {
	s, c := loadObject(t, "arena_iter", nil)
	if err := c.Attach(); err != nil {
		t.Fatalf("%+v", err)
	}
	links := c.Links()
	if len(links) != 1 {
		t.Fatalf("%d links, want 1", len(links))
	}
	it, ok := links[0].(*link.Iter)
	if !ok {
		t.Fatalf("link is %T, not *link.Iter", links[0])
	}
	r, err := it.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := io.Copy(io.Discard, r); err != nil {
		t.Fatal(err)
	}
	if n := *global[uint64](t, s, c, "tasks"); n < 2 {
		t.Errorf("task iterator counted %d tasks", n)
	}
}

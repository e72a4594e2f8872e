//go:build linux

package arena

import (
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

// BPF builds a linked list of items in the arena; Go reads the arena
// globals and walks the list through the skeleton's types, including the
// ones BTF lacks (item) or only forward-declares (node).
func TestWalkListBPFBuilt(t *testing.T) {
	kerneltest.Require(t)
	spec, err := LoadListSkelSpec()
	if err != nil {
		t.Fatal(err)
	}
	if spec.ArenaGlobals.Want != 4 {
		t.Fatalf("spec ArenaGlobals.Want = %d, want the C initial value 4", spec.ArenaGlobals.Want)
	}
	const n = 6
	spec.ArenaGlobals.Want = n
	x, err := spec.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()

	if x.Arena == nil || x.Arena.Size() != 16*uint64(4096) {
		t.Fatalf("Arena = %v, want a 16-page arena", x.Arena)
	}
	if x.ArenaGlobals.Built != 0 || x.ArenaGlobals.Want != n {
		t.Fatalf("ArenaGlobals before build = %+v", *x.ArenaGlobals)
	}
	ret, err := x.Programs.Build.Run(&ebpf.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ret != 0 {
		t.Fatalf("build returned %d", ret)
	}
	if x.ArenaGlobals.Built != n || x.ArenaGlobals.Head.Count != n {
		t.Fatalf("ArenaGlobals after build: Built %d, Head.Count %d, want %d", x.ArenaGlobals.Built, x.ArenaGlobals.Head.Count, n)
	}

	// The pointer global in .bss points at the arena global head.
	root := x.BSS.List.Get(x.Arena)
	if root != &x.ArenaGlobals.Head {
		t.Fatalf("BSS.List.Get = %p, want &ArenaGlobals.Head %p", root, &x.ArenaGlobals.Head)
	}

	// Newest first: keys n-1 … 0.
	want := uint32(n)
	for p := root.First; !p.IsNil(); {
		node := p.Get(x.Arena)
		if node == nil {
			t.Fatalf("node pointer %#x is outside the arena", uint64(p))
		}
		want--
		if node.Key != want || node.Val != want*want {
			t.Errorf("node = {Key %d, Val %d}, want {%d, %d}", node.Key, node.Val, want, want*want)
		}
		// A node is the first member of its item.
		item := runtime.Ptr[Item](p).Get(x.Arena)
		if item.Payload != 1000+uint64(want) {
			t.Errorf("item %d payload = %d, want %d", want, item.Payload, 1000+want)
		}
		p = node.Next
	}
	if want != 0 {
		t.Errorf("walked %d nodes, want %d", n-want, n)
	}
}

//go:build linux

package linked

import (
	"encoding/binary"
	"os"
	"slices"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/cilium/ebpf"
)

// TestLinkedSkeleton loads the linked object through its skeleton, runs
// both programs, and reads the lists they built with the library in the
// one arena through the typed arena globals.
func TestLinkedSkeleton(t *testing.T) {
	kerneltest.Require(t)
	x, err := LoadList(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	run := func(p *ebpf.Program, n uint32) uint32 {
		t.Helper()
		opts := &ebpf.RunOptions{}
		if n > 0 {
			opts.Context = binary.NativeEndian.AppendUint32(nil, n)
		}
		ret, err := p.Run(opts)
		if err != nil {
			t.Fatal(err)
		}
		return ret
	}
	run(x.Programs.PushA, 4)
	run(x.Programs.PushB, 3)
	run(x.Programs.PushA, 1)
	if a, b := run(x.Programs.CountA, 0), run(x.Programs.CountB, 0); a != 2 || b != 2 {
		t.Errorf("count_a %d, count_b %d: want 2 and 2", a, b)
	}
	walk := func(l ListStruct) []uint64 {
		var vals []uint64
		for n := l.Head.Get(x.Arena); n != nil && len(vals) < 100; n = n.Next.Get(x.Arena) {
			vals = append(vals, n.Value)
		}
		return vals
	}
	g := x.ArenaGlobals
	// B's strong list_transform (×10) replaced the library's weak one in
	// both programs; pushes prepend.
	if got, want := walk(g.ListA), []uint64{0, 30, 20, 10, 0}; !slices.Equal(got, want) {
		t.Errorf("list_a = %v, want %v", got, want)
	}
	if got, want := walk(g.ListB), []uint64{20, 10, 0}; !slices.Equal(got, want) {
		t.Errorf("list_b = %v, want %v", got, want)
	}
	if g.ListA.Len != 5 || g.ListA.Sum != 60 || g.ListB.Len != 3 || g.ListB.Sum != 30 {
		t.Errorf("list_a len %d sum %d, list_b len %d sum %d: want 5 60 3 30", g.ListA.Len, g.ListA.Sum, g.ListB.Len, g.ListB.Sum)
	}
	if g.LibNodes != 8 {
		t.Errorf("lib_nodes %d, want 8", g.LibNodes)
	}
	if p := g.BPage.Get(x.Arena); p == nil || *p != 7 {
		t.Errorf("*b_page = %v, want 7 (lib_nodes when B last ran)", p)
	}
	// B's CO-RE read, whose relocation moved with B's code.
	if x.BSS.BTgid != uint32(os.Getpid()) {
		t.Errorf("b_tgid = %d, want the test's pid %d", x.BSS.BTgid, os.Getpid())
	}
	if x.BSS.LibKernelVersion == 0 || x.BSS.AKernelVersion != x.BSS.LibKernelVersion {
		t.Errorf("lib_kernel_version %#x, a_kernel_version %#x: want the kernel's version in both (one kconfig extern of two objects)", x.BSS.LibKernelVersion, x.BSS.AKernelVersion)
	}
}

//go:build linux

package manyshared

import (
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/cilium/ebpf"
)

// TestThreeSkeletons loads the three skeletons, which share Event and
// Kind, at once, runs each one's
// program twice and reads what it recorded through its own typed map and
// views: the same C names, three Go namespaces.
func TestThreeSkeletons(t *testing.T) {
	kerneltest.Require(t)
	a, err := LoadManyA(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := LoadManyB(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	c, err := LoadManyC(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	for _, p := range []*ebpf.Program{a.Programs.Run, b.Programs.Run, c.Programs.Run, a.Programs.Run, b.Programs.Run, c.Programs.Run} {
		if ret, err := p.Run(&ebpf.RunOptions{}); err != nil || ret != 0 {
			t.Fatalf("run: %d, %v", ret, err)
		}
	}
	if ea, err := a.Maps.Events.Lookup(1); err != nil || ea != (Event{Id: 1, Kind: KindA, Value: 102}) {
		t.Errorf("many_a event = %+v, %v", ea, err)
	}
	if eb, err := b.Maps.Events.Lookup(2); err != nil || eb != (Event{Id: 2, Kind: KindB, Value: 202}) {
		t.Errorf("many_b event = %+v, %v", eb, err)
	}
	if ec, err := c.Maps.Events.Lookup(3); err != nil || ec != (Event{Id: 3, Kind: KindC, Value: 302}) {
		t.Errorf("many_c event = %+v, %v", ec, err)
	}
	if _, err := a.Maps.Events.Lookup(2); err == nil {
		t.Errorf("many_a's map has many_b's event: the maps are shared")
	}
	for name, runs := range map[string]uint64{"a": a.BSS.Runs, "b": b.BSS.Runs, "c": c.BSS.Runs} {
		if runs != 2 {
			t.Errorf("many_%s ran %d times, want 2", name, runs)
		}
	}
	if got := KindB.String(); got != "KIND_B" {
		t.Errorf("KindB.String() = %q", got)
	}
}

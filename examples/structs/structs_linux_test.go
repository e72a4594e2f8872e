//go:build linux

package main

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
)

// check verifies that the three structures hold exactly keys, each hash
// entry and tree node with value key*10+bump, and that the list has them in
// order.
func check(t *testing.T, obj *Structs, listOrder []uint64, bump uint64) {
	t.Helper()
	a, s := obj.Arena, &obj.ArenaGlobals.S

	var list []uint64
	for d := range s.List(a) {
		list = append(list, d.Key)
	}
	if !slices.Equal(list, listOrder) {
		t.Fatalf("list = %v, want %v", list, listOrder)
	}
	var back []uint64
	for d := range s.Backward(a) {
		back = append(back, d.Key)
	}
	slices.Reverse(back)
	if !slices.Equal(back, listOrder) {
		t.Fatalf("list walked backwards = %v, want %v", back, listOrder)
	}

	sorted := slices.Sorted(slices.Values(listOrder))
	var tree []uint64
	for n := range s.InOrder(a) {
		tree = append(tree, n.Key)
		if n.Value != n.Key*10+bump {
			t.Fatalf("tree node %d has value %d, want %d", n.Key, n.Value, n.Key*10+bump)
		}
	}
	if !slices.Equal(tree, sorted) {
		t.Fatalf("tree in order = %v, want %v", tree, sorted)
	}

	var hash []uint64
	for h := range s.Entries(a) {
		hash = append(hash, h.Key)
		if bucket(h.Key) >= uint64(len(s.Buckets)) || s.Lookup(a, h.Key) == nil {
			t.Fatalf("hash entry %d not reachable through its bucket", h.Key)
		}
	}
	slices.Sort(hash)
	if !slices.Equal(hash, sorted) {
		t.Fatalf("hash keys = %v, want %v", hash, sorted)
	}
	for _, k := range sorted {
		if h := s.Lookup(a, k); h == nil || h.Value != k*10 {
			t.Fatalf("Lookup(%d) = %+v, want value %d", k, h, k*10)
		}
	}
	if s.Count != uint64(len(listOrder)) {
		t.Fatalf("count = %d, want %d", s.Count, len(listOrder))
	}
}

func TestBuildWalkRemoveSum(t *testing.T) {
	kerneltest.Require(t)
	obj, err := LoadStructs(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	a, s := obj.Arena, &obj.ArenaGlobals.S

	r := rand.New(rand.NewPCG(1, 2))
	seen := map[uint64]bool{}
	var keys []uint64
	for len(keys) < 500 {
		k := r.Uint64N(1 << 40)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	if err := call(obj, obj.Programs.Build, keys); err != nil {
		t.Fatal(err)
	}
	check(t, obj, keys, 0)

	// BPF removes every third key; Go sees it in all three structures.
	var removed, kept []uint64
	for i, k := range keys {
		if i%3 == 0 {
			removed = append(removed, k)
		} else {
			kept = append(kept, k)
		}
	}
	if err := call(obj, obj.Programs.Remove, removed); err != nil {
		t.Fatal(err)
	}
	check(t, obj, kept, 0)

	// Go changes the structures: bumps every hash value, appends to the
	// list and inserts into the tree with arena memory Go allocated.
	var wantHashValues uint64
	for h := range s.Entries(a) {
		h.Value++
		wantHashValues += h.Value
	}
	var keySum uint64
	for _, k := range kept {
		keySum += k
	}
	extra := []uint64{1 << 41, 1<<41 + 1, 3}
	for _, k := range extra {
		if err := s.Append(a, k); err != nil {
			t.Fatal(err)
		}
		if err := s.Insert(a, k, k*10); err != nil {
			t.Fatal(err)
		}
		keySum += k
	}
	if err := call(obj, obj.Programs.Sum, nil); err != nil {
		t.Fatal(err)
	}
	got := obj.BSS.Totals
	want := Totals{
		HashCount: uint64(len(kept)), HashKeySum: keySum - extra[0] - extra[1] - extra[2], HashValueSum: wantHashValues,
		ListCount: uint64(len(kept) + len(extra)), ListKeySum: keySum,
		TreeCount: uint64(len(kept) + len(extra)), TreeKeySum: keySum, TreeValueSum: keySum * 10,
	}
	if got != want {
		t.Fatalf("BPF's walk of what Go changed = %+v, want %+v", got, want)
	}
}

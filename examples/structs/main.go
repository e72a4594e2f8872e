// Command structs shows use case 2 of the BPF arena: BPF builds data
// structures in the arena and Go reads them in place.
//
// A syscall program inserts keys that Go passes in into a hash table, a
// doubly linked list and a binary search tree in the arena; Go walks all
// three through the generated types; BPF deletes some keys and Go sees it;
// Go changes the structures and a second BPF program walks what Go changed.
// It needs root.
package main

//go:generate go tool bpfskel gen -pkg main -ident Structs -o structs_bpf.go structs.bpf.o

import (
	"errors"
	"fmt"
	"os"

	"github.com/cilium/ebpf"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "structs:", err)
		os.Exit(1)
	}
}

func run() error {
	obj, err := LoadStructs(nil)
	if err != nil {
		return err
	}
	defer obj.Close()
	a, s := obj.Arena, &obj.ArenaGlobals.S

	keys := []uint64{50, 20, 80, 10, 30, 70, 90, 60, 40}
	if err := call(obj, obj.Programs.Build, keys); err != nil {
		return err
	}
	fmt.Printf("structs: BPF inserted %d keys into a hash table, a list and a tree in the arena\n", s.Count)
	fmt.Print("structs: list (insertion order):")
	for d := range s.List(a) {
		fmt.Print(" ", d.Key)
	}
	fmt.Print("\nstructs: tree (in order):       ")
	for t := range s.InOrder(a) {
		fmt.Print(" ", t.Key)
	}
	fmt.Println()
	if h := s.Lookup(a, 70); h != nil {
		fmt.Printf("structs: hash lookup from Go: 70 -> %d\n", h.Value)
	}

	if err := call(obj, obj.Programs.Remove, []uint64{50, 10}); err != nil {
		return err
	}
	fmt.Print("structs: after BPF removed 50 and 10, tree:")
	for t := range s.InOrder(a) {
		fmt.Print(" ", t.Key)
	}
	fmt.Println()

	for h := range s.Entries(a) {
		h.Value++
	}
	if err := s.Append(a, 1000); err != nil {
		return err
	}
	if err := s.Insert(a, 1000, 10000); err != nil {
		return err
	}
	if err := call(obj, obj.Programs.Sum, nil); err != nil {
		return err
	}
	t := obj.BSS.Totals
	fmt.Printf("structs: after Go changed them, BPF's walk found: hash %d entries (values sum %d), list %d (keys sum %d), tree %d (keys sum %d)\n",
		t.HashCount, t.HashValueSum, t.ListCount, t.ListKeySum, t.TreeCount, t.TreeKeySum)
	return nil
}

// call puts keys in the global args, which the programs read, runs prog and
// checks that it returned 0.
func call(obj *Structs, prog *ebpf.Program, keys []uint64) error {
	args := &obj.BSS.Args
	if len(keys) > len(args.Keys) {
		return fmt.Errorf("%d keys: at most %d fit", len(keys), len(args.Keys))
	}
	args.Count = uint32(len(keys))
	copy(args.Keys[:], keys)
	ret, err := prog.Run(&ebpf.RunOptions{})
	if err != nil {
		return fmt.Errorf("run %s: %w", prog, err)
	}
	if ret != 0 {
		return errors.New(fmt.Sprint(prog, " returned ", int32(ret)))
	}
	return nil
}

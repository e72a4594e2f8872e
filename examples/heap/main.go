// Command heap shows use case 3 of the BPF arena: the arena is the BPF
// program's own heap.
//
// The arena has BPF_F_NO_USER_CONV (BPF stores 32-bit pointers) and
// BPF_F_SEGV_ON_FAULT (user space faults on pages BPF never allocated). A
// size-class allocator written in BPF keeps a log of variable-length
// records; Go reads the log through the generated types and Ptr.Get, and
// probes an unallocated page through the runtime's safe accessor. It needs
// root.
package main

//go:generate go tool bpfskel gen -pkg main -ident Heap -type op -o heap_bpf.go heap.bpf.o

import (
	"errors"
	"fmt"
	"os"

	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "heap:", err)
		os.Exit(1)
	}
}

func run() error {
	obj, err := LoadHeap(nil)
	if err != nil {
		return err
	}
	defer obj.Close()

	if err := call(obj.Programs.Append, 100, 40); err != nil {
		return err
	}
	if err := call(obj.Programs.Trim, 30, 0); err != nil {
		return err
	}
	if err := call(obj.Programs.Append, 30, 40); err != nil {
		return err
	}
	h, log := &obj.ArenaGlobals.Heap, &obj.ArenaGlobals.Events
	fmt.Printf("heap: BPF appended 130 records and trimmed 30: %d live, %d pages, %d allocations, %d frees\n",
		log.Count, h.Pages, h.Allocs, h.Frees)

	n, first, last, err := walk(obj)
	if err != nil {
		return err
	}
	fmt.Printf("heap: Go walked %d records through Ptr.Get, seq %d..%d, every data byte checked\n", n, first, last)
	off, _ := log.First.Offset(obj.Arena)
	fmt.Printf("heap: BPF stored the pointer to the first record as %#x: 32 bits, which Ptr.Get maps to offset %#x of the arena at %#x\n",
		uint64(log.First), off, obj.Arena.Base())

	off = obj.Arena.Size() / 2
	_, err = obj.Arena.ReadAt(make([]byte, 8), int64(off))
	var fault *runtime.FaultError
	if !errors.As(err, &fault) {
		return fmt.Errorf("reading an unallocated page: got %v, want a fault error", err)
	}
	fmt.Printf("heap: reading unallocated offset %#x returned an error instead of crashing: %v\n", off, err)
	return nil
}

// walk follows the log from Go, checks every record's data and returns how
// many records there are and the first and last sequence numbers.
func walk(obj *Heap) (n int, first, last uint64, err error) {
	a := obj.Arena
	for r := obj.ArenaGlobals.Events.First.Get(a); r != nil; r = r.Next.Get(a) {
		for j, b := range r.Data(int(r.Len)) {
			if b != uint8(r.Seq+uint64(j)) {
				return 0, 0, 0, fmt.Errorf("record %d: data[%d] = %d, want %d", r.Seq, j, b, uint8(r.Seq+uint64(j)))
			}
		}
		if n == 0 {
			first = r.Seq
		}
		last = r.Seq
		n++
	}
	return n, first, last, nil
}

// call runs prog (append or trim) for count records of length bytes.
func call(prog *ebpf.Program, count, length uint32) error {
	ret, err := prog.Run(&ebpf.RunOptions{Context: &Op{Count: count, Len: length}})
	if err != nil {
		return fmt.Errorf("run %s: %w", prog, err)
	}
	if ret != 0 {
		return fmt.Errorf("%s returned %d", prog, int32(ret))
	}
	return nil
}

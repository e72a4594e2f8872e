//go:build linux

package main

import (
	"errors"
	"os"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
)

// TestHeap runs the example with the arena globals where the kernel probe
// puts them, and forced to each of the two places Load can put them.
func TestHeap(t *testing.T) {
	kerneltest.Require(t)
	start, end := false, true
	for _, tc := range []struct {
		name  string
		atEnd *bool
	}{
		{"globals_probed", nil},
		{"globals_at_start", &start},
		{"globals_at_end", &end},
	} {
		t.Run(tc.name, func(t *testing.T) { testHeap(t, tc.atEnd) })
	}
}

func testHeap(t *testing.T, atEnd *bool) {
	obj, err := LoadHeap(&runtime.Options{ArenaGlobalsAtEnd: atEnd})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	a, h, log := obj.Arena, &obj.ArenaGlobals.Heap, &obj.ArenaGlobals.Events

	const flags = 1<<18 | 1<<17 // BPF_F_NO_USER_CONV | BPF_F_SEGV_ON_FAULT
	if a.Flags()&flags != flags {
		t.Fatalf("arena flags %#x lack NO_USER_CONV|SEGV_ON_FAULT", a.Flags())
	}
	ps := uint64(os.Getpagesize())
	gOff, gSize := a.GlobalsOffset()
	gEnd := gOff + (gSize+ps-1)/ps*ps
	if atEnd != nil && *atEnd != (gOff != 0) {
		t.Fatalf("globals at %#x, ArenaGlobalsAtEnd = %v", gOff, *atEnd)
	}

	// Reading a page BPF never allocated returns an error instead of
	// killing the process with SIGSEGV. Before any program has run only the
	// globals' pages are allocated, so the middle page of the arena, outside
	// the globals, is not.
	off := a.Size() / 2 / ps * ps
	if off < gEnd && off+ps > gOff {
		t.Fatalf("page %#x chosen as unallocated holds globals [%#x, %#x)", off, gOff, gEnd)
	}
	_, err = a.ReadAt(make([]byte, 16), int64(off))
	var fault *runtime.FaultError
	if !errors.As(err, &fault) || !errors.Is(err, runtime.ErrArenaFault) || fault.Offset != off {
		t.Fatalf("ReadAt(unallocated) = %v, want a *runtime.FaultError at %#x", err, off)
	}
	if _, err := a.ReadAt(make([]byte, 16), int64(gOff)); err != nil {
		t.Fatalf("ReadAt(globals at %#x) = %v", gOff, err)
	}

	// Records of every size class, then trims and appends that reuse the
	// freed blocks.
	steps := []struct {
		prog         string
		count, len   uint32
		wantLive     uint64
		wantFirstSeq uint64
	}{
		{"append", 200, 0, 200, 0},
		{"append", 50, 1000, 250, 0},
		{"append", 100, 100, 350, 0},
		{"trim", 120, 0, 230, 120},
		{"append", 120, 0, 350, 120},
	}
	var pagesAfterFirst uint64
	for i, s := range steps {
		prog := obj.Programs.Append
		if s.prog == "trim" {
			prog = obj.Programs.Trim
		}
		if err := call(prog, s.count, s.len); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if log.Count != s.wantLive {
			t.Fatalf("step %d: %d live records, want %d", i, log.Count, s.wantLive)
		}
		n, first, last, err := walk(obj)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if uint64(n) != s.wantLive || first != s.wantFirstSeq || last != log.NextSeq-1 {
			t.Fatalf("step %d: walked %d records seq %d..%d, want %d from %d to %d",
				i, n, first, last, s.wantLive, s.wantFirstSeq, log.NextSeq-1)
		}
		if i == 3 {
			pagesAfterFirst = h.Pages
		}
	}
	// The last append of 120 small records reused the 120 blocks that the
	// trim freed (the first 120 records were the same size): no new pages.
	if h.Pages != pagesAfterFirst {
		t.Errorf("pages grew from %d to %d: freed blocks were not reused", pagesAfterFirst, h.Pages)
	}
	if h.Frees != 120 || h.Allocs != 470 {
		t.Errorf("allocs %d frees %d, want 470 and 120", h.Allocs, h.Frees)
	}

	// Every pointer BPF stored is 32 bits, and Ptr.Get still follows it.
	for r := log.First.Get(a); r != nil; r = r.Next.Get(a) {
		if r.Next != 0 && uint64(r.Next)>>32 != 0 {
			t.Fatalf("record %d: next pointer %#x is not 32-bit", r.Seq, uint64(r.Next))
		}
	}
	if uint64(log.First)>>32 != 0 || uint64(log.First) == 0 {
		t.Fatalf("first pointer %#x is not a 32-bit pointer", uint64(log.First))
	}

	// A record BPF allocated reads fine through the same accessor.
	first, _ := log.First.Offset(a)
	if _, err := a.ReadAt(make([]byte, 16), int64(first)); err != nil {
		t.Fatalf("ReadAt(allocated record) = %v", err)
	}
}

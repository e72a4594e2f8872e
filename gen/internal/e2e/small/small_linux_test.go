//go:build linux

package small

import (
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

// skel is what the test needs of each of the three skeletons.
type skel struct {
	arena   *runtime.Arena
	vals    *runtime.Ptr[uint64]
	n       *uint64
	sum     *uint64
	prog    *ebpf.Program
	close   func() error
	pages   uint64
	maxVals int // what fits: the rest of the globals' page and the free pages
}

// TestNewInSmallArenas allocates with runtime.New and NewSlice in arenas of
// 1, 2 and 15 pages (fewer than the allocator's 16-page chunks), hands the
// values to BPF through an arena pointer and checks BPF's sum of them.
func TestNewInSmallArenas(t *testing.T) {
	kerneltest.Require(t)
	const page = 4096
	load := map[string]func(t *testing.T) skel{
		"1": func(t *testing.T) skel {
			x, err := LoadSmall1(nil)
			if err != nil {
				t.Fatal(err)
			}
			return skel{x.Arena, &x.ArenaGlobals.GoVals, &x.ArenaGlobals.GoN, &x.BSS.Sum, x.Programs.SumVals, x.Close, 1, (page - 16) / 8}
		},
		"2": func(t *testing.T) skel {
			x, err := LoadSmall2(nil)
			if err != nil {
				t.Fatal(err)
			}
			return skel{x.Arena, &x.ArenaGlobals.GoVals, &x.ArenaGlobals.GoN, &x.BSS.Sum, x.Programs.SumVals, x.Close, 2, page / 8}
		},
		"15": func(t *testing.T) skel {
			x, err := LoadSmall15(nil)
			if err != nil {
				t.Fatal(err)
			}
			return skel{x.Arena, &x.ArenaGlobals.GoVals, &x.ArenaGlobals.GoN, &x.BSS.Sum, x.Programs.SumVals, x.Close, 15, 4096}
		},
	}
	for _, name := range []string{"1", "2", "15"} {
		t.Run(name+"-pages", func(t *testing.T) {
			s := load[name](t)
			defer s.close()
			if got := s.arena.Size(); got != s.pages*page {
				t.Fatalf("arena size %d, want %d pages", got, s.pages)
			}
			// One value with New, then a slice: the most that fits
			// (capped at the 4096 values the BPF loop reads).
			one, err := runtime.New[uint64](s.arena)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			*one = 7
			n := s.maxVals - 1
			vals, err := runtime.NewSlice[uint64](s.arena, n)
			if err != nil {
				t.Fatalf("NewSlice of %d: %v", n, err)
			}
			var want uint64
			for i := range vals {
				vals[i] = uint64(i) + 1
				want += vals[i]
			}
			// New's value lies right before the slice's (both bump
			// allocated in the globals' page or one chunk), but give BPF
			// only the slice.
			*s.vals = runtime.PtrTo(s.arena, &vals[0])
			*s.n = uint64(len(vals))
			if _, err := s.prog.Run(&ebpf.RunOptions{}); err != nil {
				t.Fatal(err)
			}
			if *s.sum != want {
				t.Fatalf("BPF summed %d, want %d", *s.sum, want)
			}
			if *one != 7 {
				t.Fatalf("New's value was overwritten: %d", *one)
			}
		})
	}
}

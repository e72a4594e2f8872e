//go:build linux

package runtime_test

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

func TestVerifierRejection(t *testing.T) {
	kerneltest.Require(t)
	s := parseObject(t, "arena_reject")
	_, err := s.Load(nil)
	if err == nil {
		t.Fatal("load succeeded")
	}
	var ve *ebpf.VerifierError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) carries no *ebpf.VerifierError", err, err)
	}
	log := strings.Join(ve.Log, "\n")
	if !strings.Contains(log, "invalid mem access") || !strings.Contains(err.Error(), "b_bad") {
		t.Fatalf("error: %v\nlog:\n%s", err, log)
	}
	t.Log(err)
}

// TestCiliumAloneFails shows what the runtime does that cilium/ebpf
// v0.22.0 alone cannot: parse objects with arena globals (LoadSpec aliases
// their section) and load programs with addr_space_cast (Load issues
// BPF_PROG_LOAD itself exactly when cilium/ebpf's encoder clears the cast's
// offset). If cilium/ebpf learns either, this test fails and says which
// workaround could retire.
func TestCiliumAloneFails(t *testing.T) {
	obj := readObject(t, "arena_list")
	s, err := runtime.LoadSpec(obj)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("parse", func(t *testing.T) {
		_, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(obj))
		if err == nil {
			t.Fatal("cilium/ebpf now parses arena objects itself: LoadSpec's section alias could retire")
		}
		if !errors.Is(err, ebpf.ErrNotSupported) {
			t.Fatalf("cilium/ebpf alone: %v, want ErrNotSupported", err)
		}
		// What it trips over is a reference into the arena globals'
		// section, the one LoadSpec aliases (debug/elf names an index it
		// does not know SHN_UNDEF+index).
		f, err2 := elf.NewFile(bytes.NewReader(obj))
		if err2 != nil {
			t.Fatal(err2)
		}
		sec := f.Section(runtime.ArenaGlobalsSection)
		if sec == nil || runtime.ArenaOf(s) == nil || runtime.ArenaOf(s).Globals == nil {
			t.Fatalf("arena_list: no %s section or no arena globals in LoadSpec's result", runtime.ArenaGlobalsSection)
		}
		idx := slices.Index(f.Sections, sec)
		if want := fmt.Sprintf(" in section %v:", elf.SectionIndex(idx)); !strings.Contains(err.Error(), want) {
			t.Fatalf("cilium/ebpf alone: %v: want a reference%s (%s)", err, want, runtime.ArenaGlobalsSection)
		}
	})
	t.Run("load", func(t *testing.T) {
		kerneltest.Require(t)
		runtime.CiliumOnly(t)
		c, err := s.Load(nil)
		if err == nil {
			c.Close()
		}
		needed := runtime.MarshalDropsCastOffset()
		switch {
		case needed && err == nil:
			t.Fatal("cilium/ebpf alone loaded addr_space_cast programs although the runtime detects that its encoder clears the cast's offset")
		case needed && !strings.Contains(err.Error(), "BPF_MOV uses reserved fields"):
			t.Fatalf("cilium/ebpf alone: %v, want the verifier's \"BPF_MOV uses reserved fields\"", err)
		case !needed && err != nil:
			t.Fatalf("the runtime detects no need for its own BPF_PROG_LOAD, but cilium/ebpf alone fails: %v", err)
		}
	})
}

func TestPtrGetNeverEscapes(t *testing.T) {
	_, c := loadObject(t, "arena_segv", nil)
	a := c.Arena()
	lo, hi := a.Base(), a.Base()+uintptr(a.Size())
	r := rand.New(rand.NewPCG(1, 2))
	check := func(v uint64) {
		p := runtime.Ptr[[24]byte](v).Get(a)
		if p == nil {
			return
		}
		addr := uintptr(unsafe.Pointer(p))
		if addr < lo || addr+24 > hi {
			t.Fatalf("Ptr(%#x).Get = %#x outside [%#x, %#x)", v, addr, lo, hi)
		}
	}
	// An 8-byte T must come back 8-byte aligned (atomics through it must
	// not split a cache line); an in-range but misaligned p gives nil.
	checkAligned := func(v uint64) bool {
		p := runtime.Ptr[uint64](v).Get(a)
		if p == nil {
			return false
		}
		addr := uintptr(unsafe.Pointer(p))
		if addr%unsafe.Alignof(*p) != 0 || addr < lo || addr+8 > hi {
			t.Fatalf("Ptr[uint64](%#x).Get = %#x: misaligned or outside [%#x, %#x)", v, addr, lo, hi)
		}
		return true
	}
	inside, aligned, misaligned := 0, 0, 0
	for i := range 20000 {
		v := r.Uint64()
		if i%2 == 1 {
			// Keep the random high bits, put the low bits near the arena
			// so that the range checks, not luck, decide.
			lo := uint64(uint32(lo)) - a.Size() + r.Uint64N(3*a.Size())
			v = v&^(1<<32-1) | uint64(uint32(lo))
		}
		if runtime.Ptr[[24]byte](v).Get(a) != nil {
			inside++
			if checkAligned(v) {
				aligned++
			} else if v%8 != 0 {
				misaligned++
			}
		} else {
			checkAligned(v)
		}
		check(v)
	}
	if inside == 0 || aligned == 0 || misaligned == 0 {
		t.Fatalf("of 20000 samples %d landed inside the arena, %d of them aligned and %d misaligned for uint64: too few to test the checks", inside, aligned, misaligned)
	}
	// And the edges.
	for _, v := range []uint64{0, 1, uint64(lo), uint64(hi) - 24, uint64(hi) - 23, uint64(hi), uint64(lo) - 1, 1<<64 - 1, uint64(uint32(lo)), uint64(uint32(hi - 1))} {
		check(v)
	}
	if runtime.Ptr[[24]byte](uint64(hi)-23).Get(a) != nil {
		t.Error("object straddling the end was returned")
	}
	if runtime.Ptr[struct{}](uint64(hi)).Get(a) != nil || runtime.Ptr[struct{}](uint64(hi)-1).Get(a) == nil {
		t.Error("zero-size T at the end")
	}
	if runtime.Ptr[uint64](uint64(lo)+4).Get(a) != nil || runtime.Ptr[uint64](uint64(lo)+8).Get(a) == nil ||
		runtime.Ptr[[3]uint32](uint64(lo)+4).Get(a) == nil || runtime.Ptr[[3]uint32](uint64(lo)+2).Get(a) != nil {
		t.Error("alignment edges")
	}
	if runtime.Ptr[uint64](0).Get(a) != nil || runtime.Ptr[uint64](uint64(lo)).Get(nil) != nil {
		t.Error("nil cases")
	}
}

func countFDs(tb testing.TB) int {
	tb.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		tb.Fatal(err)
	}
	return len(ents)
}

// countMappings counts the process's mappings of BPF objects (the arena
// and data sections; the Go runtime's own mappings come and go).
func countMappings(tb testing.TB) int {
	tb.Helper()
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		tb.Fatal(err)
	}
	return bytes.Count(b, []byte("anon_inode:bpf"))
}

// TestNoLeaks fails loads (and closes good ones) in a loop and checks that
// no fd and no mapping is left behind.
func TestNoLeaks(t *testing.T) {
	kerneltest.Require(t)
	reject := parseObject(t, "arena_reject")
	fixed := parseObject(t, "arena_fixed")
	list := parseObject(t, "arena_list")
	cycle := func() {
		if _, err := reject.Load(nil); err == nil {
			t.Fatal("reject loaded")
		}
		c, err := fixed.Load(nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fixed.Load(nil); err == nil { // map_extra taken
			t.Fatal("second fixed load succeeded")
		}
		if _, err := runtime.New[uint64](c.Arena()); err != nil { // loads the allocator
			t.Fatal(err)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		c, err = list.Load(nil)
		if err != nil {
			t.Fatal(err)
		}
		if countMappings(t) == 0 {
			t.Fatal("no BPF mappings while a collection is loaded")
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	cycle() // warm up caches (kernel BTF, probes)
	fds, maps := countFDs(t), countMappings(t)
	if maps != 0 {
		t.Fatalf("%d BPF mappings before the loop", maps)
	}
	for range 30 {
		cycle()
	}
	if f, m := countFDs(t), countMappings(t); f != fds || m != maps {
		t.Fatalf("leak: fds %d -> %d, mappings %d -> %d", fds, f, maps, m)
	}
}

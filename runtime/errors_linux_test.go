//go:build linux

package runtime_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
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

// TestCiliumAloneFails documents why the runtime exists: cilium/ebpf
// v0.22.0 cannot parse arena objects. When it learns to, this test tells.
func TestCiliumAloneFails(t *testing.T) {
	obj := readObject(t, "arena_list")
	if _, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(obj)); err == nil {
		t.Log("cilium/ebpf now parses arena objects itself: LoadSpec's section alias could retire")
	} else {
		t.Logf("cilium/ebpf alone: %v", err)
	}
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
	inside := 0
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
		}
		check(v)
	}
	if inside == 0 {
		t.Fatal("no sample landed inside the arena")
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

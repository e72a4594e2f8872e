//go:build linux

package compat

import (
	"encoding/binary"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

// TestCongestionControl loads the struct_ops congestion control through
// its skeleton under a name set in the spec, registers it with Attach,
// has a loopback connection use it and checks its callbacks ran and that
// Close unregisters it.
func TestCongestionControl(t *testing.T) {
	kerneltest.Require(t)
	spec, err := LoadCcSpec()
	if err != nil {
		t.Fatal(err)
	}
	const name = "bpfskel_cc_e2e"
	spec.SkelCc.Name = [16]int8{}
	for i, c := range name {
		spec.SkelCc.Name[i] = int8(c)
	}
	x, err := spec.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.SkelCc.Map == nil || x.SkelCc.Ssthresh == nil || x.SkelCc.Init == nil || x.SkelCc.Ssthresh != x.Programs.SkelSsthresh {
		t.Fatalf("struct_ops fields: %+v", x.SkelCc)
	}
	if kerneltest.CongestionControlAvailable(t, name) {
		t.Fatalf("%s registered before Attach", name)
	}
	if err := x.Attach(); err != nil {
		t.Fatal(err)
	}
	if x.Links.SkelCc == nil || !kerneltest.CongestionControlAvailable(t, name) {
		t.Fatalf("%s not registered by Attach (link %v)", name, x.Links.SkelCc)
	}
	if err := kerneltest.TCPExchange(name); err != nil {
		t.Fatal(err)
	}
	if x.BSS.Inits == 0 || x.BSS.Calls == 0 {
		t.Fatalf("callbacks not called: %+v", *x.BSS)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if kerneltest.CongestionControlAvailable(t, name) {
		t.Fatalf("%s still registered after Close", name)
	}
}

// TestLocked reads and writes the sections the kernel cannot map through
// the skeleton's accessors, next to a live view of the one it can.
func TestLocked(t *testing.T) {
	kerneltest.Require(t)
	x, err := LoadLocked(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.Programs.Bump.Run(&ebpf.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	bss, err := x.ReadBSS()
	if err != nil || bss.LockedCount != 1 || x.Data.PlainCount != 2 {
		t.Fatalf("after a run: %+v, %v, plain %d", bss, err, x.Data.PlainCount)
	}
	bss.LockedCount = 99
	if err := x.WriteBSS(bss); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Programs.Bump.Run(&ebpf.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if bss, err = x.ReadBSS(); err != nil || bss.LockedCount != 100 {
		t.Fatalf("after a write and a run: %+v, %v", bss, err)
	}
	if _, err := x.ReadDataTimer(); err != nil {
		t.Fatal(err)
	}
}

// TestWeak runs both programs of the weak object through its skeleton.
func TestWeak(t *testing.T) {
	kerneltest.Require(t)
	x, err := LoadWeak(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, p := range []*ebpf.Program{x.Programs.Plain, x.Programs.InArena} {
		if ret, err := p.Run(&ebpf.RunOptions{}); err != nil || ret != 0 {
			t.Fatalf("run: %d, %v", ret, err)
		}
	}
	for i, r := range x.BSS.Results {
		if r.KernelVersion>>16 < 5 || r.HasCookie != 1 || r.HasSyscallWrapper != 1 || r.BpfSyscall != 1 ||
			r.NoSuchOption != 1 || r.KsymAddress != 0 || r.KfuncExists != 1 {
			t.Errorf("results[%d] = %+v", i, r)
		}
	}
	if x.BSS.Results[1].ArenaValue != 42 || x.Arena == nil {
		t.Errorf("arena program: %+v", x.BSS.Results[1])
	}
	if n, err := x.Maps.WeakCounts.Lookup(0); err != nil || n != 2 {
		t.Errorf("weak_counts = %d, %v; want 2", n, err)
	}
}

// TestAttachAlternatives attaches through the skeleton: the tp_btf program
// and not its raw_tp alternative, the "?" program only once enabled, and
// every failure in one error with KeepGoing.
func TestAttachAlternatives(t *testing.T) {
	kerneltest.Require(t)
	spec, err := LoadAttachAltSpec()
	if err != nil {
		t.Fatal(err)
	}
	spec.BSS.Tgid = uint64(os.Getpid())
	x, err := spec.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.Programs.OnExitOptional != nil {
		t.Fatal(`the "?" program was loaded`)
	}
	err = x.AttachWith(&runtime.AttachOptions{KeepGoing: true})
	if _, kerr := os.Stat("/sys/bus/event_source/devices/kprobe"); kerr != nil {
		if err == nil || !strings.Contains(err.Error(), "on_kprobe") || !strings.Contains(err.Error(), "on_ksyscall") {
			t.Fatalf("AttachWith(KeepGoing) without kprobes: %v", err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	if x.Links.OnEnterBtf == nil || x.Links.OnEnterRaw != nil {
		t.Fatalf("links %+v: want the tp_btf one only", x.Links)
	}
	for range 5 {
		syscall.Getppid()
	}
	if x.BSS.BtfHits < 5 || x.BSS.RawHits != 0 {
		t.Fatalf("hits %+v", *x.BSS)
	}
	if err := spec.SetAutoload("on_exit_optional", true); err != nil {
		t.Fatal(err)
	}
	x.Close()
	if x.Links.OnEnterBtf != nil {
		t.Fatal("Links kept after Close")
	}
}

// TestOddGlobals uses globals Go cannot type as C does through the
// skeleton: _Atomic variables as bytes, and a 12-byte section whose struct
// is padded to 16 so that its __u64 is a field, in the spec and live.
func TestOddGlobals(t *testing.T) {
	kerneltest.Require(t)
	spec, err := LoadOddSpec()
	if err != nil {
		t.Fatal(err)
	}
	if spec.DataOdd.Big != 7 || spec.DataOdd.Small != 3 {
		t.Fatalf("initial values %+v", *spec.DataOdd)
	}
	spec.DataOdd.Small = 4
	x, err := spec.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.Programs.Touch.Run(&ebpf.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if x.DataOdd.Big != 11 {
		t.Fatalf("big = %d, want 7 + 4", x.DataOdd.Big)
	}
	x.DataOdd.Big = 100
	if _, err := x.Programs.Touch.Run(&ebpf.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if x.DataOdd.Big != 104 {
		t.Fatalf("big = %d after a write of 100 and a run, want 104", x.DataOdd.Big)
	}
	if got := binary.NativeEndian.Uint64(x.BSS.AtomicCounter[:]); got != 10 {
		t.Fatalf("atomic_counter = %d, want 10", got)
	}
	if got := binary.NativeEndian.Uint32(x.BSS.AtomicSmall[:]); got != 4 {
		t.Fatalf("atomic_small = %d, want 4", got)
	}
}

// TestSubprogram runs a program that calls functions placed in sections
// that name no program type (callees, not programs).
func TestSubprogram(t *testing.T) {
	kerneltest.Require(t)
	x, err := LoadSubprog(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.Programs.Compute.Run(&ebpf.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if x.BSS.Result != 41 {
		t.Fatalf("result = %d, want plus_one(twice(20)) = 41", x.BSS.Result)
	}
}

// TestRenamedCollision loads the object whose maps ring_buf and ring__buf
// both become RingBuf, generated with -rename map:ring__buf=RingBuf2.
func TestRenamedCollision(t *testing.T) {
	kerneltest.Require(t)
	x, err := LoadCollide(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := x.Maps.RingBuf2.Update(0, 7, ebpf.UpdateAny); err != nil {
		t.Fatal(err)
	}
	if v, err := x.Maps.RingBuf.Lookup(0); err != nil || v != 0 {
		t.Fatalf("ring_buf[0] = %d, %v; want 0 (a different map from ring__buf)", v, err)
	}
	if v, err := x.Maps.RingBuf2.Lookup(0); err != nil || v != 7 {
		t.Fatalf("ring__buf[0] = %d, %v; want 7", v, err)
	}
}

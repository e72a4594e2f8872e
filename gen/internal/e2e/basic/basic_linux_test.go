//go:build linux

package basic

import (
	"errors"
	"maps"
	"os"
	"slices"
	"syscall"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/cilium/ebpf"
)

// load loads the skeleton from spec (or with defaults when spec is nil)
// and closes it when the test ends.
func load(tb testing.TB, spec *BasicSpec) *Basic {
	tb.Helper()
	kerneltest.Require(tb)
	var (
		x   *Basic
		err error
	)
	if spec == nil {
		x, err = LoadBasic(nil)
	} else {
		x, err = spec.Load(nil)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := x.Close(); err != nil {
			tb.Error(err)
		}
	})
	return x
}

func compute(tb testing.TB, x *Basic, input uint64) uint64 {
	tb.Helper()
	x.BSS.Input = input
	if _, err := x.Programs.Compute.Run(&ebpf.RunOptions{}); err != nil {
		tb.Fatal(err)
	}
	return x.BSS.Result
}

// A .rodata value set in the spec changes what the program does.
func TestRodataChangesBehaviour(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		x := load(t, nil)
		if x.Rodata.Factor != 1 || x.Rodata.OpMode != ModeAdd {
			t.Fatalf("Rodata = %+v, want the C initial values", *x.Rodata)
		}
		// result = input + factor + seed - 42
		if got := compute(t, x, 5); got != 6 {
			t.Errorf("compute(5) = %d, want 6", got)
		}
	})
	t.Run("mul", func(t *testing.T) {
		spec, err := LoadBasicSpec()
		if err != nil {
			t.Fatal(err)
		}
		spec.Rodata.Factor = 3
		spec.Rodata.OpMode = ModeMul
		x := load(t, spec)
		if got := compute(t, x, 5); got != 15 {
			t.Errorf("compute(5) with factor 3, MODE_MUL = %d, want 15", got)
		}
		if x.Rodata.Factor != 3 || x.Rodata.OpMode != ModeMul {
			t.Errorf("live Rodata = %+v, want the values set in the spec", *x.Rodata)
		}
	})
}

// .data is live memory: a write from Go is what the program reads next,
// and the spec's initial values reach the kernel.
func TestDataIsLive(t *testing.T) {
	spec, err := LoadBasicSpec()
	if err != nil {
		t.Fatal(err)
	}
	if spec.Data.Seed != 42 || spec.DataExtra.ExtraLimit != 5 {
		t.Fatalf("spec Data = %+v, DataExtra = %+v, want the C initial values", *spec.Data, *spec.DataExtra)
	}
	spec.DataExtra.ExtraLimit = 9
	x := load(t, spec)
	if x.DataExtra.ExtraLimit != 9 {
		t.Errorf("DataExtra.ExtraLimit = %d, want 9 set in the spec", x.DataExtra.ExtraLimit)
	}
	x.Data.Seed = 50
	if got := compute(t, x, 5); got != 5+1+50-42 {
		t.Errorf("compute(5) with seed 50 = %d, want %d", got, 5+1+50-42)
	}
	var tag []byte
	for _, c := range x.Data.Tag {
		if c != 0 {
			tag = append(tag, byte(c))
		}
	}
	if string(tag) != "basic" {
		t.Errorf("Data.Tag = %q, want %q", tag, "basic")
	}
}

// Attach attaches the raw tracepoint program; the counter it keeps in .bss
// is read through x.BSS, a plain memory read.
func TestAttachAndBSSCounter(t *testing.T) {
	x := load(t, nil)
	x.BSS.TargetTgid = uint32(os.Getpid())
	x.BSS.TargetNr = syscall.SYS_GETPPID
	if err := x.Attach(); err != nil {
		t.Fatal(err)
	}
	const calls = 7
	for range calls {
		syscall.Getppid()
	}
	if got := x.BSS.Syscalls; got != calls {
		t.Errorf("BSS.Syscalls = %d after %d getppid calls, want %d", got, calls, calls)
	}
	hits, err := x.Maps.Hits.Lookup(0)
	if err != nil {
		t.Fatal(err)
	}
	if hits != calls {
		t.Errorf("Maps.Hits[0] = %d, want %d", hits, calls)
	}

	// The per-CPU map has one value per possible CPU; their sum counts.
	perCPU, err := x.Maps.PerCpu.Lookup(0)
	if err != nil {
		t.Fatal(err)
	}
	var sum FlowStats
	for _, v := range perCPU {
		sum.Packets += v.Packets
		sum.Bytes += v.Bytes
	}
	if want := (FlowStats{Packets: calls, Bytes: calls * syscall.SYS_GETPPID}); sum != want {
		t.Errorf("sum of Maps.PerCpu[0] = %+v, want %+v", sum, want)
	}
	// All yields the array's one entry with the same per-CPU values (the
	// program counts only this process's getppid calls, so they are stable).
	var iterErr error
	entries := 0
	for k, vs := range x.Maps.PerCpu.All(&iterErr) {
		entries++
		if k != 0 || !slices.Equal(vs, perCPU) {
			t.Errorf("PerCpu.All: key %d values %+v, want key 0 values %+v", k, vs, perCPU)
		}
	}
	if iterErr != nil {
		t.Fatal(iterErr)
	}
	if entries != 1 {
		t.Errorf("PerCpu.All yielded %d entries, want 1 (max_entries)", entries)
	}

	// Close detaches: no more counting.
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	syscall.Getppid()
	if got, err := x.Maps.Hits.Lookup(0); err == nil {
		t.Errorf("Maps.Hits usable after Close (value %d)", got)
	}
}

// The typed map helpers read and write keys and values without any
// marshalling by the caller.
func TestTypedMaps(t *testing.T) {
	x := load(t, nil)
	flows := map[FlowKey]FlowStats{
		{Saddr: 1, Daddr: 2, Sport: 3, Dport: 4, Proto: 6}:  {Packets: 10, Bytes: 1000},
		{Saddr: 5, Daddr: 6, Sport: 7, Dport: 8, Proto: 17}: {Packets: 20, Bytes: 2000},
	}
	for k, v := range flows {
		if err := x.Maps.Flows.Update(k, v, ebpf.UpdateNoExist); err != nil {
			t.Fatal(err)
		}
	}
	for k, want := range flows {
		got, err := x.Maps.Flows.Lookup(k)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("Lookup(%+v) = %+v, want %+v", k, got, want)
		}
	}
	var iterErr error
	got := maps.Collect(x.Maps.Flows.All(&iterErr))
	if iterErr != nil {
		t.Fatal(iterErr)
	}
	if !maps.Equal(got, flows) {
		t.Errorf("All() = %v, want %v", got, flows)
	}
	// Delete removes exactly the key it is given.
	gone := FlowKey{Saddr: 1, Daddr: 2, Sport: 3, Dport: 4, Proto: 6}
	if err := x.Maps.Flows.Delete(gone); err != nil {
		t.Fatal(err)
	}
	delete(flows, gone)
	if _, err := x.Maps.Flows.Lookup(gone); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Errorf("Lookup of the deleted key: %v, want ErrKeyNotExist", err)
	}
	if err := x.Maps.Flows.Delete(gone); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Errorf("second Delete of the same key: %v, want ErrKeyNotExist", err)
	}
	for k, want := range flows {
		if got, err := x.Maps.Flows.Lookup(k); err != nil || got != want {
			t.Errorf("after Delete(%+v): Lookup(%+v) = %+v, %v, want %+v", gone, k, got, err, want)
		}
	}
	got = maps.Collect(x.Maps.Flows.All(&iterErr))
	if iterErr != nil {
		t.Fatal(iterErr)
	}
	if !maps.Equal(got, flows) {
		t.Errorf("All() after Delete = %v, want %v", got, flows)
	}
	if x.Maps.Flows.Map == nil || x.Maps.Flows.MaxEntries() != 64 {
		t.Errorf("the underlying *ebpf.Map is not reachable")
	}
}

// The spec's typed handles are the specs Load creates from: every field is
// set and names its program or map, and an edit (here libbpf's
// bpf_map__set_max_entries) reaches the kernel.
func TestSpecHandles(t *testing.T) {
	spec, err := LoadBasicSpec()
	if err != nil {
		t.Fatal(err)
	}
	progs := map[string]*ebpf.ProgramSpec{"compute": spec.Programs.Compute, "on_sys_enter": spec.Programs.OnSysEnter, "pass": spec.Programs.Pass}
	for name, ps := range progs {
		if ps == nil || ps.Name != name || ps != spec.CollectionSpec().Programs[name] {
			t.Errorf("spec.Programs field of %s = %v, want the collection's spec", name, ps)
		}
	}
	specMaps := map[string]*ebpf.MapSpec{"flows": spec.Maps.Flows, "hits": spec.Maps.Hits, "per_cpu": spec.Maps.PerCpu}
	for name, ms := range specMaps {
		if ms == nil || ms.Name != name || ms != spec.CollectionSpec().Maps[name] {
			t.Errorf("spec.Maps field of %s = %v, want the collection's spec", name, ms)
		}
	}
	if spec.Maps.Flows.MaxEntries == 128 {
		t.Fatal("flows already has 128 entries: pick another size")
	}
	spec.Maps.Flows.MaxEntries = 128
	x := load(t, spec)
	if got := x.Maps.Flows.MaxEntries(); got != 128 {
		t.Errorf("flows has %d entries after setting 128 in the spec", got)
	}
}

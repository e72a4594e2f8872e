//go:build linux

package runtime_test

import (
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
)

// ccName is the congestion control testdata/structops_cc.bpf.c registers.
const ccName = "bpfskel_cc"

// TestStructOpsCongestionControl loads a BPF TCP congestion control,
// registers it with Attach, has a loopback connection use it and checks
// that its callbacks ran and that Close unregisters it.
func TestStructOpsCongestionControl(t *testing.T) {
	_, c := loadObject(t, "structops_cc", nil)
	if kerneltest.CongestionControlAvailable(t, ccName) {
		t.Fatalf("%s registered before Attach", ccName)
	}
	if err := c.Attach(); err != nil {
		t.Fatal(err)
	}
	if !kerneltest.CongestionControlAvailable(t, ccName) {
		t.Fatalf("%s not registered after Attach", ccName)
	}
	bss := mustView[struct{ Inits, Releases, Calls uint64 }](t, c, ".bss")
	if err := kerneltest.TCPExchange(ccName); err != nil {
		t.Fatal(err)
	}
	if bss.Inits == 0 {
		t.Fatalf("init never called (counters %+v)", *bss)
	}
	t.Logf("counters after one connection: %+v", *bss)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if kerneltest.CongestionControlAvailable(t, ccName) {
		t.Fatalf("%s still registered after Close", ccName)
	}
}

// TestStructOpsLegacySection loads a congestion control declared in
// SEC(".struct_ops"), which cilium/ebpf v0.22 rejects: Load registers it
// (no link), Close unregisters it.
func TestStructOpsLegacySection(t *testing.T) {
	const name = "bpfskel_cc_old"
	_, c := loadObject(t, "structops_legacy", nil)
	if !kerneltest.CongestionControlAvailable(t, name) {
		t.Fatalf("%s not registered by Load", name)
	}
	if err := c.Attach(); err != nil {
		t.Fatal(err)
	}
	if len(c.Links()) != 0 {
		t.Fatalf("Attach made %d links for a .struct_ops map", len(c.Links()))
	}
	bss := mustView[struct{ Inits, Releases, Calls uint64 }](t, c, ".bss")
	if err := kerneltest.TCPExchange(name); err != nil {
		t.Fatal(err)
	}
	if bss.Inits == 0 {
		t.Fatalf("init never called (counters %+v)", *bss)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if kerneltest.CongestionControlAvailable(t, name) {
		t.Fatalf("%s still registered after Close", name)
	}
}

// isAvailable reports whether cc is a registered congestion control.

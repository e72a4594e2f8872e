//go:build linux

package runtime_test

import (
	"errors"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// ccName is the congestion control testdata/structops_cc.bpf.c registers.
const ccName = "bpfskel_cc"

// TestStructOpsCongestionControl loads a BPF TCP congestion control,
// registers it with Attach, has a loopback connection use it and checks
// that its callbacks ran and that Close unregisters it.
func TestStructOpsCongestionControl(t *testing.T) {
	_, c := loadObject(t, "structops_cc", nil)
	if isAvailable(t, ccName) {
		t.Fatalf("%s registered before Attach", ccName)
	}
	if err := c.Attach(); err != nil {
		t.Fatal(err)
	}
	if !isAvailable(t, ccName) {
		t.Fatalf("%s not registered after Attach", ccName)
	}
	bss := mustView[struct{ Inits, Releases, Calls uint64 }](t, c, ".bss")
	if err := exchange(ccName); err != nil {
		t.Fatal(err)
	}
	if bss.Inits == 0 {
		t.Fatalf("init never called (counters %+v)", *bss)
	}
	t.Logf("counters after one connection: %+v", *bss)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if isAvailable(t, ccName) {
		t.Fatalf("%s still registered after Close", ccName)
	}
}

// exchange opens a loopback TCP connection whose client uses congestion
// control cc and sends 1 MiB through it.
func exchange(cc string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		s, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer s.Close()
		_, err = io.Copy(io.Discard, s)
		done <- err
	}()
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptString(int(fd), unix.IPPROTO_TCP, unix.TCP_CONGESTION, cc)
		}); err != nil {
			return err
		}
		return serr
	}}
	conn, err := d.Dial("tcp", ln.Addr().String())
	if err != nil {
		return err
	}
	if _, err := conn.Write(make([]byte, 1<<20)); err != nil {
		conn.Close()
		return err
	}
	if err := conn.Close(); err != nil {
		return err
	}
	return errors.Join(<-done)
}

// TestStructOpsLegacySection loads a congestion control declared in
// SEC(".struct_ops"), which cilium/ebpf v0.22 rejects: Load registers it
// (no link), Close unregisters it.
func TestStructOpsLegacySection(t *testing.T) {
	const name = "bpfskel_cc_old"
	_, c := loadObject(t, "structops_legacy", nil)
	if !isAvailable(t, name) {
		t.Fatalf("%s not registered by Load", name)
	}
	if err := c.Attach(); err != nil {
		t.Fatal(err)
	}
	if len(c.Links()) != 0 {
		t.Fatalf("Attach made %d links for a .struct_ops map", len(c.Links()))
	}
	bss := mustView[struct{ Inits, Releases, Calls uint64 }](t, c, ".bss")
	if err := exchange(name); err != nil {
		t.Fatal(err)
	}
	if bss.Inits == 0 {
		t.Fatalf("init never called (counters %+v)", *bss)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if isAvailable(t, name) {
		t.Fatalf("%s still registered after Close", name)
	}
}

// isAvailable reports whether cc is a registered congestion control.
func isAvailable(tb testing.TB, cc string) bool {
	tb.Helper()
	b, err := os.ReadFile("/proc/sys/net/ipv4/tcp_available_congestion_control")
	if err != nil {
		tb.Fatal(err)
	}
	return slices.Contains(strings.Fields(string(b)), cc)
}

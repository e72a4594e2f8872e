//go:build linux

package runtime_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/cilium/ebpf"
)

// TestKsyms loads `const void` and typed __ksym variables, and a weak
// typed one the kernel lacks, which cilium/ebpf v0.22 refuses to parse.
func TestKsyms(t *testing.T) {
	kerneltest.Require(t)
	if _, err := ebpf.LoadCollectionSpec("../testdata/ksyms.bpf.o"); err == nil {
		t.Log("cilium/ebpf parses typed ksyms now: the parser's rewrite could retire")
	}
	s := parseObject(t, "ksyms")
	if err := s.SetAutoload("read_rq", false); err != nil {
		t.Fatal(err)
	}
	c, err := s.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Program("read_ksyms").Run(&ebpf.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	data := mustView[struct{ RqCPU, MissingAddr uint64 }](t, c, ".data")
	bss := mustView[struct{ RodataAddr uint64 }](t, c, ".bss")
	if want := kallsyms(t, "__start_rodata"); bss.RodataAddr != want || want == 0 {
		t.Errorf("&__start_rodata = %#x, /proc/kallsyms says %#x", bss.RodataAddr, want)
	}
	if data.MissingAddr != 0 {
		t.Errorf("&bpfskel_no_such_var = %#x, want 0 (weak, missing)", data.MissingAddr)
	}

	// runqueues, typed: loaded by BTF id, which the kernel resolves
	// through kallsyms.
	c2, err := parseObject(t, "ksyms").Load(nil)
	if kallsyms(t, "runqueues") == 0 {
		if err == nil || !strings.Contains(err.Error(), "runqueues") || !strings.Contains(err.Error(), "kernel symbol") {
			t.Fatalf("typed ksym on a kernel whose kallsyms lacks variables: %v", err)
		}
		t.Logf("kallsyms has no variables here; the kernel says: %v", err)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c2.Program("read_rq").Run(&ebpf.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := mustView[struct{ RqCPU uint64 }](t, c2, ".data").RqCPU; got != 0 {
		t.Fatalf("runqueues[0].cpu = %d, want 0", got)
	}
}

// kallsyms returns the address of sym in /proc/kallsyms, 0 when absent.
func kallsyms(tb testing.TB, sym string) uint64 {
	tb.Helper()
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 3 && fields[2] == sym {
			addr, err := strconv.ParseUint(fields[0], 16, 64)
			if err != nil {
				tb.Fatalf("/proc/kallsyms: %v", err)
			}
			return addr
		}
	}
	return 0
}

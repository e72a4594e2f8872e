//go:build linux

package runtime_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/bpfskel/bpfskel/internal/testenv"
)

// usdtProbe is where testdata/usdt.bpf.c's section says the binary with
// the probe is.
const usdtProbe = "/tmp/bpfskel-usdt-probe"

// TestUSDT builds a program with a USDT probe, lets Attach attach
// testdata/usdt.bpf.c's handler to it, runs the program and checks the
// arguments the handler read with usdt.bpf.h's bpf_usdt_arg: a register,
// memory at a stack offset and a constant.
func TestUSDT(t *testing.T) {
	cc := testenv.Tool(t, "apt-get install clang-19", "clang-19", "clang")
	_, c := loadObject(t, "usdt", nil)
	if out, err := exec.Command(cc, "-O1", "-o", usdtProbe, "testdata/usdt_probe.c").CombinedOutput(); err != nil {
		t.Fatalf("build the probe program: %v\n%s", err, out)
	}
	t.Cleanup(func() { os.Remove(usdtProbe) })
	if err := c.Attach(); err != nil {
		t.Fatal(err)
	}
	if c.Link("on_hit") == nil {
		t.Fatal("no link for on_hit")
	}
	if out, err := exec.Command(usdtProbe).CombinedOutput(); err != nil {
		t.Fatalf("run the probe program: %v\n%s", err, out)
	}
	type hit struct{ Reg, Mem, Constant, Args, Hits int64 }
	got := *mustView[hit](t, c, ".bss")
	if want := (hit{Reg: 42, Mem: 77, Constant: -5, Args: 3, Hits: 1}); got != want {
		t.Errorf("the handler saw %+v, want %+v", got, want)
	}
}

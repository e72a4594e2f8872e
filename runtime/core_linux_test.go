//go:build linux

package runtime_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/runtime"
)

// TestCOREKconfigKfunc loads a program with arena pointers (so through the
// runtime's own BPF_PROG_LOAD) that also has CO-RE relocations, kconfig
// externs and a kfunc call.
func TestCOREKconfigKfunc(t *testing.T) {
	s, c := loadObject(t, "arena_core", nil)
	run(t, c, "core", nil)
	type out struct{ Tgid, KernelVersion, BPFSyscall, HZ, TgidExists, KsymAddr uint64 }
	o := global[runtime.Ptr[out]](t, s, c, "result").Get(c.Arena())
	if o == nil {
		t.Fatal("result not set")
	}
	if o.Tgid != uint64(os.Getpid()) || o.TgidExists != 1 {
		t.Errorf("CO-RE read tgid %d (exists %d), want %d", o.Tgid, o.TgidExists, os.Getpid())
	}
	if o.KernelVersion>>16 < 5 || o.BPFSyscall != 1 || o.HZ == 0 {
		t.Errorf("kconfig: version %#x, CONFIG_BPF_SYSCALL %d, CONFIG_HZ %d", o.KernelVersion, o.BPFSyscall, o.HZ)
	}
	if want := kallsym(t, "bpf_fentry_test1"); o.KsymAddr != want {
		t.Errorf("ksym bpf_fentry_test1 = %#x, want %#x", o.KsymAddr, want)
	}
	t.Logf("%+v", *o)
}

func kallsym(t *testing.T, name string) uint64 {
	t.Helper()
	b, err := os.ReadFile("/proc/kallsyms")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[2] == name {
			v, err := strconv.ParseUint(f[0], 16, 64)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
	t.Fatalf("%s not in /proc/kallsyms", name)
	return 0
}

//go:build linux

package runtime_test

import (
	"testing"

	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// weakResult is struct result of testdata/weak.bpf.c.
type weakResult struct {
	KernelVersion, HasCookie, HasSyscallWrapper, BPFSyscall uint64
	NoSuchOption, KsymAddress, KfuncExists, ArenaValue      uint64
}

// TestWeak loads an object with weak maps (one the arena), weak kconfig,
// ksym and kfunc externs the kernel lacks and every LINUX_* kconfig
// extern, and runs a program of each loader: cilium/ebpf's (plain) and
// the runtime's own (in_arena, which casts arena pointers).
func TestWeak(t *testing.T) {
	_, c := loadObject(t, "weak", nil)
	for _, name := range []string{"plain", "in_arena"} {
		ret, err := c.Program(name).Run(&ebpf.RunOptions{})
		if err != nil || ret != 0 {
			t.Fatalf("run %s: %d, %v", name, ret, err)
		}
	}
	res := mustView[struct{ Results [2]weakResult }](t, c, ".bss").Results
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		t.Fatal(err)
	}
	release := unix.ByteSliceToString(u.Release[:])
	for i, r := range res {
		want := weakResult{
			KernelVersion:     uint64(runtime.KernelVersionCode(release)),
			HasCookie:         1,
			HasSyscallWrapper: 1,
			BPFSyscall:        1,
			NoSuchOption:      1, // 0 + 1
			KsymAddress:       0,
			KfuncExists:       1, // 0 + 1
		}
		if i == 1 {
			want.ArenaValue = 42
		}
		if r != want {
			t.Errorf("results[%d] = %+v, want %+v", i, r, want)
		}
	}
	var n uint64
	if err := c.Map("weak_counts").Lookup(uint32(0), &n); err != nil || n != 2 {
		t.Fatalf("weak_counts[0] = %d, %v; want 2", n, err)
	}
	if c.Arena() == nil {
		t.Fatal("the weak arena map is not the arena")
	}
}

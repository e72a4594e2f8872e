//go:build linux

package runtime_test

import (
	"errors"
	"testing"

	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

// lockedBSS is .bss of testdata/locked.bpf.c: a bpf_spin_lock and a counter.
type lockedBSS struct {
	Lock        uint32
	_           uint32
	LockedCount uint64
}

// TestUnmappableSections loads an object whose .bss holds a bpf_spin_lock
// and whose .data.timer holds a bpf_timer: sections the kernel cannot map.
// They load unmapped and are read and written through their maps.
func TestUnmappableSections(t *testing.T) {
	_, c := loadObject(t, "locked", nil)
	for _, sec := range []string{".bss", ".data.timer"} {
		if _, err := runtime.View[[16]byte](c, sec); !errors.Is(err, runtime.ErrNotMapped) {
			t.Errorf("View(%s): %v, want ErrNotMapped", sec, err)
		}
	}
	plain := mustView[struct{ PlainCount uint64 }](t, c, ".data")
	if _, err := c.Program("bump").Run(&ebpf.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	bss, err := runtime.ReadSection[lockedBSS](c, ".bss")
	if err != nil {
		t.Fatal(err)
	}
	if bss.LockedCount != 1 || plain.PlainCount != 2 {
		t.Fatalf("after one run: locked_count %d, plain_count %d; want 1, 2", bss.LockedCount, plain.PlainCount)
	}
	bss.LockedCount = 41
	if err := runtime.WriteSection(c, ".bss", bss); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Program("bump").Run(&ebpf.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if bss, err = runtime.ReadSection[lockedBSS](c, ".bss"); err != nil || bss.LockedCount != 42 {
		t.Fatalf("after a write of 41 and a run: %+v, %v; want 42", bss, err)
	}
	if _, err := runtime.ReadSection[[8]byte](c, ".bss"); !errors.Is(err, runtime.ErrSizeMismatch) {
		t.Fatalf("ReadSection of the wrong size: %v", err)
	}
	c.Close()
	if _, err := runtime.ReadSection[lockedBSS](c, ".bss"); !errors.Is(err, runtime.ErrClosed) {
		t.Fatalf("ReadSection after Close: %v", err)
	}
}

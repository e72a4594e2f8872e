package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
)

// endless is an input that never ends, like a file that keeps growing.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	clear(p)
	e.n += int64(len(p))
	return len(p), nil
}

// TestReadBounded: reading stops one byte past the limit, whatever the
// size stat reported.
func TestReadBounded(t *testing.T) {
	r := inputReader{max: 1 << 20}
	for _, statSize := range []int64{0, 100, 1 << 20, 1 << 40} {
		src := &endless{}
		_, err := r.readBounded("grows", src, statSize)
		if !errors.Is(err, errInputTooLarge) {
			t.Errorf("stat size %d: %v, want errInputTooLarge", statSize, err)
		}
		if src.n > r.max+64<<10 {
			t.Errorf("stat size %d: read %d bytes, want at most about %d", statSize, src.n, r.max)
		}
	}
	data, err := r.readBounded("exact", io.LimitReader(&endless{}, r.max), 0)
	if err != nil || int64(len(data)) != r.max {
		t.Errorf("exactly the limit: %d bytes, %v; want %d, nil", len(data), err, r.max)
	}
}

// TestReadSysfs reads the kernel's BTF, a sysfs file, through the input
// reader: the same bytes os.ReadFile gets.
func TestReadSysfs(t *testing.T) {
	const vmlinux = "/sys/kernel/btf/vmlinux"
	want, err := os.ReadFile(vmlinux)
	if err != nil {
		kerneltest.Skip(t, "no kernel BTF: "+err.Error())
	}
	got, err := (&inputReader{max: defaultMaxInput}).read(vmlinux)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("read %d bytes, os.ReadFile %d", len(got), len(want))
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"1": 1, "4096": 4096, "64KiB": 64 << 10, "256MiB": 256 << 20, "2GiB": 2 << 30, "10B": 10,
	} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "1.5MiB", "MiB", "1MB", "9999999999GiB"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}

// TestReadStatSizeZero reads a procfs file, whose stat size is 0 although
// it has contents: read gets them all, as os.ReadFile does.
func TestReadStatSizeZero(t *testing.T) {
	const path = "/proc/version"
	fi, err := os.Stat(path)
	if err != nil {
		t.Skipf("no procfs here: %v", err)
	}
	if fi.Size() != 0 {
		t.Skipf("%s: stat size %d, want a file of stat size 0", path, fi.Size())
	}
	want, err := os.ReadFile(path)
	if err != nil || len(want) == 0 {
		t.Skipf("%s: %v, %d bytes", path, err, len(want))
	}
	got, err := (&inputReader{max: defaultMaxInput}).read(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("read %s: %q, %v; want %q", path, got, err, want)
	}
	if _, err := (&inputReader{max: 4}).read(path); !errors.Is(err, errInputTooLarge) {
		t.Errorf("read %s with a 4-byte limit: %v, want errInputTooLarge", path, err)
	}
}

//go:build linux

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHugeInputs runs the bpfskel binary (this test binary, as testscript
// installs it) on inputs that must not be read whole: the zero device,
// which never ends, and a 2 GiB sparse file. Each command must fail with
// one clear line within a second, its peak memory under 64 MiB.
func TestHugeInputs(t *testing.T) {
	dir := t.TempDir()
	sparse := filepath.Join(dir, "huge.bpf.o")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\x7fELF"); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	inputs := []struct{ path, want string }{
		{"/dev/zero", "/dev/zero: not a regular file (a character device)"},
		{sparse, sparse + ": 2 GiB: input too large: the limit is 256 MiB (-max-input)"},
	}
	commands := [][]string{
		{"gen", "-pkg", "p", "-o", filepath.Join(dir, "out.go")},
		{"types", "-pkg", "p", "-o", filepath.Join(dir, "out.go")},
		{"inspect"},
		{"link", "-o", filepath.Join(dir, "out.go")},
	}
	const maxTime, maxRSS = time.Second, 64 << 20
	for _, in := range inputs {
		for _, c := range commands {
			name := c[0] + " " + filepath.Base(in.path)
			cmd := exec.Command("bpfskel", append(slices.Clone(c), in.path)...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			start := time.Now()
			err := cmd.Run()
			elapsed := time.Since(start)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Errorf("%s: %v, want exit status 1", name, err)
				continue
			}
			rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
			t.Logf("%s: %v, max RSS %.1f MiB: %s", name, elapsed.Round(time.Millisecond), float64(rss)/(1<<20), strings.TrimSpace(stderr.String()))
			if got, want := stderr.String(), "bpfskel: "+in.want+"\n"; got != want {
				t.Errorf("%s: stderr %q, want %q", name, got, want)
			}
			if elapsed > maxTime {
				t.Errorf("%s took %v, want < %v", name, elapsed, maxTime)
			}
			if rss > maxRSS {
				t.Errorf("%s: max RSS %d MiB, want < %d MiB", name, rss>>20, maxRSS>>20)
			}
			if _, err := os.Stat(filepath.Join(dir, "out.go")); err == nil {
				t.Errorf("%s wrote out.go", name)
			}
		}
	}
}

//go:build linux

package runtime_test

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// ensureTracefs mounts tracefs when it is not mounted (tracepoints need
// it). It stays mounted: other processes may start using it meanwhile.
func ensureTracefs(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/tracing/events"); err == nil {
		return
	}
	if err := unix.Mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, ""); err != nil {
		t.Fatalf("tracefs is not mounted and mounting it failed: %v", err)
	}
	t.Log("mounted tracefs at /sys/kernel/tracing")
}

func TestAttach(t *testing.T) {
	testAttach(t, "arena_attach", 6)
}

// TestAttachKprobe attaches kprobes, or checks that their absence is
// reported as such.
func TestAttachKprobe(t *testing.T) {
	if _, err := os.Stat("/sys/bus/event_source/devices/kprobe"); err != nil {
		_, c := loadObject(t, "arena_kprobe", nil)
		err := c.Attach()
		if !errors.Is(err, ebpf.ErrNotSupported) || !strings.Contains(err.Error(), "kprobe") {
			t.Fatalf("Attach without kprobes: %v", err)
		}
		if len(c.Links()) != 0 {
			t.Fatal("links left after a failed Attach")
		}
		t.Logf("no kprobes on this kernel: %v", err)
		return
	}
	testAttach(t, "arena_kprobe", 8)
}

func testAttach(t *testing.T, obj string, wantLinks int) {
	s, c := loadObject(t, obj, nil)
	ensureTracefs(t)
	type bss struct{ Tgid, UprobeTgid uint32 }
	b, err := viewBSS[bss](c)
	if err != nil {
		t.Fatal(err)
	}
	b.Tgid = uint32(os.Getpid())
	// The uprobes watch libc's __cxa_atexit, which glibc's start-up calls
	// once, in a child that waits for a line before exec'ing /bin/true.
	if _, err := os.Stat("/lib/x86_64-linux-gnu/libc.so.6"); err != nil {
		kerneltest.Skip(t, "uprobe test needs /lib/x86_64-linux-gnu/libc.so.6")
	}
	// The child says "ready" once its own start-up (and its own call) is
	// over, so that on a loaded machine the probes do not see that call.
	child := exec.Command("/bin/sh", "-c", "echo ready; read x; exec /bin/true")
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("child: %q, %v", line, err)
	}
	b.UprobeTgid = uint32(child.Process.Pid)
	// Every kind: tp_btf/sys_enter and raw_tp/sys_enter are alternatives,
	// of which Attach alone attaches only the first.
	if err := c.AttachWith(&runtime.AttachOptions{Alternatives: true}); err != nil {
		t.Fatalf("%+v", err)
	}
	if n := len(c.Links()); n != wantLinks {
		t.Fatalf("%d links, want %d", n, wantLinks)
	}
	const calls = 5
	for range calls {
		syscall.Getppid()
	}
	stdin.Write([]byte("go\n"))
	if err := child.Wait(); err != nil {
		t.Fatal(err)
	}
	hits := global[[8]uint64](t, s, c, "hits")
	names := []string{"kprobe", "kretprobe", "tp_btf", "raw_tracepoint", "raw_tp", "tracepoint", "uprobe", "uretprobe"}
	for i, n := range names {
		switch {
		case i < 2 && wantLinks < 8:
			// no kprobes in this object
		case i >= 6:
			if hits[i] != 1 {
				t.Errorf("%s: %d hits, want 1", n, hits[i])
			}
		case i >= 2 && i <= 4: // sys_enter/sys_exit see every syscall of the process
			if hits[i] < calls {
				t.Errorf("%s: %d hits, want at least %d", n, hits[i], calls)
			}
		case hits[i] != calls:
			t.Errorf("%s: %d hits, want %d", n, hits[i], calls)
		}
	}
}

//go:build linux

package corpus

import (
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// TestLoadCorpus loads every object compiled for this machine's byte
// order with cilium/ebpf (NewCollection) and with the runtime (LoadSpec
// and Load, what a skeleton's LoadX does): both must succeed, or both
// fail with the same cause.
func TestLoadCorpus(t *testing.T) {
	kerneltest.Require(t)
	ensureBPFFS(t)
	suffix := "-el"
	if binary.NativeEndian.Uint16([]byte{0, 1}) == 1 {
		suffix = "-eb"
	}
	var total, loaded, parity int
	for _, o := range corpus(t) {
		if !strings.HasSuffix(o.name, suffix) {
			continue
		}
		total++
		cerr := loadCilium(t, o)
		berr := loadBpfskel(t, o)
		switch {
		case cerr == nil && berr == nil:
			loaded++
			parity++
		case cerr != nil && berr != nil:
			if c, b := cause(cerr), cause(berr); c != b {
				t.Errorf("%s: both fail, with different causes: cilium/ebpf: %s (%v); bpfskel: %s (%v)", o.name, c, cerr, b, berr)
				continue
			}
			parity++
			t.Logf("%s: both fail (%s): cilium/ebpf: %v; bpfskel: %v", o.name, cause(cerr), cerr, berr)
		case berr != nil:
			t.Errorf("%s: bpfskel: %v (cilium/ebpf loads it)", o.name, berr)
		default:
			t.Errorf("%s: bpfskel loads it, cilium/ebpf: %v", o.name, cerr)
		}
	}
	t.Logf("load: both load %d/%d objects; parity with cilium/ebpf on %d/%d", loaded, total, parity, total)
}

// ensureBPFFS mounts the BPF file system at /sys/fs/bpf when nothing is
// mounted there, so that the objects that pin maps by name (loader-clang-*)
// load; it stays mounted, as other processes may start using it. Without
// it (no privileges), both loaders fail alike on those objects.
func ensureBPFFS(t *testing.T) {
	var fs unix.Statfs_t
	if err := unix.Statfs("/sys/fs/bpf", &fs); err == nil && fs.Type == unix.BPF_FS_MAGIC {
		return
	}
	if err := unix.Mount("bpf", "/sys/fs/bpf", "bpf", 0, ""); err != nil {
		t.Logf("no BPF file system at /sys/fs/bpf, and mounting one failed: %v", err)
		return
	}
	t.Log("mounted the BPF file system at /sys/fs/bpf")
}

// pinPath returns a fresh directory on the BPF file system for the maps an
// object pins by name, or "" when no BPF file system is mounted at
// /sys/fs/bpf (both loaders then fail alike on such objects).
func pinPath(t *testing.T) string {
	t.Helper()
	var fs unix.Statfs_t
	if err := unix.Statfs("/sys/fs/bpf", &fs); err != nil || fs.Type != unix.BPF_FS_MAGIC {
		return ""
	}
	dir, err := os.MkdirTemp("/sys/fs/bpf", "bpfskel-corpus-")
	if err != nil {
		t.Fatalf("a directory on bpffs for pinned maps: %v", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func loadCilium(t *testing.T, o object) error {
	spec, err := ebpf.LoadCollectionSpec(o.path)
	if err != nil {
		return err
	}
	c, err := ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{Maps: ebpf.MapOptions{PinPath: pinPath(t)}})
	if err != nil {
		return err
	}
	c.Close()
	return nil
}

func loadBpfskel(t *testing.T, o object) error {
	spec, err := runtime.LoadSpec(o.data)
	if err != nil {
		return err
	}
	c, err := spec.Load(&runtime.Options{Maps: ebpf.MapOptions{PinPath: pinPath(t)}})
	if err != nil {
		return err
	}
	return c.Close()
}

// cause classifies a load error: missing kernel support, a verifier
// rejection, the errno the kernel returned, or else the error's last
// clause (what cilium/ebpf says went wrong, under any context).
func cause(err error) string {
	var ve *ebpf.VerifierError
	var errno syscall.Errno
	switch {
	case errors.Is(err, ebpf.ErrNotSupported):
		return "not supported"
	case errors.As(err, &ve):
		return "verifier"
	case errors.As(err, &errno):
		return "errno " + errno.Error()
	}
	msg := err.Error()
	return msg[strings.LastIndex(msg, ": ")+1:]
}

//go:build linux

package corpus

import (
	"encoding/binary"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// TestLoadCorpus loads every object compiled for this machine's byte
// order with cilium/ebpf (NewCollection) and with the runtime (LoadSpec
// and Load, what a skeleton's LoadX does): both must succeed, or both
// fail; then each program alone must load in both or fail in both with
// the same cause, since each loader stops at its first failing program.
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
			// Each loader stops at the first program that fails, in its
			// own order: compare them program by program.
			if !sameFailures(t, o) {
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
	// The corpus of cilium/ebpf v0.22.0 on Linux 6.18 as root: half its
	// little-endian objects load. Fewer means a loader lost something.
	if min := total / 2; loaded < min {
		t.Errorf("only %d of %d objects load in both loaders, want at least %d", loaded, total, min)
	}
}

// sameFailures loads the programs of o one at a time (with the maps they
// need) in both loaders, and reports whether the same programs load and
// the same ones fail, for the same cause. An object cilium/ebpf cannot
// parse has no programs to compare: both must fail alike as a whole.
func sameFailures(t *testing.T, o object) bool {
	t.Helper()
	cspec, err := ebpf.LoadCollectionSpec(o.path)
	if err != nil {
		_, berr := runtime.LoadSpec(o.data)
		if berr == nil || cause(err) != cause(berr) {
			t.Errorf("%s: cilium/ebpf cannot parse it (%v); bpfskel: %v", o.name, err, berr)
			return false
		}
		return true
	}
	same := true
	for _, name := range slices.Sorted(maps.Keys(cspec.Programs)) {
		if cspec.Programs[name].Type == ebpf.UnspecifiedProgram {
			continue // a callee in a section of its own, not a program
		}
		cerr := loadCiliumProgram(t, cspec.Copy(), name)
		berr := loadBpfskelProgram(t, o, name)
		switch {
		case (cerr == nil) != (berr == nil):
			t.Errorf("%s: program %s: cilium/ebpf: %v; bpfskel: %v", o.name, name, cerr, berr)
			same = false
		case cerr != nil && cause(cerr) != cause(berr):
			t.Errorf("%s: program %s fails with different causes: cilium/ebpf: %s (%v); bpfskel: %s (%v)", o.name, name, cause(cerr), cerr, cause(berr), berr)
			same = false
		}
	}
	return same
}

// loadCiliumProgram loads program name of spec, and what it needs, with
// cilium/ebpf's LoadAndAssign (into a struct made for that one program).
func loadCiliumProgram(t *testing.T, spec *ebpf.CollectionSpec, name string) error {
	typ := reflect.StructOf([]reflect.StructField{{
		Name: "P",
		Type: reflect.TypeFor[*ebpf.Program](),
		Tag:  reflect.StructTag(`ebpf:"` + name + `"`),
	}})
	v := reflect.New(typ)
	if err := spec.LoadAndAssign(v.Interface(), &ebpf.CollectionOptions{Maps: ebpf.MapOptions{PinPath: pinPath(t)}}); err != nil {
		return err
	}
	return v.Elem().Field(0).Interface().(*ebpf.Program).Close()
}

// loadBpfskelProgram loads o with only program name switched on.
func loadBpfskelProgram(t *testing.T, o object, name string) error {
	spec, err := runtime.LoadSpec(o.data)
	if err != nil {
		return err
	}
	for other := range spec.Collection.Programs {
		if err := spec.SetAutoload(other, other == name); err != nil && other == name {
			return err
		}
	}
	c, err := spec.Load(&runtime.Options{Maps: ebpf.MapOptions{PinPath: pinPath(t)}})
	if err != nil {
		return err
	}
	return c.Close()
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

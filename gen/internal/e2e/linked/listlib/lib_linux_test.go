//go:build linux

package listlib

import (
	"encoding/binary"
	"errors"
	"os"
	"testing"

	"github.com/bpfskel/bpfskel/gen/internal/e2e/linked"
	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/internal/linker"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

// load links testdata/link's objects (by base name, in order), loads the
// result and runs program prog with n.
func load(t *testing.T, prog string, n uint32, names ...string) *runtime.Collection {
	t.Helper()
	var ins []linker.Input
	for _, name := range names {
		data, err := os.ReadFile("../../../../../testdata/link/" + name + ".bpf.o")
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, linker.Input{Name: name, Data: data})
	}
	obj, err := linker.Link(ins)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := runtime.LoadSpec(obj)
	if err != nil {
		t.Fatal(err)
	}
	c, err := spec.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Program(prog).Run(&ebpf.RunOptions{Context: binary.NativeEndian.AppendUint32(nil, n)}); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLibraryInEachProgram reads the library's globals through the library
// skeleton from two collections that linked it at different places: after
// program A (lib second: its globals follow A's) and before program B.
func TestLibraryInEachProgram(t *testing.T) {
	kerneltest.Require(t)
	for _, c := range []struct {
		name  string
		prog  string
		n     uint32
		names []string
	}{
		{"a-then-lib", "push_a", 3, []string{"a", "lib"}},
		{"lib-then-b", "push_b", 2, []string{"lib", "b"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			lib, err := NewLib(load(t, c.prog, c.n, c.names...))
			if err != nil {
				t.Fatal(err)
			}
			if got := lib.ArenaGlobals.LibNodes; got != uint64(c.n) {
				t.Errorf("lib_nodes = %d, want %d", got, c.n)
			}
			if lib.BSS.LibKernelVersion == 0 {
				t.Error("lib_kernel_version = 0, want the kernel's version")
			}
		})
	}
}

// TestLibraryInSkeleton attaches the library skeleton to the three-file
// program's skeleton: both see the same memory.
func TestLibraryInSkeleton(t *testing.T) {
	kerneltest.Require(t)
	x, err := linked.LoadList(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.Programs.PushA.Run(&ebpf.RunOptions{Context: binary.NativeEndian.AppendUint32(nil, 4)}); err != nil {
		t.Fatal(err)
	}
	lib, err := NewLib(x.Collection())
	if err != nil {
		t.Fatal(err)
	}
	if &lib.ArenaGlobals.LibNodes != &x.ArenaGlobals.LibNodes || lib.ArenaGlobals.LibNodes != 4 {
		t.Errorf("library lib_nodes at %p = %d, skeleton's at %p = %d: want the same variable, 4",
			&lib.ArenaGlobals.LibNodes, lib.ArenaGlobals.LibNodes, &x.ArenaGlobals.LibNodes, x.ArenaGlobals.LibNodes)
	}
	if &lib.BSS.LibKernelVersion != &x.BSS.LibKernelVersion {
		t.Error("library and skeleton see different lib_kernel_version variables")
	}
	if lib.Maps.Arena != x.Maps.Arena || lib.Arena != x.Arena {
		t.Error("library and skeleton see different arenas")
	}
}

// TestLibraryNotLinked tries the library skeleton on collections whose
// objects did not link the library but have an arena map of the same
// name: one error line saying what is missing.
func TestLibraryNotLinked(t *testing.T) {
	kerneltest.Require(t)
	var c *runtime.Collection
	for _, tc := range []struct{ object, want string }{
		{"arena_list", "library lib.bpf.o: section .bss: no such section"},
		{"gen_arena", "library lib.bpf.o: section .bss: no global variable lib_kernel_version: was the library linked into this object?"},
	} {
		data, err := os.ReadFile("../../../../../testdata/" + tc.object + ".bpf.o")
		if err != nil {
			t.Fatal(err)
		}
		spec, err := runtime.LoadSpec(data)
		if err != nil {
			t.Fatal(err)
		}
		if c, err = spec.Load(nil); err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err = NewLib(c); err == nil || err.Error() != tc.want {
			t.Errorf("NewLib on %s: %v, want %q", tc.object, err, tc.want)
		}
	}
	c.Close()
	if _, err := NewLib(c); err == nil || !errors.Is(err, runtime.ErrClosed) {
		t.Errorf("NewLib on a closed collection: %v, want ErrClosed", err)
	}
}

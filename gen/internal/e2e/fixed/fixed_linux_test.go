//go:build linux

package fixed

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

func buildList(t *testing.T, x *Fixed, n uint32) {
	t.Helper()
	ctx := binary.NativeEndian.AppendUint32(nil, n)
	ret, err := x.Programs.BuildList.Run(&ebpf.RunOptions{Context: ctx})
	if err != nil || ret != 0 {
		t.Fatalf("build_list: %d, %v", ret, err)
	}
}

// A skeleton is closed and loaded again: the new arena is at the same fixed
// address. Every handle of the closed skeleton (its view field, its Arena,
// arena pointers with that Arena) refuses, and the new arena's bytes do not
// change.
func TestClosedSkeletonAtFixedAddress(t *testing.T) {
	kerneltest.Require(t)
	x1, err := LoadFixed(nil)
	if err != nil {
		t.Fatal(err)
	}
	buildList(t, x1, 3)
	a1 := x1.Arena
	head := x1.ArenaGlobals.BpfHead
	e, err := runtime.New[Elem](a1)
	if err != nil {
		t.Fatal(err)
	}
	pe := runtime.PtrTo(a1, e)
	if err := x1.Close(); err != nil {
		t.Fatal(err)
	}

	x2, err := LoadFixed(nil)
	if err != nil {
		t.Fatalf("load after Close at the same map_extra: %v", err)
	}
	defer x2.Close()
	if x2.Arena.Base() != a1.Base() {
		t.Fatalf("new arena at %#x, old at %#x", x2.Arena.Base(), a1.Base())
	}
	buildList(t, x2, 5)
	if _, err := runtime.New[Elem](x2.Arena); err != nil {
		t.Fatal(err)
	}
	before := bytes.Clone(x2.Arena.Bytes())

	if x1.ArenaGlobals != nil {
		t.Errorf("ArenaGlobals after Close = %p, want nil", x1.ArenaGlobals)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("writing x.ArenaGlobals after Close did not panic")
			}
		}()
		x1.ArenaGlobals.GoSum = 0xdead
	}()
	if g := head.Get(a1); g != nil {
		g.Value = 0xdead
		t.Error("Ptr.Get with the closed Arena returned a pointer")
	}
	if g := pe.Get(a1); g != nil {
		g.Value = 0xdead
		t.Error("Ptr.Get of a New pointer with the closed Arena returned a pointer")
	}
	if _, err := a1.WriteAt([]byte{0xee}, 0); !errors.Is(err, runtime.ErrClosed) {
		t.Errorf("WriteAt on the closed Arena: %v, want ErrClosed", err)
	}
	if _, err := runtime.New[Elem](a1); !errors.Is(err, runtime.ErrClosed) {
		t.Errorf("New on the closed Arena: %v, want ErrClosed", err)
	}
	func() {
		defer func() {
			if msg, _ := recover().(string); !strings.Contains(msg, "closed collection") {
				t.Errorf("Bytes on the closed Arena: panic %q, want one naming the closed collection", msg)
			}
		}()
		a1.Bytes()[0] = 0xee
	}()

	if !bytes.Equal(x2.Arena.Bytes(), before) {
		t.Fatal("the new arena's bytes changed through the closed skeleton's handles")
	}
}

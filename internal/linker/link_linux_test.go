//go:build linux

package linker_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/internal/linker"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
	"github.com/google/go-cmp/cmp"
)

// TestLinkedLoadsLikeLibbpf loads bpfskel's and libbpf's link of cilium's
// linked1 and linked2 through the runtime and runs every program: the
// same programs must give the same results, and the maps must match.
func TestLinkedLoadsLikeLibbpf(t *testing.T) {
	kerneltest.Require(t)
	got := mustLink(t, ciliumObject(t, "linked1-el.elf"), ciliumObject(t, "linked2-el.elf"))
	want := ciliumObject(t, "linked-el.elf").Data
	wantLines := runAll(t, want)
	ran := 0
	for _, l := range wantLines {
		if strings.Contains(l, " returns ") {
			ran++
		}
	}
	if ran < 5 {
		t.Fatalf("ran %d programs of libbpf's link, want at least 5: %q", ran, wantLines)
	}
	if diff := cmp.Diff(wantLines, runAll(t, got)); diff != "" {
		t.Errorf("programs and maps differ from libbpf's link (-libbpf +bpfskel):\n%s", diff)
	}
}

// runAll loads obj and returns a line per map (its definition) and per
// program (its type and what BPF_PROG_TEST_RUN returns).
func runAll(tb testing.TB, obj []byte) []string {
	tb.Helper()
	spec, err := runtime.LoadSpec(obj)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := spec.Load(nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	var lines []string
	for name, m := range spec.Collection.Maps {
		lines = append(lines, fmt.Sprintf("map %s: %v key %d value %d max %d flags %#x", name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Flags))
	}
	for name, p := range spec.Collection.Programs {
		prog := c.Program(name)
		if prog == nil {
			tb.Fatalf("program %s not loaded", name)
		}
		line := fmt.Sprintf("program %s: %v", name, p.Type)
		if p.Type == ebpf.SocketFilter {
			ret, err := prog.Run(&ebpf.RunOptions{Data: make([]byte, 14)})
			if err != nil {
				tb.Fatalf("run %s: %v", name, err)
			}
			line += fmt.Sprintf(" returns %d", ret)
		}
		lines = append(lines, line)
	}
	sort.Strings(lines)
	return lines
}

// linkTestdata links testdata/link's objects (by base name, in order).
func linkTestdata(tb testing.TB, names ...string) []byte {
	tb.Helper()
	var ins []linker.Input
	for _, n := range names {
		ins = append(ins, readInput(tb, "../../testdata/link/"+n+".bpf.o"))
	}
	return mustLink(tb, ins...)
}

// TestLinkedArenaListRuns links the arena list library with two programs,
// loads the result through the runtime and runs both programs: each
// builds its own list in the one arena with the library's helpers, and
// B's strong list_transform replaces the library's weak one for both.
func TestLinkedArenaListRuns(t *testing.T) {
	kerneltest.Require(t)
	spec, err := runtime.LoadSpec(linkTestdata(t, "lib", "a", "b"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := spec.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	run := func(name string, n uint32) uint32 {
		t.Helper()
		opts := &ebpf.RunOptions{}
		if n > 0 {
			opts.Context = binary.NativeEndian.AppendUint32(nil, n)
		}
		ret, err := c.Program(name).Run(opts)
		if err != nil {
			t.Fatalf("run %s: %v", name, err)
		}
		return ret
	}
	run("push_a", 3)
	run("push_b", 2)
	if a, b := run("count_a", 0), run("count_b", 0); a != 1 || b != 2 {
		t.Errorf("count_a %d, count_b %d: want 1 and 2 (each program's own static calls)", a, b)
	}
	// The arena globals of lib, a and b, in link order.
	type list struct{ Head, Len, Sum uint64 }
	type arenaGlobals struct {
		LibNodes, LibLeft, LibChunk uint64
		ListA                       list
		BPage                       uint64
		ListB                       list
	}
	g, err := runtime.View[arenaGlobals](c, ".addr_space.1")
	if err != nil {
		t.Fatal(err)
	}
	got := [5]uint64{g.LibNodes, g.ListA.Len, g.ListA.Sum, g.ListB.Len, g.ListB.Sum}
	if want := [5]uint64{5, 3, (0 + 1 + 2) * 10, 2, (0 + 1) * 10}; got != want {
		t.Errorf("lib_nodes, list_a.len, list_a.sum, list_b.len, list_b.sum = %d, want %d", got, want)
	}
	// B's page holds lib_nodes as B saw it: 5.
	if g.BPage == 0 {
		t.Fatal("b_page not set")
	}
	a := c.Arena()
	if got := binary.NativeEndian.Uint64(a.Bytes()[uint32(g.BPage)-uint32(a.Base()):]); got != 5 {
		t.Errorf("*b_page = %d, want 5", got)
	}
}

// TestOverriddenWeakProgram links a weak program, a program with CO-RE
// after it, and the strong program that overrides the weak one; the
// overridden code stays in the section without a symbol. Both programs
// must load and run right: the strong one, and the CO-RE read, whose
// record must not be tied to the wrong instruction.
func TestOverriddenWeakProgram(t *testing.T) {
	kerneltest.Require(t)
	spec, err := runtime.LoadSpec(linkTestdata(t, "weakprog1", "weakprog2"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := spec.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, p := range []struct {
		name string
		want uint32
	}{{"entry", 2}, {"other", uint32(os.Getpid())}} {
		got, err := c.Program(p.name).Run(&ebpf.RunOptions{})
		if err != nil {
			t.Fatalf("run %s: %v", p.name, err)
		}
		if got != p.want {
			t.Errorf("%s returned %d, want %d", p.name, got, p.want)
		}
	}
}

// TestLinkedCompatibleObjectsRun loads and runs the links that libbpf
// takes and the linker once refused: license and version defined in
// both objects (the programs call a GPL-only helper), globals declared
// with other spellings of their types, and structs completed in some
// objects and only declared in others.
func TestLinkedCompatibleObjectsRun(t *testing.T) {
	kerneltest.Require(t)
	for _, c := range []struct {
		name    string
		objects []string
		want    map[string]uint32 // program: return value
	}{
		{"license", []string{"license1", "license2"}, map[string]uint32{"lic_one": 1, "lic_two": 2}},
		{"compat", []string{"compat_use", "compat_def"}, map[string]uint32{"count_heavy": 2 + 100 + 4}},
		{"fwd", []string{"fwd3", "fwd2", "fwd1"}, map[string]uint32{"prog_x": 1, "prog_y": 2 + 3, "prog_z": 7 + 4}},
	} {
		t.Run(c.name, func(t *testing.T) {
			spec, err := runtime.LoadSpec(linkTestdata(t, c.objects...))
			if err != nil {
				t.Fatal(err)
			}
			coll, err := spec.Load(nil)
			if err != nil {
				t.Fatal(err)
			}
			defer coll.Close()
			if n := len(spec.Collection.Programs); n != len(c.want) {
				t.Errorf("%d programs, want %d", n, len(c.want))
			}
			for name, want := range c.want {
				got, err := coll.Program(name).Run(&ebpf.RunOptions{})
				if err != nil {
					t.Fatalf("run %s: %v", name, err)
				}
				if got != want {
					t.Errorf("%s returned %d, want %d", name, got, want)
				}
			}
		})
	}
}

//go:build linux

package linker_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
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

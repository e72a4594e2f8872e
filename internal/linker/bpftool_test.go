package linker_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/internal/linker"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf/btf"
	"github.com/google/go-cmp/cmp"
)

// bpftool returns the path of a bpftool that has "gen object" (libbpf's
// linker). Without one the test skips, unless BPFSKEL_REQUIRE_KERNEL=1
// (CI), where it fails: CI installs bpftool.
func bpftool(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("bpftool")
	if err == nil {
		out, herr := exec.Command(p, "gen", "help").CombinedOutput()
		if herr != nil || !strings.Contains(string(out), "object") {
			err = fmt.Errorf("%s has no gen object: %v: %s", p, herr, out)
		}
	}
	if err != nil {
		if kerneltest.Required() {
			tb.Fatalf("%s=1 but libbpf's linker is unavailable (apt-get install bpftool): %v", kerneltest.RequireEnv, err)
		}
		tb.Skipf("libbpf's linker is unavailable (apt-get install bpftool): %v", err)
	}
	return p
}

// TestLinkLikeBpftool links the same inputs with bpfskel and with
// bpftool gen object (libbpf's linker) and compares programs, maps and
// BTF type sets. Debian 12's bpftool (libbpf 1.1) cannot link two
// objects that both declare the arena kfuncs, so the arena case is the
// library with one program, nor big-endian objects on a little-endian
// machine.
func TestLinkLikeBpftool(t *testing.T) {
	tool := bpftool(t)
	dir, err := ciliumDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		paths []string
	}{
		{"cilium-linked", []string{filepath.Join(dir, "linked1-el.elf"), filepath.Join(dir, "linked2-el.elf")}},
		{"arena-list", []string{"../../testdata/link/lib.bpf.o", "../../testdata/link/a.bpf.o"}},
		{"weak-program", []string{"../../testdata/link/weakprog1.bpf.o", "../../testdata/link/weakprog2.bpf.o"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "libbpf.o")
			cmd := exec.Command(tool, append([]string{"gen", "object", out}, c.paths...)...)
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("bpftool gen object: %v: %s", err, msg)
			}
			want, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var ins []linker.Input
			for _, p := range c.paths {
				ins = append(ins, readInput(t, p))
			}
			got := mustLink(t, ins...)
			for _, k := range []struct {
				name  string
				lines func(testing.TB, []byte) []string
			}{
				{"programs", programLines},
				{"maps", mapLines},
				{"btf", btfLines},
				{"symbols", symbolsButWeakLosers},
			} {
				if diff := cmp.Diff(k.lines(t, want), k.lines(t, got)); diff != "" {
					t.Errorf("%s differ from libbpf's (-libbpf +bpfskel):\n%s", k.name, diff)
				}
			}
		})
	}
}

var localID = regexp.MustCompile(`local_id=\d+`)

// programLines describes each program of obj as the runtime parses it:
// name, type, section and instructions (with the subprograms it calls,
// source lines, and the functions and CO-RE relocations .BTF.ext ties
// to instructions).
func programLines(tb testing.TB, obj []byte) []string {
	tb.Helper()
	spec, err := runtime.LoadSpec(obj)
	if err != nil {
		tb.Fatal(err)
	}
	var lines []string
	for name, p := range spec.Collection.Programs {
		var meta strings.Builder
		for i := range p.Instructions {
			ins := &p.Instructions[i]
			if fn := btf.FuncMetadata(ins); fn != nil {
				fmt.Fprintf(&meta, "%d: func %s %s\n", i, fn.Name, describe(fn.Type))
			}
			if r := btf.CORERelocationMetadata(ins); r != nil {
				// local_id is a type ID, which linking renumbers.
				fmt.Fprintf(&meta, "%d: CO-RE %s\n", i, localID.ReplaceAllString(fmt.Sprint(r), "local_id=N"))
			}
		}
		lines = append(lines, fmt.Sprintf("%s %v %s\n%v%s", name, p.Type, p.SectionName, p.Instructions, meta.String()))
	}
	sort.Strings(lines)
	return lines
}

// mapLines describes each map of obj as the runtime parses it.
func mapLines(tb testing.TB, obj []byte) []string {
	tb.Helper()
	spec, err := runtime.LoadSpec(obj)
	if err != nil {
		tb.Fatal(err)
	}
	var lines []string
	for name, m := range spec.Collection.Maps {
		lines = append(lines, fmt.Sprintf("%s %v key %d value %d max %d flags %#x extra %#x contents %v", name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Flags, m.MapExtra, m.Contents))
	}
	sort.Strings(lines)
	return lines
}

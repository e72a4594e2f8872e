package gen

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/internal/testenv"
	"github.com/google/go-cmp/cmp"
)

func TestParseTargets(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Target
		err  string
	}{
		{in: "bpfel", want: []Target{{Clang: "bpfel"}}},
		{in: "bpfeb,bpfel", want: []Target{{Clang: "bpfeb"}, {Clang: "bpfel"}}},
		{in: "arm64,amd64", want: []Target{
			{Clang: "bpfel", Arch: "arm64", GOARCHes: []string{"arm64"}},
			{Clang: "bpfel", Arch: "x86", GOARCHes: []string{"amd64"}},
		}},
		{in: "amd64,s390x,386", want: []Target{
			{Clang: "bpfel", Arch: "x86", GOARCHes: []string{"386", "amd64"}},
			{Clang: "bpfeb", Arch: "s390", GOARCHes: []string{"s390x"}},
		}},
		{in: "mips,mipsle,mips64", want: []Target{
			{Clang: "bpfeb", Arch: "mips", GOARCHes: []string{"mips", "mips64"}},
			{Clang: "bpfel", Arch: "mips", GOARCHes: []string{"mipsle"}},
		}},
		{in: "amd64=a/x86.o,arm64=a/arm.o,386=a/x86.o", want: []Target{
			{Clang: "bpfel", Arch: "x86", GOARCHes: []string{"386", "amd64"}, Object: "a/x86.o"},
			{Clang: "bpfel", Arch: "arm64", GOARCHes: []string{"arm64"}, Object: "a/arm.o"},
		}},
		{in: "bpfle", err: `"bpfle" is neither a byte order`},
		{in: "bpfel,amd64", err: "not a mix"},
		{in: "amd64,arm64=x.o", err: "not a mix"},
		{in: "amd64,amd64", err: "amd64 given twice"},
		{in: "bpfel,bpfel", err: "bpfel given twice"},
		{in: "amd64=", err: "names no object"},
		{in: "amd64=a.o,386=b.o", err: "both x86_bpfel but different objects"},
		{in: "wasm", err: "nor a GOARCH"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseTargets(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("ParseTargets(%q) = %v, %v; want an error containing %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTargets(%q): %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseTargets(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
	if got := (Target{Clang: "bpfeb", Arch: "s390"}).Suffix(); got != "s390_bpfeb" {
		t.Errorf("Suffix = %q", got)
	}
}

// archSkeleton compiles testdata/arch/regs.bpf.c, copied with its header
// under root, for targets and returns the skeleton's files (objects
// included) by path relative to root.
func archSkeleton(t *testing.T, cc, root, targets string) map[string][]byte {
	t.Helper()
	for _, f := range []string{"arch/regs.bpf.c", "include/arch_vmlinux.h"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		writeTree(t, filepath.Join(root, "src"), map[string]string{f: string(data)})
	}
	tl, err := ParseTargets(targets)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "regs", "regs.go")
	files := map[string][]byte{}
	opts := Options{Package: "regs", Output: out}
	for _, tg := range tl {
		c, err := Compile(context.Background(), CompileOptions{CC: cc, Source: filepath.Join(root, "src", "arch", "regs.bpf.c"), Target: tg.Clang, Arch: tg.Arch})
		if err != nil {
			t.Fatal(err)
		}
		p := ObjectPath(out, tg.Suffix())
		opts.Objects = append(opts.Objects, Input{Path: p, Data: c.Object, GOARCHes: tg.GOARCHes})
		files["regs/"+filepath.Base(p)] = c.Object
	}
	gf, err := Generate(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range gf {
		rel, err := filepath.Rel(root, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.ToSlash(rel)] = f.Data
	}
	return files
}

// TestGOARCHSkeletons: a program reading pt_regs with BPF_CORE_READ,
// compiled per GOARCH, gives one tagged file per architecture whose types
// follow that architecture's pt_regs, and a file failing the build for
// any other GOARCH; the output is the same bytes from two checkouts.
func TestGOARCHSkeletons(t *testing.T) {
	cc := testCC(t)
	const targets = "amd64,arm64,s390x"
	a := archSkeleton(t, cc, t.TempDir(), targets)
	b := archSkeleton(t, cc, filepath.Join(t.TempDir(), "other checkout", "deeper"), targets)
	var names []string
	for n := range a {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{"regs/regs.go", "regs/regs_arm64_bpfel.go", "regs/regs_arm64_bpfel.o", "regs/regs_other.go", "regs/regs_s390_bpfeb.go", "regs/regs_s390_bpfeb.o", "regs/regs_x86_bpfel.go", "regs/regs_x86_bpfel.o"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %q, want %q", names, want)
	}
	for _, n := range names {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s differs between two checkouts", n)
		}
	}
	for file, wants := range map[string][]string{
		"regs/regs_x86_bpfel.go":   {"//go:build amd64\n", "\tDi ", "\tOrigAx "},
		"regs/regs_arm64_bpfel.go": {"//go:build arm64\n", "\tRegs ", "\tOrigX0 "},
		"regs/regs_s390_bpfeb.go":  {"//go:build s390x\n", "\tGprs ", "\tOrigGpr2 "},
		"regs/regs_other.go":       {"//go:build !amd64 && !arm64 && !s390x\n"},
		"regs/regs.go":             {"//go:build amd64 || arm64 || s390x\n", "\ntype Config struct {", "\ntype RegsData struct {"},
	} {
		for _, w := range wants {
			if !bytes.Contains(a[file], []byte(w)) {
				t.Errorf("%s lacks %q", file, w)
			}
		}
	}
	// What differs stays per architecture; what is shared is declared once.
	for _, n := range []string{"regs/regs_x86_bpfel.go", "regs/regs_arm64_bpfel.go", "regs/regs_s390_bpfeb.go"} {
		if !bytes.Contains(a[n], []byte("\ntype PtRegs struct {")) || bytes.Contains(a[n], []byte("\ntype Config struct {")) {
			t.Errorf("%s: want PtRegs declared, Config not", n)
		}
	}
	if bytes.Contains(a["regs/regs.go"], []byte("PtRegs")) {
		t.Errorf("regs.go declares PtRegs, whose layout differs by architecture")
	}

}

// TestGOARCHSkeletonsVet: the per-GOARCH package vets for every GOARCH
// asked for, fails to build for another with the name that says why, and
// loads on the running kernel.
func TestGOARCHSkeletonsVet(t *testing.T) {
	testenv.Slow(t)
	cc := testCC(t)
	const targets = "amd64,arm64,s390x"
	a := archSkeleton(t, cc, t.TempDir(), targets)
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in $PATH")
	}
	mod := t.TempDir()
	writeTestModule(t, mod)
	for n, data := range a {
		writeTree(t, mod, map[string]string{n: string(data)})
	}
	goCmd := func(goarch string, args ...string) ([]byte, error) {
		cmd := exec.Command(goBin, args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off", "GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0")
		return cmd.CombinedOutput()
	}
	for _, goarch := range strings.Split(targets, ",") {
		if out, err := goCmd(goarch, "vet", "./regs"); err != nil {
			t.Errorf("GOARCH=%s go vet: %v\n%s", goarch, err, out)
		}
	}
	out, err := goCmd("riscv64", "build", "./regs")
	if err == nil || !bytes.Contains(out, []byte("undefined: Regs_has_no_BPF_object_for_this_GOARCH_add_it_to_bpfskel_gen_target")) {
		t.Errorf("GOARCH=riscv64 go build: %v\n%s\nwant the undefined name that says there is no object", err, out)
	}

	// On this machine's GOARCH the skeleton loads: the CO-RE relocations
	// of its pt_regs reads resolve against the running kernel.
	kerneltest.Require(t)
	writeTree(t, mod, map[string]string{"load/main.go": `package main

import (
	"fmt"
	"os"

	"skeltest/regs"
)

func main() {
	x, err := regs.LoadRegs(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer x.Close()
	fmt.Println(x.Data.Cfg.Pid, x.Data.Cfg.Flags, x.Programs.Probe != nil)
}
`})
	cmd := exec.Command(goBin, "run", "./load")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err = cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "1 2 true" {
		t.Errorf("loading the skeleton on this machine: %v\n%s\nwant \"1 2 true\"", err, out)
	}
}

// writeTestModule writes go.mod and go.sum of a module in dir that
// requires this checkout (replace directive) with the checkout's
// requirements, so that it builds offline from the module cache.
func writeTestModule(t *testing.T, dir string) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	rootMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var reqs []string
	for _, l := range strings.Split(string(rootMod), "\n") {
		if !strings.HasPrefix(l, "module ") && !strings.HasPrefix(l, "go ") && !strings.HasPrefix(l, "toolchain ") {
			reqs = append(reqs, l)
		}
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{
		"go.mod": "module skeltest\n\ngo 1.26\n\nrequire github.com/bpfskel/bpfskel v0.0.0\n\nreplace github.com/bpfskel/bpfskel => " + root + "\n" + strings.Join(reqs, "\n"),
		"go.sum": string(sum),
	})
}

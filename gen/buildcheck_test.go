package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/atomicfile"
	"github.com/bpfskel/bpfskel/internal/testenv"
)

// TestGeneratedPackagesBuild writes the skeleton of every testdata object
// gen accepts into a package of a temporary module (replace directive to
// this checkout) and runs go vet and staticcheck on them for amd64 and for
// big-endian s390x, and go build for other systems. It needs no network:
// everything is in the module cache already.
func TestSkeletonsVetAndStaticcheck(t *testing.T) {
	testenv.Slow(t) // vets and staticchecks every skeleton for two architectures
	if testing.Short() {
		t.Skip("compiles the generated packages for two architectures")
	}
	goBin := testenv.Tool(t, "install Go", "go")
	staticcheck := testenv.Tool(t, "go install honnef.co/go/tools/cmd/staticcheck@v0.8.2", "staticcheck")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	var pkgs []string
	for _, c := range goldenCases(t) {
		opts := Options{Package: "skel", Output: filepath.Join(mod, c.name, "skel.go")}
		for _, p := range c.objects {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			opts.Objects = append(opts.Objects, Input{Path: p, Data: data})
		}
		files, err := Generate(opts)
		if err != nil {
			checkRejected(t, c.name, err)
			continue
		}
		if err := os.MkdirAll(filepath.Join(mod, c.name), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := atomicfile.WriteFile(f.Path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		pkgs = append(pkgs, "./"+c.name)
	}
	if len(pkgs) == 0 {
		t.Fatal("no skeleton generated")
	}

	// The checkout's requirements (minus its module and go lines) pin the
	// same versions the module cache holds.
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
	gomod := "module skeltest\n\ngo 1.26\n\n" +
		"require github.com/bpfskel/bpfskel v0.0.0\n\n" +
		"replace github.com/bpfskel/bpfskel => " + root + "\n" +
		strings.Join(reqs, "\n")
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(env []string, name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOWORK=off")
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s %s %s: %v\n%s", strings.Join(env, " "), name, strings.Join(args, " "), err, out)
		}
	}

	for _, arch := range []string{"amd64", "s390x"} {
		env := []string{"GOOS=linux", "GOARCH=" + arch, "CGO_ENABLED=0"}
		run(env, goBin, append([]string{"vet"}, pkgs...)...)
		run(env, staticcheck, pkgs...)
	}
	// A package holding a skeleton builds wherever cilium/ebpf builds, as
	// bpf2go's output does: people build and vet whole repositories on
	// macOS and Windows, where nothing loads.
	for _, goos := range []string{"darwin", "windows", "freebsd"} {
		run([]string{"GOOS=" + goos, "GOARCH=amd64", "CGO_ENABLED=0"}, goBin, append([]string{"build"}, pkgs...)...)
	}
}

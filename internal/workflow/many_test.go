package workflow

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/internal/testenv"
)

// manyMain has three go:generate lines, one per object, all naming
// -type event: the objects share struct event, enum kind, map events,
// global runs and program run. -prefix keeps their Go names apart.
const manyMain = `package main

//go:generate go tool bpfskel gen -prefix -type event -ident ManyA many_a.bpf.o
//go:generate go tool bpfskel gen -prefix -type event -ident ManyB many_b.bpf.o
//go:generate go tool bpfskel gen -prefix -type event -ident ManyC many_c.bpf.o

import (
	"fmt"
	"os"

	"github.com/cilium/ebpf"
)

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	a, err := LoadManyA(nil)
	check(err)
	defer a.Close()
	b, err := LoadManyB(nil)
	check(err)
	defer b.Close()
	c, err := LoadManyC(nil)
	check(err)
	defer c.Close()
	for _, p := range []*ebpf.Program{a.Programs.Run, b.Programs.Run, c.Programs.Run} {
		_, err := p.Run(&ebpf.RunOptions{})
		check(err)
	}
	ea, err := a.Maps.Events.Lookup(1)
	check(err)
	eb, err := b.Maps.Events.Lookup(2)
	check(err)
	ec, err := c.Maps.Events.Lookup(3)
	check(err)
	var _ ManyAEvent = ea
	fmt.Println(ea.Kind, ea.Value, eb.Kind, eb.Value, ec.Kind, ec.Value)
}
`

// TestThreeGoGenerateLines: three skeletons of one package, from three
// separate go:generate lines sharing -type event over objects with the
// same C names, generate, build, vet and run together.
func TestThreeGoGenerateLines(t *testing.T) {
	testenv.Slow(t)
	root := repoRoot(t)
	dir := t.TempDir()
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"go.mod": []byte("module example.com/user\n\ngo 1.26\n\n" +
			"require github.com/bpfskel/bpfskel v0.0.0\n\n" +
			"replace github.com/bpfskel/bpfskel => " + root + "\n"),
		"go.sum":  sum,
		"main.go": []byte(manyMain),
	}
	for _, x := range []string{"a", "b", "c"} {
		obj, err := os.ReadFile(filepath.Join(root, "testdata", "many_"+x+".bpf.o"))
		if err != nil {
			t.Fatal(err)
		}
		files["many_"+x+".bpf.o"] = obj
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goCmd(t, dir, "get", "-tool", "github.com/bpfskel/bpfskel/cmd/bpfskel@v0.0.0")
	goCmd(t, dir, "generate", "./...")
	for _, f := range []string{"manya.go", "manyb.go", "manyc.go"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("go generate wrote no %s: %v", f, err)
		}
	}
	bin := filepath.Join(dir, "user")
	goCmd(t, dir, "build", "-o", bin, ".")
	goCmd(t, dir, "vet", "./...")

	kerneltest.Require(t)
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil {
		t.Fatalf("running the generated program: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "KIND_A 101 KIND_B 201 KIND_C 301"; got != want {
		t.Fatalf("program printed %q, want %q", got, want)
	}
}

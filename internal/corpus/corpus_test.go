package corpus

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/bpfskel/bpfskel/gen"
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// object is one object of the corpus.
type object struct {
	name string // file name without .elf
	path string
	data []byte
}

// corpus returns the objects of cilium/ebpf's testdata, from the module
// cache (the version go.mod requires).
func corpus(tb testing.TB) []object {
	tb.Helper()
	out, err := exec.Command("go", "list", "-m", "-json", "github.com/cilium/ebpf").Output()
	if err != nil {
		tb.Fatalf("go list -m github.com/cilium/ebpf: %v", err)
	}
	var mod struct{ Dir, Version string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		tb.Fatalf("go list -m github.com/cilium/ebpf: no module directory (%v): %s", err, out)
	}
	paths, err := filepath.Glob(filepath.Join(mod.Dir, "testdata", "*.elf"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no objects in %s/testdata (%v)", mod.Dir, err)
	}
	var objs []object
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		objs = append(objs, object{name: strings.TrimSuffix(filepath.Base(p), ".elf"), path: p, data: data})
	}
	tb.Logf("cilium/ebpf %s: %d objects", mod.Version, len(objs))
	return objs
}

// pkgName is the Go package the skeleton of o is generated into.
func pkgName(o object) string {
	return "c_" + strings.NewReplacer("-", "_", ".", "_").Replace(o.name)
}

// ciliumParse is cilium/ebpf's verdict on o: nil when it parses it.
func ciliumParse(o object) error {
	_, err := ebpf.LoadCollectionSpec(o.path)
	return err
}

// TestGenCorpus generates a skeleton for every object: it must succeed
// where cilium/ebpf parses the object, and fail where cilium/ebpf fails.
// The skeletons must build and vet together.
func TestGenCorpus(t *testing.T) {
	objs := corpus(t)
	mod := t.TempDir()
	generated, agree := 0, 0
	for _, o := range objs {
		cerr := ciliumParse(o)
		files, err := gen.Generate(gen.Options{
			Package: pkgName(o),
			Output:  filepath.Join(mod, pkgName(o), "skel.go"),
			Objects: []gen.Input{{Path: o.path, Data: o.data}},
		})
		switch {
		case err == nil && cerr == nil:
			generated++
			agree++
			for _, f := range files {
				if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f.Path, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		case err != nil && cerr != nil:
			// Only the invalid_* objects are meant to fail, and gen must
			// give cilium/ebpf's reason.
			if !strings.HasPrefix(o.name, "invalid") || !strings.Contains(err.Error(), cause(cerr)) {
				t.Errorf("%s: both fail: gen: %v; cilium/ebpf: %v", o.name, err, cerr)
				continue
			}
			agree++
			t.Logf("%s: both fail: gen: %v; cilium/ebpf: %v", o.name, err, cerr)
		case err != nil:
			t.Errorf("%s: gen: %v (cilium/ebpf parses it)", o.name, err)
		default:
			t.Errorf("%s: gen succeeds where cilium/ebpf fails: %v", o.name, cerr)
		}
	}
	t.Logf("gen: %d/%d objects generated; verdict agrees with cilium/ebpf on %d/%d", generated, len(objs), agree, len(objs))
	if generated == 0 {
		t.Fatal("nothing generated")
	}
	vetModule(t, mod)
}

// vetModule builds and vets every package of the directory mod as a
// module that uses this checkout of bpfskel, with one go vet.
func vetModule(t *testing.T, mod string) {
	t.Helper()
	_, file, _, _ := goruntime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	gomod := fmt.Sprintf("module corpus.test\n\ngo 1.26\n\nrequire github.com/bpfskel/bpfskel v0.0.0\n\nreplace github.com/bpfskel/bpfskel => %s\n", root)
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go vet of the generated skeletons: %v\n%s", err, out)
		}
		t.Fatal(err)
	}
}

// cause classifies a parse or load error: missing kernel support, a verifier
// rejection, the errno the kernel returned, or else the error's last
// clause (what cilium/ebpf says went wrong, under any context).
func cause(err error) string {
	var ve *ebpf.VerifierError
	var errno syscall.Errno
	switch {
	case errors.Is(err, ebpf.ErrNotSupported), errors.Is(err, btf.ErrNotFound):
		// A kernel type the object needs (a struct_ops type, a kfunc) is
		// missing: cilium/ebpf says "not found" on some paths.
		return "not supported"
	case errors.As(err, &ve):
		return "verifier"
	case errors.As(err, &errno):
		return "errno " + errno.Error()
	}
	msg := err.Error()
	return msg[strings.LastIndex(msg, ": ")+len(": "):]
}

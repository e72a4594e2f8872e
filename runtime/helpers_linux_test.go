//go:build linux

package runtime_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

// loadObject parses testdata/<name>.bpf.o and loads it, closing it at the
// end of the test.
func loadObject(tb testing.TB, name string, opts *runtime.Options) (*runtime.Spec, *runtime.Collection) {
	tb.Helper()
	kerneltest.Require(tb)
	spec := parseObject(tb, name)
	c, err := spec.Load(opts)
	if err != nil {
		tb.Fatalf("load %s: %+v", name, err)
	}
	tb.Cleanup(func() {
		if err := c.Close(); err != nil {
			tb.Errorf("close %s: %v", name, err)
		}
	})
	return spec, c
}

func parseObject(tb testing.TB, name string) *runtime.Spec {
	tb.Helper()
	obj, err := os.ReadFile(filepath.Join("..", "testdata", name+".bpf.o"))
	if err != nil {
		tb.Fatal(err)
	}
	spec, err := runtime.LoadSpec(obj)
	if err != nil {
		tb.Fatalf("LoadSpec %s: %v", name, err)
	}
	return spec
}

// run runs a syscall program with ctx as its context.
func run(tb testing.TB, c *runtime.Collection, prog string, ctx []byte) {
	tb.Helper()
	p := c.Program(prog)
	if p == nil {
		tb.Fatalf("no program %s", prog)
	}
	opts := &ebpf.RunOptions{}
	if ctx != nil {
		opts.Context = ctx
	}
	ret, err := p.Run(opts)
	if err != nil {
		tb.Fatalf("run %s: %v", prog, err)
	}
	if ret != 0 {
		tb.Fatalf("run %s: returned %d", prog, ret)
	}
}

type runtimeRunOpts struct{ ctx []byte }

func (r runtimeRunOpts) opts() *ebpf.RunOptions { return &ebpf.RunOptions{Context: r.ctx} }

func readObject(tb testing.TB, name string) []byte {
	tb.Helper()
	obj, err := os.ReadFile(filepath.Join("..", "testdata", name+".bpf.o"))
	if err != nil {
		tb.Fatal(err)
	}
	return obj
}

func viewBSS[T any](c *runtime.Collection) (*T, error) { return runtime.View[T](c, ".bss") }

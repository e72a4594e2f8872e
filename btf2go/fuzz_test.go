package btf2go

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// translate runs the whole pipeline over BTF or ELF bytes. It reports
// whether the input parsed; translation errors are expected for malformed
// input, panics are not.
func translate(data []byte, opts Options) bool {
	spec, err := btf.LoadSpecFromReader(bytes.NewReader(data))
	if err != nil {
		return false
	}
	g := New(opts)
	n := 0
	for t, err := range spec.All() {
		if err != nil {
			break
		}
		if n++; n > 1000 {
			break // keep an iteration fast
		}
		switch t.(type) {
		case *btf.Func, *btf.FuncProto, *btf.Var:
			_, _ = g.TypeOf(t)
			continue
		}
		_ = g.Add(t, "")
		_, _ = g.Name(t)
	}
	_, _ = g.Decls()
	return true
}

// rawBTF marshals the types of obj as raw BTF (what /sys/kernel/btf holds).
// It fails for objects whose BTF cilium/ebpf's btf.LoadSpec cannot read on
// its own (typed __ksym variables, which the object parser handles).
func rawBTF(obj string) ([]byte, error) {
	spec, err := btf.LoadSpec(obj)
	if err != nil {
		return nil, err
	}
	var types []btf.Type
	for t, err := range spec.All() {
		if err != nil {
			return nil, err
		}
		types = append(types, t)
	}
	b, err := btf.NewBuilder(types, nil)
	if err != nil {
		return nil, err
	}
	return b.Marshal(nil, nil)
}

// FuzzTypes feeds BPF ELF objects and raw BTF to btf2go: malformed input
// must produce errors, never panics. The seed corpus (run by go test) is the
// testdata objects, their BTF as raw BTF, and truncations of both.
func FuzzTypes(f *testing.F) {
	objs, err := filepath.Glob("../testdata/*.bpf.o")
	if err != nil || len(objs) == 0 {
		f.Fatalf("no testdata objects: %v", err)
	}
	for _, obj := range objs {
		data, err := os.ReadFile(obj)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/3])
		if raw, err := rawBTF(obj); err == nil {
			f.Add(raw)
			f.Add(raw[:len(raw)/2])
		}
	}
	f.Add([]byte{})
	f.Add([]byte{0x9f, 0xeb, 1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		translate(data, Options{})
		translate(data, Options{
			Statics:      true,
			Reserved:     []string{"Values", "Bss"},
			ArenaPointer: func(btf.Type, string) bool { return true },
		})
	})
}

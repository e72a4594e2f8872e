//go:build !windows

package benchmarks

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bpfskel/bpfskel/gen"
	"github.com/cilium/ebpf"
	bpf2go "github.com/cilium/ebpf/cmd/bpf2go/gen"
)

// generateBpfskel is what "bpfskel gen -pkg bench obj" does short of
// writing the files: parse the object, build the model, emit and format the
// skeleton.
func generateBpfskel(o object) (int, error) {
	files, err := gen.Generate(gen.Options{
		Package: "bench",
		Output:  filepath.Join(filepath.Dir(o.path), o.name+"_bpf.go"),
		Objects: []gen.Input{{Path: o.path, Data: o.data}},
	})
	if err != nil {
		return 0, err
	}
	return len(files[0].Data), nil
}

// errBpf2goParse marks a failure of bpf2go's first step, cilium/ebpf's ELF
// reader (arena objects), as opposed to its generator refusing a type.
var errBpf2goParse = errors.New("bpf2go: read object")

// generateBpf2go is what bpf2go does after compiling: read the object
// with ebpf.LoadCollectionSpec, collect map, variable and program names and
// the global types as its main does, and render the Go file with its gen
// package (btf.GoFormatter, text/template, go/format).
func generateBpf2go(o object) (int, error) {
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(o.data))
	if err != nil {
		return 0, fmt.Errorf("%w: %w", errBpf2goParse, err)
	}
	var maps, vars, progs []string
	for name := range spec.Maps {
		if !strings.HasPrefix(name, ".") {
			maps = append(maps, name)
		}
	}
	for name := range spec.Variables {
		vars = append(vars, name)
	}
	for name := range spec.Programs {
		progs = append(progs, name)
	}
	slices.Sort(maps)
	slices.Sort(vars)
	slices.Sort(progs)
	var out bytes.Buffer
	err = bpf2go.Generate(bpf2go.GenerateArgs{
		Package:    "bench",
		Stem:       "bench",
		Maps:       maps,
		Variables:  vars,
		Programs:   progs,
		Types:      bpf2go.CollectGlobalTypes(spec),
		ObjectFile: o.name + ".bpf.o",
		Output:     &out,
	})
	return out.Len(), err
}

// BenchmarkGenerate times skeleton generation for every checked-in object
// of testdata and examples: bpfskel's gen package (sub-benchmark
// OBJECT/bpfskel) and cilium/ebpf v0.22.0 bpf2go's gen package
// (OBJECT/bpf2go), each from the object's bytes to formatted Go source,
// without a compiler. Where bpf2go fails, only bpfskel runs, and it reports
// the metric bpf2go-fails-parse (cilium/ebpf cannot read the object: arena
// globals, typed ksyms, weak maps, ...) or bpf2go-fails-gen (btf.GoFormatter refuses a type: pointers,
// anonymous members, colliding names) as 1.
func BenchmarkGenerate(b *testing.B) {
	for _, o := range objects(b) {
		_, errB2G := generateBpf2go(o)
		b.Run(o.name+"/bpfskel", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := generateBpfskel(o); err != nil {
					b.Fatal(err)
				}
			}
			switch {
			case errors.Is(errB2G, errBpf2goParse):
				b.ReportMetric(1, "bpf2go-fails-parse")
			case errB2G != nil:
				b.ReportMetric(1, "bpf2go-fails-gen")
			}
		})
		if errB2G != nil {
			b.Logf("%s: bpf2go fails, bpfskel runs alone: %v", o.name, errB2G)
			continue
		}
		b.Run(o.name+"/bpf2go", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := generateBpf2go(o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGeneratePair is BenchmarkGenerate with both generators
// alternated in every iteration, per object both can read; it reports the
// fastest pass of each and their ratio (bpfskel/bpf2go), which is robust on
// a machine busy with other work.
func BenchmarkGeneratePair(b *testing.B) {
	for _, o := range objects(b) {
		if _, err := generateBpf2go(o); err != nil {
			continue // bpfskel runs alone: BenchmarkGenerate times it
		}
		b.Run(o.name, func(b *testing.B) {
			sides := []struct {
				name string
				gen  func(object) (int, error)
			}{{"bpfskel", generateBpfskel}, {"bpf2go", generateBpf2go}}
			var best [2]time.Duration
			for b.Loop() {
				for i, s := range sides {
					start := time.Now()
					_, err := s.gen(o)
					d := time.Since(start)
					if err != nil {
						b.Fatal(err)
					}
					if best[i] == 0 || d < best[i] {
						best[i] = d
					}
				}
			}
			b.ReportMetric(float64(best[0].Nanoseconds())/1e3, "bpfskel-µs")
			b.ReportMetric(float64(best[1].Nanoseconds())/1e3, "bpf2go-µs")
			b.ReportMetric(float64(best[0])/float64(best[1]), "ratio")
		})
	}
}

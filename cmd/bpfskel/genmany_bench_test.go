package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// manyObjects are testdata objects whose skeletons share a package without
// a name clash: the workload of the -outdir benchmarks.
var manyObjects = []string{
	"arena_4g", "arena_attach", "arena_core", "arena_iter", "arena_kprobe", "arena_reject",
	"arena_sections", "arena_tail", "dwarf_layout", "dwarf_list", "gen_basic", "smoke",
}

// manySetup copies manyObjects into a new directory and returns their
// paths and an empty output directory.
func manySetup(b *testing.B) (objs []string, out string) {
	b.Helper()
	dir := b.TempDir()
	for _, name := range manyObjects {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", name+".bpf.o"))
		if err != nil {
			b.Fatal(err)
		}
		p := filepath.Join(dir, name+".bpf.o")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
		objs = append(objs, p)
	}
	out = filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		b.Fatal(err)
	}
	return objs, out
}

// bpfskelCmd returns a command that runs this test binary as bpfskel
// (TestMain dispatches on the name it is started as).
func bpfskelCmd(b *testing.B) func(args ...string) error {
	b.Helper()
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	link := filepath.Join(b.TempDir(), "bpfskel")
	if err := os.Symlink(self, link); err != nil {
		b.Fatal(err)
	}
	return func(args ...string) error {
		cmd := exec.Command(link, args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("bpfskel %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
}

// BenchmarkGenMany generates the skeletons of manyObjects with one
// "bpfskel gen -outdir" invocation: in a new process each time (exec, what
// a build runs) and in this process (inproc).
func BenchmarkGenMany(b *testing.B) {
	objs, out := manySetup(b)
	args := append([]string{"gen", "-pkg", "many", "-outdir", out}, objs...)
	b.Run("exec", func(b *testing.B) {
		bpfskel := bpfskelCmd(b)
		for b.Loop() {
			if err := bpfskel(args...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("inproc", func(b *testing.B) {
		for b.Loop() {
			if err := run(io.Discard, io.Discard, args); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkGenOneByOne is BenchmarkGenMany's baseline: one "bpfskel gen"
// invocation per object, one after the other.
func BenchmarkGenOneByOne(b *testing.B) {
	objs, out := manySetup(b)
	var argss [][]string
	for _, o := range objs {
		name := strings.TrimSuffix(filepath.Base(o), ".bpf.o")
		argss = append(argss, []string{"gen", "-pkg", "many", "-o", filepath.Join(out, strings.ReplaceAll(name, "_", "")+".go"), o})
	}
	b.Run("exec", func(b *testing.B) {
		bpfskel := bpfskelCmd(b)
		for b.Loop() {
			for _, args := range argss {
				if err := bpfskel(args...); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("inproc", func(b *testing.B) {
		for b.Loop() {
			for _, args := range argss {
				if err := run(io.Discard, io.Discard, args); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkGenManyPair runs both sides of the comparison in every
// iteration, as new processes (what a build runs) and in this process, and
// reports the ratios of their fastest passes (many/one-by-one), which are
// robust on a machine busy with other work. Below 1 means one -outdir
// invocation is faster; inproc-ratio leaves out process start-up.
func BenchmarkGenManyPair(b *testing.B) {
	objs, out := manySetup(b)
	many := append([]string{"gen", "-pkg", "many", "-outdir", out}, objs...)
	var oneByOne [][]string
	for _, o := range objs {
		name := strings.TrimSuffix(filepath.Base(o), ".bpf.o")
		oneByOne = append(oneByOne, []string{"gen", "-pkg", "many", "-o", filepath.Join(out, strings.ReplaceAll(name, "_", "")+".go"), o})
	}
	bpfskel := bpfskelCmd(b)
	inproc := func(args ...string) error { return run(io.Discard, io.Discard, args) }
	best := map[string]time.Duration{}
	timed := func(key string, f func() error) {
		start := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		if d := time.Since(start); best[key] == 0 || d < best[key] {
			best[key] = d
		}
	}
	for b.Loop() {
		for mode, invoke := range map[string]func(...string) error{"exec": bpfskel, "inproc": inproc} {
			timed(mode+"-many", func() error { return invoke(many...) })
			timed(mode+"-onebyone", func() error {
				for _, args := range oneByOne {
					if err := invoke(args...); err != nil {
						return err
					}
				}
				return nil
			})
		}
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }
	b.ReportMetric(ms(best["exec-many"]), "many-ms")
	b.ReportMetric(ms(best["exec-onebyone"]), "onebyone-ms")
	b.ReportMetric(float64(best["exec-many"])/float64(best["exec-onebyone"]), "ratio")
	b.ReportMetric(float64(best["inproc-many"])/float64(best["inproc-onebyone"]), "inproc-ratio")
	b.ReportMetric(float64(len(objs)), "objects")
}

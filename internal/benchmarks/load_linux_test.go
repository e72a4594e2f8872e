//go:build linux

package benchmarks

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
	"golang.org/x/sys/unix"
)

// basicObject is a non-arena object that cilium/ebpf loads on its own: three
// maps (hash, array, per-CPU array), .rodata, .data, .bss, .data.extra, and
// syscall, raw_tp and xdp programs.
const basicObject = "testdata/gen_basic.bpf.o"

// loadBpfskel is what a generated LoadX does: parse the embedded object
// with runtime.LoadSpec and load it with Spec.Load (the typed views
// generated code adds are pointer conversions of mappings Load made).
func loadBpfskel(data []byte) (func(), error) {
	s, err := runtime.LoadSpec(data)
	if err != nil {
		return nil, err
	}
	c, err := s.Load(nil)
	if err != nil {
		return nil, err
	}
	return func() { c.Close() }, nil
}

// loadCilium is what a bpf2go-generated loadX plus NewCollection does:
// ebpf.LoadCollectionSpecFromReader and ebpf.NewCollection.
func loadCilium(data []byte) (func(), error) {
	s, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	c, err := ebpf.NewCollection(s)
	if err != nil {
		return nil, err
	}
	return func() { c.Close() }, nil
}

// benchLoad times load(data) per iteration; closing is not timed. One
// untimed load first fills both libraries' once-per-process caches
// (feature probes, kernel BTF).
//
// Every arena map reserves more than 4 GiB of kernel virtual address space,
// whatever its size, and the kernel releases it only some time after the
// map is closed, so a benchmark creating tens of thousands of arenas a
// second runs the kernel out of it (ENOMEM). Such a load is retried after
// an untimed pause, and the pauses are reported as enomem-waits.
func benchLoad(b *testing.B, data []byte, load func([]byte) (func(), error)) {
	b.Helper()
	closeFn, err := load(data)
	if err != nil {
		b.Fatal(err)
	}
	closeFn()
	b.ReportAllocs()
	waits := 0
	for b.Loop() {
		closeFn, err := load(data)
		for tries := 0; err != nil && errors.Is(err, unix.ENOMEM) && tries < 100; tries++ {
			b.StopTimer()
			waits++
			time.Sleep(20 * time.Millisecond)
			b.StartTimer()
			closeFn, err = load(data)
		}
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		closeFn()
		b.StartTimer()
	}
	if waits > 0 {
		b.ReportMetric(float64(waits), "enomem-waits")
	}
}

// BenchmarkLoadBasic loads testdata/gen_basic.bpf.o from its bytes to
// loaded maps and programs: bpfskel's runtime (LoadSpec + Spec.Load, the
// body of a generated LoadX) vs cilium/ebpf (LoadCollectionSpec +
// NewCollection).
func BenchmarkLoadBasic(b *testing.B) {
	kerneltest.Require(b)
	data := readObject(b, basicObject)
	b.Run("bpfskel", func(b *testing.B) { benchLoad(b, data, loadBpfskel) })
	b.Run("cilium", func(b *testing.B) { benchLoad(b, data, loadCilium) })
}

// BenchmarkLoadBasicPair is BenchmarkLoadBasic with both sides alternated
// in every iteration; it reports the fastest load of each and their ratio
// (bpfskel/cilium), which is robust on a machine busy with other work.
func BenchmarkLoadBasicPair(b *testing.B) {
	kerneltest.Require(b)
	data := readObject(b, basicObject)
	best := map[string]time.Duration{}
	sides := []struct {
		name string
		load func([]byte) (func(), error)
	}{{"bpfskel", loadBpfskel}, {"cilium", loadCilium}}
	for _, s := range sides { // warm the caches
		closeFn, err := s.load(data)
		if err != nil {
			b.Fatal(err)
		}
		closeFn()
	}
	for b.Loop() {
		for _, s := range sides {
			start := time.Now()
			closeFn, err := s.load(data)
			d := time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			closeFn()
			if best[s.name] == 0 || d < best[s.name] {
				best[s.name] = d
			}
		}
	}
	b.ReportMetric(float64(best["bpfskel"].Nanoseconds())/1e3, "bpfskel-µs")
	b.ReportMetric(float64(best["cilium"].Nanoseconds())/1e3, "cilium-µs")
	b.ReportMetric(float64(best["bpfskel"])/float64(best["cilium"]), "ratio")
}

// withoutPrograms returns a new spec of data that has its maps, data
// sections and arena but no programs: loading it costs what Spec.Load
// spends before the first program (map creation, data section and arena
// mmaps, copying the arena globals).
func withoutPrograms(b *testing.B, data []byte) *runtime.Spec {
	s, err := runtime.LoadSpec(data)
	if err != nil {
		b.Fatal(err)
	}
	s.Collection.Programs = map[string]*ebpf.ProgramSpec{}
	return s
}

// arenaObjects are the arena objects whose load BenchmarkLoadArena breaks
// down: the kv example (XDP program, 131072-entry hash map, 4 MiB arena with
// an 8 KiB table as arena global) and arena_list (four syscall programs,
// 100000-entry hash map, 64 MiB arena).
var arenaObjects = []string{"examples/kv/kv.bpf.o", "testdata/arena_list.bpf.o"}

// BenchmarkLoadArena loads arena objects, which no Go peer can load, and
// splits the load into phases, each its own sub-benchmark per object:
// parse (runtime.LoadSpec from bytes), maps (Spec.Load of the spec without
// its programs: maps, data-section and arena mmaps, arena globals),
// load (Spec.Load of a parsed spec: maps and programs) and total (LoadSpec
// + Load, what a generated LoadX costs). Program loading is load − maps.
func BenchmarkLoadArena(b *testing.B) {
	kerneltest.Require(b)
	for _, path := range arenaObjects {
		data := readObject(b, path)
		name := objectName(path)
		spec, err := runtime.LoadSpec(data)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/parse", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := runtime.LoadSpec(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		specLoad := func(s *runtime.Spec) func([]byte) (func(), error) {
			return func([]byte) (func(), error) {
				c, err := s.Load(nil)
				if err != nil {
					return nil, err
				}
				return func() { c.Close() }, nil
			}
		}
		b.Run(name+"/maps", func(b *testing.B) { benchLoad(b, nil, specLoad(withoutPrograms(b, data))) })
		b.Run(name+"/load", func(b *testing.B) { benchLoad(b, nil, specLoad(spec)) })
		b.Run(name+"/total", func(b *testing.B) { benchLoad(b, data, loadBpfskel) })
	}
}

// arenaSizes are the arena sizes of BenchmarkLoadArenaSize, in MiB.
var arenaSizes = []uint64{1, 16, 256, 1024, 4096}

// BenchmarkLoadArenaSize loads testdata/smoke.bpf.o (an arena, one arena
// global, one syscall program) with its arena resized before Load to 1 MiB
// … 4 GiB (the arena map's MaxEntries), timing Spec.Load of
// the parsed spec. Sub-benchmarks are named after the size in MiB.
func BenchmarkLoadArenaSize(b *testing.B) {
	kerneltest.Require(b)
	data := readObject(b, "testdata/smoke.bpf.o")
	for _, mib := range arenaSizes {
		s, err := runtime.LoadSpec(data)
		if err != nil {
			b.Fatal(err)
		}
		pages := uint32(mib << 20 / uint64(pageSize))
		for _, m := range s.Collection.Maps {
			if m.Type == ebpf.Arena {
				m.MaxEntries = pages
			}
		}
		b.Run(fmt.Sprintf("%dMiB", mib), func(b *testing.B) {
			benchLoad(b, nil, func([]byte) (func(), error) {
				c, err := s.Load(nil)
				if err != nil {
					return nil, err
				}
				if got := c.Arena().Size(); got != mib<<20 {
					c.Close()
					return nil, fmt.Errorf("arena is %d bytes, want %d", got, mib<<20)
				}
				return func() { c.Close() }, nil
			})
			b.ReportMetric(float64(mib), "arena-MiB")
		})
	}
}

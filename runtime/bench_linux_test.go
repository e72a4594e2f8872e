//go:build linux

package runtime_test

import (
	"testing"
	"time"

	"github.com/bpfskel/bpfskel/runtime"
)

const listNodes = 1_000_000

// goElem has elem's layout on the Go heap.
type goElem struct {
	Next  *goElem
	Value uint64
}

var sinkSum uint64

// BenchmarkListWalk walks a 1,000,000-node list built by BPF in the arena
// through Ptr.Get, and a Go heap list of the same layout built the same way
// (sequential allocation, prepended). ns/node is the figure to compare.
func BenchmarkListWalk(b *testing.B) {
	b.Run("arena", func(b *testing.B) {
		s, c := loadObject(b, "arena_list", nil)
		run(b, c, "build_list", u32(listNodes))
		if n := *global[uint64](b, s, c, "bpf_count"); n != listNodes {
			b.Fatalf("BPF built %d nodes", n)
		}
		head := *global[runtime.Ptr[elem]](b, s, c, "bpf_head")
		a := c.Arena()
		b.ResetTimer()
		for b.Loop() {
			sum, n := walkArena(head, a)
			if n != listNodes {
				b.Fatalf("walked %d nodes", n)
			}
			sinkSum += sum
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/listNodes, "ns/node")
	})
	b.Run("goheap", func(b *testing.B) {
		var head *goElem
		for i := range listNodes {
			head = &goElem{Next: head, Value: uint64(i)}
		}
		b.ResetTimer()
		for b.Loop() {
			sum, n := walkHeap(head)
			if n != listNodes {
				b.Fatalf("walked %d nodes", n)
			}
			sinkSum += sum
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/listNodes, "ns/node")
	})
}

//go:noinline
func walkArena(head runtime.Ptr[elem], a *runtime.Arena) (sum uint64, n int) {
	for e := head.Get(a); e != nil; e = e.Next.Get(a) {
		sum += e.Value
		n++
	}
	return sum, n
}

//go:noinline
func walkHeap(head *goElem) (sum uint64, n int) {
	for e := head; e != nil; e = e.Next {
		sum += e.Value
		n++
	}
	return sum, n
}

const readValues = 100_000

// BenchmarkRead100k reads 100,000 uint64 values from the arena and, with
// ebpf.Map.Lookup, from a BPF hash map holding the same data. ns/value is
// the figure to compare.
func BenchmarkRead100k(b *testing.B) {
	_, c := loadObject(b, "arena_list", nil)
	a := c.Arena()
	vals, err := runtime.NewSlice[uint64](a, readValues)
	if err != nil {
		b.Fatal(err)
	}
	m := c.Map("values")
	var want uint64
	for i := range vals {
		vals[i] = uint64(i)*7 + 1
		want += vals[i]
		if err := m.Put(uint32(i), vals[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("arena", func(b *testing.B) {
		for b.Loop() {
			var sum uint64
			for i := range vals {
				sum += vals[i]
			}
			if sum != want {
				b.Fatalf("sum %d, want %d", sum, want)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/readValues, "ns/value")
	})
	b.Run("maplookup", func(b *testing.B) {
		for b.Loop() {
			var sum uint64
			for i := range uint32(readValues) {
				var v uint64
				if err := m.Lookup(i, &v); err != nil {
					b.Fatal(err)
				}
				sum += v
			}
			if sum != want {
				b.Fatalf("sum %d, want %d", sum, want)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/readValues, "ns/value")
	})
}

// BenchmarkListWalkPair walks the BPF-built arena list and the Go heap list
// alternately in every iteration and reports the fastest walk of each and
// their ratio: on a busy machine the minimum is what the code costs, and
// alternating exposes both to the same interference.
func BenchmarkListWalkPair(b *testing.B) {
	s, c := loadObject(b, "arena_list", nil)
	run(b, c, "build_list", u32(listNodes))
	head := *global[runtime.Ptr[elem]](b, s, c, "bpf_head")
	a := c.Arena()
	var h *goElem
	for i := range listNodes {
		h = &goElem{Next: h, Value: uint64(i)}
	}
	bestArena, bestHeap := time.Duration(1<<62), time.Duration(1<<62)
	for b.Loop() {
		t0 := time.Now()
		_, n1 := walkArena(head, a)
		t1 := time.Now()
		_, n2 := walkHeap(h)
		t2 := time.Now()
		if n1 != listNodes || n2 != listNodes {
			b.Fatalf("walked %d and %d nodes", n1, n2)
		}
		bestArena = min(bestArena, t1.Sub(t0))
		bestHeap = min(bestHeap, t2.Sub(t1))
	}
	b.ReportMetric(float64(bestArena.Nanoseconds())/listNodes, "arena-ns/node")
	b.ReportMetric(float64(bestHeap.Nanoseconds())/listNodes, "goheap-ns/node")
	b.ReportMetric(float64(bestArena)/float64(bestHeap), "ratio")
}

// BenchmarkRead100kPair is BenchmarkRead100k's two sides alternated, with
// the fastest pass of each and the speedup of the arena.
func BenchmarkRead100kPair(b *testing.B) {
	_, c := loadObject(b, "arena_list", nil)
	vals, err := runtime.NewSlice[uint64](c.Arena(), readValues)
	if err != nil {
		b.Fatal(err)
	}
	m := c.Map("values")
	for i := range vals {
		vals[i] = uint64(i)*7 + 1
		if err := m.Put(uint32(i), vals[i]); err != nil {
			b.Fatal(err)
		}
	}
	bestArena, bestMap := time.Duration(1<<62), time.Duration(1<<62)
	for b.Loop() {
		t0 := time.Now()
		var s1, s2 uint64
		for i := range vals {
			s1 += vals[i]
		}
		t1 := time.Now()
		for i := range uint32(readValues) {
			var v uint64
			if err := m.Lookup(i, &v); err != nil {
				b.Fatal(err)
			}
			s2 += v
		}
		t2 := time.Now()
		if s1 != s2 {
			b.Fatalf("sums differ: %d, %d", s1, s2)
		}
		bestArena = min(bestArena, t1.Sub(t0))
		bestMap = min(bestMap, t2.Sub(t1))
	}
	b.ReportMetric(float64(bestArena.Nanoseconds())/readValues, "arena-ns/value")
	b.ReportMetric(float64(bestMap.Nanoseconds())/readValues, "lookup-ns/value")
	b.ReportMetric(float64(bestMap)/float64(bestArena), "speedup")
}

// hotNodes is the length of the cache-resident lists of
// BenchmarkListWalkHotPair: 4096 16-byte nodes, 64 KiB.
const hotNodes = 4096

// BenchmarkListWalkHotPair is BenchmarkListWalkPair over lists small enough
// to stay in cache, laid out alike (one array each, every node linked to the
// one before it): each hop is then a dependent load that hits the cache, so
// the ratio is what Ptr.Get adds to a hop, not what memory costs. It reports
// the fastest pass of each and their ratio.
func BenchmarkListWalkHotPair(b *testing.B) {
	_, c := loadObject(b, "arena_list", nil)
	a := c.Arena()
	nodes, err := runtime.NewSlice[elem](a, hotNodes)
	if err != nil {
		b.Fatal(err)
	}
	heap := make([]goElem, hotNodes)
	for i := range nodes {
		nodes[i].Value, heap[i].Value = uint64(i), uint64(i)
		if i > 0 {
			nodes[i].Next = runtime.PtrTo(a, &nodes[i-1])
			heap[i].Next = &heap[i-1]
		}
	}
	head, h := runtime.PtrTo(a, &nodes[hotNodes-1]), &heap[hotNodes-1]
	bestArena, bestHeap := time.Duration(1<<62), time.Duration(1<<62)
	for b.Loop() {
		t0 := time.Now()
		_, n1 := walkArena(head, a)
		t1 := time.Now()
		_, n2 := walkHeap(h)
		t2 := time.Now()
		if n1 != hotNodes || n2 != hotNodes {
			b.Fatalf("walked %d and %d nodes", n1, n2)
		}
		bestArena = min(bestArena, t1.Sub(t0))
		bestHeap = min(bestHeap, t2.Sub(t1))
	}
	b.ReportMetric(float64(bestArena.Nanoseconds())/hotNodes, "arena-ns/node")
	b.ReportMetric(float64(bestHeap.Nanoseconds())/hotNodes, "goheap-ns/node")
	b.ReportMetric(float64(bestArena)/float64(bestHeap), "ratio")
}

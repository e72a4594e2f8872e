//go:build linux

package benchmarks

import (
	"encoding/binary"
	"fmt"
	"os"
	"structs"
	"testing"
	"unsafe"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

var pageSize = os.Getpagesize()

// The layout of examples/kv's arena table (kv.bpf.c), replicated because
// the example is a main package: what its generated skeleton declares.
const (
	kvKeySize   = 32
	kvValueSize = 64
	kvBuckets   = 1024
)

type kvEntry struct {
	_     structs.HostLayout
	Next  runtime.Ptr[kvEntry]
	Hash  uint64
	Key   [kvKeySize]byte
	Value [kvValueSize]byte
}

type kvTable struct {
	_        structs.HostLayout
	NBuckets uint32
	Count    uint32
	Buckets  [kvBuckets]runtime.Ptr[kvEntry]
}

// kvGlobals is kv.bpf.o's .addr_space.1: the arena global kv.
type kvGlobals struct {
	_  structs.HostLayout
	Kv kvTable
}

// kvHash is kv_get's hash: the zero-padded key as four little-endian words.
func kvHash(key *[kvKeySize]byte) uint64 {
	var h uint64
	for i := 0; i < kvKeySize; i += 8 {
		h = (h ^ binary.LittleEndian.Uint64(key[i:])) * 0x9E3779B97F4A7C15
		h ^= h >> 32
	}
	return h
}

// arenaKV is a minimal Go writer of the kv table: chained buckets, entries
// allocated with runtime.New and reused after reset, published with an
// atomic pointer store after they are filled (as examples/kv's Store does).
type arenaKV struct {
	a    *runtime.Arena
	t    *kvTable
	used []*kvEntry
	free []*kvEntry
}

// put inserts key (which must not be in the table) with value.
func (s *arenaKV) put(key *[kvKeySize]byte, value *[kvValueSize]byte) error {
	var e *kvEntry
	if n := len(s.free); n > 0 {
		e, s.free = s.free[n-1], s.free[:n-1]
	} else {
		var err error
		if e, err = runtime.New[kvEntry](s.a); err != nil {
			return err
		}
	}
	h := kvHash(key)
	head := &s.t.Buckets[h%kvBuckets]
	e.Hash, e.Key, e.Value = h, *key, *value
	e.Next = head.Load()
	head.Store(runtime.PtrTo(s.a, e))
	s.t.Count++
	s.used = append(s.used, e)
	return nil
}

// reset empties the table and keeps the entries for reuse.
func (s *arenaKV) reset() {
	s.t.Buckets = [kvBuckets]runtime.Ptr[kvEntry]{}
	s.t.Count = 0
	s.free = append(s.free, s.used...)
	s.used = s.used[:0]
}

// insertKeys is the number of keys each iteration of BenchmarkInsert puts.
const insertKeys = 4096

// BenchmarkInsert inserts 4096 new 32-byte keys with 64-byte values from Go
// into examples/kv's arena hash table (kv.bpf.o loaded by the runtime,
// entries linked with PtrTo) and, as the baseline, into the same object's
// BPF hash map kv_hash with ebpf.Map.Update (BPF_NOEXIST). Sub-benchmarks:
// arena (entries allocated in an untimed first pass, then reused from a
// free list, as examples/kv's Store reuses deleted entries), arena-alloc
// (every entry freshly allocated with runtime.New, which takes pages from
// the kernel 16 at a time) and mapupdate. Emptying the table or map between
// iterations is not timed. ns/insert is the figure to compare.
func BenchmarkInsert(b *testing.B) {
	kerneltest.Require(b)
	spec, err := runtime.LoadSpec(readObject(b, "examples/kv/kv.bpf.o"))
	if err != nil {
		b.Fatal(err)
	}
	c, err := spec.Load(nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	g, err := runtime.View[kvGlobals](c, ".addr_space.1")
	if err != nil {
		b.Fatal(err)
	}
	g.Kv.NBuckets = kvBuckets
	keys := make([][kvKeySize]byte, insertKeys)
	values := make([][kvValueSize]byte, insertKeys)
	for i := range keys {
		copy(keys[i][:], fmt.Sprintf("key-%d", i))
		copy(values[i][:], fmt.Sprintf("value %d", i))
	}

	b.Run("arena", func(b *testing.B) {
		s := &arenaKV{a: c.Arena(), t: &g.Kv}
		// One untimed pass allocates the entries (and loads the runtime's
		// page-allocator programs); timed passes reuse them.
		for i := range keys {
			if err := s.put(&keys[i], &values[i]); err != nil {
				b.Fatal(err)
			}
		}
		s.reset()
		for b.Loop() {
			for i := range keys {
				if err := s.put(&keys[i], &values[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if s.t.Count != insertKeys {
				b.Fatalf("table holds %d keys, want %d", s.t.Count, insertKeys)
			}
			s.reset()
			b.StartTimer()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/insertKeys, "ns/insert")
	})
	b.Run("arena-alloc", func(b *testing.B) {
		// A 256 MiB arena holds about 580 iterations of fresh entries;
		// when it is nearly full, a new one is loaded, untimed.
		spec, err := runtime.LoadSpec(readObject(b, "examples/kv/kv.bpf.o"))
		if err != nil {
			b.Fatal(err)
		}
		const arenaSize = 256 << 20
		for _, m := range spec.Collection.Maps {
			if m.Type == ebpf.Arena {
				m.MaxEntries = uint32(arenaSize / pageSize)
			}
		}
		perIter := uint64(insertKeys) * uint64(unsafe.Sizeof(kvEntry{}))
		var (
			c    *runtime.Collection
			s    *arenaKV
			used uint64
		)
		fresh := func() {
			if c != nil {
				c.Close()
			}
			if c, err = spec.Load(nil); err != nil {
				b.Fatal(err)
			}
			g, err := runtime.View[kvGlobals](c, ".addr_space.1")
			if err != nil {
				b.Fatal(err)
			}
			g.Kv.NBuckets = kvBuckets
			s = &arenaKV{a: c.Arena(), t: &g.Kv}
			// The first allocation loads the runtime's page-allocator
			// programs: once per arena, not per insert.
			if _, err := runtime.New[uint64](s.a); err != nil {
				b.Fatal(err)
			}
			used = 1 << 20
		}
		b.Cleanup(func() { c.Close() })
		fresh()
		for b.Loop() {
			for i := range keys {
				if err := s.put(&keys[i], &values[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			s.t.Buckets = [kvBuckets]runtime.Ptr[kvEntry]{}
			s.t.Count = 0
			s.used = s.used[:0] // dropped, not reused: the next pass allocates
			if used += perIter; used+2*perIter > arenaSize {
				fresh()
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/insertKeys, "ns/insert")
	})
	b.Run("mapupdate", func(b *testing.B) {
		m := c.Map("kv_hash")
		if m == nil {
			b.Fatal("kv.bpf.o has no map kv_hash")
		}
		for b.Loop() {
			for i := range keys {
				if err := m.Update(&keys[i], &values[i], ebpf.UpdateNoExist); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if _, err := m.BatchDelete(keys, nil); err != nil {
				b.Fatalf("empty kv_hash: %v", err)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/insertKeys, "ns/insert")
	})
}

//go:build linux

package benchmarks

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"
)

// eventsObject has a ring buffer and a syscall program that submits a
// batch of 64-byte events (struct event: a union, nested arrays).
const eventsObject = "testdata/events.bpf.o"

// benchEvent has the layout of struct event in events.bpf.c, as gen
// emits it (the union as bytes; gen/internal/e2e/events checks every
// field of the generated type against what BPF wrote).
type benchEvent struct {
	Seq  uint32
	Kind uint8
	_    [3]byte
	Val  [8]byte
	Pts  [3][2]struct{ X, Y uint16 }
	Comm [16]int8
	Neg  int64
}

// eventsBatch is how many events one run of the emit program submits:
// they fit the 1 MiB ring (72 bytes each with the header).
const eventsBatch = 10000

// eventsRing loads events.bpf.o with cilium/ebpf and returns the ring
// buffer and a function that fills it with eventsBatch events.
func eventsRing(b *testing.B) (*ebpf.Map, func()) {
	b.Helper()
	kerneltest.Require(b)
	spec, err := ebpf.LoadCollectionSpecFromReader(bytes.NewReader(readObject(b, eventsObject)))
	if err != nil {
		b.Fatal(err)
	}
	coll, err := ebpf.NewCollection(spec)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { coll.Close() })
	seq := uint32(0)
	fill := func() {
		args := struct{ First, Count uint32 }{seq, eventsBatch}
		if _, err := coll.Programs["emit"].Run(&ebpf.RunOptions{Context: args}); err != nil {
			b.Fatal(err)
		}
		seq += eventsBatch
	}
	return coll.Maps["events"], fill
}

// BenchmarkRingRead reads typed events from a ring buffer that BPF filled:
// bpfskel's runtime.RingReader (ReadInto, reusing the caller's event; Read,
// a new event per record, laid over it) vs cilium/ebpf's ringbuf.Reader.Read
// followed by binary.Read into the same type, what a bpf2go user writes.
// ns/op is per event.
func BenchmarkRingRead(b *testing.B) {
	b.Run("bpfskel", func(b *testing.B) {
		m, fill := eventsRing(b)
		r, err := runtime.NewRingReader[benchEvent](m)
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		var ev benchEvent
		ringLoop(b, fill, func() (uint32, error) {
			err := r.ReadInto(&ev)
			return ev.Seq, err
		})
	})
	b.Run("bpfskel-read", func(b *testing.B) {
		m, fill := eventsRing(b)
		r, err := runtime.NewRingReader[benchEvent](m)
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		ringLoop(b, fill, func() (uint32, error) {
			ev, err := r.Read()
			if err != nil {
				return 0, err
			}
			return ev.Seq, nil
		})
	})
	b.Run("cilium", func(b *testing.B) {
		m, fill := eventsRing(b)
		r, err := ringbuf.NewReader(m)
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		ringLoop(b, fill, func() (uint32, error) {
			rec, err := r.Read()
			if err != nil {
				return 0, err
			}
			var ev benchEvent
			err = binary.Read(bytes.NewReader(rec.RawSample), binary.NativeEndian, &ev)
			return ev.Seq, err
		})
	})
}

// ringLoop calls read b.N times, refilling the ring (untimed) whenever
// it has been drained, and checks that events come in sequence.
func ringLoop(b *testing.B, fill func(), read func() (uint32, error)) {
	b.ReportAllocs()
	b.ResetTimer()
	left := 0
	for i := 0; i < b.N; i++ {
		if left == 0 {
			b.StopTimer()
			fill()
			left = eventsBatch
			b.StartTimer()
		}
		seq, err := read()
		if err != nil {
			b.Fatal(err)
		}
		if seq != uint32(i) {
			b.Fatalf("event %d has sequence number %d", i, seq)
		}
		left--
	}
}

// BenchmarkRingReadPair alternates both sides of BenchmarkRingRead
// (ReadInto and ringbuf.Reader.Read + binary.Read) a batch of 10,000
// events at a time, and reports the fastest batch of each per event and
// their ratio (bpfskel/cilium), which is robust on a busy machine.
func BenchmarkRingReadPair(b *testing.B) {
	mOurs, fillOurs := eventsRing(b)
	mBase, fillBase := eventsRing(b)
	ours, err := runtime.NewRingReader[benchEvent](mOurs)
	if err != nil {
		b.Fatal(err)
	}
	defer ours.Close()
	base, err := ringbuf.NewReader(mBase)
	if err != nil {
		b.Fatal(err)
	}
	defer base.Close()
	var ev benchEvent
	readOurs := func() error { return ours.ReadInto(&ev) }
	readBase := func() error {
		rec, err := base.Read()
		if err != nil {
			return err
		}
		return binary.Read(bytes.NewReader(rec.RawSample), binary.NativeEndian, &ev)
	}
	batch := func(fill func(), read func() error) time.Duration {
		fill()
		start := time.Now()
		for range eventsBatch {
			if err := read(); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	var bestOurs, bestBase time.Duration
	for b.Loop() {
		if d := batch(fillOurs, readOurs); bestOurs == 0 || d < bestOurs {
			bestOurs = d
		}
		if d := batch(fillBase, readBase); bestBase == 0 || d < bestBase {
			bestBase = d
		}
	}
	b.ReportMetric(float64(bestOurs.Nanoseconds())/eventsBatch, "bpfskel-ns/event")
	b.ReportMetric(float64(bestBase.Nanoseconds())/eventsBatch, "cilium-ns/event")
	b.ReportMetric(float64(bestOurs)/float64(bestBase), "ratio")
}

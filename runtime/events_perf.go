//go:build !windows

package runtime

import (
	"fmt"
	"sync"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/perf"
)

// PerfReader reads the samples of a BPF perf event array map
// (BPF_MAP_TYPE_PERF_EVENT_ARRAY, bpf_perf_event_output) as values of type
// T, like [RingReader] does for ring buffers. It is built on cilium/ebpf's
// perf.Reader. The kernel pads samples to 8 bytes, so a sample may be
// longer than T; a shorter one is an error wrapping [ErrShortRecord].
// Samples the kernel dropped give an error wrapping [ErrLostSamples] that
// says how many; reading can go on.
type PerfReader[T any] struct {
	rd  *perf.Reader
	mu  sync.Mutex // guards rec
	rec perf.Record
}

// NewPerfReader returns a reader of m's samples as values of type T, with
// a buffer of perCPUBuffer bytes (rounded up to pages) per CPU. T must not
// contain Go pointers (generated types never do).
func NewPerfReader[T any](m *ebpf.Map, perCPUBuffer int) (*PerfReader[T], error) {
	if err := checkEventType[T](m); err != nil {
		return nil, err
	}
	rd, err := perf.NewReader(m, perCPUBuffer)
	if err != nil {
		return nil, fmt.Errorf("perf event reader for %v: %w", m, err)
	}
	return &PerfReader[T]{rd: rd}, nil
}

// Read waits for the next sample and returns it as a *T laid over the
// sample's own memory, allocated for this sample alone.
func (r *PerfReader[T]) Read() (*T, error) {
	rec, err := r.rd.Read()
	if err != nil {
		return nil, err
	}
	if rec.LostSamples > 0 {
		return nil, lostError(rec)
	}
	return overlay[T](rec.RawSample)
}

// ReadInto waits for the next sample and copies it into *ev, allocating
// nothing once the reader's buffer has grown to the samples' size.
func (r *PerfReader[T]) ReadInto(ev *T) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.rd.ReadInto(&r.rec); err != nil {
		return err
	}
	if r.rec.LostSamples > 0 {
		return lostError(r.rec)
	}
	return copyRecord(ev, r.rec.RawSample)
}

// SetDeadline makes blocked and later reads return os.ErrDeadlineExceeded
// after t; the zero time means no deadline.
func (r *PerfReader[T]) SetDeadline(t time.Time) { r.rd.SetDeadline(t) }

// Close releases the reader and interrupts a blocked read. The map stays
// open.
func (r *PerfReader[T]) Close() error { return r.rd.Close() }

func lostError(rec perf.Record) error {
	return fmt.Errorf("%d samples lost on CPU %d: %w", rec.LostSamples, rec.CPU, ErrLostSamples)
}

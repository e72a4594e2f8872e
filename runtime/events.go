package runtime

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/ringbuf"
)

// Errors of the event readers (test with errors.Is).
var (
	// ErrShortRecord: a ring buffer or perf record is shorter than the
	// type it is read as.
	ErrShortRecord = errors.New("record shorter than its type")
	// ErrLostSamples: the kernel dropped perf samples because the reader's
	// per-CPU buffer was full. Reading can go on.
	ErrLostSamples = errors.New("perf samples lost")
)

// RingReader reads the records of a BPF ring buffer map
// (BPF_MAP_TYPE_RINGBUF) as values of type T, a generated type with the C
// layout of what the BPF program submits: no decoding, no reflection. It is
// built on cilium/ebpf's ringbuf.Reader. A record may be longer than T (a
// trailing variable part); a shorter one is an error wrapping
// [ErrShortRecord].
//
// Read and ReadInto block until a record arrives, the deadline passes
// (os.ErrDeadlineExceeded) or Close is called (os.ErrClosed); Close may be
// called from another goroutine to stop a blocked read.
type RingReader[T any] struct {
	rd  *ringbuf.Reader
	mu  sync.Mutex // guards rec
	rec ringbuf.Record
}

// NewRingReader returns a reader of m's records as values of type T. T must
// not contain Go pointers (generated types never do).
func NewRingReader[T any](m *ebpf.Map) (*RingReader[T], error) {
	if err := checkEventType[T](m); err != nil {
		return nil, err
	}
	rd, err := ringbuf.NewReader(m)
	if err != nil {
		return nil, fmt.Errorf("ring buffer reader for %v: %w", m, err)
	}
	return &RingReader[T]{rd: rd}, nil
}

// Read waits for the next record and returns it as a *T laid over the
// record's own memory, which is allocated for this record alone: the
// result stays valid (and may be kept) after later reads.
func (r *RingReader[T]) Read() (*T, error) {
	rec, err := r.rd.Read()
	if err != nil {
		return nil, err
	}
	return overlay[T](rec.RawSample)
}

// ReadInto waits for the next record and copies it into *ev. It allocates
// nothing once the reader's buffer has grown to the records' size: the
// fast way to read many events.
func (r *RingReader[T]) ReadInto(ev *T) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.rd.ReadInto(&r.rec); err != nil {
		return err
	}
	return copyRecord(ev, r.rec.RawSample)
}

// SetDeadline makes blocked and later reads return os.ErrDeadlineExceeded
// after t, once no record is left; the zero time means no deadline.
func (r *RingReader[T]) SetDeadline(t time.Time) { r.rd.SetDeadline(t) }

// AvailableBytes returns how many bytes of records wait in the ring.
func (r *RingReader[T]) AvailableBytes() int { return r.rd.AvailableBytes() }

// Close releases the reader and interrupts a blocked read. The map stays
// open.
func (r *RingReader[T]) Close() error { return r.rd.Close() }

// checkEventType refuses a T with Go pointers, which record memory (never
// scanned by the garbage collector as holding pointers) must not be read
// as.
func checkEventType[T any](m *ebpf.Map) error {
	t := reflect.TypeFor[T]()
	if hasPointers(t) {
		return fmt.Errorf("event type %v for %v: contains Go pointers", t, m)
	}
	return nil
}

// hasPointers reports whether a value of type t holds Go pointers.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}

// overlay returns raw as a *T, without copying when raw is aligned for T.
func overlay[T any](raw []byte) (*T, error) {
	var zero T
	size, align := unsafe.Sizeof(zero), unsafe.Alignof(zero)
	if uintptr(len(raw)) < size {
		return nil, shortRecord[T](len(raw))
	}
	if size == 0 || uintptr(unsafe.Pointer(unsafe.SliceData(raw)))%align != 0 {
		v := new(T)
		copy(unsafe.Slice((*byte)(unsafe.Pointer(v)), size), raw)
		return v, nil
	}
	// unsafe: raw holds at least sizeof(T) bytes at an address aligned
	// for T, and T holds no Go pointers (checkEventType), so the garbage
	// collector may treat the memory as T's; the *T keeps raw alive.
	return (*T)(unsafe.Pointer(unsafe.SliceData(raw))), nil
}

// copyRecord copies the first sizeof(T) bytes of raw into *ev.
func copyRecord[T any](ev *T, raw []byte) error {
	size := unsafe.Sizeof(*ev)
	if uintptr(len(raw)) < size {
		return shortRecord[T](len(raw))
	}
	// unsafe: ev points to a whole T, sizeof(T) bytes, holding no Go
	// pointers (checkEventType).
	copy(unsafe.Slice((*byte)(unsafe.Pointer(ev)), size), raw)
	return nil
}

func shortRecord[T any](n int) error {
	var zero T
	return fmt.Errorf("record of %d bytes read as %T (%d bytes): %w", n, zero, unsafe.Sizeof(zero), ErrShortRecord)
}

// RingBuf is a BPF ring buffer map whose records are values of type T, as
// generated skeletons declare the maps named with gen's -event MAP=TYPE.
// The embedded *ebpf.Map offers everything else.
type RingBuf[T any] struct {
	*ebpf.Map
}

// Reader returns a reader of the map's records as values of type T.
func (m RingBuf[T]) Reader() (*RingReader[T], error) { return NewRingReader[T](m.Map) }

// PerfEventArray is a BPF perf event array map whose samples are values
// of type T, as generated skeletons declare the maps named with gen's
// -event MAP=TYPE. The embedded *ebpf.Map offers everything else.
type PerfEventArray[T any] struct {
	*ebpf.Map
}

// Reader returns a reader of the map's samples as values of type T, with
// a buffer of perCPUBuffer bytes (rounded up to pages) per CPU.
func (m PerfEventArray[T]) Reader(perCPUBuffer int) (*PerfReader[T], error) {
	return NewPerfReader[T](m.Map, perCPUBuffer)
}

package runtime

import (
	"fmt"
	"time"

	"github.com/cilium/ebpf"
)

// PerfReader is events_perf.go's, which cilium/ebpf cannot build on
// Windows: there NewPerfReader fails, so no reader exists to call.
type PerfReader[T any] struct{}

// NewPerfReader fails on Windows: cilium/ebpf has no perf reader there.
func NewPerfReader[T any](m *ebpf.Map, perCPUBuffer int) (*PerfReader[T], error) {
	return nil, fmt.Errorf("perf event reader for %v: %w", m, ebpf.ErrNotSupported)
}

func (r *PerfReader[T]) Read() (*T, error)     { return nil, ebpf.ErrNotSupported }
func (r *PerfReader[T]) ReadInto(ev *T) error  { return ebpf.ErrNotSupported }
func (r *PerfReader[T]) SetDeadline(time.Time) {}
func (r *PerfReader[T]) Close() error          { return nil }

package runtime

import (
	"errors"
	"math"
	"testing"
)

// TestSizeOverflow checks that sizes that overflow 64 bits, or exceed the
// arena, are errors before anything is allocated: no panic, no kernel call
// (the arena here is not loaded, so reaching the allocator would fail with
// ErrClosed instead).
func TestSizeOverflow(t *testing.T) {
	a := &Arena{size: 16 << 12}
	for _, tc := range []struct {
		name string
		err  func() error
	}{
		{"slice-1<<60-of-16", func() error { _, err := NewSlice[[16]byte](a, 1<<60); return err }},
		{"slice-maxint-of-8", func() error { _, err := NewSlice[uint64](a, math.MaxInt); return err }},
		{"slice-maxint-of-4k", func() error { _, err := NewSlice[[4096]byte](a, math.MaxInt/4096+1); return err }},
		{"slice-negative", func() error { _, err := NewSlice[uint64](a, -1); return err }},
		{"slice-past-arena", func() error { _, err := NewSlice[uint64](a, 16<<12/8+1); return err }},
		{"alloc-max", func() error { _, err := a.Alloc(math.MaxUint64, 8); return err }},
		{"alloc-max-page-rounding", func() error { _, err := a.Alloc(math.MaxUint64-4095, 1); return err }},
		{"alloc-pages-maxint", func() error { _, err := a.AllocPages(math.MaxInt); return err }},
		{"alloc-pages-1<<52", func() error { _, err := a.AllocPages(1 << 52); return err }},
		{"free-pages-wrap", func() error { return a.FreePages(math.MaxUint64-4095, 2) }},
		{"free-pages-1<<52", func() error { return a.FreePages(0, 1<<52) }},
		{"alloc-pages-at-wrap", func() error { _, err := a.allocPagesAt(math.MaxUint64-4095, 2); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.err(); !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("got %v, want an error wrapping ErrOutOfRange", err)
			}
		})
	}
}

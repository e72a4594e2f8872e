package runtime

import (
	"errors"
	"unsafe"

	"github.com/cilium/ebpf"
)

// Queue is a BPF queue map (BPF_MAP_TYPE_QUEUE, first in, first out) with
// values of type V, the generated Go type of its BTF value. The embedded
// *ebpf.Map offers everything else.
type Queue[V any] struct {
	*ebpf.Map
}

// Push appends v; with ebpf.UpdateExist a full queue drops its oldest
// value to make room, else a full queue is an error.
func (q Queue[V]) Push(v V, flags ebpf.MapUpdateFlags) error {
	return q.Map.Update(nil, &v, flags)
}

// Pop removes and returns the oldest value; an empty queue gives an error
// wrapping ebpf.ErrKeyNotExist.
func (q Queue[V]) Pop() (V, error) {
	var v V
	err := q.Map.LookupAndDelete(nil, &v)
	return v, err
}

// Peek returns the oldest value without removing it; an empty queue gives
// an error wrapping ebpf.ErrKeyNotExist.
func (q Queue[V]) Peek() (V, error) {
	var v V
	err := q.Map.Lookup(nil, &v)
	return v, err
}

// Stack is a BPF stack map (BPF_MAP_TYPE_STACK, last in, first out) with
// values of type V. The embedded *ebpf.Map offers everything else.
type Stack[V any] struct {
	*ebpf.Map
}

// Push puts v on top; with ebpf.UpdateExist a full stack drops its oldest
// value to make room, else a full stack is an error.
func (s Stack[V]) Push(v V, flags ebpf.MapUpdateFlags) error {
	return s.Map.Update(nil, &v, flags)
}

// Pop removes and returns the top value; an empty stack gives an error
// wrapping ebpf.ErrKeyNotExist.
func (s Stack[V]) Pop() (V, error) {
	var v V
	err := s.Map.LookupAndDelete(nil, &v)
	return v, err
}

// Peek returns the top value without removing it; an empty stack gives an
// error wrapping ebpf.ErrKeyNotExist.
func (s Stack[V]) Peek() (V, error) {
	var v V
	err := s.Map.Lookup(nil, &v)
	return v, err
}

// BloomFilter is a BPF bloom filter map (BPF_MAP_TYPE_BLOOM_FILTER) with
// values of type V. The embedded *ebpf.Map offers everything else.
type BloomFilter[V any] struct {
	*ebpf.Map
}

// Push adds v to the filter.
func (f BloomFilter[V]) Push(v V) error {
	return f.Map.Update(nil, &v, ebpf.UpdateAny)
}

// Peek reports whether v may be in the filter: false means it was never
// pushed, true that it probably was.
func (f BloomFilter[V]) Peek(v V) (bool, error) {
	// The kernel reads the value to look for from the value buffer: pass
	// v's memory itself (cilium/ebpf may otherwise hand it a zeroed copy
	// to fill).
	// unsafe: v is a local V of the map's value size, alive for the call.
	err := f.Map.Lookup(nil, unsafe.Pointer(&v))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ebpf.ErrKeyNotExist):
		return false, nil
	}
	return false, err
}

package runtime

import (
	"iter"

	"github.com/cilium/ebpf"
)

// Map is a BPF map with keys of type K and values of type V, as generated
// skeletons declare their hash, array, LRU and LPM trie maps. K and V are the
// generated Go types of the map's BTF key and value, so nothing is marshalled
// by hand. The embedded *ebpf.Map offers everything else (batch operations,
// pinning, …).
type Map[K, V any] struct {
	*ebpf.Map
}

// Lookup returns the value stored under key.
func (m Map[K, V]) Lookup(key K) (V, error) {
	var v V
	err := m.Map.Lookup(&key, &v)
	return v, err
}

// Update stores value under key; flags say whether key must or must not
// exist.
func (m Map[K, V]) Update(key K, value V, flags ebpf.MapUpdateFlags) error {
	return m.Map.Update(&key, &value, flags)
}

// Delete removes key.
func (m Map[K, V]) Delete(key K) error {
	return m.Map.Delete(&key)
}

// All iterates over the entries. Iteration stops at the first error, which
// is stored in *err when err is not nil.
func (m Map[K, V]) All(err *error) iter.Seq2[K, V] {
	return func(yield func(K, V) bool) {
		var k K
		var v V
		it := m.Map.Iterate()
		for it.Next(&k, &v) {
			if !yield(k, v) {
				return
			}
		}
		if err != nil {
			*err = it.Err()
		}
	}
}

// PerCPUMap is a per-CPU BPF map with keys of type K and one value of type V
// per possible CPU, as generated skeletons declare their per-CPU hash, array
// and LRU maps. The embedded *ebpf.Map offers everything else.
type PerCPUMap[K, V any] struct {
	*ebpf.Map
}

// Lookup returns the values stored under key, one per possible CPU.
func (m PerCPUMap[K, V]) Lookup(key K) ([]V, error) {
	var v []V
	err := m.Map.Lookup(&key, &v)
	return v, err
}

// Update stores value under key, one element per possible CPU
// (ebpf.MustPossibleCPU); flags say whether key must or must not exist.
func (m PerCPUMap[K, V]) Update(key K, value []V, flags ebpf.MapUpdateFlags) error {
	return m.Map.Update(&key, value, flags)
}

// Delete removes key.
func (m PerCPUMap[K, V]) Delete(key K) error {
	return m.Map.Delete(&key)
}

// All iterates over the entries, one value per possible CPU each. Iteration
// stops at the first error, which is stored in *err when err is not nil.
func (m PerCPUMap[K, V]) All(err *error) iter.Seq2[K, []V] {
	return func(yield func(K, []V) bool) {
		var k K
		var v []V
		it := m.Map.Iterate()
		for it.Next(&k, &v) {
			if !yield(k, v) {
				return
			}
		}
		if err != nil {
			*err = it.Err()
		}
	}
}

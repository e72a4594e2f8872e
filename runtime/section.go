package runtime

import (
	"fmt"
	"unsafe"

	"github.com/cilium/ebpf"
)

// ReadSection returns a copy of the current contents of the data section
// named section, read through its map: the way to read a section that View
// cannot map (ErrNotMapped). The kernel leaves its special fields (locks,
// timers) zero in the copy. T's size must equal the section's.
func ReadSection[T any](c *Collection, section string) (*T, error) {
	m, size, err := sectionMap[T](c, section)
	if err != nil {
		return nil, err
	}
	v := new(T)
	if size == 0 {
		return v, nil
	}
	// unsafe: v is sizeof(T) == size bytes of Go memory allocated as a T,
	// which the lookup overwrites as bytes.
	buf := unsafe.Slice((*byte)(unsafe.Pointer(v)), size)
	if err := m.Lookup(uint32(0), buf); err != nil {
		return nil, fmt.Errorf("section %s: read: %w", section, err)
	}
	return v, nil
}

// WriteSection replaces the contents of the data section named section
// with v, through its map: the way to write a section that View cannot map
// (ErrNotMapped). The kernel keeps the section's special fields (locks,
// timers) as they are. T's size must equal the section's.
func WriteSection[T any](c *Collection, section string, v *T) error {
	m, size, err := sectionMap[T](c, section)
	if err != nil {
		return err
	}
	// unsafe: v points to sizeof(T) == size bytes of a T, read as bytes.
	buf := unsafe.Slice((*byte)(unsafe.Pointer(v)), size)
	if err := m.Put(uint32(0), buf); err != nil {
		return fmt.Errorf("section %s: write: %w", section, err)
	}
	return nil
}

// sectionMap returns the map of a data section and checks that T has its
// size.
func sectionMap[T any](c *Collection, section string) (m *ebpf.Map, size uintptr, err error) {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil, 0, fmt.Errorf("section %s: %w", section, ErrClosed)
	}
	em := c.maps[section]
	ms := c.spec.Collection.Maps[section]
	if em == nil || ms == nil || !isDataSection(section) {
		return nil, 0, fmt.Errorf("section %s: %w", section, ErrNoSection)
	}
	var zero T
	size = unsafe.Sizeof(zero)
	if uint64(size) != uint64(ms.ValueSize) {
		return nil, 0, fmt.Errorf("section %s: %T is %d bytes, section is %d: %w", section, zero, size, ms.ValueSize, ErrSizeMismatch)
	}
	return em, size, nil
}

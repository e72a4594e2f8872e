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
	// unsafe: v is sizeof(T) >= size bytes of Go memory allocated as a T,
	// whose first size bytes the lookup overwrites.
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
	// unsafe: v points to sizeof(T) >= size bytes of a T, read as bytes.
	buf := unsafe.Slice((*byte)(unsafe.Pointer(v)), size)
	if err := m.Put(uint32(0), buf); err != nil {
		return fmt.Errorf("section %s: write: %w", section, err)
	}
	return nil
}

// sectionMap returns the map of a data section and checks that T has its
// size.
func sectionMap[T any](c *Collection, section string) (m *ebpf.Map, size uintptr, err error) {
	if err := c.checkOpen(section); err != nil {
		return nil, 0, err
	}
	em := c.maps[section]
	ms := c.spec.Collection.Maps[section]
	if em == nil || ms == nil || !isDataSection(section) {
		return nil, 0, fmt.Errorf("section %s: %w", section, ErrNoSection)
	}
	var zero T
	size = uintptr(ms.ValueSize)
	if !fits[T](uint64(ms.ValueSize)) {
		return nil, 0, fmt.Errorf("section %s: %T is %d bytes, section is %d: %w", section, zero, unsafe.Sizeof(zero), ms.ValueSize, ErrSizeMismatch)
	}
	return em, size, nil
}

// fits reports whether a T stands for a section of size bytes: T has that
// size, or that size rounded up to T's alignment (gen pads a section's
// struct so that every variable is a field; sections are mapped and
// copied in whole pages or at least in 8-byte units, so the padding is
// readable).
func fits[T any](size uint64) bool {
	var zero T
	s, a := uint64(unsafe.Sizeof(zero)), uint64(unsafe.Alignof(zero))
	return s == size || (s > size && s == (size+a-1)/a*a)
}

// checkOpen returns an error wrapping ErrClosed, naming section, once c
// is closed: what View, LibraryView and the section accessors say then.
func (c *Collection) checkOpen(section string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return fmt.Errorf("section %s: %w", section, ErrClosed)
	}
	return nil
}

package runtime

import (
	"fmt"
	"unsafe"

	"github.com/bpfskel/bpfskel/internal/objfile"
	"github.com/cilium/ebpf"
)

// arenaGlobalsSection is the ELF section clang (>= 19) puts __arena globals
// in; View and SpecView accept it as a section name.
const arenaGlobalsSection = objfile.ArenaGlobalsSection

// Spec is a parsed BPF object, not yet loaded: its programs, maps and the
// editable initial values of its global variables (SpecView).
type Spec struct {
	// Collection holds the programs, maps (the arena map included) and
	// data sections, for what a skeleton does not cover. Arena globals are
	// not a map here: they are placed in the arena by Load.
	Collection *ebpf.CollectionSpec

	obj      *objfile.Object
	views    map[string]any  // SpecView results by section, *T each
	autoload map[string]bool // SetAutoload's choices by program
}

// Autoload reports whether Load loads the program named name: by default
// every program except those whose section name starts with "?" (libbpf's
// mark for programs enabled on demand).
func (s *Spec) Autoload(name string) bool {
	if on, set := s.autoload[name]; set {
		return on
	}
	ps := s.Collection.Programs[name]
	return ps != nil && objfile.Autoload(ps.SectionName)
}

// SetAutoload sets whether Load loads the program named name; a program
// not loaded is nil in the Collection and left alone by Attach. It fails
// with ErrNoProgram for a name that is not a program of s.
func (s *Spec) SetAutoload(name string, load bool) error {
	if s.Collection.Programs[name] == nil {
		return fmt.Errorf("program %s: %w", name, ErrNoProgram)
	}
	if s.autoload == nil {
		s.autoload = map[string]bool{}
	}
	s.autoload[name] = load
	return nil
}

// LoadSpec parses a BPF ELF object, including what cilium/ebpf cannot read
// on its own (arena globals in .addr_space.1).
func LoadSpec(obj []byte) (*Spec, error) {
	o, err := objfile.Parse(obj)
	if err != nil {
		return nil, parseError{err}
	}
	return &Spec{Collection: o.Collection, obj: o}, nil
}

// arena returns the object's arena description, nil without an arena.
func (s *Spec) arena() *objfile.ArenaSpec { return s.obj.Arena }

// SpecView returns a typed pointer to the editable initial contents of a data
// section (".bss", ".data", ".rodata", ".data.foo", ...) or of the arena
// globals (".addr_space.1") of s. T's size must equal the section's.
//
// Repeated calls with the same T return the same pointer; a call with
// another T takes over the section and the earlier pointer stops affecting
// it.
func SpecView[T any](s *Spec, section string) (*T, error) {
	if v, ok := s.views[section].(*T); ok {
		return v, nil
	}
	var buf []byte
	if section == arenaGlobalsSection {
		if s.arena() == nil || s.arena().Globals == nil {
			return nil, fmt.Errorf("section %s: %w", section, ErrNoSection)
		}
		buf = s.arena().Data
	} else {
		m, ok := s.Collection.Maps[section]
		if !ok || len(m.Contents) != 1 {
			return nil, fmt.Errorf("section %s: %w", section, ErrNoSection)
		}
		b, ok := m.Contents[0].Value.([]byte)
		if !ok {
			return nil, fmt.Errorf("section %s: contents are %T, not bytes", section, m.Contents[0].Value)
		}
		buf = b
	}
	var zero T
	if !fits[T](uint64(len(buf))) {
		return nil, fmt.Errorf("section %s: %T is %d bytes, section is %d: %w", section, zero, unsafe.Sizeof(zero), len(buf), ErrSizeMismatch)
	}
	if len(buf) == 0 {
		return &zero, nil
	}
	// The byte slice comes from the Go heap, which may not be aligned for T;
	// move it into memory allocated as T and share that with the spec.
	v := new(T)
	// unsafe: v points to sizeof(T) >= len(buf) bytes of Go memory
	// allocated as a T; viewing its first len(buf) as bytes is allowed.
	dst := unsafe.Slice((*byte)(unsafe.Pointer(v)), len(buf))
	copy(dst, buf)
	setSectionBytes(s, section, dst)
	if s.views == nil {
		s.views = map[string]any{}
	}
	s.views[section] = v
	return v, nil
}

// setSectionBytes makes b the section's contents, so edits through a
// SpecView reach Load.
func setSectionBytes(s *Spec, section string, b []byte) {
	if section == arenaGlobalsSection {
		s.arena().Data = b
		return
	}
	m := s.Collection.Maps[section]
	m.Contents[0].Value = b
}

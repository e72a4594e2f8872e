package runtime_test

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
	"testing"

	"github.com/bpfskel/bpfskel/runtime"
)

// FuzzLoadSpec feeds mutated objects to LoadSpec: it must return an error
// or a spec whose arena globals fit their data, never panic. The seeds are
// the checked-in test objects; runtime/testdata/fuzz/FuzzLoadSpec holds
// the inputs that once crashed it.
func FuzzLoadSpec(f *testing.F) {
	objs, err := filepath.Glob("../testdata/*.bpf.o")
	if err != nil {
		f.Fatal(err)
	}
	if len(objs) == 0 {
		f.Fatal("no objects in ../testdata")
	}
	for _, p := range objs {
		f.Add(readFile(f, p))
	}
	f.Fuzz(func(t *testing.T, obj []byte) {
		s, err := runtime.LoadSpec(obj)
		if err != nil {
			return
		}
		if a := runtime.ArenaOf(s); a != nil && a.Globals != nil {
			if uint64(len(a.Data)) != uint64(a.Globals.Size) || uint64(len(a.Data)) > a.Size() {
				t.Fatalf("arena globals: %d bytes of data, Datasec of %d bytes, arena of %d", len(a.Data), a.Globals.Size, a.Size())
			}
			for _, v := range a.Globals.Vars {
				if uint64(v.Offset)+uint64(v.Size) > uint64(a.Globals.Size) {
					t.Fatalf("arena global at %d+%d outside %d bytes", v.Offset, v.Size, a.Globals.Size)
				}
			}
		}
	})
}

// TestLoadSpecCorrupt checks that LoadSpec reports corrupted section
// headers of objects with arena globals (LoadSpec reads those itself
// before cilium/ebpf sees the object) as errors.
func TestLoadSpecCorrupt(t *testing.T) {
	obj := readFile(t, "../testdata/gen_arena.bpf.o")
	for _, tc := range []struct {
		name    string
		section string
		field   int // byte offset in Elf64_Shdr
		value   uint64
	}{
		{"btf-size-past-end", ".BTF", shdrSize, uint64(len(obj))},
		{"btf-size-overflow", ".BTF", shdrSize, 1<<64 - 1},
		{"btf-offset-past-end", ".BTF", shdrOffset, uint64(len(obj)) + 1},
		{"btf-offset-overflow", ".BTF", shdrOffset, 1<<64 - 8},
		{"globals-size-huge", runtime.ArenaGlobalsSection, shdrSize, 1 << 40},
		{"globals-offset-past-end", runtime.ArenaGlobalsSection, shdrOffset, 1<<64 - 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := setSectionHeader(t, obj, tc.section, tc.field, tc.value)
			if _, err := runtime.LoadSpec(bad); err == nil {
				t.Fatal("LoadSpec succeeded")
			}
		})
	}
}

// Offsets of fields in an Elf64_Shdr.
const (
	shdrOffset = 0x18
	shdrSize   = 0x20
)

// setSectionHeader returns a copy of obj in which the 8-byte field at
// byte field of the named section's header holds value.
func setSectionHeader(tb testing.TB, obj []byte, section string, field int, value uint64) []byte {
	tb.Helper()
	f, err := elf.NewFile(bytes.NewReader(obj))
	if err != nil {
		tb.Fatal(err)
	}
	bo := f.ByteOrder
	shoff := bo.Uint64(obj[0x28:])
	shentsize := uint64(bo.Uint16(obj[0x3a:]))
	for i, s := range f.Sections {
		if s.Name == section {
			out := bytes.Clone(obj)
			bo.PutUint64(out[shoff+uint64(i)*shentsize+uint64(field):], value)
			return out
		}
	}
	tb.Fatalf("no section %s", section)
	return nil
}

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

package linker_test

import (
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/bpfskel/bpfskel/internal/linker"
	"github.com/cilium/ebpf/btf"
)

var ciliumDir = sync.OnceValues(func() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/cilium/ebpf").Output()
	if err != nil {
		return "", fmt.Errorf("go list -m github.com/cilium/ebpf: %w", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "testdata"), nil
})

// ciliumObject returns the bytes of a file of cilium/ebpf's module testdata.
func ciliumObject(tb testing.TB, name string) linker.Input {
	tb.Helper()
	dir, err := ciliumDir()
	if err != nil {
		tb.Fatal(err)
	}
	return readInput(tb, filepath.Join(dir, name))
}

func readInput(tb testing.TB, path string) linker.Input {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return linker.Input{Name: filepath.Base(path), Data: data}
}

func mustLink(tb testing.TB, ins ...linker.Input) []byte {
	tb.Helper()
	out, err := linker.Link(ins)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// symbolLines describes every named symbol of an object, one per line,
// sorted: name, binding, type, section and value.
func symbolLines(tb testing.TB, obj []byte) []string {
	tb.Helper()
	f := openELF(tb, obj)
	syms, err := f.Symbols()
	if err != nil {
		tb.Fatal(err)
	}
	var lines []string
	for _, s := range syms {
		if s.Name == "" || elf.ST_TYPE(s.Info) == elf.STT_SECTION {
			continue
		}
		sec := s.Section.String()
		if s.Section < elf.SHN_LORESERVE && s.Section != elf.SHN_UNDEF {
			sec = f.Sections[s.Section].Name
		}
		lines = append(lines, fmt.Sprintf("%s %v %v %s+%#x size %d", s.Name, elf.ST_BIND(s.Info), elf.ST_TYPE(s.Info), sec, s.Value, s.Size))
	}
	sort.Strings(lines)
	return lines
}

// relocLines describes every relocation of an object: section, offset,
// type and symbol name.
func relocLines(tb testing.TB, obj []byte) []string {
	tb.Helper()
	f := openELF(tb, obj)
	syms, _ := f.Symbols()
	var lines []string
	for _, s := range f.Sections {
		if s.Type != elf.SHT_REL || strings.HasPrefix(f.Sections[s.Info].Name, ".BTF") || strings.HasPrefix(f.Sections[s.Info].Name, ".debug") {
			continue
		}
		data, err := s.Data()
		if err != nil {
			tb.Fatal(err)
		}
		for p := 0; p+16 <= len(data); p += 16 {
			off := f.ByteOrder.Uint64(data[p:])
			info := f.ByteOrder.Uint64(data[p+8:])
			name := "?"
			if i := int(info >> 32); i > 0 && i <= len(syms) {
				name = syms[i-1].Name
				if elf.ST_TYPE(syms[i-1].Info) == elf.STT_SECTION {
					name = f.Sections[syms[i-1].Section].Name
				}
			}
			lines = append(lines, fmt.Sprintf("%s+%#x type %d %s", f.Sections[s.Info].Name, off, uint32(info), name))
		}
	}
	sort.Strings(lines)
	return lines
}

// sectionLines describes every section but the symbol, string and BTF
// tables: name, type, flags and size.
func sectionLines(tb testing.TB, obj []byte) []string {
	tb.Helper()
	var lines []string
	for _, s := range openELF(tb, obj).Sections {
		switch s.Type {
		case elf.SHT_NULL, elf.SHT_SYMTAB, elf.SHT_STRTAB, elf.SHT_REL:
			continue
		}
		if strings.HasPrefix(s.Name, ".BTF") {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s %v %v size %d", s.Name, s.Type, s.Flags, s.Size))
	}
	sort.Strings(lines)
	return lines
}

func openELF(tb testing.TB, obj []byte) *elf.File {
	tb.Helper()
	f, err := elf.NewFile(strings.NewReader(string(obj)))
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// btfLines describes every BTF type of an object, one per line, sorted,
// with DATASECs as their variables' names (offsets are compared through
// the symbol table). Each identical type must appear once, so a duplicate
// line is kept and shows up in a comparison.
func btfLines(tb testing.TB, obj []byte) []string {
	tb.Helper()
	spec, err := btf.LoadSpecFromReader(strings.NewReader(string(obj)))
	if err != nil {
		tb.Fatal(err)
	}
	var lines []string
	for t, err := range spec.All() {
		if err != nil {
			tb.Fatal(err)
		}
		if ds, ok := t.(*btf.Datasec); ok {
			var vars []string
			for _, v := range ds.Vars {
				vars = append(vars, v.Type.TypeName())
			}
			slices.Sort(vars)
			lines = append(lines, fmt.Sprintf("Datasec %s %s", ds.Name, strings.Join(vars, ",")))
			continue
		}
		lines = append(lines, describe(t))
	}
	sort.Strings(lines)
	return lines
}

// describe is a type's kind, name and own fields, naming the types it
// refers to by kind and name.
func describe(t btf.Type) string {
	short := func(t btf.Type) string { return fmt.Sprintf("%T(%s)", t, t.TypeName()) }
	var b strings.Builder
	b.WriteString(short(t))
	switch t := t.(type) {
	case *btf.Int:
		fmt.Fprintf(&b, " size %d %v", t.Size, t.Encoding)
	case *btf.Pointer:
		b.WriteString(" -> " + short(t.Target))
	case *btf.Array:
		fmt.Fprintf(&b, " [%d]%s index %s", t.Nelems, short(t.Type), short(t.Index))
	case *btf.Struct:
		fmt.Fprintf(&b, " size %d", t.Size)
		for _, m := range t.Members {
			fmt.Fprintf(&b, " %s:%s@%d/%d", m.Name, short(m.Type), m.Offset, m.BitfieldSize)
		}
	case *btf.Union:
		fmt.Fprintf(&b, " size %d", t.Size)
		for _, m := range t.Members {
			fmt.Fprintf(&b, " %s:%s@%d/%d", m.Name, short(m.Type), m.Offset, m.BitfieldSize)
		}
	case *btf.Enum:
		fmt.Fprintf(&b, " size %d signed %v", t.Size, t.Signed)
		for _, v := range t.Values {
			fmt.Fprintf(&b, " %s=%d", v.Name, v.Value)
		}
	case *btf.Fwd:
		fmt.Fprintf(&b, " %v", t.Kind)
	case *btf.Typedef:
		b.WriteString(" = " + short(t.Type))
	case *btf.Volatile:
		b.WriteString(" " + short(t.Type))
	case *btf.Const:
		b.WriteString(" " + short(t.Type))
	case *btf.Restrict:
		b.WriteString(" " + short(t.Type))
	case *btf.TypeTag:
		b.WriteString(" " + t.Value + " " + short(t.Type))
	case *btf.Func:
		fmt.Fprintf(&b, " %v %s", t.Linkage, describe(t.Type))
	case *btf.FuncProto:
		b.WriteString(" returns " + short(t.Return))
		for _, p := range t.Params {
			fmt.Fprintf(&b, " %s:%s", p.Name, short(p.Type))
		}
	case *btf.Var:
		fmt.Fprintf(&b, " %v %s", t.Linkage, short(t.Type))
	case *btf.Float:
		fmt.Fprintf(&b, " size %d", t.Size)
	}
	return b.String()
}

package dwarfbtf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf/btf"

	"github.com/bpfskel/bpfskel/internal/golden"
	"github.com/bpfskel/bpfskel/internal/testenv"
)

// objects are the testdata objects of this package, with the forward
// declarations Complete must leave unresolved.
var objects = []struct {
	file       string
	unresolved []string
}{
	{"dwarf_list.bpf.o", nil},
	{"dwarf_nested.bpf.o", []string{"opaque"}},
	{"dwarf_layout.bpf.o", nil},
	{"dwarf_layout_btf.bpf.o", nil},
}

func readObject(tb testing.TB, file string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", file))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func loadBoth(tb testing.TB, file string) (*Types, *btf.Spec) {
	tb.Helper()
	obj := readObject(tb, file)
	d, err := Load(obj)
	if err != nil {
		tb.Fatalf("Load(%s): %v", file, err)
	}
	spec, err := btf.LoadSpecFromReader(bytes.NewReader(obj))
	if err != nil {
		tb.Fatalf("load BTF of %s: %v", file, err)
	}
	return d, spec
}

// btfTypes returns the BTF types of spec, in ID order.
func btfTypes(tb testing.TB, spec *btf.Spec) []btf.Type {
	tb.Helper()
	var out []btf.Type
	for typ, err := range spec.All() {
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, typ)
	}
	return out
}

// TestLookupMatchesBTF checks that every named struct, union, enum and
// typedef that BTF has complete converts from DWARF to the same layout and
// shape.
func TestLookupMatchesBTF(t *testing.T) {
	for _, o := range objects {
		t.Run(o.file, func(t *testing.T) {
			d, spec := loadBoth(t, o.file)
			compared := 0
			for _, typ := range btfTypes(t, spec) {
				name := typ.TypeName()
				switch typ.(type) {
				case *btf.Struct, *btf.Union, *btf.Enum, *btf.Typedef:
				default:
					continue
				}
				if name == "" {
					continue
				}
				key := typeString(typ)
				got, err := d.Lookup(key)
				if err != nil {
					t.Errorf("Lookup(%q): %v", key, err)
					continue
				}
				if want, got := dumpLayout(t, typ, true), dumpLayout(t, got, true); want != got {
					t.Errorf("%s: DWARF differs from BTF\nBTF:\n%s\nDWARF:\n%s", key, want, got)
				}
				compared++
			}
			if compared == 0 {
				t.Fatal("no complete BTF type to compare")
			}
		})
	}
}

// TestDWARFOnlyMatchesBTF checks the types of dwarf_types.h recovered from
// dwarf_layout.bpf.o, where BTF lacks them, against the BTF clang writes
// for the same types in dwarf_layout_btf.bpf.o.
func TestDWARFOnlyMatchesBTF(t *testing.T) {
	d, spec := loadBoth(t, "dwarf_layout.bpf.o")
	_, ref := loadBoth(t, "dwarf_layout_btf.bpf.o")
	if typ, err := spec.AnyTypeByName("layout_all"); err != nil {
		t.Fatal(err)
	} else if _, ok := typ.(*btf.Fwd); !ok {
		t.Fatalf("BTF of dwarf_layout.bpf.o has %v; the test needs a forward declaration", typ)
	}
	for _, name := range []string{"layout_all", "layout_all_t", "tree", "flex", "bits", "anon", "u_all", "e_s64"} {
		want, err := ref.AnyTypeByName(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := spec.AnyTypeByName(name); name != "layout_all" && err == nil {
			t.Errorf("BTF of dwarf_layout.bpf.o has %s; the test needs it absent", name)
		}
		got, err := d.Lookup(name)
		if err != nil {
			t.Fatalf("Lookup(%q): %v", name, err)
		}
		if want, got := dumpLayout(t, want, false), dumpLayout(t, got, false); want != got {
			t.Errorf("%s: DWARF differs from clang's BTF\nBTF:\n%s\nDWARF:\n%s", name, want, got)
		}
	}
}

// TestGolden records every type DWARF defines, as converted.
func TestGolden(t *testing.T) {
	for _, o := range objects {
		t.Run(o.file, func(t *testing.T) {
			d, _ := loadBoth(t, o.file)
			var b strings.Builder
			for _, key := range d.Names() {
				b.WriteString("== " + key + "\n")
				typ, err := d.Lookup(key)
				if err != nil {
					b.WriteString("error: " + err.Error() + "\n")
					continue
				}
				b.WriteString(dumpLayout(t, typ, false))
			}
			golden.Check(t, filepath.Join("..", "..", "testdata", "golden", "dwarfbtf",
				strings.TrimSuffix(o.file, ".bpf.o")+".txt"), []byte(b.String()))
		})
	}
}

// TestComplete completes every forward declaration reachable from the
// objects' BTF and checks that none but the expected remain, and that the
// graph holds one type per name.
func TestComplete(t *testing.T) {
	for _, o := range objects {
		t.Run(o.file, func(t *testing.T) {
			d, spec := loadBoth(t, o.file)
			roots := btfTypes(t, spec)
			// Every type DWARF defines joins the graph, as -all would add it.
			for _, k := range d.Names() {
				typ, err := d.Lookup(k)
				if errors.Is(err, ErrAmbiguous) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				roots = append(roots, typ)
			}
			unresolved, err := d.Complete(roots)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(unresolved, o.unresolved) {
				t.Errorf("unresolved = %q, want %q", unresolved, o.unresolved)
			}
			byName := map[string]btf.Type{}
			_ = (&walker{}).walk(roots, func(slot *btf.Type) error {
				typ := *slot
				if f, ok := typ.(*btf.Fwd); ok && !slices.Contains(o.unresolved, f.Name) {
					t.Errorf("%s still reachable", typeString(f))
				}
				k := unifyKey(typ)
				if f, ok := typ.(*btf.Fwd); ok {
					k = "fwd " + typeString(f)
				}
				if k == "" {
					return nil
				}
				if prev, ok := byName[k]; ok && prev != typ {
					t.Errorf("two different %s in the completed graph", k)
				}
				byName[k] = typ
				return nil
			})
			// A second run has nothing left to do.
			again, err := d.Complete(roots)
			if err != nil || !slices.Equal(again, o.unresolved) {
				t.Errorf("second Complete = %q, %v", again, err)
			}
		})
	}
}

// TestCompleteList checks the pattern: root complete in BTF, node a
// forward declaration, item absent; after Complete the list is typed all
// the way, and node's next points back at node itself.
func TestCompleteList(t *testing.T) {
	d, spec := loadBoth(t, "dwarf_list.bpf.o")
	var root *btf.Struct
	if err := spec.TypeByName("root", &root); err != nil {
		t.Fatal(err)
	}
	if _, ok := root.Members[0].Type.(*btf.Pointer).Target.(*btf.Fwd); !ok {
		t.Fatalf("BTF root.first points at %v, want a forward declaration", root.Members[0].Type)
	}
	if _, err := spec.AnyTypeByName("item"); err == nil {
		t.Fatal("BTF has struct item; the test needs it absent")
	}
	item, err := d.Lookup("item")
	if err != nil {
		t.Fatal(err)
	}
	roots := []btf.Type{root, item}
	if un, err := d.Complete(roots); err != nil || len(un) != 0 {
		t.Fatalf("Complete = %q, %v", un, err)
	}
	if roots[0] != root {
		t.Error("Complete replaced a complete root")
	}
	node, ok := root.Members[0].Type.(*btf.Pointer).Target.(*btf.Struct)
	if !ok || node.Name != "node" {
		t.Fatalf("root.first points at %v", root.Members[0].Type)
	}
	if next := node.Members[0].Type.(*btf.Pointer).Target; next != node {
		t.Errorf("node.next points at %p, want node itself %p", next, node)
	}
	if n := roots[1].(*btf.Struct).Members[0].Type; n != node {
		t.Errorf("item.n is %p, want the node root.first points at %p", n, node)
	}
	// __u32 in node and __u64 in item are BTF's own typedefs now.
	var u64 *btf.Typedef
	if err := spec.TypeByName("__u64", &u64); err != nil {
		t.Fatal(err)
	}
	if got := roots[1].(*btf.Struct).Members[1].Type; got != u64 {
		t.Errorf("item.payload has type %v (%p), want BTF's __u64 (%p)", got, got, u64)
	}
	want := "struct item size=24\n" +
		"\tn @0 struct node\n" +
		"\tpayload @128 typedef __u64\n" +
		"struct node size=16\n" +
		"\tnext @0 *struct node\n" +
		"\tkey @64 typedef __u32\n" +
		"\tval @96 typedef __u32\n" +
		"typedef __u64 = int(\"unsigned long long\" size=8 unsigned)\n" +
		"typedef __u32 = int(\"unsigned int\" size=4 unsigned)\n"
	if got := dumpLayout(t, item, false); got != want {
		t.Errorf("item:\n%s\nwant:\n%s", got, want)
	}
}

func TestCompleteReport(t *testing.T) {
	d, spec := loadBoth(t, "dwarf_nested.bpf.o")
	report, err := d.CompleteReport(btfTypes(t, spec), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(report) != 1 || report[0].Name != "opaque" || report[0].Kind != btf.FwdStruct ||
		!errors.Is(report[0].Err, ErrNotFound) {
		t.Fatalf("report = %v", report)
	}
	if got := report[0].String(); got != "struct opaque: "+report[0].Err.Error() {
		t.Errorf("String() = %q", got)
	}
	if h := report[0].Hint(); !strings.Contains(h, "define the type") {
		t.Errorf("Hint() = %q", h)
	}
}

// TestCompleteLayoutMismatch gives Complete BTF structs whose layout DWARF
// contradicts.
func TestCompleteLayoutMismatch(t *testing.T) {
	for _, tc := range []struct {
		name, file, typ string
		change          func(s *btf.Struct)
	}{
		{"size", "dwarf_list.bpf.o", "root", func(s *btf.Struct) { s.Size = 24 }},
		{"offset", "dwarf_list.bpf.o", "root", func(s *btf.Struct) { s.Members[1].Offset = 32 }},
		{"bitfield", "dwarf_list.bpf.o", "root", func(s *btf.Struct) { s.Members[1].BitfieldSize = 3 }},
		{"name", "dwarf_list.bpf.o", "root", func(s *btf.Struct) { s.Members[1].Name = "total" }},
		{"members", "dwarf_list.bpf.o", "root", func(s *btf.Struct) { s.Members = s.Members[:1] }},
		{"member-type", "dwarf_list.bpf.o", "root", func(s *btf.Struct) { s.Members[1].Type = &btf.Int{Name: "int", Size: 4} }},
		{"anonymous-member", "dwarf_layout_btf.bpf.o", "anon", func(s *btf.Struct) {
			u := btf.Copy(s.Members[1].Type).(*btf.Union)
			u.Members[1].Name = "signed"
			s.Members[1].Type = u
		}},
		{"array", "dwarf_layout_btf.bpf.o", "tree", func(s *btf.Struct) {
			a := btf.Copy(s.Members[2].Type).(*btf.Array)
			a.Nelems = 4
			s.Members[2].Type = a
		}},
		{"bits", "dwarf_layout_btf.bpf.o", "bits", func(s *btf.Struct) { s.Members[3].BitfieldSize = 39 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, spec := loadBoth(t, tc.file)
			var s *btf.Struct
			if err := spec.TypeByName(tc.typ, &s); err != nil {
				t.Fatal(err)
			}
			bad := btf.Copy(s).(*btf.Struct)
			tc.change(bad)
			_, err := d.Complete([]btf.Type{bad})
			if !errors.Is(err, ErrLayoutMismatch) || !strings.Contains(err.Error(), "struct "+tc.typ) {
				t.Fatalf("Complete = %v, want an ErrLayoutMismatch naming struct %s", err, tc.typ)
			}
		})
	}
}

func TestLookupErrors(t *testing.T) {
	d, _ := loadBoth(t, "dwarf_nested.bpf.o")
	for _, tc := range []struct {
		name string
		want error
	}{
		{"nosuchtype", ErrNotFound},
		{"opaque", ErrNotFound}, // declared only
		{"dup", ErrAmbiguous},   // two functions' local structs
		{"union elem", ErrNotFound},
	} {
		_, err := d.Lookup(tc.name)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("Lookup(%q) = %v, want %v naming the type", tc.name, err, tc.want)
		}
	}
	elem, err := d.Lookup("elem")
	if err != nil {
		t.Fatal(err)
	}
	if e2, _ := d.Lookup("struct elem"); e2 != elem {
		t.Error("Lookup(struct elem) is not Lookup(elem)")
	}
	td, err := d.Lookup("elem_t")
	if err != nil {
		t.Fatal(err)
	}
	if td.(*btf.Typedef).Type != elem {
		t.Errorf("elem_t = %v, want typedef of struct elem", td)
	}
	if td2, _ := d.Lookup("typedef elem_t"); td2 != td {
		t.Error("Lookup(typedef elem_t) is not Lookup(elem_t)")
	}
	scoped, err := d.Lookup("scoped")
	if err != nil {
		t.Fatalf("struct defined in a function: %v", err)
	}
	if s := scoped.(*btf.Struct); s.Size != 16 || s.Members[1].Offset != 64 {
		t.Errorf("scoped = %v", s)
	}
}

// TestNoDWARF strips the debug sections of an object: Load reports
// ErrNoDWARF, and a nil *Types reports every forward declaration.
func TestNoDWARF(t *testing.T) {
	if testing.Short() {
		t.Skip("runs llvm-objcopy-19")
	}
	objcopy := testenv.Tool(t, "apt-get install llvm-19", "llvm-objcopy-19")
	dir := t.TempDir()
	stripped := filepath.Join(dir, "stripped.o")
	src, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "dwarf_list.bpf.o"))
	if out, err := exec.Command(objcopy, "--strip-debug", src, stripped).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	obj, err := os.ReadFile(stripped)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load(obj)
	if !errors.Is(err, ErrNoDWARF) || d != nil {
		t.Fatalf("Load = %v, %v; want ErrNoDWARF", d, err)
	}
	spec, err := btf.LoadSpecFromReader(bytes.NewReader(obj))
	if err != nil {
		t.Fatalf("stripped object lost its BTF: %v", err)
	}
	roots := btfTypes(t, spec)
	report, err := d.CompleteReport(roots, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(report) != 1 || report[0].Name != "node" || !errors.Is(report[0].Err, ErrNoDWARF) {
		t.Fatalf("report = %v", report)
	}
	if h := report[0].Hint(); !strings.Contains(h, "-g") {
		t.Errorf("Hint() = %q", h)
	}
	if un, err := d.Complete(roots); err != nil || !slices.Equal(un, []string{"node"}) {
		t.Errorf("Complete = %q, %v", un, err)
	}
	if _, err := d.Lookup("item"); !errors.Is(err, ErrNoDWARF) {
		t.Errorf("Lookup on nil Types = %v, want ErrNoDWARF", err)
	}
	if names := d.Names(); names != nil {
		t.Errorf("Names on nil Types = %q", names)
	}
}

func TestLoadErrors(t *testing.T) {
	obj := readObject(t, "dwarf_list.bpf.o")
	for _, tc := range []struct {
		name    string
		obj     []byte
		wantErr string
	}{
		{"empty", nil, "read DWARF: parse ELF"},
		{"not-elf", []byte("hello, world"), "read DWARF: parse ELF"},
		{"truncated", obj[:len(obj)/2], "read DWARF: parse ELF"},
		{"corrupt-info", corruptSection(t, obj, ".debug_info"), "section .debug_info"},
		{"corrupt-abbrev", corruptSection(t, obj, ".debug_abbrev"), "section .debug_"},
		{"corrupt-reloc", corruptSection(t, obj, ".rel.debug_info"), "section .debug_info: section .rel.debug_info"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.obj)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Load error %q does not mention %q", err, tc.wantErr)
			}
		})
	}
}

// TestLoadNoProgress checks that Load returns an error instead of looping
// forever when the last byte of .debug_info makes debug/dwarf's reader
// return the same entry again and again without advancing.
func TestLoadNoProgress(t *testing.T) {
	obj := bytes.Clone(readObject(t, "gen_basic.bpf.o"))
	off, size := sectionRange(t, obj, ".debug_info")
	obj[off+size-1] = 0xd6
	done := make(chan error, 1)
	go func() {
		_, err := Load(obj)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "section .debug_info") {
			t.Fatalf("Load = %v, want an error naming .debug_info", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Load did not return within 10s")
	}
}

// corruptSection returns a copy of obj with the named section's bytes
// replaced by 0xff.
func corruptSection(tb testing.TB, obj []byte, name string) []byte {
	tb.Helper()
	off, size := sectionRange(tb, obj, name)
	out := bytes.Clone(obj)
	for i := off; i < off+size; i++ {
		out[i] = 0xff
	}
	return out
}

func FuzzLoad(f *testing.F) {
	for _, o := range objects {
		f.Add(readObject(f, o.file))
	}
	f.Fuzz(func(t *testing.T, obj []byte) {
		d, err := Load(obj)
		if err != nil {
			return
		}
		var roots []btf.Type
		for _, k := range d.Names() {
			if typ, err := d.Lookup(k); err == nil {
				roots = append(roots, typ)
			}
		}
		_, _ = d.Complete(roots)
	})
}

// TestDWARFVersions compiles dwarf_layout.bpf.c for older DWARF versions
// (DWARF 2 and 3 describe bitfields with DW_AT_bit_offset, counted from the
// most significant bit, and DWARF 2 member locations as expressions) and
// for big-endian BPF, and checks that the types convert as from the
// checked-in DWARF 5 object.
func TestDWARFVersions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs clang-19")
	}
	clang := testenv.Tool(t, "apt-get install clang-19", "clang-19")
	ref, _ := loadBoth(t, "dwarf_layout.bpf.o")
	want, err := ref.Lookup("layout_all")
	if err != nil {
		t.Fatal(err)
	}
	wantDump := dumpLayout(t, want, false)
	src, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "dwarf_layout.bpf.c"))
	inc, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "include"))
	for _, tc := range []struct {
		target, dwarf string
		// lost is what the DWARF version cannot express.
		lost string
	}{
		{"bpfel", "-gdwarf-2", "restrict "}, // DW_TAG_restrict_type is DWARF 3
		{"bpfel", "-gdwarf-3", ""},
		{"bpfel", "-gdwarf-4", ""},
		{"bpfeb", "-gdwarf-3", ""},
		{"bpfeb", "-gdwarf-5", ""},
	} {
		t.Run(tc.target+tc.dwarf, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "obj.o")
			cmd := exec.Command(clang, "-target", tc.target, "-O2", tc.dwarf, "-mcpu=v3",
				"-I"+inc, "-I/usr/include/"+archTriple(), "-c", src, "-o", out)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v: %s", err, b)
			}
			obj, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			d, err := Load(obj)
			if err != nil {
				t.Fatal(err)
			}
			got, err := d.Lookup("layout_all")
			if err != nil {
				t.Fatal(err)
			}
			want := wantDump
			if tc.lost != "" {
				want = strings.ReplaceAll(want, tc.lost, "")
			}
			if gotDump := dumpLayout(t, got, false); gotDump != want {
				t.Errorf("differs from DWARF 5 little-endian:\n%s", lineDiff(want, gotDump))
			}
		})
	}
}

// archTriple returns the Debian multiarch directory name of the host, where
// the kernel's asm headers live.
func archTriple() string {
	switch goarch := runtime.GOARCH; goarch {
	case "amd64":
		return "x86_64-linux-gnu"
	case "arm64":
		return "aarch64-linux-gnu"
	default:
		return goarch + "-linux-gnu"
	}
}

// lineDiff lists the lines of want and got that differ, position by
// position.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("- " + wl + "\n+ " + gl + "\n")
		}
	}
	return b.String()
}

func TestRelocate(t *testing.T) {
	le := binary.LittleEndian
	rel := func(off uint64, sym uint32, typ uint32, addend ...uint64) []byte {
		b := le.AppendUint64(nil, off)
		b = le.AppendUint64(b, uint64(sym)<<32|uint64(typ))
		for _, a := range addend {
			b = le.AppendUint64(b, a)
		}
		return b
	}
	syms := []uint64{0, 0, 0x40} // null symbol, .debug_str, var
	for _, tc := range []struct {
		name    string
		data    []byte
		rel     []byte
		rela    bool
		want    []byte
		wantErr string
	}{
		{"abs32-section", le.AppendUint32(nil, 7), rel(0, 1, rBPF64Abs32), false, le.AppendUint32(nil, 7), ""},
		{"abs32-symbol", le.AppendUint32(nil, 7), rel(0, 2, rBPF64Abs32), false, le.AppendUint32(nil, 0x47), ""},
		{"abs64", le.AppendUint64(nil, 1), rel(0, 2, rBPF64Abs64), false, le.AppendUint64(nil, 0x41), ""},
		{"nodyld32", le.AppendUint32(nil, 1), rel(0, 2, rBPF64Nodyld32), false, le.AppendUint32(nil, 0x41), ""},
		{"none", le.AppendUint32(nil, 1), rel(0, 2, rBPFNone), false, le.AppendUint32(nil, 1), ""},
		{"rela", le.AppendUint32(nil, 1), rel(0, 2, rBPF64Abs32, 3), true, le.AppendUint32(nil, 0x43), ""},
		{"past-end", le.AppendUint32(nil, 1), rel(2, 1, rBPF64Abs32), false, nil, "out of range"},
		{"bad-symbol", le.AppendUint32(nil, 1), rel(0, 9, rBPF64Abs32), false, nil, "symbol index 9"},
		{"bad-type", le.AppendUint32(nil, 1), rel(0, 1, 77), false, nil, "unsupported type 77"},
		{"bad-size", le.AppendUint32(nil, 1), []byte{1, 2, 3}, false, nil, "not a multiple"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := relocate(tc.data, tc.rel, tc.rela, le, syms)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("relocate = %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(tc.data, tc.want) {
				t.Fatalf("relocate = %x, %v; want %x", tc.data, err, tc.want)
			}
		})
	}
}

func TestPadStrings(t *testing.T) {
	be := binary.BigEndian
	// A big-endian .debug_str_offsets header: length 0x10, version 5.
	hdr := be.AppendUint32(nil, 0x10)
	hdr = be.AppendUint16(hdr, 5)
	hdr = be.AppendUint16(hdr, 0)
	str := []byte("abc\x00")
	got := padStrings(str, hdr, be)
	if len(got) != 0x50001 || !bytes.Equal(got[:4], str) {
		t.Errorf("padded to %d bytes, want %d", len(got), 0x50001)
	}
	le := binary.LittleEndian
	hdr = le.AppendUint32(nil, 0x2)
	hdr = le.AppendUint16(hdr, 5)
	hdr = le.AppendUint16(hdr, 0)
	if got := padStrings(str, hdr, le); len(got) != 6 {
		t.Errorf("little-endian header padded to %d bytes, want 6", len(got))
	}
}

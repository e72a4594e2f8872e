package linker_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/linker"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"github.com/google/go-cmp/cmp"
)

// TestLinkLikeLibbpf links cilium/ebpf's linked1 and linked2 objects and
// compares the result with libbpf's link of the same two (linked-el.elf):
// same sections, symbols, relocations and BTF types.
func TestLinkLikeLibbpf(t *testing.T) {
	got := mustLink(t, ciliumObject(t, "linked1-el.elf"), ciliumObject(t, "linked2-el.elf"))
	want := ciliumObject(t, "linked-el.elf").Data
	for _, c := range []struct {
		name  string
		lines func(testing.TB, []byte) []string
	}{
		{"sections", sectionLines},
		{"symbols", symbolsButWeakLosers},
		{"relocations", relocLines},
		{"btf", btfLines},
	} {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.lines(t, want), c.lines(t, got)); diff != "" {
				t.Errorf("linked object differs from libbpf's (-libbpf +bpfskel):\n%s", diff)
			}
		})
	}
}

func TestLinkDeterministic(t *testing.T) {
	l1, l2 := ciliumObject(t, "linked1-el.elf"), ciliumObject(t, "linked2-el.elf")
	a := mustLink(t, l1, l2)
	b := mustLink(t, linker.Input{Name: "other-name.o", Data: bytes.Clone(l1.Data)}, l2)
	if !bytes.Equal(a, b) {
		t.Fatal("linking the same inputs twice gave different bytes")
	}
	if c := mustLink(t, l2, l1); bytes.Equal(a, c) {
		t.Fatal("linking in the other order gave the same bytes: input order should decide the layout")
	}
}

func TestLinkErrors(t *testing.T) {
	l1 := ciliumObject(t, "linked1-el.elf")
	le := readInput(t, "../../testdata/gen_basic.bpf.o")
	be := readInput(t, "../../testdata/gen_basic.bpfeb.o")
	lib := readInput(t, "../../testdata/link/lib.bpf.o")
	b := readInput(t, "../../testdata/link/b.bpf.o")
	dup := readInput(t, "../../testdata/link/dup.bpf.o")
	lic1 := readInput(t, "../../testdata/link/license1.bpf.o")
	for _, c := range []struct {
		name string
		ins  []linker.Input
		want string
		is   error
	}{
		{"none", nil, "link: no objects", nil},
		{"not-elf", []linker.Input{{Name: "x.o", Data: []byte("hello")}}, "link: x.o: ", nil},
		{"byte-order", []linker.Input{le, be}, "link: gen_basic.bpfeb.o is big-endian but gen_basic.bpf.o is little-endian: link each byte order separately", nil},
		{"duplicate", []linker.Input{l1, {Name: "again.elf", Data: l1.Data}}, `link: duplicate symbol "entry_l2": defined in linked1-el.elf and in again.elf`, linker.ErrDuplicateSymbol},
		{"duplicate-function", []linker.Input{lib, b, dup}, `link: duplicate symbol "list_transform": defined in b.bpf.o and in dup.bpf.o`, linker.ErrDuplicateSymbol},
		{"map-mismatch", []linker.Input{lib, readInput(t, "../../testdata/link/badmap.bpf.o")}, `link: symbol "arena": type in badmap.bpf.o differs from the one in lib.bpf.o`, nil},
		{"duplicate-library", []linker.Input{lib, b, lib}, `link: duplicate symbol "arena": defined in lib.bpf.o and in lib.bpf.o`, linker.ErrDuplicateSymbol},
		{"license-mismatch", []linker.Input{lic1, readInput(t, "../../testdata/link/license3.bpf.o")}, `link: section license: "GPL" in license1.bpf.o but "Dual BSD/GPL" in license3.bpf.o`, nil},
		{"version-mismatch", []linker.Input{lic1, withVersion(t, readInput(t, "../../testdata/link/license2.bpf.o"), 2)}, `link: section version: 1 in license1.bpf.o but 2 in license2.bpf.o`, nil},
		{"param-count", []linker.Input{readInput(t, "../../testdata/link/compat_def.bpf.o"), readInput(t, "../../testdata/link/compat_bad.bpf.o")}, `link: symbol "is_heavy": type in compat_bad.bpf.o differs from the one in compat_def.bpf.o: 2 parameters and 1`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := linker.Link(c.ins)
			if err == nil {
				t.Fatal("linked")
			}
			if msg := err.Error(); !strings.HasPrefix(msg, c.want) || strings.Contains(msg, "\n") || len(msg) > 300 {
				t.Errorf("error %q, want one line starting %q", msg, c.want)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v is not %v", err, c.is)
			}
		})
	}
}

// symbolsButWeakLosers is symbolLines without the local symbols the
// linker adds for overridden weak functions in .text (NAME.weak.N),
// which libbpf's linker leaves without a symbol.
func symbolsButWeakLosers(tb testing.TB, obj []byte) []string {
	var lines []string
	for _, l := range symbolLines(tb, obj) {
		if !strings.Contains(l, ".weak.") {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestWeakLosersGetSymbols checks the local symbols of overridden weak
// functions in .text: one per overridden definition, at its code.
func TestWeakLosersGetSymbols(t *testing.T) {
	got := mustLink(t, ciliumObject(t, "linked1-el.elf"), ciliumObject(t, "linked2-el.elf"))
	var weak []string
	for _, l := range symbolLines(t, got) {
		if strings.Contains(l, ".weak.") {
			weak = append(weak, l)
		}
	}
	want := []string{
		"l1_s.weak.1 STB_LOCAL STT_FUNC .text+0x60 size 16", // linked2's weak l1_s, after linked1's .text
		"l1_w.weak.0 STB_LOCAL STT_FUNC .text+0x10 size 16", // linked1's weak l1_w
		"ww.weak.1 STB_LOCAL STT_FUNC .text+0x70 size 16",   // linked2's weak ww: the first weak wins
	}
	if diff := cmp.Diff(want, weak); diff != "" {
		t.Errorf("local symbols of overridden weak functions (-want +got):\n%s", diff)
	}
}

// TestLinkBigEndian links testdata/link's big-endian objects: the result
// has the symbols, relocations and BTF types of the little-endian link.
func TestLinkBigEndian(t *testing.T) {
	link := func(suffix string) []byte {
		var ins []linker.Input
		for _, n := range []string{"lib", "a", "b"} {
			ins = append(ins, readInput(t, "../../testdata/link/"+n+suffix))
		}
		return mustLink(t, ins...)
	}
	el, eb := link(".bpf.o"), link(".bpfeb.o")
	if f := openELF(t, eb); f.ByteOrder.String() != "BigEndian" {
		t.Fatalf("linked big-endian objects into %v", f.ByteOrder)
	}
	for _, c := range []struct {
		name  string
		lines func(testing.TB, []byte) []string
	}{
		{"sections", sectionLines},
		{"symbols", symbolLines},
		{"relocations", relocLines},
		{"btf", btfLines},
	} {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.lines(t, el), c.lines(t, eb)); diff != "" {
				t.Errorf("big-endian link differs (-el +eb):\n%s", diff)
			}
		})
	}
}

// TestLinkKeepsEachObject links every testdata object (ours and
// cilium/ebpf's little-endian ones) that the runtime parses after an unrelated one (dup.bpf.o: one global function in
// .text) and checks that the runtime parses the same programs
// (instructions, line info, CO-RE and all) and maps from the result.
func TestLinkKeepsEachObject(t *testing.T) {
	paths, err := filepath.Glob("../../testdata/*.bpf.o")
	if err != nil || len(paths) < 10 {
		t.Fatalf("%d testdata objects (%v)", len(paths), err)
	}
	dir, err := ciliumDir()
	if err != nil {
		t.Fatal(err)
	}
	cilium, err := filepath.Glob(filepath.Join(dir, "*-el.elf"))
	if err != nil || len(cilium) < 10 {
		t.Fatalf("%d cilium/ebpf testdata objects (%v)", len(cilium), err)
	}
	paths = append(paths, cilium...)
	dup := readInput(t, "../../testdata/link/dup.bpf.o")
	linked := 0
	for _, p := range paths {
		in := readInput(t, p)
		if _, err := runtime.LoadSpec(in.Data); err != nil {
			continue // objects the runtime refuses test its errors
		}
		linked++
		t.Run(in.Name, func(t *testing.T) {
			out := mustLink(t, dup, in)
			for _, k := range []struct {
				name  string
				lines func(testing.TB, []byte) []string
			}{
				{"programs", programLines},
				{"maps", mapLines},
			} {
				if diff := cmp.Diff(k.lines(t, in.Data), k.lines(t, out)); diff != "" {
					t.Errorf("%s differ after linking (-alone +linked):\n%s", k.name, diff)
				}
			}
		})
	}
	if linked < 10 {
		t.Fatalf("only %d objects parse alone", linked)
	}
}

// TestFuncInfoFollowsFunctions checks, in the runtime's parse of linked
// objects, that every function start carries the .BTF.ext function
// record of that function, including after dead code that overridden weak
// functions (in .text, named NAME.weak.N) and programs (in program
// sections, without a symbol: the runtime renumbers the records there for
// cilium/ebpf) left behind.
func TestFuncInfoFollowsFunctions(t *testing.T) {
	for _, c := range []struct {
		name string
		ins  []linker.Input
	}{
		{"cilium-linked", []linker.Input{ciliumObject(t, "linked1-el.elf"), ciliumObject(t, "linked2-el.elf")}},
		{"arena-list", []linker.Input{readInput(t, "../../testdata/link/lib.bpf.o"), readInput(t, "../../testdata/link/a.bpf.o"), readInput(t, "../../testdata/link/b.bpf.o")}},
		{"weak-program", []linker.Input{readInput(t, "../../testdata/link/weakprog1.bpf.o"), readInput(t, "../../testdata/link/weakprog2.bpf.o")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			spec, err := runtime.LoadSpec(mustLink(t, c.ins...))
			if err != nil {
				t.Fatal(err)
			}
			starts := 0
			for name, p := range spec.Collection.Programs {
				for i := range p.Instructions {
					ins := &p.Instructions[i]
					sym := ins.Symbol()
					if sym == "" {
						continue
					}
					starts++
					if fn := btf.FuncMetadata(ins); fn == nil || fn.Name != sym {
						t.Errorf("program %s: function %s starts with the record of %v", name, sym, fn)
					}
				}
			}
			if starts < 2 {
				t.Fatalf("%d function starts in the programs", starts)
			}
		})
	}
}

// TestLinkMovesReferences links every object the runtime parses after
// pad.bpf.o, whose static data moves the object's parts of .text, .data,
// .rodata, .rodata.str1.1 and .bss, and checks each program instruction
// by instruction: the same code, and every load of a data section's
// address reaching the same bytes as before (relocations against section
// symbols keep their addend in the instruction, which the link moves).
func TestLinkMovesReferences(t *testing.T) {
	paths, _ := filepath.Glob("../../testdata/*.bpf.o")
	dir, err := ciliumDir()
	if err != nil {
		t.Fatal(err)
	}
	cilium, _ := filepath.Glob(filepath.Join(dir, "*-el.elf"))
	pad := readInput(t, "../../testdata/link/pad.bpf.o")
	moved := 0
	for _, p := range append(paths, cilium...) {
		in := readInput(t, p)
		alone, err := runtime.LoadSpec(in.Data)
		if err != nil {
			continue // objects the runtime refuses test its errors
		}
		t.Run(in.Name, func(t *testing.T) {
			linked, err := runtime.LoadSpec(mustLink(t, pad, in))
			if err != nil {
				t.Fatal(err)
			}
			for name, pa := range alone.Collection.Programs {
				pl := linked.Collection.Programs[name]
				if pl == nil || len(pl.Instructions) != len(pa.Instructions) {
					t.Fatalf("program %s: not the same instructions after linking", name)
				}
				for i := range pa.Instructions {
					a, l := &pa.Instructions[i], &pl.Instructions[i]
					if a.Src != asm.PseudoMapValue || !a.OpCode.IsDWordLoad() {
						if fmt.Sprint(*a) != fmt.Sprint(*l) {
							t.Errorf("program %s: instruction %d: %v, linked %v", name, i, a, l)
						}
						continue
					}
					ba, bl := dataAt(alone, a), dataAt(linked, l)
					if a.Reference() != l.Reference() || ba == nil || bl == nil {
						continue // arena globals, kconfig: placed at load time
					}
					if uint32(uint64(a.Constant)>>32) != uint32(uint64(l.Constant)>>32) {
						moved++
					}
					if !bytes.Equal(ba, bl) {
						t.Errorf("program %s: instruction %d (%v) reaches %x, linked (%v) %x", name, i, a, ba, l, bl)
					}
				}
			}
		})
	}
	t.Logf("%d data references moved", moved)
	if moved < 20 {
		t.Fatalf("only %d data references moved: the test checks little", moved)
	}
}

// dataAt returns up to 8 bytes of the data section a map value load
// points at, or nil when the section has no contents in the spec.
func dataAt(spec *runtime.Spec, ins *asm.Instruction) []byte {
	m := spec.Collection.Maps[ins.Reference()]
	if m == nil || len(m.Contents) != 1 {
		return nil
	}
	b, ok := m.Contents[0].Value.([]byte)
	off := uint64(uint64(ins.Constant) >> 32)
	if !ok || off > uint64(len(b)) {
		return nil
	}
	return b[off:min(off+8, uint64(len(b)))]
}

// withVersion returns in with the contents of its version section set
// to v.
func withVersion(tb testing.TB, in linker.Input, v uint32) linker.Input {
	tb.Helper()
	s := openELF(tb, in.Data).Section("version")
	if s == nil || s.Size != 4 {
		tb.Fatalf("%s: no 4-byte version section", in.Name)
	}
	data := bytes.Clone(in.Data)
	binary.LittleEndian.PutUint32(data[s.Offset:], v)
	return linker.Input{Name: in.Name, Data: data}
}

// TestLinkDedupsLicense links two objects that both define the license
// and the version, with the same contents (under other names): one of
// each is kept, the first object's, with its symbol and BTF variable,
// and the programs of both get it.
func TestLinkDedupsLicense(t *testing.T) {
	out := mustLink(t, readInput(t, "../../testdata/link/license1.bpf.o"), readInput(t, "../../testdata/link/license2.bpf.o"))
	f := openELF(t, out)
	for _, name := range []string{"license", "version"} {
		s := f.Section(name)
		if s == nil {
			t.Fatalf("no section %s", name)
		}
		data, err := s.Data()
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]string{"license": "GPL\x00", "version": "\x01\x00\x00\x00"}[name]; string(data) != want {
			t.Errorf("section %s holds %q, want %q", name, data, want)
		}
	}
	var syms []string
	for _, l := range symbolLines(t, out) {
		if strings.HasPrefix(l, "_license ") || strings.HasPrefix(l, "LICENSE ") || strings.HasPrefix(l, "_version ") {
			syms = append(syms, l)
		}
	}
	want := []string{
		"_license STB_GLOBAL STT_OBJECT license+0x0 size 4",
		"_version STB_GLOBAL STT_OBJECT version+0x0 size 4",
	}
	if diff := cmp.Diff(want, syms); diff != "" {
		t.Errorf("license and version symbols (-want +got):\n%s", diff)
	}
	var vars []string
	for _, l := range btfLines(t, out) {
		if strings.Contains(l, "license") || strings.Contains(l, "LICENSE") || strings.Contains(l, "version") {
			vars = append(vars, l)
		}
	}
	want = []string{
		"*btf.Var(_license) global *btf.Array()",
		"*btf.Var(_version) global *btf.Typedef(__u32)",
		"Datasec license _license",
		"Datasec version _version",
	}
	if diff := cmp.Diff(want, vars); diff != "" {
		t.Errorf("license and version BTF (-want +got):\n%s", diff)
	}
	spec, err := runtime.LoadSpec(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"lic_one", "lic_two"} {
		if p := spec.Collection.Programs[name]; p == nil || p.License != "GPL" {
			t.Errorf("program %s: %+v, want license GPL", name, p)
		}
	}
	skeleton(t, "license.o", out)
}

// TestLinkCompatibleGlobals links globals that two objects spell with
// different but compatible C types (a bool typedef and _Bool, const,
// __u32 and u32, int[] and int[2]), in both orders: the definition's
// FUNC and VARs are kept.
func TestLinkCompatibleGlobals(t *testing.T) {
	def, use := readInput(t, "../../testdata/link/compat_def.bpf.o"), readInput(t, "../../testdata/link/compat_use.bpf.o")
	for _, ins := range [][]linker.Input{{def, use}, {use, def}} {
		out := mustLink(t, ins...)
		var got []string
		for _, l := range btfLines(t, out) {
			if strings.HasPrefix(l, "*btf.Func(is_heavy)") || strings.HasPrefix(l, "*btf.Var(limits)") || strings.HasPrefix(l, "*btf.Var(first_item)") {
				got = append(got, l)
			}
		}
		want := []string{
			"*btf.Func(is_heavy) global *btf.FuncProto() returns *btf.Int(_Bool) it:*btf.Pointer()",
			"*btf.Var(first_item) global *btf.Struct(item)",
			"*btf.Var(limits) global *btf.Array()",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("link of %s, %s: globals (-want +got):\n%s", ins[0].Name, ins[1].Name, diff)
		}
		skeleton(t, "compat.o", out)
	}
}

// TestLinkResolvesForwardDeclarations links objects that complete and
// declare structs differently (see testdata/link/fwd1.bpf.c), in every
// order: each struct comes out once, complete, with no declaration left.
func TestLinkResolvesForwardDeclarations(t *testing.T) {
	var ins []linker.Input
	for _, n := range []string{"fwd1", "fwd2", "fwd3"} {
		ins = append(ins, readInput(t, "../../testdata/link/"+n+".bpf.o"))
	}
	for _, order := range [][3]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
		out := mustLink(t, ins[order[0]], ins[order[1]], ins[order[2]])
		var got []string
		for _, l := range btfLines(t, out) {
			if strings.HasPrefix(l, "*btf.Struct") || strings.HasPrefix(l, "*btf.Fwd") {
				got = append(got, l)
			}
		}
		want := []string{
			"*btf.Struct(leaf) size 4 v:*btf.Int(int)@0/0",
			"*btf.Struct(mid) size 16 l:*btf.Pointer()@0/0 m:*btf.Int(int)@64/0",
			"*btf.Struct(ring_a) size 16 b:*btf.Pointer()@0/0 x:*btf.Int(int)@64/0",
			"*btf.Struct(ring_b) size 16 a:*btf.Pointer()@0/0 y:*btf.Int(int)@64/0",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("order %v: structs and declarations (-want +got):\n%s", order, diff)
		}
		if !bytes.Equal(out, mustLink(t, ins[order[0]], ins[order[1]], ins[order[2]])) {
			t.Errorf("order %v: linking twice gave different bytes", order)
		}
	}
}

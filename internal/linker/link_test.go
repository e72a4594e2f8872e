package linker_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/linker"
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
		{"symbols", symbolLines},
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

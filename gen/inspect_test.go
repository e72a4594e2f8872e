package gen

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cilium/ebpf"
)

// hostileObject is an object model whose every name holds what a terminal
// must never receive raw: escape sequences, other control characters,
// invalid UTF-8, a bidirectional override, and one very long name.
func hostileObject() *Object {
	bad := []string{"a\x1b[2Jb", "c\nd", "e\x00f", "g\xffh", "i\u202ej", "k\tl", strings.Repeat("m", 70000)}
	o := &Object{Name: "obj\x1b]0;title\x07.o", ByteOrder: binary.LittleEndian}
	for _, n := range bad {
		o.Maps = append(o.Maps, &Map{Name: n, GoName: n, Type: ebpf.Hash})
		o.Programs = append(o.Programs, &Program{Name: n, GoName: n, Section: n, Attach: n})
		o.Sections = append(o.Sections, &Section{Name: n, GoName: n, Vars: []Variable{{Name: n}}})
		o.Pointers = append(o.Pointers, &Pointer{Owner: n, Member: n, Target: n, Rule: n})
		o.Unresolved = append(o.Unresolved, Unresolved{Name: n, Reason: n, Hint: n})
	}
	o.Arena = &Arena{MapName: bad[0], Globals: &Section{Name: bad[1], GoName: bad[2]}}
	return o
}

// TestInspectEscapes: neither report prints a name from the object raw
// unless it is plainly printable.
func TestInspectEscapes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		inspect func(*bytes.Buffer, *Object) error
	}{
		{"summary", func(b *bytes.Buffer, o *Object) error { return InspectSummary(b, o) }},
		{"full", func(b *bytes.Buffer, o *Object) error { return Inspect(b, o) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.inspect(&b, hostileObject()); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if !utf8.ValidString(out) {
				t.Errorf("output is not valid UTF-8")
			}
			for i, r := range out {
				if (r < 0x20 && r != '\n') || r == 0x7f || r == '\u202e' {
					t.Fatalf("raw %U at byte %d: %q", r, i, out[max(0, i-20):min(len(out), i+20)])
				}
			}
			for _, want := range []string{`"a\x1b[2Jb"`, `"c\nd"`, `"e\x00f"`, `"g\xffh"`, `"i\u202ej"`, `"k\tl"`} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks the quoted name %s", want)
				}
			}
			if tc.name == "summary" {
				for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
					if len(line) > summaryWidth {
						t.Errorf("summary line of %d bytes: %.80q…", len(line), line)
					}
				}
			}
		})
	}
}

func TestSummaryLine(t *testing.T) {
	for _, tc := range []struct {
		items []string
		want  string
	}{
		{nil, "maps:     none\n"},
		{[]string{"a", "b"}, "maps:     a, b\n"},
		{[]string{strings.Repeat("x", 35), strings.Repeat("y", 35), strings.Repeat("z", 35)},
			"maps:     " + strings.Repeat("x", 35) + ", " + strings.Repeat("y", 35) + ", … 1 more\n"},
		{[]string{strings.Repeat("é", 40)}, "maps:     " + strings.Repeat("é", 28) + "…\n"},
	} {
		var b strings.Builder
		summaryLine(&b, "maps", tc.items)
		if b.String() != tc.want {
			t.Errorf("summaryLine(%q) = %q, want %q", tc.items, b.String(), tc.want)
		}
	}
}

// FuzzInspectNames: whatever the names in an object, neither report puts
// a control character, invalid UTF-8 or a bidirectional control on the
// terminal, and every summary line stays within summaryWidth.
func FuzzInspectNames(f *testing.F) {
	f.Add("flows", ".bss", "raw_tp/sys_enter")
	f.Add("a\x1b[2Jb", "c\nd\te", "g\xffh\u202e")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		o := &Object{Name: a, ByteOrder: binary.LittleEndian}
		o.Maps = []*Map{{Name: a, GoName: b, Type: ebpf.Hash}, {Name: b, GoName: c}}
		o.Programs = []*Program{{Name: b, GoName: a, Section: c, Attach: a}}
		o.Sections = []*Section{{Name: c, GoName: b, Vars: []Variable{{Name: a}}}}
		o.Pointers = []*Pointer{{Owner: a, Member: b, Target: c, Rule: a}}
		o.Unresolved = []Unresolved{{Name: c, Reason: b, Hint: a}}
		o.Arena = &Arena{MapName: c, Globals: &Section{Name: a, GoName: b}}
		for _, inspect := range []func(*bytes.Buffer, *Object) error{
			func(w *bytes.Buffer, o *Object) error { return Inspect(w, o) },
			func(w *bytes.Buffer, o *Object) error { return InspectSummary(w, o) },
		} {
			var w bytes.Buffer
			if err := inspect(&w, o); err != nil {
				t.Fatal(err)
			}
			out := w.String()
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 in %q", out)
			}
			for _, r := range out {
				if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' || r == '\u2028' {
					t.Fatalf("raw %U in %q", r, out)
				}
			}
		}
		var w bytes.Buffer
		InspectSummary(&w, o)
		for _, line := range strings.Split(w.String(), "\n") {
			if len(line) > summaryWidth {
				t.Fatalf("summary line of %d bytes: %q", len(line), line)
			}
		}
	})
}

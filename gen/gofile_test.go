package gen

import (
	"bytes"
	"go/format"
	"strings"
	"testing"
)

// checkFormatted fails tb unless go/format leaves src unchanged: the
// skeleton is written as gofmt would format it, without running it.
func checkFormatted(tb testing.TB, name string, src []byte) {
	tb.Helper()
	formatted, err := format.Source(src)
	if err != nil {
		tb.Fatalf("%s does not parse: %v", name, err)
	}
	if !bytes.Equal(formatted, src) {
		got, want := strings.Split(string(src), "\n"), strings.Split(string(formatted), "\n")
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				tb.Fatalf("%s is not gofmt-formatted: line %d is\n\t%q\ngofmt writes\n\t%q", name, i+1, got[i], want[i])
			}
		}
		tb.Fatalf("%s is not gofmt-formatted: %d lines, gofmt writes %d", name, len(got), len(want))
	}
}

// TestLiteralFormatted checks composite literals and struct types as
// literal and structType lay them out against gofmt, for the shapes where
// gofmt's alignment rules differ: one entry, entries spanning lines, long
// keys whose lengths differ a lot, and fields with and without doc
// comments.
func TestLiteralFormatted(t *testing.T) {
	long := strings.Repeat("K", 45)
	tests := []struct {
		name    string
		entries []keyed
	}{
		{"none", nil},
		{"one", []keyed{{"A", "1"}}},
		{"short", []keyed{{"A", "1"}, {"Bbbb", "2"}, {"Cc", "3"}}},
		{"nested", []keyed{{"A", "1"}, {"B", "NESTED"}, {"Cccc", "3"}, {"D", "4"}}},
		{"long keys", []keyed{{"A", "1"}, {"B" + long, "2"}, {"C" + long + long, "3"}, {"D", "4"}, {"E" + long, "5"}}},
		{"long then short", []keyed{{"A" + long, "1"}, {"B" + long, "2"}, {"C", "3"}, {"Dd", "4"}}},
		{"ratio", []keyed{{"A" + long, "1"}, {"B" + long[:20], "2"}, {"C" + long[:40], "3"}, {"D" + long + long + long, "4"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// NESTED is a literal spanning lines, at the entry's indentation.
			at := func(indent int) []keyed {
				var es []keyed
				for _, e := range tt.entries {
					if e.value == "NESTED" {
						e.value = literal("Inner", []keyed{{"A", "1"}, {"Bbbbbb", "2"}}, indent+1)
					}
					es = append(es, e)
				}
				return es
			}
			src := "package p\n\nvar x = " + literal("T", at(0), 0) + "\n\nfunc f() {\n\ty := &" + literal("T", at(1), 1) + "\n\t_ = y\n}\n"
			checkFormatted(t, "literal", []byte(src))
		})
	}
	structs := map[string][]*field{
		"empty":     nil,
		"docs":      {{doc: "A is a.", name: "A", typ: "int"}, {doc: "Bbbb is b.", name: "Bbbb", typ: "string"}},
		"no docs":   {{name: "A", typ: "int"}, {name: "Bbbb", typ: "string"}},
		"mixed":     {{doc: "A is a.", name: "A", typ: "int"}, {name: "Bbbb", typ: "string"}, nil, {name: "c", typ: "*int"}, {name: "dd", typ: "bool"}},
		"blank end": {{doc: "A is a.", name: "A", typ: "int"}, nil, {name: "coll", typ: "*int"}},
	}
	for name, fields := range structs {
		t.Run("struct "+name, func(t *testing.T) {
			checkFormatted(t, "struct", []byte("package p\n\ntype T "+structType(fields)+"\n"))
		})
	}
}

func TestImportBlock(t *testing.T) {
	f := newGoFile()
	f.blank("embed")
	f.use("fmt")
	f.use(runtimePkg)
	f.use("unsafe")
	f.use(ebpfPkg)
	want := "\nimport (\n\t_ \"embed\"\n\t\"fmt\"\n\t\"unsafe\"\n\n\t\"github.com/bpfskel/bpfskel/runtime\"\n\t\"github.com/cilium/ebpf\"\n)\n"
	if got := f.importBlock(); got != want {
		t.Errorf("importBlock:\n%s\nwant:\n%s", got, want)
	}
	f = newGoFile()
	f.use("fmt")
	if got := f.importBlock(); got != "\nimport \"fmt\"\n" {
		t.Errorf("one import: %q", got)
	}
}

func TestCheckNames(t *testing.T) {
	for _, tc := range []struct {
		name       string
		own, decls []string
		collide    bool
	}{
		{"distinct", []string{"X", "XSpec"}, []string{"A", "B"}, false},
		{"own twice", []string{"X", "X"}, nil, true},
		{"own and type", []string{"X", "XSpec"}, []string{"A", "XSpec"}, true},
		{"type twice", []string{"X"}, []string{"A", "A"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkNames(tc.own, tc.decls)
			if got := err != nil; got != tc.collide {
				t.Errorf("checkNames = %v, want a collision: %v", err, tc.collide)
			}
		})
	}
}

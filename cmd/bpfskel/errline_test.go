package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestErrorLine(t *testing.T) {
	long := strings.Repeat("x", 30000)
	tests := []struct {
		in, want string
	}{
		{"x.o: not an ELF file", "x.o: not an ELF file"},
		{"format generated code: 3:1: bad\n    1  package p\n    2  ", "format generated code: 3:1: bad;     1  package p;     2  "},
		{"map \"a\x1b[2Jb\": bad name", `map "a\x1b[2Jb": bad name`},
		{"name \xff\xfe here", `name \xff\xfe here`},
		{"tab\there \u202e", `tab\there \u202e`},
		{"é ünïcode stays", "é ünïcode stays"},
	}
	for _, tt := range tests {
		if got := errorLine(tt.in); got != tt.want {
			t.Errorf("errorLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{
		"obj.o: " + long + ": the fault",
		"obj.o: " + strings.Repeat("é", 20000) + ": the fault",
		"obj.o: " + strings.Repeat("\n\x00", 20000) + ": the fault",
	} {
		got := errorLine(in)
		if len(got) > maxErrorLine || strings.Contains(got, "\n") || !utf8.ValidString(got) {
			t.Errorf("errorLine(%d bytes): %d bytes, one line %v, valid UTF-8 %v", len(in), len(got), !strings.Contains(got, "\n"), utf8.ValidString(got))
		}
		if !strings.HasPrefix(got, "obj.o: ") || !strings.HasSuffix(got, ": the fault") || !strings.Contains(got, " bytes …] ") {
			t.Errorf("errorLine(%d bytes) = %q: want the start, an elision and the end", len(in), got)
		}
	}
}

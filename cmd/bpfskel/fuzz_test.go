package main

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bpfskel/bpfskel/gen"
)

// FuzzTypes feeds mutated objects and raw BTF to what "bpfskel types"
// writes: an error of one short line, or Go source that passes
// gen.CheckSource (it parses and holds no directive comment), the check
// types runs before writing. Never a panic.
func FuzzTypes(f *testing.F) {
	for _, glob := range []string{"../../testdata/types*.bpf.o", "../../testdata/gen_*.bpf.o"} {
		objs, err := filepath.Glob(glob)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range objs {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data, false)
			// The object's .BTF section is raw BTF, which types reads too
			// (as it reads /sys/kernel/btf/vmlinux).
			if ef, err := elf.NewFile(bytes.NewReader(data)); err == nil {
				if sec := ef.Section(".BTF"); sec != nil {
					if raw, err := sec.Data(); err == nil {
						f.Add(raw, true)
						f.Add(raw, false)
					}
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, all bool) {
		src, err := typesFile(typesConfig{
			Source: "fuzz.o", Output: "x.go", Pkg: "p", All: all,
			Read: func(string) ([]byte, error) { return data, nil },
		})
		if err != nil {
			if msg := err.Error(); len(errorLine(msg)) > maxErrorLine {
				t.Fatalf("error line of %d bytes", len(errorLine(msg)))
			}
			return
		}
		if err := gen.CheckSource("x.go", src); err != nil {
			t.Fatal(errorLine(err.Error()))
		}
	})
}

// FuzzErrorLine: whatever an error says, the CLI prints one line of at most
// maxErrorLine bytes of valid UTF-8 without control characters, and keeps
// a short message's printable text as it is.
func FuzzErrorLine(f *testing.F) {
	f.Add("x.o: not an ELF file")
	f.Add("format generated code: 3:1: bad\n    1  package p\n")
	f.Add(strings.Repeat("é\x1b\xff", 200))
	f.Fuzz(func(t *testing.T, msg string) {
		got := errorLine(msg)
		if len(got) > maxErrorLine || !utf8.ValidString(got) {
			t.Fatalf("errorLine: %d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("errorLine(%q) = %q: control character %U", msg, got, r)
			}
		}
		if len(msg) <= maxErrorLine && !strings.ContainsFunc(msg, func(r rune) bool { return r < 0x20 || r >= 0x7f }) && got != msg {
			t.Fatalf("errorLine(%q) = %q: changed a printable ASCII message", msg, got)
		}
	})
}

// FuzzSplitFlags: -cflags splitting never panics, and words quoted the way
// a shell quotes them split back into the same words.
func FuzzSplitFlags(f *testing.F) {
	f.Add(`-I../include -DNAME='a b' "-DX=\"y\"" a\ b`)
	f.Add(`'unterminated`)
	f.Add("a\\\nb")
	f.Fuzz(func(t *testing.T, s string) {
		words, err := splitFlags(s)
		if err != nil {
			return
		}
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, "'"+strings.ReplaceAll(w, "'", `'\''`)+"'")
		}
		again, err := splitFlags(strings.Join(quoted, " "))
		if err != nil || len(again) != len(words) {
			t.Fatalf("split %q = %q; quoted and split again: %q, %v", s, words, again, err)
		}
		for i := range words {
			if again[i] != words[i] {
				t.Fatalf("split %q = %q; quoted and split again: %q", s, words, again)
			}
		}
	})
}

// FuzzParseSize: -max-input never panics, accepts only positive sizes,
// and reads back what formatSize writes.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"1", "256MiB", "256 MiB", "1GiB", "-1", "9223372036854775807", "4KiB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseSize(s)
		if err != nil {
			return
		}
		if n <= 0 {
			t.Fatalf("parseSize(%q) = %d", s, n)
		}
		if back, err := parseSize(formatSize(n)); err != nil || back != n {
			t.Fatalf("parseSize(formatSize(%d) = %q) = %d, %v", n, formatSize(n), back, err)
		}
	})
}

package gen

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/btf2go"
	"github.com/bpfskel/bpfskel/internal/hostile"
)

// FuzzCheckName fuzzes the one rule for names: a name it accepts becomes
// a Go identifier, is unchanged by comment escaping, and can sit in a
// comment and a string of a file that passes CheckSource.
func FuzzCheckName(f *testing.F) {
	for _, s := range []string{"flows", "raw_tp/sys_enter", ".data.extra", "func.var", "x\n//go:generate y", "x*/", "a`b", "\xff", "", "9lives", "kprobe.multi/tcp_*"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, name string, k uint8) {
		kind := btf2go.NameKind(k % 4)
		if btf2go.CheckName(kind, name) != nil {
			return
		}
		if comment(name) != name {
			t.Errorf("accepted name %q changes when escaped", name)
		}
		if g := goName(name); !isIdent(g) {
			t.Errorf("accepted name %q has Go name %q", name, g)
		}
		src := "package p\n\n// " + name + " is a name.\nvar " + goName(name) + " = \"" + name + "\"\n"
		if err := CheckSource("fuzz.go", []byte(src)); err != nil {
			t.Errorf("accepted name %q: %v", name, err)
		}
	})
}

// FuzzGenerate generates skeletons from mutated objects (seeded with an
// object and hostile renamings of it): generation fails or returns files
// that pass CheckSource; it never writes code that fails it, never
// panics.
func FuzzGenerate(f *testing.F) {
	obj, err := os.ReadFile("../testdata/gen_basic.bpf.o")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(obj)
	for _, r := range []struct {
		old   string
		where hostile.Where
	}{{"hits", hostile.Symbols | hostile.BTF}, {"flow_key", hostile.BTF}, {"xdp", hostile.Sections}} {
		data, err := hostile.Rename(obj, r.old, "x\n//go:generate y", r.where)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := Generate(Options{Package: "p", Output: "fuzz.go", Objects: []Input{{Path: "fuzz.bpf.o", Data: data}}})
		if errors.Is(err, ErrBadOutput) {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f.Path, ".go") {
				if err := CheckSource(f.Path, f.Data); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// TestCheckSource checks the directive rules on small files.
func TestCheckSource(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		ok        bool
	}{
		{"plain", "package p\n\n// X is x.\nvar X int\n", true},
		{"build and embed", "//go:build amd64\n\npackage p\n\nimport _ \"embed\"\n\n//go:embed x.o\nvar xObject []byte\n", true},
		{"generate", "package p\n\n//go:generate sh -c x\nvar X int\n", false},
		{"directive in doc", "package p\n\n// X is\n//go:generate sh\nvar X int\n", false},
		{"embed elsewhere", "package p\n\n//go:embed x.o\nvar X int\n", false},
		{"second build", "//go:build amd64\n\npackage p\n\n//go:build arm64\nvar X int\n", false},
		{"line", "package p\n\n//line x.go:1\nvar X int\n", false},
		{"block line", "package p\n\n/*line x.go:1*/\nvar X int\n", false},
		{"export", "package p\n\n//export X\nfunc X() {}\n", false},
		{"cgo", "package p\n\n// #cgo LDFLAGS: -lx\nimport \"C\"\n", false},
		{"no parse", "package p\n\nfunc {\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckSource("x.go", []byte(tc.src))
			if (err == nil) != tc.ok {
				t.Errorf("CheckSource = %v, want ok %v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrBadOutput) {
				t.Errorf("error does not wrap ErrBadOutput: %v", err)
			}
		})
	}
}

// TestCheckHeaded checks the fragment form emit uses for a skeleton's
// parts: declarations only, no //go:build, no imports.
func TestCheckHeaded(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		ok        bool
	}{
		{"decls", "\n// X is x.\nvar X int\n\n//go:embed x.o\nvar xObject []byte\n", true},
		{"build", "\n//go:build amd64\nvar X int\n", false},
		{"import", "\nimport \"C\"\n", false},
		{"unterminated", "\nvar X = `\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkHeaded("x.go", []byte(fragmentHead+tc.src))
			if (err == nil) != tc.ok {
				t.Errorf("checkHeaded = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

// TestScanSource checks the token-level check CheckSource uses for large
// files: the same cases as TestCheckSource (but for grammar alone), and
// a file over the limit with a directive, an unterminated raw string or
// an import of "C" in one of its pieces.
func TestScanSource(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		ok        bool
	}{
		{"plain", "package p\n\n// X is x.\nvar X int\n", true},
		{"build and embed", "//go:build amd64\n\npackage p\n\nimport _ \"embed\"\n\n//go:embed x.o\nvar xObject []byte\n", true},
		{"generate", "package p\n\n//go:generate sh -c x\nvar X int\n", false},
		{"embed elsewhere", "package p\n\n//go:embed x.o\nvar X int\n", false},
		{"second build", "//go:build amd64\n\npackage p\n\n//go:build arm64\nvar X int\n", false},
		{"block line", "package p\n\n/*line x.go:1*/\nvar X int\n", false},
		{"cgo", "package p\n\nimport \"C\"\n", false},
		{"unterminated", "package p\n\nvar X = `\n", false},
		{"bad utf8", "package p\n\nvar X = \"\xff\"\n", false}, // Go source is UTF-8
		{"NUL", "package p\n\nvar X = 1\x00\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := scanSource("x.go", []byte(tc.src))
			if (err == nil) != tc.ok {
				t.Errorf("scanSource = %v, want ok %v", err, tc.ok)
			}
		})
	}
	decl := "\n// T%d is a type.\ntype T%d struct {\n\tA uint64\n}\n"
	big := func(inject string, at int) []byte {
		var b strings.Builder
		b.WriteString("package p\n")
		for i := 0; b.Len() < 3*maxParsed; i++ {
			if i == at {
				b.WriteString(inject)
			}
			fmt.Fprintf(&b, decl, i, i)
		}
		return []byte(b.String())
	}
	if err := CheckSource("big.go", big("", -1)); err != nil {
		t.Errorf("clean large file: %v", err)
	}
	for name, inject := range map[string]string{
		"directive":  "\n//go:generate sh -c x\nvar X int\n",
		"raw string": "\nvar X = `\n",
		"import C":   "\nimport \"C\"\n",
	} {
		for _, at := range []int{10, 20000, 40000, 55000} {
			if err := CheckSource("big.go", big(inject, at)); !errors.Is(err, ErrBadOutput) {
				t.Errorf("large file with %s at declaration %d: %v", name, at, err)
			}
		}
	}
}

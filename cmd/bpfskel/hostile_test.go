package main

import (
	"bytes"
	"debug/elf"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bpfskel/bpfskel/gen"
	"github.com/bpfskel/bpfskel/internal/hostile"
)

// hostileNames are names no compiler writes and an attacker can: each
// would break out of a comment or a string, plant a directive, or make
// the output invalid, if it reached generated code as is.
var hostileNames = map[string]string{
	"newline":          "x\ny",
	"comment end":      "x*/ func init() { panic(1) } /*",
	"directive":        "x\n//go:generate sh -c 'echo pwned'",
	"backquote":        "x` + \"y",
	"invalid UTF-8":    "x\xff\xfey",
	"NUL":              "x\x00y",
	"64 KiB":           strings.Repeat("a", 64<<10),
	"64 KiB directive": "x\n//go:generate " + strings.Repeat("a", 64<<10),
}

// hostileTargets are the names of testdata/gen_basic.bpf.o the test
// replaces, one kind of name each.
var hostileTargets = []struct {
	name, old string
	where     hostile.Where
}{
	{"map", "hits", hostile.Symbols | hostile.BTF},
	{"program", "compute", hostile.Symbols | hostile.BTF},
	{"variable", "seed", hostile.Symbols | hostile.BTF},
	{"type", "flow_key", hostile.BTF},
	{"member", "sport", hostile.BTF},
	{"enum constant", "MODE_MUL", hostile.BTF},
	{"program section", "xdp", hostile.Sections},
	{"data section", ".data.extra", hostile.Sections | hostile.BTF},
}

// TestHostileNames runs gen, types and inspect on objects whose names are
// hostile: gen and types refuse them (an error, nothing written) or write
// a file that parses, passes gen.CheckSource and holds none of the
// injected bytes; inspect prints none of them raw.
func TestHostileNames(t *testing.T) {
	obj, err := os.ReadFile("../../testdata/gen_basic.bpf.o")
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range hostileTargets {
		for pname, payload := range hostileNames {
			t.Run(target.name+"/"+pname, func(t *testing.T) {
				data, err := hostile.Rename(obj, target.old, payload, target.where)
				if err != nil {
					t.Fatal(err)
				}
				dir := t.TempDir()
				in := filepath.Join(dir, "x.bpf.o")
				if err := os.WriteFile(in, data, 0o644); err != nil {
					t.Fatal(err)
				}
				for _, cmd := range []string{"gen", "types"} {
					out := filepath.Join(dir, cmd+".go")
					var stdout, stderr bytes.Buffer
					err := run(&stdout, &stderr, []string{cmd, "-pkg", "p", "-o", out, in})
					checkHostileOutput(t, cmd, out, payload, err)
				}
				// types also reads raw BTF: the object's .BTF section.
				if target.where&hostile.BTF != 0 {
					raw := filepath.Join(dir, "x.btf")
					f, err := elf.NewFile(bytes.NewReader(data))
					if err != nil {
						t.Fatal(err)
					}
					btfData, err := f.Section(".BTF").Data()
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(raw, btfData, 0o644); err != nil {
						t.Fatal(err)
					}
					out := filepath.Join(dir, "raw.go")
					var stdout, stderr bytes.Buffer
					err = run(&stdout, &stderr, []string{"types", "-pkg", "p", "-all", "-o", out, raw})
					checkHostileOutput(t, "types (raw BTF)", out, payload, err)
				}
				var stdout, stderr bytes.Buffer
				_ = run(&stdout, &stderr, []string{"inspect", in})
				checkNotRaw(t, "inspect output", stdout.Bytes(), payload)
			})
		}
	}
}

// checkHostileOutput checks what cmd did with a hostile object: refused
// it with nothing written, or wrote a clean file.
func checkHostileOutput(t *testing.T, cmd, out, payload string, err error) {
	t.Helper()
	src, readErr := os.ReadFile(out)
	if err != nil {
		if errors.Is(err, errUsage) {
			t.Fatalf("%s: usage error: %v", cmd, err)
		}
		if readErr == nil {
			t.Errorf("%s failed (%v) but wrote %s", cmd, err, out)
		}
		var msg bytes.Buffer
		printError(&msg, err) // what main prints
		if msg.Len() > len("bpfskel: ")+maxErrorLine+1 || bytes.Count(msg.Bytes(), []byte("\n")) != 1 {
			t.Errorf("%s: error is not one short line (%d bytes)", cmd, msg.Len())
		}
		checkNotRaw(t, cmd+" error", msg.Bytes(), payload)
		return
	}
	if readErr != nil {
		t.Fatalf("%s succeeded but wrote nothing: %v", cmd, readErr)
	}
	if err := gen.CheckSource(out, src); err != nil {
		t.Errorf("%s wrote a file that fails the check: %v", cmd, err)
	}
	checkNotRaw(t, cmd+" output", src, payload)
}

// checkNotRaw fails t if b holds payload's bytes as they are (for payloads
// with control characters or invalid UTF-8), a go:generate directive, a
// NUL or invalid UTF-8.
func checkNotRaw(t *testing.T, what string, b []byte, payload string) {
	t.Helper()
	if strings.IndexFunc(payload, func(r rune) bool { return r == '\n' || r == 0 || r == utf8.RuneError }) >= 0 &&
		len(payload) < 1<<10 && bytes.Contains(b, []byte(payload)) {
		t.Errorf("%s holds the injected name as is", what)
	}
	if bytes.Contains(b, []byte("\n//go:generate")) {
		t.Errorf("%s holds a go:generate directive", what)
	}
	if bytes.IndexByte(b, 0) >= 0 || !utf8.Valid(b) {
		t.Errorf("%s holds a NUL or invalid UTF-8", what)
	}
}

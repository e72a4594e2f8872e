package main

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/gen"
	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"bpfskel": main,
	})
}

// TestScripts runs the CLI scripts in testdata/script. $TESTDATA is the
// repository's testdata directory, with the checked-in BPF objects.
func TestScripts(t *testing.T) {
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	cc := findCC()
	ciliumTestdata, err := findCiliumTestdata()
	if err != nil {
		t.Fatal(err)
	}
	strip := findStrip()
	// Scripts (or their parts) that compile C or strip objects skip
	// without the tool; where the environment demands every test run
	// (CI), a missing tool fails instead.
	if kerneltest.Required() && (cc == "" || strip == "") {
		t.Fatalf("%s=1 and no C compiler (%q) or llvm-strip (%q): apt-get install clang-19 llvm-19, or set BPFSKEL_CC and BPFSKEL_STRIP", kerneltest.RequireEnv, cc, strip)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("TESTDATA", testdata)
			env.Setenv("BPFSKEL_CC", cc)
			env.Setenv("BPFSKEL_STRIP", strip)
			env.Setenv("CILIUM_TESTDATA", ciliumTestdata)
			return nil
		},
		// [clang]: a C compiler for gen's .c arguments; scripts see it as
		// $BPFSKEL_CC, gen's default.
		// [strip]: an llvm-strip for gen -strip; scripts see it as
		// $BPFSKEL_STRIP, gen's default.
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "clang":
				return cc != "", nil
			case "strip":
				return strip != "", nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"mkelf":      cmdMkELF,
			"truncate":   cmdTruncate,
			"stripbtf":   cmdStripBTF,
			"stripdwarf": cmdStripDWARF,
			"hardlink":   cmdHardlink,
			"baddwarf":   cmdBadDWARF,
			"islink":     cmdIsLink,
		},
	})
}

// findCC returns the C compiler gen's scripts use: $BPFSKEL_CC, else the
// pinned clang-19, else clang; "" if there is none.
func findCC() string {
	if cc := os.Getenv("BPFSKEL_CC"); cc != "" {
		return cc
	}
	for _, cc := range []string{"clang-19", "clang"} {
		if p, err := exec.LookPath(cc); err == nil {
			return p
		}
	}
	return ""
}

// findStrip returns the strip tool gen -strip uses in the scripts, found
// the way gen finds it: $BPFSKEL_STRIP, else the first of gen.StripTools
// (llvm-strip-19, llvm-strip) in $PATH; "" if there is none.
func findStrip() string {
	if s := os.Getenv("BPFSKEL_STRIP"); s != "" {
		return s
	}
	for _, s := range gen.StripTools {
		if p, err := exec.LookPath(s); err == nil {
			return p
		}
	}
	return ""
}

// mkelf FILE writes a minimal x86-64 ELF header: an ELF file that is not
// a BPF object.
func cmdMkELF(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkelf FILE")
	}
	var h [64]byte
	copy(h[:], "\x7fELF")
	h[4], h[5], h[6] = 2, 1, 1 // 64-bit, little-endian, version 1
	le := binary.LittleEndian
	le.PutUint16(h[16:], 1)  // ET_REL
	le.PutUint16(h[18:], 62) // EM_X86_64
	le.PutUint32(h[20:], 1)  // EV_CURRENT
	le.PutUint16(h[52:], 64) // e_ehsize
	le.PutUint16(h[58:], 64) // e_shentsize
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), h[:], 0o644))
}

// truncate FILE N cuts FILE to its first N bytes.
func cmdTruncate(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: truncate FILE N")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	ts.Check(os.Truncate(ts.MkAbs(args[0]), int64(n)))
}

// stripbtf IN OUT copies a BPF object, renaming its .BTF and .BTF.ext
// sections (in the section name table) so that readers find no BTF.
func cmdStripBTF(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: stripbtf IN OUT")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	n := bytes.Count(data, []byte(".BTF\x00")) + bytes.Count(data, []byte(".BTF.ext\x00"))
	if n == 0 {
		ts.Fatalf("%s: no .BTF section name", args[0])
	}
	data = bytes.ReplaceAll(data, []byte(".BTF\x00"), []byte(".NOB\x00"))
	data = bytes.ReplaceAll(data, []byte(".BTF.ext\x00"), []byte(".NOB.ext\x00"))
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
	fmt.Fprintf(ts.Stdout(), "renamed %d section names\n", n)
}

// stripdwarf IN OUT copies a BPF object, renaming its .debug_info section
// so that readers find no DWARF.
func cmdStripDWARF(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: stripdwarf IN OUT")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	old, repl := []byte(".debug_info\x00"), []byte(".xebug_info\x00")
	if !bytes.Contains(data, old) {
		ts.Fatalf("%s: no .debug_info section name", args[0])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), bytes.ReplaceAll(data, old, repl), 0o644))
}

// hardlink OLD NEW makes NEW a hard link of OLD.
func cmdHardlink(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: hardlink OLD NEW")
	}
	ts.Check(os.Link(ts.MkAbs(args[0]), ts.MkAbs(args[1])))
}

// [!] islink FILE succeeds when FILE is (is not) a symbolic link.
func cmdIsLink(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: [!] islink FILE")
	}
	fi, err := os.Lstat(ts.MkAbs(args[0]))
	ts.Check(err)
	if link := fi.Mode()&os.ModeSymlink != 0; link == neg {
		ts.Fatalf("%s: mode %v", args[0], fi.Mode())
	}
}

// findCiliumTestdata returns cilium/ebpf's module testdata directory, with
// libbpf-linked objects the link scripts use.
func findCiliumTestdata() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/cilium/ebpf").Output()
	if err != nil {
		return "", fmt.Errorf("go list -m github.com/cilium/ebpf: %w", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "testdata"), nil
}

// baddwarf IN OUT copies a BPF object, setting the DWARF version of its
// first compilation unit (bytes 4 and 5 of .debug_info) to 0xffff, so
// that its DWARF cannot be parsed while the rest of the object can.
func cmdBadDWARF(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: baddwarf IN OUT")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	f, err := elf.NewFile(bytes.NewReader(data))
	ts.Check(err)
	s := f.Section(".debug_info")
	if s == nil || s.Size < 6 || s.Flags&elf.SHF_COMPRESSED != 0 {
		ts.Fatalf("%s: no uncompressed .debug_info section", args[0])
	}
	data[s.Offset+4], data[s.Offset+5] = 0xff, 0xff
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
}

package gen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Targets are the clang targets [Compile] accepts: one per byte order.
var Targets = []string{"bpfel", "bpfeb"}

// CompileOptions configure [Compile].
type CompileOptions struct {
	// CC is the compiler: a command name looked up in $PATH, or a path.
	// Empty: "clang".
	CC string
	// CFlags are extra compiler flags, passed after [DefaultCFlags] (so
	// that they can override them, e.g. -O1 or -mcpu=v4). Relative paths
	// in them (-I include) are relative to the source's directory, in
	// which the compiler runs.
	CFlags []string
	// Source is the path of the C file to compile.
	Source string
	// Target is "bpfel" or "bpfeb" (see [Targets]).
	Target string
	// Arch is libbpf's name of the architecture the object is for (x86,
	// arm64, …: see [ParseTargets]); the compiler gets
	// -D__TARGET_ARCH_<Arch>, which bpf_tracing.h and vmlinux-style
	// headers read to pick the architecture's pt_regs. Empty: none.
	Arch string
	// Stderr receives the compiler's diagnostics exactly as it prints
	// them. Nil: they are discarded.
	Stderr io.Writer
}

// Compiled is the result of [Compile].
type Compiled struct {
	// Object is the compiled BPF object, with DWARF (-g).
	Object []byte
	// Deps are the files the compiler read, the source first, as the
	// compiler's -MD output lists them: paths relative to the source's
	// directory are made relative to the source's path as given (usable
	// from the caller's working directory), absolute ones kept.
	Deps []string
}

// A CompileError reports a compiler that failed. Its diagnostics went to
// [CompileOptions.Stderr].
type CompileError struct {
	// Source is the C file.
	Source string
	// CC is the compiler as given.
	CC string
	// Err is why it failed (usually an *exec.ExitError).
	Err error
}

func (e *CompileError) Error() string {
	return fmt.Sprintf("compile %s: %s: %v", e.Source, e.CC, e.Err)
}

func (e *CompileError) Unwrap() error { return e.Err }

// DefaultCFlags are the flags [Compile] passes before CompileOptions.CFlags
// when it compiles the file in directory srcDir (an absolute path) for
// target: optimised (clang needs it for BPF), with DWARF (gen completes
// types from it) and with srcDir mapped to "." so that the object does not
// depend on where the source lives (-fdebug-compilation-dir=. too: the
// compiler runs in srcDir, see [Compile]).
func DefaultCFlags(target, srcDir string) []string {
	return []string{"-O2", "-g", "-target", target, "-mcpu=v3", "-ffile-prefix-map=" + srcDir + "=.", "-fdebug-compilation-dir=."}
}

// Compile compiles one C file into a BPF object for one byte order. The
// compiler runs in the source's directory on the source's base name, with
// the DWARF compilation directory mapped to ".", so the object is the same
// bytes whatever the working directory and wherever the source lives. It
// writes nothing but temporary files, which it removes.
func Compile(ctx context.Context, opts CompileOptions) (*Compiled, error) {
	if !slices.Contains(Targets, opts.Target) {
		return nil, fmt.Errorf("compile %s: target %q: want one of %s", opts.Source, opts.Target, strings.Join(Targets, ", "))
	}
	if opts.Arch != "" && !knownArch(opts.Arch) {
		return nil, fmt.Errorf("compile %s: architecture %q: want one of %s", opts.Source, opts.Arch, strings.Join(archNames(), ", "))
	}
	cc := opts.CC
	if cc == "" {
		cc = "clang"
	}
	absSrc, err := filepath.Abs(opts.Source)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", opts.Source, err)
	}
	srcDir, srcBase := filepath.Split(absSrc)
	srcDir = filepath.Clean(srcDir)
	if _, err := os.Stat(absSrc); err != nil {
		return nil, fmt.Errorf("compile: %w", err)
	}
	ccPath := cc
	if strings.ContainsRune(cc, filepath.Separator) {
		// A relative compiler path names a file from the caller's working
		// directory, not from the source's, where the compiler runs.
		if ccPath, err = filepath.Abs(cc); err != nil {
			return nil, &CompileError{Source: opts.Source, CC: cc, Err: err}
		}
	} else if ccPath, err = exec.LookPath(cc); err != nil {
		return nil, &CompileError{Source: opts.Source, CC: cc, Err: errors.Unwrap(err)}
	}

	tmp, err := os.MkdirTemp("", "bpfskel-cc-")
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", opts.Source, err)
	}
	defer os.RemoveAll(tmp)
	objPath := filepath.Join(tmp, "out.o")
	depPath := filepath.Join(tmp, "out.d")

	args := DefaultCFlags(opts.Target, srcDir)
	if opts.Arch != "" {
		args = append(args, "-D__TARGET_ARCH_"+opts.Arch)
	}
	args = append(args, opts.CFlags...)
	args = append(args, "-MD", "-MF", depPath, "-MT", "out.o", "-c", srcBase, "-o", objPath)
	cmd := exec.CommandContext(ctx, ccPath, args...)
	cmd.Dir = srcDir
	cmd.Stdout = opts.Stderr
	cmd.Stderr = opts.Stderr
	if err := cmd.Run(); err != nil {
		return nil, &CompileError{Source: opts.Source, CC: cc, Err: err}
	}
	obj, err := os.ReadFile(objPath)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %s wrote no object: %w", opts.Source, cc, err)
	}
	depData, err := os.ReadFile(depPath)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %s wrote no dependency file: %w", opts.Source, cc, err)
	}
	deps, err := parseMakeDeps(depData)
	if err != nil {
		return nil, fmt.Errorf("compile %s: dependency file: %w", opts.Source, err)
	}
	givenDir := filepath.Dir(opts.Source)
	for i, d := range deps {
		switch {
		case d == srcBase && i == 0:
			deps[i] = opts.Source
		case filepath.IsAbs(d):
			deps[i] = filepath.Clean(d)
		default:
			deps[i] = filepath.Join(givenDir, d)
		}
	}
	return &Compiled{Object: obj, Deps: deps}, nil
}

// parseMakeDeps returns the prerequisites of the one rule in a make-style
// dependency file as compilers write it (-MD): "target: a b \⏎ c", with
// spaces in names escaped as "\ ", "#" as "\#" and "$" as "$$".
func parseMakeDeps(data []byte) ([]string, error) {
	s := strings.ReplaceAll(string(data), "\\\r\n", " ")
	s = strings.ReplaceAll(s, "\\\n", " ")
	colon := strings.Index(s, ": ")
	if colon < 0 {
		if !strings.HasSuffix(strings.TrimRight(s, " \n"), ":") {
			return nil, errors.New("no rule")
		}
		colon = len(strings.TrimRight(s, " \n")) - 1
	}
	s = s[colon+1:]
	if nl := strings.IndexByte(s, '\n'); nl >= 0 {
		s = s[:nl]
	}
	var (
		deps []string
		cur  strings.Builder
	)
	flush := func() {
		if cur.Len() > 0 {
			deps = append(deps, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '#' || s[i+1] == '\\'):
			cur.WriteByte(s[i+1])
			i++
		case c == '$' && i+1 < len(s) && s[i+1] == '$':
			cur.WriteByte('$')
			i++
		case c == ' ' || c == '\t' || c == '\r':
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return deps, nil
}

// MakeDepsRule is one rule of a dependency file written by [WriteMakeDeps].
type MakeDepsRule struct {
	// Targets are the files the rule makes.
	Targets []string
	// Prereqs are the files they depend on.
	Prereqs []string
}

// WriteMakeDeps writes rules as a make-style dependency file (the format
// of clang -MD, read by make's include and ninja's depfile), escaping
// spaces, "#" and "$" in names. Duplicate prerequisites of a rule are
// written once, in their first position.
func WriteMakeDeps(w io.Writer, rules []MakeDepsRule) error {
	var b bytes.Buffer
	for _, r := range rules {
		for i, t := range r.Targets {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(escapeMake(t))
		}
		b.WriteByte(':')
		seen := map[string]bool{}
		for _, p := range r.Prereqs {
			if seen[p] {
				continue
			}
			seen[p] = true
			b.WriteString(" \\\n  ")
			b.WriteString(escapeMake(p))
		}
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

func escapeMake(s string) string {
	return strings.NewReplacer(" ", `\ `, "#", `\#`, "$", "$$").Replace(filepath.ToSlash(s))
}

// ObjectPath returns where a skeleton whose Go file is output keeps the
// object compiled for target, a byte order or a [Target.Suffix]: x.go →
// x_bpfel.o, x_bpfeb.o, x_arm64_bpfel.o.
func ObjectPath(output, target string) string {
	return strings.TrimSuffix(output, ".go") + "_" + target + ".o"
}

// DefaultIdent returns the skeleton name [Generate] derives from the path
// of an object or of its C source: dir/gen_basic.bpf.o and
// gen_basic.bpf.c → GenBasic, x_bpfel.o → X.
func DefaultIdent(path string) string {
	return goName(objectStem(path))
}

// StripTools are the commands [StripDebug] looks up in $PATH, in order,
// when given no tool: the strip of the pinned LLVM (Debian and Ubuntu
// install only llvm-strip-19 with llvm-19), then the unversioned one.
var StripTools = []string{"llvm-strip-19", "llvm-strip"}

// StripDebug returns obj without its DWARF, as "strip -g" leaves it; BTF
// stays. tool is a command name looked up in $PATH, or a path; empty: the
// first of [StripTools] found in $PATH. It writes nothing but temporary
// files, which it removes.
func StripDebug(ctx context.Context, tool string, obj []byte) ([]byte, error) {
	if tool == "" {
		for _, name := range StripTools {
			if p, err := exec.LookPath(name); err == nil {
				tool = p
				break
			}
		}
		if tool == "" {
			return nil, fmt.Errorf("strip: none of %s in $PATH (install llvm-19 or set $BPFSKEL_STRIP): %w", strings.Join(StripTools, ", "), exec.ErrNotFound)
		}
	}
	tmp, err := os.MkdirTemp("", "bpfskel-strip-")
	if err != nil {
		return nil, fmt.Errorf("strip: %w", err)
	}
	defer os.RemoveAll(tmp)
	in, out := filepath.Join(tmp, "in.o"), filepath.Join(tmp, "out.o")
	if err := os.WriteFile(in, obj, 0o644); err != nil {
		return nil, fmt.Errorf("strip: %w", err)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tool, "-g", "-o", out, in)
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("strip: %s: %w: %s", tool, err, bytes.TrimSpace(stderr.Bytes()))
	}
	stripped, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("strip: %s wrote nothing: %w", tool, err)
	}
	return stripped, nil
}

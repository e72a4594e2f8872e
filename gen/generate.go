package gen

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"
)

// GOARCH values by byte order, for the build tags of byte-order pairs.
var (
	littleEndianArchs = []string{"386", "amd64", "arm", "arm64", "loong64", "mips64le", "mipsle", "ppc64le", "riscv64", "wasm"}
	bigEndianArchs    = []string{"mips", "mips64", "ppc64", "s390x"}
)

// importNames are the names of the packages generated code may import,
// which an (unexported) ident must not shadow.
var importNames = []string{"embed", "ebpf", "fmt", "iter", "link", "runtime", "strconv", "structs", "unsafe"}

// Generate builds the object model of opts.Objects and returns the
// skeleton's files: the Go file (one per byte order for a pair of objects)
// and, for every object that is not already in the output's directory, a
// copy there for go:embed. Objects of the same byte order are first linked
// into one (see internal/linker), embedded as x_bpfel.o or x_bpfeb.o next
// to the output. It does no I/O; the caller writes the files.
func Generate(opts Options) ([]File, error) {
	perArch := len(opts.Objects) > 0 && len(opts.Objects[0].GOARCHes) > 0
	if len(opts.Objects) == 0 {
		return nil, errors.New("want one object or more; got none")
	}
	if opts.Package == "" {
		return nil, errors.New("no package name (set -pkg, or run under go generate)")
	}
	if opts.TypesOnly {
		return nil, errors.New("TypesOnly is for Parse: a skeleton needs its names checked")
	}
	if !isIdent(opts.Package) {
		return nil, fmt.Errorf("package name %q is not a Go identifier", opts.Package)
	}
	ident := opts.Ident
	if ident == "" {
		ident = goName(objectStem(opts.Objects[0].Path))
	}
	if !isIdent(ident) || strings.HasPrefix(ident, "_") {
		return nil, fmt.Errorf("ident %q is not a Go identifier starting with a letter", ident)
	}
	if slices.Contains(importNames, ident) {
		return nil, fmt.Errorf("ident %q is the name of a package the skeleton imports", ident)
	}
	output := opts.Output
	if output == "" {
		output = strings.ToLower(ident) + ".go"
	}
	if !strings.HasSuffix(output, ".go") {
		return nil, fmt.Errorf("output %s: not a .go file", output)
	}
	outDir, err := filepath.Abs(filepath.Dir(output))
	if err != nil {
		return nil, err
	}
	var linked map[string]bool
	if opts.Library && (len(opts.Objects) != 1 || perArch) {
		return nil, fmt.Errorf("a library skeleton is generated from one object, the library's; got %d", len(opts.Objects))
	}
	if !perArch {
		if opts.Objects, linked, err = linkByOrder(opts.Objects, output); err != nil {
			return nil, err
		}
		if len(opts.Objects) > 2 {
			return nil, fmt.Errorf("want objects of at most two byte orders; got %d", len(opts.Objects))
		}
	}

	if len(opts.Events) > 0 {
		if opts.Types, err = withEventTypes(&opts); err != nil {
			return nil, err
		}
	}
	objs := make([]*Object, len(opts.Objects))
	for i, in := range opts.Objects {
		o, err := Parse(in.Path, in.Data, &opts)
		if err != nil {
			return nil, err
		}
		if err := checkEventMaps(o, &opts); err != nil {
			return nil, fmt.Errorf("%s: %w", in.Path, err)
		}
		o.Name = filepath.Base(in.Path)
		if err := checkObjectNames(o); err != nil {
			return nil, fmt.Errorf("%s: %w", in.Path, err)
		}
		objs[i] = o
	}

	outputs := []string{output}
	buildOn := []string{""}
	if perArch {
		if outputs, buildOn, err = archLayout(output, opts.Objects, objs); err != nil {
			return nil, err
		}
	} else if len(objs) == 2 {
		if objs[0].ByteOrder == objs[1].ByteOrder {
			return nil, fmt.Errorf("%s and %s: both %s: two objects must be compiled for opposite byte orders", opts.Objects[0].Path, opts.Objects[1].Path, orderName(objs[0].ByteOrder))
		}
		if filepath.Base(opts.Objects[0].Path) == filepath.Base(opts.Objects[1].Path) {
			return nil, fmt.Errorf("%s and %s: same file name: they cannot both be embedded next to the output", opts.Objects[0].Path, opts.Objects[1].Path)
		}
		base := strings.TrimSuffix(output, ".go")
		outputs = []string{base + "_" + orderSuffix(objs[0].ByteOrder) + ".go", base + "_" + orderSuffix(objs[1].ByteOrder) + ".go"}
		buildOn = []string{orderTags(objs[0].ByteOrder), orderTags(objs[1].ByteOrder)}
	}

	var files []File
	for i, o := range objs {
		in := opts.Objects[i]
		embed := filepath.Base(in.Path)
		if !validEmbedName(embed) {
			return nil, fmt.Errorf("%s: file name cannot be embedded with go:embed (rename it)", in.Path)
		}
		objAbs, err := filepath.Abs(in.Path)
		if err != nil {
			return nil, err
		}
		source, err := filepath.Rel(outDir, objAbs)
		if err != nil {
			source = embed
		}
		sk := &skeleton{
			o:       o,
			pkg:     opts.Package,
			ident:   ident,
			embed:   embed,
			source:  filepath.ToSlash(source),
			buildOn: buildOn[i],
			opts:    &opts,
		}
		src, err := sk.emit(outputs[i])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.Path, err)
		}
		files = append(files, File{Path: outputs[i], Data: src})
		if (filepath.Dir(objAbs) != outDir || linked[in.Path]) && !opts.Library {
			files = append(files, File{Path: filepath.Join(filepath.Dir(output), embed), Data: bytes.Clone(in.Data)})
		}
	}
	if perArch {
		if files, err = shareArchDecls(files, opts.Package, output, archSource(outDir, opts.Objects), opts.Objects); err != nil {
			return nil, err
		}
		files = append(files, otherArchFile(opts.Package, ident, output, archSource(outDir, opts.Objects), opts.Objects))
		// Those rewrote the skeletons and added files: check them all.
		if err := checkGoFiles(files); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// checkGoFiles runs CheckSource on every Go file of files.
func checkGoFiles(files []File) error {
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".go") {
			if err := CheckSource(f.Path, f.Data); err != nil {
				return err
			}
		}
	}
	return nil
}

// objectStem strips the directory and the object or source extensions
// from p: dir/gen_basic.bpf.o → gen_basic, x_bpfel.o → x, x.bpf.c → x.
func objectStem(p string) string {
	base := path.Base(filepath.ToSlash(p))
	for _, ext := range []string{".o", ".c", ".bpf", "_bpfel", "_bpfeb", ".bpfel", ".bpfeb"} {
		base = strings.TrimSuffix(base, ext)
	}
	return trimArchSuffix(p, base)
}

// validEmbedName reports whether go:embed accepts name as a file name.
func validEmbedName(name string) bool {
	if name == "" || name[0] == '.' || name[0] == '_' {
		return false
	}
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("._-+", r):
		default:
			return false
		}
	}
	return true
}

func orderName(bo binary.ByteOrder) string {
	if bo == binary.BigEndian {
		return "big-endian"
	}
	return "little-endian"
}

func orderSuffix(bo binary.ByteOrder) string {
	if bo == binary.BigEndian {
		return "bpfeb"
	}
	return "bpfel"
}

func orderTags(bo binary.ByteOrder) string {
	archs := littleEndianArchs
	if bo == binary.BigEndian {
		archs = bigEndianArchs
	}
	return strings.Join(archs, " || ")
}

// GenerateMany runs [Generate] for every element of opts, at most
// GOMAXPROCS at a time, and returns each one's files, in the order of
// opts. Skeletons whose outputs share a directory share a Go package: C
// type declarations that several of their (untagged) files declare
// identically are moved into one file there, [SharedFile], returned with
// the files of the first skeleton using it. GenerateMany fails when two
// skeletons would write the same path with different contents (two
// skeletons with the same output, or two objects with the same file name
// copied next to the outputs), when two of them name different packages,
// or when two of them declare the same top-level Go name differently
// (typically the same C name in two objects: use Options.PrefixTypes, or
// different directories).
func GenerateMany(opts []Options) ([][]File, error) {
	results := make([][]File, len(opts))
	names := make([][]string, len(opts))
	errs := make([]error, len(opts))
	sem := make(chan struct{}, goruntime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range opts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i], errs[i] = Generate(opts[i])
			if errs[i] != nil || len(opts) == 1 {
				return
			}
			// The declarations of the skeleton's first Go file: those of a
			// byte-order pair's second file are the same.
			for _, f := range results[i] {
				if strings.HasSuffix(f.Path, ".go") {
					names[i], errs[i] = topLevelNames(f)
					break
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(opts) > 1 {
		if err := shareDeclarations(opts, results, names); err != nil {
			return nil, err
		}
		// That moved declarations between files: check them again.
		for _, files := range results {
			if err := checkGoFiles(files); err != nil {
				return nil, err
			}
		}
	}
	if err := checkShared(opts, results, names); err != nil {
		return nil, err
	}
	return results, nil
}

// checkShared reports the conflicts between skeletons described at
// [GenerateMany]; names are the top-level names each skeleton declares.
func checkShared(opts []Options, results [][]File, names [][]string) error {
	type owner struct {
		skel int
		data []byte
	}
	paths := map[string]owner{}
	type pkgDecl struct{ dir, name string }
	decls := map[pkgDecl]int{}
	pkgs := map[string]int{}
	label := func(i int) string {
		if len(opts[i].Objects) == 0 {
			return fmt.Sprintf("skeleton %d", i+1)
		}
		return opts[i].Objects[0].Path
	}
	for i, files := range results {
		goSeen := false
		for _, f := range files {
			abs, err := filepath.Abs(f.Path)
			if err != nil {
				return err
			}
			if o, ok := paths[abs]; ok {
				if o.skel != i && !bytes.Equal(o.data, f.Data) {
					return fmt.Errorf("%s and %s both write %s", label(o.skel), label(i), f.Path)
				}
				continue
			}
			paths[abs] = owner{i, f.Data}
			if !strings.HasSuffix(f.Path, ".go") || goSeen {
				continue
			}
			goSeen = true
			dir := filepath.Dir(abs)
			if j, ok := pkgs[dir]; ok && opts[j].Package != opts[i].Package {
				return fmt.Errorf("%s and %s: packages %s and %s in one directory %s", label(j), label(i), opts[j].Package, opts[i].Package, filepath.Dir(f.Path))
			}
			pkgs[dir] = i
			for _, n := range names[i] {
				k := pkgDecl{dir, n}
				if j, ok := decls[k]; ok {
					return fmt.Errorf("%s and %s both declare %s in package %s (%s) and cannot share it (different declarations, or files under build tags): use -prefix, or generate them into different directories", label(j), label(i), n, opts[i].Package, filepath.Dir(f.Path))
				}
				decls[k] = i
			}
		}
	}
	return nil
}

// topLevelNames returns the package-level names a generated Go file
// declares, in order (blank identifiers excluded).
func topLevelNames(f File) ([]string, error) {
	af, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Data, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	var names []string
	add := func(id *ast.Ident) {
		if id.Name != "_" {
			names = append(names, id.Name)
		}
	}
	for _, d := range af.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				add(d.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					add(s.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						add(n)
					}
				}
			}
		}
	}
	return names, nil
}

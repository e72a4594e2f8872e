package gen

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// goarchTarget is how gen builds for one GOARCH: the clang target of its
// byte order and libbpf's name of its architecture, the x of
// __TARGET_ARCH_x.
type goarchTarget struct{ clang, arch string }

// goarchTargets are the GOARCHes (of GOOS=linux) a Target may name.
var goarchTargets = map[string]goarchTarget{
	"386":      {"bpfel", "x86"},
	"amd64":    {"bpfel", "x86"},
	"arm":      {"bpfel", "arm"},
	"arm64":    {"bpfel", "arm64"},
	"loong64":  {"bpfel", "loongarch"},
	"mips":     {"bpfeb", "mips"},
	"mipsle":   {"bpfel", "mips"},
	"mips64":   {"bpfeb", "mips"},
	"mips64le": {"bpfel", "mips"},
	"ppc64":    {"bpfeb", "powerpc"},
	"ppc64le":  {"bpfel", "powerpc"},
	"riscv64":  {"bpfel", "riscv"},
	"s390x":    {"bpfeb", "s390"},
}

// GOARCHes returns the GOARCH names [ParseTargets] accepts, sorted.
func GOARCHes() []string {
	var names []string
	for g := range goarchTargets {
		names = append(names, g)
	}
	slices.Sort(names)
	return names
}

func knownArch(arch string) bool { return slices.Contains(archNames(), arch) }

// archNames returns libbpf's names of the architectures of [GOARCHes], sorted.
func archNames() []string {
	var names []string
	for _, t := range goarchTargets {
		if !slices.Contains(names, t.arch) {
			names = append(names, t.arch)
		}
	}
	slices.Sort(names)
	return names
}

// A Target is one object of a skeleton: what to compile a C source for, or
// (Object set) a prebuilt object, and which GOARCHes its Go file is for.
type Target struct {
	// Clang is the clang target: "bpfel" or "bpfeb".
	Clang string
	// Arch is libbpf's name of the architecture (x86, arm64, arm,
	// loongarch, mips, powerpc, riscv, s390), defined as
	// __TARGET_ARCH_<Arch> when compiling. Empty for a byte-order target.
	Arch string
	// GOARCHes are the GOARCHes the object is for, sorted; nil for a
	// byte-order target (every GOARCH of that byte order).
	GOARCHes []string
	// Object is the path of a prebuilt object (GOARCH=PATH); empty for a
	// C source to compile.
	Object string
}

// Suffix names the target in file names: "bpfel", "bpfeb", or
// "<arch>_<order>" such as "x86_bpfel" (the byte order last: a Go file name
// ending in _<GOARCH> would carry an implicit build constraint, and s390 is
// a GOARCH).
func (t Target) Suffix() string {
	if t.Arch == "" {
		return t.Clang
	}
	return t.Arch + "_" + t.Clang
}

// ParseTargets parses the value of gen's -target flag, a comma-separated
// list of one of three forms (not mixed):
//
//   - byte orders: "bpfel", "bpfeb" or both;
//   - GOARCHes, such as "amd64,arm64": one target per architecture
//     (GOARCHes that share libbpf's architecture and byte order, such as 386
//     and amd64, share one object);
//   - GOARCH=PATH, such as "amd64=x_x86.o,arm64=x_arm64.o": prebuilt
//     objects, one per GOARCH; GOARCHes given the same PATH share it.
//
// Targets come in the order of their first GOARCH on the list.
func ParseTargets(s string) ([]Target, error) {
	items := strings.Split(s, ",")
	var orders, arches, prebuilt int
	var targets []Target
	seen := map[string]bool{}
	for _, it := range items {
		if seen[strings.SplitN(it, "=", 2)[0]] {
			return nil, fmt.Errorf("target %q: %s given twice", s, strings.SplitN(it, "=", 2)[0])
		}
		seen[strings.SplitN(it, "=", 2)[0]] = true
		if slices.Contains(Targets, it) {
			orders++
			targets = append(targets, Target{Clang: it})
			continue
		}
		goarch, path, isPrebuilt := strings.Cut(it, "=")
		gt, ok := goarchTargets[goarch]
		if !ok {
			return nil, fmt.Errorf("target %q: %q is neither a byte order (bpfel, bpfeb) nor a GOARCH (%s)", s, goarch, strings.Join(GOARCHes(), ", "))
		}
		if isPrebuilt {
			prebuilt++
			if path == "" {
				return nil, fmt.Errorf("target %q: %s= names no object", s, goarch)
			}
		} else {
			arches++
		}
		i := slices.IndexFunc(targets, func(t Target) bool {
			return t.Clang == gt.clang && t.Arch == gt.arch && t.Object == path
		})
		if i < 0 {
			targets = append(targets, Target{Clang: gt.clang, Arch: gt.arch, Object: path})
			i = len(targets) - 1
		}
		targets[i].GOARCHes = append(targets[i].GOARCHes, goarch)
	}
	if (orders > 0 && arches+prebuilt > 0) || (arches > 0 && prebuilt > 0) {
		return nil, fmt.Errorf("target %q: give byte orders, GOARCHes or GOARCH=OBJECT pairs, not a mix", s)
	}
	for i, t := range targets {
		slices.Sort(targets[i].GOARCHes)
		for _, u := range targets[:i] {
			if t.Arch != "" && t.Suffix() == u.Suffix() {
				return nil, fmt.Errorf("target %q: %s and %s are both %s but different objects: give them one", s, u.GOARCHes[0], t.GOARCHes[0], t.Suffix())
			}
		}
	}
	return targets, nil
}

// archLayout returns the Go files of a skeleton whose objects are for
// GOARCHes (every Input has GOARCHes): one file per object named after
// its architecture and byte order (x.go → x_x86_bpfel.go) under a
// //go:build line listing its GOARCHes, and a file for every other GOARCH
// (x_other.go) that fails to compile with a message saying so.
func archLayout(output string, ins []Input, objs []*Object) (outputs, buildOn []string, err error) {
	base := strings.TrimSuffix(output, ".go")
	seen := map[string]string{}
	for i, in := range ins {
		if len(in.GOARCHes) == 0 {
			return nil, nil, fmt.Errorf("%s: no GOARCH: give every object its GOARCHes, or none", in.Path)
		}
		var t Target
		for _, g := range in.GOARCHes {
			gt, ok := goarchTargets[g]
			if !ok {
				return nil, nil, fmt.Errorf("%s: unknown GOARCH %q", in.Path, g)
			}
			if t.Arch != "" && (gt.arch != t.Arch || gt.clang != t.Clang) {
				return nil, nil, fmt.Errorf("%s: GOARCHes %s and %s need different objects", in.Path, in.GOARCHes[0], g)
			}
			t.Clang, t.Arch = gt.clang, gt.arch
			if o, ok := seen[g]; ok {
				return nil, nil, fmt.Errorf("%s and %s: both for GOARCH %s", o, in.Path, g)
			}
			seen[g] = in.Path
		}
		if got := orderSuffix(objs[i].ByteOrder); got != t.Clang {
			return nil, nil, fmt.Errorf("%s: a %s object, but %s is %s", in.Path, orderName(objs[i].ByteOrder), in.GOARCHes[0], orderName(orderOf(t.Clang)))
		}
		for _, prev := range ins[:i] {
			if filepath.Base(prev.Path) == filepath.Base(in.Path) && prev.Path != in.Path {
				return nil, nil, fmt.Errorf("%s and %s: same file name: they cannot both be embedded next to the output", prev.Path, in.Path)
			}
		}
		out := base + "_" + t.Suffix() + ".go"
		if slices.Contains(outputs, out) {
			return nil, nil, fmt.Errorf("%s: a second object for %s (give one object for all its GOARCHes)", in.Path, t.Suffix())
		}
		gs := slices.Sorted(slices.Values(in.GOARCHes))
		outputs = append(outputs, out)
		buildOn = append(buildOn, strings.Join(gs, " || "))
	}
	return outputs, buildOn, nil
}

// otherArchFile returns the file of a per-GOARCH skeleton for the GOARCHes
// it has no object for: it declares nothing and refers to an undefined
// name that says what is missing, so that building the package for such a
// GOARCH fails with that name in the error.
func otherArchFile(pkg, ident, output, source string, ins []Input) File {
	var all []string
	for _, in := range ins {
		all = append(all, in.GOARCHes...)
	}
	slices.Sort(all)
	var not []string
	for _, g := range all {
		not = append(not, "!"+g)
	}
	var b strings.Builder
	b.WriteString("// Code generated by bpfskel. DO NOT EDIT.\n")
	b.WriteString("// Source: " + comment(source) + "\n\n")
	b.WriteString("//go:build " + strings.Join(not, " && ") + "\n\n")
	b.WriteString("package " + pkg + "\n\n")
	fmt.Fprintf(&b, "// %s has BPF objects for GOARCH %s only: building for another GOARCH\n", ident, strings.Join(all, ", "))
	b.WriteString("// fails here. Add the GOARCH to gen's -target and generate again.\n")
	fmt.Fprintf(&b, "var _ = %s_has_no_BPF_object_for_this_GOARCH_add_it_to_bpfskel_gen_target\n", ident)
	return File{Path: strings.TrimSuffix(output, ".go") + "_other.go", Data: []byte(b.String())}
}

// archSource is the header's Source line of the other-GOARCH file: the
// objects' paths relative to the output's directory.
func archSource(outDir string, ins []Input) string {
	var srcs []string
	for _, in := range ins {
		p := filepath.Base(in.Path)
		if abs, err := filepath.Abs(in.Path); err == nil {
			if rel, err := filepath.Rel(outDir, abs); err == nil {
				p = rel
			}
		}
		srcs = append(srcs, filepath.ToSlash(p))
	}
	return strings.Join(srcs, ", ")
}

func orderOf(clang string) binary.ByteOrder {
	if clang == "bpfeb" {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// trimArchSuffix removes the architecture from the stem of a per-GOARCH
// object p (x_arm64_bpfel.o → x): the _<arch> just before its byte order.
func trimArchSuffix(p, stem string) string {
	if !strings.Contains(p, "_bpfel") && !strings.Contains(p, "_bpfeb") {
		return stem
	}
	for _, a := range archNames() {
		if s, ok := strings.CutSuffix(stem, "_"+a); ok && s != "" {
			return s
		}
	}
	return stem
}

// shareArchDecls moves the C type declarations that every per-GOARCH Go
// file of a skeleton declares identically (types whose layout does not
// depend on the architecture) into one file, output itself, under a
// build constraint listing all the GOARCHes; each architecture's file
// keeps the skeleton and the types that differ. With fewer than two
// architectures, or nothing in common, files are returned unchanged.
func shareArchDecls(files []File, pkg, output, source string, ins []Input) ([]File, error) {
	var idx []int
	for i, f := range files {
		if strings.HasSuffix(f.Path, ".go") {
			idx = append(idx, i)
		}
	}
	if len(idx) < 2 {
		return files, nil
	}
	groups := make([]map[string]declGroup, len(idx))
	for n, i := range idx {
		g, err := declGroups(files[i])
		if err != nil {
			return nil, err
		}
		groups[n] = g
	}
	var shared []string
	for name, d := range groups[0] {
		same := true
		for _, g := range groups[1:] {
			if o, ok := g[name]; !ok || o.text != d.text {
				same = false
				break
			}
		}
		if same {
			shared = append(shared, name)
		}
	}
	if len(shared) == 0 {
		return files, nil
	}
	slices.Sort(shared)
	imports := map[string]string{}
	for n, i := range idx {
		for p, name := range fileImports(files[i].Data) {
			if name != "_" {
				imports[p] = name
			}
		}
		var cut [][2]int
		for _, name := range shared {
			cut = append(cut, groups[n][name].ranges...)
		}
		data, err := cutRanges(files[i].Data, cut)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", files[i].Path, err)
		}
		files[i].Data = data
	}
	var all []string
	for _, in := range ins {
		all = append(all, in.GOARCHes...)
	}
	slices.Sort(all)
	var b strings.Builder
	b.WriteString(generatedHeader)
	b.WriteString("// Source: " + source + "\n")
	b.WriteString("// The declarations every GOARCH's file shares.\n\n")
	b.WriteString("//go:build " + strings.Join(all, " || ") + "\n\n")
	b.WriteString("package " + pkg + "\n")
	var specs []string
	for p, name := range imports {
		specs = append(specs, importSpec(name, p))
	}
	slices.Sort(specs)
	if len(specs) > 0 {
		b.WriteString("\nimport (\n\t" + strings.Join(specs, "\n\t") + "\n)\n")
	}
	for _, name := range shared {
		b.WriteString("\n" + groups[0][name].text + "\n")
	}
	data, err := pruneImports([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", output, err)
	}
	return append(files, File{Path: output, Data: data}), nil
}

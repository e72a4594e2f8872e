package gen

import (
	"bytes"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/bpfskel/bpfskel/btf2go"
)

// goFile is a generated Go file being written: its body, as gofmt formats
// it, and the one import tracker of the whole file. Skeleton parts write
// through it and name foreign identifiers with qual; btf2go's declarations
// add their imports with use.
type goFile struct {
	body    bytes.Buffer
	imports map[string]string // import path → name in the file ("_": blank)
}

func newGoFile() *goFile {
	f := &goFile{imports: make(map[string]string, 8)}
	f.body.Grow(16 << 10)
	return f
}

// use records an import of path, named by its last element (all packages
// generated code imports are named so).
func (f *goFile) use(p string) {
	if _, ok := f.imports[p]; !ok {
		f.imports[p] = path.Base(p)
	}
}

// blank records a blank import of path ("embed").
func (f *goFile) blank(p string) { f.imports[p] = "_" }

// qual returns name qualified with the package at path, and records the
// import.
func (f *goFile) qual(p, name string) string {
	f.use(p)
	return f.imports[p] + "." + name
}

// p writes its arguments and a newline.
func (f *goFile) p(parts ...string) {
	for _, s := range parts {
		f.body.WriteString(s)
	}
	f.body.WriteByte('\n')
}

// decl starts a top-level declaration: a blank line and its doc comment.
func (f *goFile) decl(doc string) {
	f.body.WriteByte('\n')
	f.p("// ", commentLine(doc))
}

// commentLine is text for a line comment: as it is when it holds only
// printable ASCII (names in it passed btf2go.CheckName and were escaped),
// else escaped whole with Go's string rules, so that it stays one line.
func commentLine(text string) string {
	for i := 0; i < len(text); i++ {
		if text[i] < 0x20 || text[i] > 0x7e {
			return btf2go.Escape(text)
		}
	}
	return text
}

// importBlock renders the imports as goimports groups them: the standard
// library first, then the others, each group sorted by path.
func (f *goFile) importBlock() string {
	var std, other []string
	for p := range f.imports {
		if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") {
			other = append(other, p)
		} else {
			std = append(std, p)
		}
	}
	slices.Sort(std)
	slices.Sort(other)
	spec := func(p string) string {
		if name := f.imports[p]; name != path.Base(p) {
			return name + " " + strconv.Quote(p)
		}
		return strconv.Quote(p)
	}
	var b strings.Builder
	switch n := len(std) + len(other); {
	case n == 0:
		return ""
	case n == 1:
		return "\nimport " + spec(slices.Concat(std, other)[0]) + "\n"
	}
	b.WriteString("\nimport (\n")
	for _, p := range std {
		b.WriteString("\t" + spec(p) + "\n")
	}
	if len(std) > 0 && len(other) > 0 {
		b.WriteByte('\n')
	}
	for _, p := range other {
		b.WriteString("\t" + spec(p) + "\n")
	}
	b.WriteString(")\n")
	return b.String()
}

// keyed is one key: value element of a composite literal. value may span
// lines (a nested literal).
type keyed struct{ key, value string }

// literal renders the composite literal typ{entries} as gofmt lays it out
// at the given indentation (in tabs), with the entries sorted by key: no
// entries is typ{}, one is typ{key: value} on one line, more are one per
// line with the keys of consecutive one-line entries aligned.
func literal(typ string, entries []keyed, indent int) string {
	entries = slices.Clone(entries)
	slices.SortFunc(entries, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	switch len(entries) {
	case 0:
		return typ + "{}"
	case 1:
		return typ + "{" + entries[0].key + ": " + entries[0].value + "}"
	}
	tabs := strings.Repeat("\t", indent+1)
	var b strings.Builder
	b.WriteString(typ + "{\n")
	for _, section := range alignSections(entries) {
		width := 0
		for _, e := range section {
			width = max(width, len(e.key))
		}
		for _, e := range section {
			b.WriteString(tabs + e.key + ":")
			if strings.Contains(e.value, "\n") {
				b.WriteString(" ")
			} else {
				b.WriteString(strings.Repeat(" ", width-len(e.key)+1))
			}
			b.WriteString(e.value + ",\n")
		}
	}
	b.WriteString(tabs[:indent] + "}")
	return b.String()
}

// alignSections splits the entries of a multi-line composite literal
// where gofmt ends a block of aligned keys (go/printer's exprList): at an
// entry spanning lines and after one, and where a key longer than 40 bytes
// (or following one) differs by a factor of 2.5 or more from the geometric
// mean of the keys before it in its block.
func alignSections(entries []keyed) [][]keyed {
	var sections [][]keyed
	size, lnsum, count := 0, 0.0, 0
	for i, e := range entries {
		prevSize := size
		size = len(e.key)
		if strings.Contains(e.value, "\n") {
			size = 0
		}
		newSection := true
		if prevSize > 0 && size > 0 {
			const smallSize = 40
			if count == 0 || prevSize <= smallSize && size <= smallSize {
				newSection = false
			} else {
				const r = 2.5
				ratio := float64(size) / math.Exp(lnsum/float64(count))
				newSection = r*ratio <= 1 || r <= ratio
			}
		}
		if i == 0 || newSection {
			// A new section (a formfeed in go/printer) also restarts
			// the geometric mean.
			sections = append(sections, nil)
			lnsum, count = 0, 0
		}
		sections[len(sections)-1] = append(sections[len(sections)-1], e)
		if size > 0 {
			lnsum += math.Log(float64(size))
			count++
		}
	}
	return sections
}

// field is a field of a generated struct type.
type field struct {
	doc  string // one line, without "//"; empty for none
	name string
	typ  string
}

// structType renders "struct{...}" with one field per line, each after its
// doc comment; a nil field is a blank line. A doc comment or a blank line
// ends a block of fields whose types gofmt aligns.
func structType(fields []*field) string {
	if len(fields) == 0 {
		return "struct{}"
	}
	var b strings.Builder
	b.WriteString("struct {\n")
	for i := 0; i < len(fields); {
		if fields[i] == nil {
			b.WriteByte('\n')
			i++
			continue
		}
		j := i + 1
		for j < len(fields) && fields[j] != nil && fields[j].doc == "" {
			j++
		}
		width := 0
		for _, fl := range fields[i:j] {
			width = max(width, len(fl.name))
		}
		for _, fl := range fields[i:j] {
			if fl.doc != "" {
				b.WriteString("\t// " + commentLine(fl.doc) + "\n")
			}
			b.WriteString("\t" + fl.name + strings.Repeat(" ", width-len(fl.name)+1) + fl.typ + "\n")
		}
		i = j
	}
	b.WriteString("}")
	return b.String()
}

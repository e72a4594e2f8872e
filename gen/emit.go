package gen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strings"

	"github.com/bpfskel/bpfskel/btf2go"
	"github.com/bpfskel/bpfskel/internal/objfile"
	"github.com/cilium/ebpf"
	"github.com/dave/jennifer/jen"
)

// Import paths of the packages generated code uses.
const (
	runtimePkg = "github.com/bpfskel/bpfskel/runtime"
	ebpfPkg    = "github.com/cilium/ebpf"
)

// arenaGlobalsSection is the ELF section of arena globals.
const arenaGlobalsSection = objfile.ArenaGlobalsSection

// skeleton is what one generated file needs besides the object model.
type skeleton struct {
	o       *Object
	pkg     string
	ident   string // X
	embed   string // file name of the embedded object, next to the output
	source  string // object path relative to the output's directory
	buildOn string // //go:build expression, "" for none
	opts    *Options
}

// names of the skeleton's declarations.
func (s *skeleton) typeName(suffix string) string { return s.ident + suffix }

func (s *skeleton) funcName(format string) string {
	name := fmt.Sprintf(format, upperFirst(s.ident))
	if !isExported(s.ident) {
		name = unexport(name)
	}
	return name
}

func (s *skeleton) objectVar() string { return unexport(s.ident) + "Object" }

// reserved are the names the skeleton declares itself; a C type whose Go
// name is one of them gets btf2go's suffix instead.
func (s *skeleton) reserved() []string {
	names := []string{
		s.typeName(""), s.typeName("Spec"), s.typeName("Programs"), s.typeName("Maps"),
		s.typeName("ArenaGlobals"),
		s.funcName("Load%sSpec"), s.funcName("Load%s"), s.objectVar(),
	}
	for _, sec := range s.o.Sections {
		names = append(names, s.typeName(sec.GoName))
	}
	return names
}

// emit renders the skeleton's Go file.
func (s *skeleton) emit() ([]byte, error) {
	o := s.o
	f := jen.NewFile(s.pkg)
	f.ImportName(runtimePkg, "runtime")
	f.ImportName(ebpfPkg, "ebpf")
	f.Anon("embed")
	f.NoFormat = true

	types := btf2go.New(btf2go.Options{
		RuntimePkg:   runtimePkg,
		ArenaPointer: o.cls.ArenaPointer,
		Statics:      s.opts.Statics,
		Reserved:     s.reserved(),
		// Bitfield and 128-bit accessors follow the object's byte order.
		ByteOrder: o.ByteOrder,
	})

	f.Comment("This file needs a runtime that supports version 1 of generated skeletons.")
	f.Const().Id("_").Op("=").Qual(runtimePkg, "SupportPackageIsVersion1")
	f.Line()
	f.Comment("//go:embed " + s.embed)
	f.Var().Id(s.objectVar()).Index().Byte()
	f.Line()

	// Sections and their types, in the order X lists them.
	type section struct {
		goName, elfName, typ string
		readOnly             bool
		s                    *Section
	}
	var sections []section
	for _, sec := range o.Sections {
		sections = append(sections, section{sec.GoName, sec.Name, s.typeName(sec.GoName), sec.ReadOnly, sec})
	}
	if o.Arena != nil && o.Arena.Globals != nil {
		sections = append(sections, section{"ArenaGlobals", arenaGlobalsSection, s.typeName("ArenaGlobals"), false, o.Arena.Globals})
	}
	for _, sec := range sections {
		if err := types.Add(sec.s.Datasec, sec.typ); err != nil {
			return nil, err // names the section
		}
	}

	// Map fields and their types.
	mapFields := make([]jen.Code, 0, len(o.Maps))
	mapInits := jen.Dict{}
	for _, m := range o.Maps {
		var typ *jen.Statement
		switch m.Helpers {
		case KeyValue, PerCPU:
			k, err := types.TypeOf(m.Key)
			if err != nil {
				return nil, fmt.Errorf("map %s: key: %w", m.Name, err)
			}
			v, err := types.TypeOf(m.Value)
			if err != nil {
				return nil, fmt.Errorf("map %s: value: %w", m.Name, err)
			}
			generic := "Map"
			if m.Helpers == PerCPU {
				generic = "PerCPUMap"
			}
			typ = jen.Qual(runtimePkg, generic).Types(k, v)
			mapInits[jen.Id(m.GoName)] = jen.Qual(runtimePkg, generic).Types(k, v).Values(jen.Dict{jen.Id("Map"): jen.Id("c").Dot("Map").Call(jen.Lit(m.Name))})
		default:
			typ = jen.Op("*").Qual(ebpfPkg, "Map")
			mapInits[jen.Id(m.GoName)] = jen.Id("c").Dot("Map").Call(jen.Lit(m.Name))
		}
		mapFields = append(mapFields, jen.Comment(mapDoc(m, s.ident)), jen.Id(m.GoName).Add(typ))
	}

	X := s.typeName("")
	spec := s.typeName("Spec")
	progs := s.typeName("Programs")
	maps := s.typeName("Maps")

	// LoadXSpec and XSpec.
	f.Commentf("%s parses the embedded %s: its programs, maps and the initial values of its global variables, which can be edited before loading.", s.funcName("Load%sSpec"), s.embed)
	f.Func().Id(s.funcName("Load%sSpec")).Params().Params(jen.Op("*").Id(spec), jen.Error()).BlockFunc(func(g *jen.Group) {
		g.List(jen.Id("rs"), jen.Err()).Op(":=").Qual(runtimePkg, "LoadSpec").Call(jen.Id(s.objectVar()))
		g.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("parse "+s.embed+": %w"), jen.Err())),
		)
		g.Id("s").Op(":=").Op("&").Id(spec).Values(jen.Dict{jen.Id("spec"): jen.Id("rs")})
		for _, sec := range sections {
			g.If(
				jen.List(jen.Id("s").Dot(sec.goName), jen.Err()).Op("=").Qual(runtimePkg, "SpecView").Types(jen.Id(sec.typ)).Call(jen.Id("rs"), jen.Lit(sec.elfName)),
				jen.Err().Op("!=").Nil(),
			).Block(
				jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("parse "+s.embed+": %w"), jen.Err())),
			)
		}
		g.Return(jen.Id("s"), jen.Nil())
	})
	f.Line()

	f.Commentf("%s is %s parsed and not yet loaded. Edit the initial values of its global variables, then call Load.", spec, s.embed)
	f.Type().Id(spec).StructFunc(func(g *jen.Group) {
		for _, sec := range sections {
			switch {
			case sec.goName == "ArenaGlobals":
				g.Comment("ArenaGlobals holds the initial values of the arena globals (" + sec.elfName + ").")
			case sec.readOnly:
				g.Commentf("%s holds the initial values of %s. They are constant once loaded: set them here.", sec.goName, sec.elfName)
			default:
				g.Commentf("%s holds the initial values of %s.", sec.goName, sec.elfName)
			}
			g.Id(sec.goName).Op("*").Id(sec.typ)
		}
		if len(sections) > 0 {
			g.Line()
		}
		g.Id("spec").Op("*").Qual(runtimePkg, "Spec")
	})
	f.Line()

	f.Comment("CollectionSpec returns the underlying cilium/ebpf spec, for what the skeleton does not cover.")
	f.Func().Params(jen.Id("s").Op("*").Id(spec)).Id("CollectionSpec").Params().Op("*").Qual(ebpfPkg, "CollectionSpec").Block(
		jen.Return(jen.Id("s").Dot("spec").Dot("Collection")),
	)
	f.Line()

	if o.Arena != nil {
		f.Comment("Load creates the maps and the arena, places the arena globals, loads the programs and maps the global data. nil opts means defaults.")
	} else {
		f.Comment("Load creates the maps, loads the programs and maps the global data. nil opts means defaults.")
	}
	f.Func().Params(jen.Id("s").Op("*").Id(spec)).Id("Load").Params(jen.Id("opts").Op("*").Qual(runtimePkg, "Options")).Params(jen.Op("*").Id(X), jen.Error()).BlockFunc(func(g *jen.Group) {
		g.List(jen.Id("c"), jen.Err()).Op(":=").Id("s").Dot("spec").Dot("Load").Call(jen.Id("opts"))
		g.If(jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("load "+s.embed+": %w"), jen.Err())),
		)
		progInits := jen.Dict{}
		for _, p := range o.Programs {
			progInits[jen.Id(p.GoName)] = jen.Id("c").Dot("Program").Call(jen.Lit(p.Name))
		}
		fields := jen.Dict{
			jen.Id("coll"):     jen.Id("c"),
			jen.Id("Programs"): jen.Id(progs).Values(progInits),
			jen.Id("Maps"):     jen.Id(maps).Values(mapInits),
		}
		if o.Arena != nil {
			fields[jen.Id("Arena")] = jen.Id("c").Dot("Arena").Call()
		}
		g.Id("x").Op(":=").Op("&").Id(X).Values(fields)
		for _, sec := range sections {
			g.If(
				jen.List(jen.Id("x").Dot(sec.goName), jen.Err()).Op("=").Qual(runtimePkg, "View").Types(jen.Id(sec.typ)).Call(jen.Id("c"), jen.Lit(sec.elfName)),
				jen.Err().Op("!=").Nil(),
			).Block(
				jen.Id("c").Dot("Close").Call(),
				jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("load "+s.embed+": %w"), jen.Err())),
			)
		}
		g.Return(jen.Id("x"), jen.Nil())
	})
	f.Line()

	f.Commentf("%s parses and loads the embedded %s with its initial values. nil opts means defaults.", s.funcName("Load%s"), s.embed)
	f.Func().Id(s.funcName("Load%s")).Params(jen.Id("opts").Op("*").Qual(runtimePkg, "Options")).Params(jen.Op("*").Id(X), jen.Error()).Block(
		jen.List(jen.Id("s"), jen.Err()).Op(":=").Id(s.funcName("Load%sSpec")).Call(),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("s").Dot("Load").Call(jen.Id("opts"))),
	)
	f.Line()

	// X.
	f.Commentf("%s is %s loaded into the kernel. Close releases it.", X, s.embed)
	f.Type().Id(X).StructFunc(func(g *jen.Group) {
		g.Comment("Programs are the loaded programs.")
		g.Id("Programs").Id(progs)
		g.Comment("Maps are the maps, with typed access where the map type allows it.")
		g.Id("Maps").Id(maps)
		for _, sec := range sections {
			switch {
			case sec.goName == "ArenaGlobals":
				g.Comment("ArenaGlobals are the arena globals, where Load placed them in the arena.")
			case sec.readOnly:
				g.Commentf("%s is %s as the programs see it. It is read-only: writing to it faults.", sec.goName, sec.elfName)
			default:
				g.Commentf("%s is %s as the programs see it: reads and writes are plain memory accesses.", sec.goName, sec.elfName)
			}
			g.Id(sec.goName).Op("*").Id(sec.typ)
		}
		if o.Arena != nil {
			g.Commentf("Arena is the arena (map %s): its memory, and what runtime.Ptr values point into.", o.Arena.MapName)
			g.Id("Arena").Op("*").Qual(runtimePkg, "Arena")
		}
		g.Line()
		g.Id("coll").Op("*").Qual(runtimePkg, "Collection")
	})
	f.Line()

	f.Comment("Attach attaches every program whose section names its target (see the Programs fields). Close detaches them.")
	f.Func().Params(jen.Id("x").Op("*").Id(X)).Id("Attach").Params().Error().Block(
		jen.Return(jen.Id("x").Dot("coll").Dot("Attach").Call()),
	)
	f.Line()
	f.Comment("Close detaches the programs Attach attached and releases the programs, maps and memory. Views of global data and the arena must not be used afterwards.")
	f.Func().Params(jen.Id("x").Op("*").Id(X)).Id("Close").Params().Error().Block(
		jen.Return(jen.Id("x").Dot("coll").Dot("Close").Call()),
	)
	f.Line()
	f.Comment("Collection returns the underlying runtime collection.")
	f.Func().Params(jen.Id("x").Op("*").Id(X)).Id("Collection").Params().Op("*").Qual(runtimePkg, "Collection").Block(
		jen.Return(jen.Id("x").Dot("coll")),
	)
	f.Line()

	// XPrograms.
	f.Commentf("%s are the programs of %s.", progs, s.embed)
	f.Type().Id(progs).StructFunc(func(g *jen.Group) {
		for _, p := range o.Programs {
			g.Comment(programDoc(p))
			g.Id(p.GoName).Op("*").Qual(ebpfPkg, "Program")
		}
	})
	f.Line()

	// XMaps.
	f.Commentf("%s are the maps of %s.", maps, s.embed)
	f.Type().Id(maps).Struct(mapFields...)
	f.Line()

	for _, t := range o.types {
		if err := types.Add(t, ""); err != nil {
			return nil, fmt.Errorf("type %s: %w", t.TypeName(), err)
		}
	}
	if err := types.Emit(f); err != nil {
		return nil, err
	}

	var body bytes.Buffer
	if err := f.Render(&body); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	var src bytes.Buffer
	src.WriteString("// Code generated by bpfskel. DO NOT EDIT.\n")
	src.WriteString("// Source: " + s.source + "\n\n")
	if s.buildOn != "" {
		src.WriteString("//go:build " + s.buildOn + "\n\n")
	}
	src.Write(body.Bytes())
	out, err := format.Source(groupImports(src.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("format generated code: %w\n%s", err, numberLines(src.Bytes()))
	}
	if err := checkDuplicates(out); err != nil {
		return nil, err
	}
	return out, nil
}

func programDoc(p *Program) string {
	doc := fmt.Sprintf("%s is %s (section %s, %s).", p.GoName, p.Name, p.Section, p.Type)
	if p.AutoAttach {
		return doc + " Attach attaches it: " + p.Attach + "."
	}
	return doc + " Attach leaves it alone: it " + p.Attach + "."
}

func mapDoc(m *Map, ident string) string {
	if m.Type == ebpf.Arena {
		return fmt.Sprintf("%s is the arena map %s, %d pages; %s.Arena gives its memory.", m.GoName, m.Name, m.MaxEntries, ident)
	}
	return fmt.Sprintf("%s is map %s (%s, max_entries %d).", m.GoName, m.Name, m.Type, m.MaxEntries)
}

// numberLines prefixes every line of src with its number, for errors.
func numberLines(src []byte) string {
	var b strings.Builder
	for i, line := range strings.Split(string(src), "\n") {
		fmt.Fprintf(&b, "%5d  %s\n", i+1, line)
	}
	return b.String()
}

// checkDuplicates reports two top-level declarations with one name: a C
// type whose Go name is one of the skeleton's own.
func checkDuplicates(src []byte) error {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil {
		return fmt.Errorf("parse generated code: %w", err)
	}
	seen := map[string]bool{}
	check := func(name string) error {
		if name == "_" {
			return nil
		}
		if seen[name] {
			return fmt.Errorf("two declarations of %s in the generated code (a C type's Go name collides with the skeleton's; choose another -ident): %w", name, ErrNameCollision)
		}
		seen[name] = true
		return nil
	}
	for _, d := range file.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				if err := check(d.Name.Name); err != nil {
					return err
				}
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch sp := spec.(type) {
				case *ast.TypeSpec:
					if err := check(sp.Name.Name); err != nil {
						return err
					}
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						if err := check(n.Name); err != nil {
							return err
						}
					}
				}
			}
		}
	}
	return nil
}

// groupImports puts a blank line between the standard library's imports
// and the others in the import block jennifer renders, as goimports does.
func groupImports(src []byte) []byte {
	start := bytes.Index(src, []byte("\nimport (\n"))
	if start < 0 {
		return src
	}
	start += len("\nimport (\n")
	end := bytes.Index(src[start:], []byte("\n)\n"))
	if end < 0 {
		return src
	}
	end += start
	var std, other []string
	for _, line := range strings.Split(string(src[start:end]), "\n") {
		path := line[strings.IndexByte(line, '"')+1:]
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
			other = append(other, line)
		} else {
			std = append(std, line)
		}
	}
	block := strings.Join(std, "\n")
	if len(std) > 0 && len(other) > 0 {
		block += "\n\n"
	}
	block += strings.Join(other, "\n")
	return slices.Concat(src[:start], []byte(block), src[end:])
}

package gen

import (
	"cmp"
	"debug/elf"
	"slices"
	"strconv"

	"github.com/bpfskel/bpfskel/internal/objfile"
	"github.com/cilium/ebpf/btf"
)

// libraryParts are the parts of a library skeleton's Go file (-lib,
// libbpf's subskeleton): a typed view of a library object's maps, global
// data and arena globals inside any collection whose object linked the
// library. Nothing is embedded: the library is found in the collection.
var libraryParts = []skeletonPart{
	(*skeleton).emitVersionCheck,
	(*skeleton).emitLibraryType,
	(*skeleton).emitLibraryNew,
	(*skeleton).emitMapsType,
}

// libAnchor is how a library skeleton finds its part of a section in a
// linked collection: a strong global variable the library defines there,
// and its offset in the library's own section.
type libAnchor struct {
	name string
	off  uint64
}

// libraryAnchors returns an anchor for each section of the library object
// obj that has a strong global variable (a weak one may be another
// object's in the linked collection); sections without one are left out.
func libraryAnchors(obj *objfile.Object, sections []section) map[string]libAnchor {
	f, syms := obj.ELF, obj.Symbols()
	anchors := map[string]libAnchor{}
	for _, sec := range sections {
		globals := map[string]bool{}
		for _, v := range sec.s.Datasec.Vars {
			if bv, ok := v.Type.(*btf.Var); ok && bv.Linkage == btf.GlobalVar {
				globals[bv.Name] = true
			}
		}
		var cands []libAnchor
		for _, s := range syms {
			if s.Section >= elf.SHN_LORESERVE || int(s.Section) >= len(f.Sections) || f.Sections[s.Section].Name != sec.elfName {
				continue
			}
			if elf.ST_BIND(s.Info) == elf.STB_GLOBAL && globals[s.Name] {
				cands = append(cands, libAnchor{s.Name, s.Value})
			}
		}
		if len(cands) > 0 {
			anchors[sec.elfName] = slices.MinFunc(cands, func(a, b libAnchor) int {
				return cmp.Or(cmp.Compare(a.off, b.off), cmp.Compare(a.name, b.name))
			})
		}
	}
	return anchors
}

// librarySections are the sections a library skeleton shows: those with an
// anchor.
func (s *skeleton) librarySections() ([]section, map[string]libAnchor) {
	anchors := libraryAnchors(s.o.spec, s.sections)
	var secs []section
	for _, sec := range s.sections {
		if _, ok := anchors[sec.elfName]; ok {
			secs = append(secs, sec)
		}
	}
	return secs, anchors
}

// emitLibraryType is X for a library.
func (s *skeleton) emitLibraryType(f *goFile) error {
	secs, _ := s.librarySections()
	X := s.typeName("")
	fields := []*field{{doc: "Maps are the library's maps in the collection.", name: "Maps", typ: s.typeName("Maps")}}
	for _, sec := range secs {
		doc := sec.goName + " is the library's part of " + comment(sec.elfName) + " as the programs see it."
		if sec.readOnly {
			doc = sec.goName + " is a copy of the library's part of " + comment(sec.elfName) + ", which the kernel froze."
		}
		fields = append(fields, &field{doc: doc, name: sec.goName, typ: "*" + sec.typ})
	}
	if a := s.o.Arena; a != nil {
		fields = append(fields, &field{doc: "Arena is the collection's arena: what runtime.Ptr values point into.", name: "Arena", typ: "*" + f.qual(runtimePkg, "Arena")})
	}
	f.decl(X + " is the library " + comment(s.embed) + " inside a collection whose object linked it: its maps and global variables where the link placed them. A weak variable of the library that another object overrides is the library's unused copy here.")
	f.p("type ", X, " ", structType(fields))
	return nil
}

// emitLibraryNew is NewX, which finds the library in a collection.
func (s *skeleton) emitLibraryNew(f *goFile) error {
	secs, anchors := s.librarySections()
	X, name := s.typeName(""), s.funcName("New%s")
	fail := func(format string, args ...string) string {
		q := strconv.Quote("library " + s.embed + ": " + format)
		if len(args) == 0 {
			return "return nil, " + f.qual("errors", "New") + "(" + q + ")"
		}
		return "return nil, " + f.qual("fmt", "Errorf") + "(" + q + ", " + args[0] + ")"
	}
	f.decl(name + " finds the library " + comment(s.embed) + " in c, a collection whose object linked it (for example a skeleton's Collection()). Its fields stay valid until c is closed.")
	f.p("func ", name, "(c *", f.qual(runtimePkg, "Collection"), ") (*", X, ", error) {")
	for _, m := range s.maps {
		f.p("\tif c.Map(", strconv.Quote(m.m.Name), ") == nil {")
		f.p("\t\t", fail("the collection has no map "+m.m.Name))
		f.p("\t}")
	}
	var maps []keyed
	for _, m := range s.maps {
		maps = append(maps, keyed{m.m.GoName, m.init})
	}
	fields := []keyed{{"Maps", literal(s.typeName("Maps"), maps, 2)}}
	if s.o.Arena != nil {
		fields = append(fields, keyed{"Arena", "c.Arena()"})
	}
	f.p("\tx := &", literal(X, fields, 1))
	if len(secs) > 0 {
		f.p("\tvar err error")
	}
	for _, sec := range secs {
		a := anchors[sec.elfName]
		f.p("\tif x.", sec.goName, ", err = ", f.qual(runtimePkg, "LibraryView"), "[", sec.typ, "](c, ", strconv.Quote(sec.elfName), ", ", strconv.Quote(a.name), ", ", strconv.FormatUint(a.off, 10), "); err != nil {")
		f.p("\t\t", fail("%w", "err"))
		f.p("\t}")
	}
	f.p("\treturn x, nil")
	f.p("}")
	return nil
}

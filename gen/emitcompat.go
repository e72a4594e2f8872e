package gen

import (
	"strconv"
)

// Skeleton parts for what real objects carry besides maps, programs and
// mappable globals: data sections the kernel cannot map, struct_ops maps,
// per-program links and autoload.

const linkPkg = "github.com/cilium/ebpf/link"

// unmapped reports whether the skeleton reaches sec through its map
// instead of a live view.
func (sec section) unmapped() bool { return sec.s.Unmapped != "" }

// emitSectionAccessors are X.ReadS and X.WriteS for each data section S
// the kernel cannot map.
func (s *skeleton) emitSectionAccessors(f *goFile) error {
	X := s.typeName("")
	for _, sec := range s.sections {
		if !sec.unmapped() {
			continue
		}
		elf := strconv.Quote(sec.elfName)
		f.decl("Read" + sec.goName + " reads " + comment(sec.elfName) + " through its map, a copy: the kernel cannot map it into user space (" + comment(sec.s.Unmapped) + "), so there is no live view. Its special fields read as zero.")
		f.p("func (x *", X, ") Read", sec.goName, "() (*", sec.typ, ", error) {")
		f.p("\treturn ", f.qual(runtimePkg, "ReadSection"), "[", sec.typ, "](x.coll, ", elf, ")")
		f.p("}")
		f.decl("Write" + sec.goName + " writes v to " + comment(sec.elfName) + " through its map (it has no live view, see Read" + sec.goName + "). The kernel keeps its special fields as they are.")
		f.p("func (x *", X, ") Write", sec.goName, "(v *", sec.typ, ") error {")
		f.p("\treturn ", f.qual(runtimePkg, "WriteSection"), "(x.coll, ", elf, ", v)")
		f.p("}")
	}
	return nil
}

// structOpsType is the Go type of the loaded struct_ops map so: its map
// and the programs its function pointers name.
func (s *skeleton) structOpsType(so *StructOps) string { return s.typeName(so.GoName) }

// structOpsSpecFields are XSpec's fields for the struct_ops maps' values.
func (s *skeleton) structOpsSpecFields() ([]*field, error) {
	var fields []*field
	for _, so := range s.o.StructOps {
		typ, err := s.types.TypeOf(so.Type)
		if err != nil {
			return nil, err
		}
		fields = append(fields, &field{
			doc:  so.GoName + " is the value of struct_ops map " + comment(so.Map) + " (struct " + comment(so.Type.Name) + "): set its data members before Load. Load points its function pointers at the programs named in " + s.structOpsType(so) + ".",
			name: so.GoName, typ: "*" + typ,
		})
	}
	return fields, nil
}

// emitStructOpsSpecViews are LoadXSpec's statements that make the struct_ops
// values editable.
func (s *skeleton) emitStructOpsSpecViews(f *goFile) error {
	for _, so := range s.o.StructOps {
		typ, err := s.types.TypeOf(so.Type)
		if err != nil {
			return err
		}
		f.p("\tif s.", so.GoName, ", err = ", f.qual(runtimePkg, "SpecView"), "[", typ, "](rs, ", strconv.Quote(so.Map), "); err != nil {")
		f.p("\t\t", s.parseError(f))
		f.p("\t}")
	}
	return nil
}

// structOpsFields are X's fields for the struct_ops maps, and their values
// in XSpec.Load.
func (s *skeleton) structOpsFields() ([]*field, []keyed) {
	var fields []*field
	var values []keyed
	for _, so := range s.o.StructOps {
		how := "Load registers it with the kernel; Close unregisters it."
		if so.Section == ".struct_ops.link" {
			how = "Attach registers it with the kernel (a link); Close unregisters it."
		}
		fields = append(fields, &field{
			doc:  so.GoName + " is struct_ops map " + comment(so.Map) + " (struct " + comment(so.Type.Name) + ") and the programs its function pointers name. " + how,
			name: so.GoName, typ: s.structOpsType(so),
		})
		entries := []keyed{{"Map", "c.Map(" + strconv.Quote(so.Map) + ")"}}
		for _, m := range so.Members {
			entries = append(entries, keyed{m.GoName, "c.Program(" + strconv.Quote(m.Program) + ")"})
		}
		values = append(values, keyed{so.GoName, literal(s.structOpsType(so), entries, 2)})
	}
	return fields, values
}

// emitStructOpsTypes are the XM types of the struct_ops maps M.
func (s *skeleton) emitStructOpsTypes(f *goFile) error {
	for _, so := range s.o.StructOps {
		fields := []*field{{doc: "Map is the struct_ops map.", name: "Map", typ: "*" + f.qual(ebpfPkg, "Map")}}
		for _, m := range so.Members {
			fields = append(fields, &field{
				doc:  m.GoName + " is program " + comment(m.Program) + ", the function pointer " + comment(m.Name) + ".",
				name: m.GoName, typ: "*" + f.qual(ebpfPkg, "Program"),
			})
		}
		name := s.structOpsType(so)
		f.decl(name + " is struct_ops map " + comment(so.Map) + " of " + comment(s.embed) + " loaded, with the programs its function pointers name.")
		f.p("type ", name, " ", structType(fields))
	}
	return nil
}

// linked are the programs and struct_ops maps Attach may make a link for,
// with their Go names, in Go name order.
func (s *skeleton) linked() []keyed {
	var out []keyed // key: Go name, value: C name
	for _, p := range s.o.Programs {
		if p.Attachable {
			out = append(out, keyed{p.GoName, p.Name})
		}
	}
	for _, so := range s.o.StructOps {
		if so.Section == ".struct_ops.link" {
			out = append(out, keyed{so.GoName, so.Map})
		}
	}
	return out
}

// emitLinksType is XLinks.
func (s *skeleton) emitLinksType(f *goFile) error {
	var fields []*field
	for _, l := range s.linked() {
		fields = append(fields, &field{
			doc:  l.key + " is the link Attach made for " + comment(l.value) + ", nil when none.",
			name: l.key, typ: f.qual(linkPkg, "Link"),
		})
	}
	name := s.typeName("Links")
	f.decl(name + " are the links Attach made, one field per program (or struct_ops map) it may attach. Close closes them.")
	f.p("type ", name, " ", structType(fields))
	return nil
}

// emitAttachMethods are X.Attach, X.AttachWith and the links they fill.
func (s *skeleton) emitAttachMethods(f *goFile) error {
	X := s.typeName("")
	f.decl("Attach attaches every program whose section names its target (see the Programs fields) and registers the struct_ops maps of .struct_ops.link; Links holds the links. Close detaches them.")
	f.p("func (x *", X, ") Attach() error {")
	f.p("\treturn x.AttachWith(nil)")
	f.p("}")
	f.decl("AttachWith is Attach with options: attach what can be and report the rest in one error (KeepGoing), or every alternative of an event (Alternatives).")
	f.p("func (x *", X, ") AttachWith(opts *", f.qual(runtimePkg, "AttachOptions"), ") error {")
	f.p("\terr := x.coll.AttachWith(opts)")
	var links []keyed
	for _, l := range s.linked() {
		links = append(links, keyed{l.key, "x.coll.Link(" + strconv.Quote(l.value) + ")"})
	}
	f.p("\tx.Links = ", literal(s.typeName("Links"), links, 1))
	f.p("\treturn err")
	f.p("}")
	return nil
}

// emitAutoload is XSpec.SetAutoload.
func (s *skeleton) emitAutoload(f *goFile) error {
	f.decl("SetAutoload sets whether Load loads the program named (in C) program; a program not loaded is a nil field and Attach leaves it alone. Programs whose section starts with \"?\" are off by default.")
	f.p("func (s *", s.typeName("Spec"), ") SetAutoload(program string, load bool) error {")
	f.p("\treturn s.spec.SetAutoload(program, load)")
	f.p("}")
	return nil
}

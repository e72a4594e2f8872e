package gen

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// goNamed is a C name of the object and the Go name it becomes. kind is
// "map", "program", "section" or "member" (of a struct_ops map), or ""
// for a field the skeleton has of its own.
type goNamed struct{ kind, cname, goName string }

// collision is a Go name that several items of one namespace become.
type collision struct {
	scope string    // "struct_ops map M" for its members, else ""
	field bool      // a field of X or XLinks, which items of several kinds share
	items []goNamed // sorted by kind, then C name
}

// checkNames reports every Go name collision of the object in one error,
// so that one run names every -rename the object needs. Names collide
// within XMaps, XPrograms, the sections and each struct_ops map's
// members, and among the fields of one generated struct: X holds the data
// sections and the struct_ops maps next to its own fields, XLinks the
// attachable programs and the .struct_ops.link maps.
func (o *Object) checkNames() error {
	var mapNames, progNames, secNames, fields, links []goNamed
	for _, m := range o.Maps {
		mapNames = append(mapNames, goNamed{"map", m.Name, m.GoName})
	}
	for _, p := range o.Programs {
		progNames = append(progNames, goNamed{"program", p.Name, p.GoName})
		if p.Attachable {
			links = append(links, goNamed{"program", p.Name, p.GoName})
		}
	}
	for _, own := range []string{"Programs", "Maps", "Links", "Arena", "ArenaGlobals"} {
		fields = append(fields, goNamed{goName: own})
	}
	for _, s := range o.Sections {
		secNames = append(secNames, goNamed{"section", s.Name, s.GoName})
		fields = append(fields, goNamed{"section", s.Name, s.GoName})
	}
	var cs []collision
	for _, so := range o.StructOps {
		fields = append(fields, goNamed{"map", so.Map, so.GoName})
		if so.Section == ".struct_ops.link" {
			links = append(links, goNamed{"map", so.Map, so.GoName})
		}
		var members []goNamed
		for _, mb := range so.Members {
			members = append(members, goNamed{"member", mb.Name, mb.GoName})
		}
		cs = append(cs, collisions("struct_ops map "+so.Map, false, members)...)
	}
	cs = append(cs, collisions("", false, mapNames)...)
	cs = append(cs, collisions("", false, progNames)...)
	cs = append(cs, collisions("", false, secNames)...)
	// Items of one kind that share a field also share a Go name of their
	// kind: reported above already.
	for _, c := range append(collisions("", true, fields), collisions("", true, links)...) {
		if !c.oneKind() {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return nil
	}
	var clauses, flags []string
	for _, c := range cs {
		clause, renames := c.describe()
		clauses = append(clauses, clause)
		flags = append(flags, renames...)
	}
	slices.Sort(clauses)
	slices.Sort(flags)
	flags = slices.Compact(flags)
	if len(flags) == 0 {
		return fmt.Errorf("%w: %s", ErrNameCollision, strings.Join(clauses, "; "))
	}
	return fmt.Errorf("%w (add %s): %s", ErrNameCollision, strings.Join(flags, " "), strings.Join(clauses, "; "))
}

// collisions returns the collisions among items, which share one
// namespace, sorted by Go name.
func collisions(scope string, field bool, items []goNamed) []collision {
	byGo := map[string][]goNamed{}
	for _, it := range items {
		byGo[it.goName] = append(byGo[it.goName], it)
	}
	var out []collision
	for _, g := range slices.Sorted(maps.Keys(byGo)) {
		same := byGo[g]
		if len(same) < 2 {
			continue
		}
		slices.SortFunc(same, func(a, b goNamed) int {
			return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.cname, b.cname))
		})
		out = append(out, collision{scope: scope, field: field, items: same})
	}
	return out
}

// oneKind reports whether the items are all of one kind (none the
// skeleton's own).
func (c collision) oneKind() bool {
	for _, it := range c.items {
		if it.kind == "" || it.kind != c.items[0].kind {
			return false
		}
	}
	return true
}

// describe returns the clause that names the collision, and the -rename
// flags that resolve it: one for every item but the one that keeps the Go
// name, which is the skeleton's own field, else the shortest C name
// (ring_buf, not ring__buf). A collision -rename cannot resolve has no
// flags and says so.
func (c collision) describe() (clause string, flags []string) {
	keep := 0 // sorted by kind: the skeleton's own field comes first
	if c.items[0].kind != "" {
		for i, it := range c.items {
			if len(it.cname) < len(c.items[keep].cname) {
				keep = i
			}
		}
	}
	renamable := true
	var names []string // the C names, as the clause lists them
	for i, it := range c.items {
		if it.kind == "" {
			continue
		}
		if c.oneKind() {
			names = append(names, it.cname)
		} else {
			names = append(names, it.kind+" "+it.cname)
		}
		if i != keep {
			f, ok := renameFlag(it.kind, it.cname)
			renamable = renamable && ok
			flags = append(flags, f)
		}
	}

	var b strings.Builder
	if c.scope != "" {
		b.WriteString(c.scope + ": ")
	}
	if c.oneKind() {
		b.WriteString(c.items[0].kind + "s ")
	}
	b.WriteString(listing(names))
	switch len(names) {
	case 1:
		b.WriteString(" becomes ")
	case 2:
		b.WriteString(" both become ")
	default:
		b.WriteString(" all become ")
	}
	noun := "Go name "
	if c.field {
		noun = "Go field "
	}
	b.WriteString(noun + c.items[0].goName)
	if len(names) < len(c.items) {
		b.WriteString(", which the skeleton has already")
	}
	if !renamable {
		b.WriteString(" (not renamable: rename one in C)")
		flags = nil
	}
	return b.String(), flags
}

// listing joins names as in "a, b and c".
func listing(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

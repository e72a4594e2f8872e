package gen

import (
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// renames are the Go names Options.Renames gives, by kind ("map", "prog",
// "section") and C name, and which of them were used.
type renames struct {
	names map[string]string // "kind:cname" → Go name
	used  map[string]bool
}

// parseRenames reads KIND:CNAME=GoName entries.
func parseRenames(list []string) (*renames, error) {
	r := &renames{names: map[string]string{}, used: map[string]bool{}}
	for _, e := range list {
		key, goName, ok := strings.Cut(e, "=")
		kind, cname, ok2 := strings.Cut(key, ":")
		if !ok || !ok2 || cname == "" {
			return nil, fmt.Errorf("rename %q: want KIND:CNAME=GoName, KIND one of map, prog, section", e)
		}
		switch kind {
		case "map", "prog", "section":
		default:
			return nil, fmt.Errorf("rename %q: kind %q: want map, prog or section", e, kind)
		}
		if !isIdent(goName) || !isExported(goName) || token.IsKeyword(goName) {
			return nil, fmt.Errorf("rename %q: %q is not an exported Go identifier", e, goName)
		}
		if prev, dup := r.names[key]; dup && prev != goName {
			return nil, fmt.Errorf("rename %q: %s renamed twice (%s and %s)", e, key, prev, goName)
		}
		r.names[key] = goName
	}
	return r, nil
}

// name returns the Go name of the C name cname of kind: the rename given
// for it, or def.
func (r *renames) name(kind, cname, def string) string {
	if r == nil {
		return def
	}
	key := kind + ":" + cname
	if n, ok := r.names[key]; ok {
		r.used[key] = true
		return n
	}
	return def
}

// unused returns the renames that named nothing of the object, sorted.
func (r *renames) unused() []string {
	if r == nil {
		return nil
	}
	var out []string
	for key := range r.names {
		if !r.used[key] {
			out = append(out, key)
		}
	}
	slices.Sort(out)
	return out
}

// renameFlag returns the -rename flag that gives the item of kind
// ("map", "program", "section") and C name cname another Go name, and
// false for a kind -rename does not take.
func renameFlag(kind, cname string) (string, bool) {
	switch kind {
	case "program":
		kind = "prog"
	case "map", "section":
	default:
		return "", false
	}
	return fmt.Sprintf("-rename %s:%s=GoName", kind, cname), true
}

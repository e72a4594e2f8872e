package gen

import (
	"fmt"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/bpfskel/bpfskel/btf2go"
)

// goName turns a C identifier into a Go name the way btf2go names types
// and fields: split on "_", capitalise each part, join (arena_list_head →
// ArenaListHead, add64_value → Add64Value).
func goName(c string) string { return btf2go.GoName(c) }

// unexport lowers the first letter of an exported name.
func unexport(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// isExported reports whether the Go identifier s is exported.
func isExported(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// isIdent reports whether s is a Go identifier (keywords included).
func isIdent(s string) bool {
	for i, r := range s {
		if !(unicode.IsLetter(r) || r == '_' || i > 0 && unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

// checkObjectNames applies btf2go.CheckName, the one rule for names that
// reach generated code, to every name of the object the skeleton's own
// code uses: maps, programs and their sections, data sections and their
// variables, the arena map and the arena globals. (btf2go applies it to
// the names of the types it declares: types, members, enum constants.)
// The error names the symbol and its section.
func checkObjectNames(o *Object) error {
	for _, m := range o.Maps {
		if err := btf2go.CheckName(btf2go.MapName, m.Name); err != nil {
			return fmt.Errorf("map %d of %d (section .maps): %w", slices.Index(o.Maps, m)+1, len(o.Maps), err)
		}
	}
	for _, p := range o.Programs {
		if err := btf2go.CheckName(btf2go.SectionName, p.Section); err != nil {
			return fmt.Errorf("section of program %s: %w", btf2go.QuoteName(p.Name), err)
		}
		if err := btf2go.CheckName(btf2go.Identifier, p.Name); err != nil {
			return fmt.Errorf("program in section %s: %w", p.Section, err)
		}
	}
	sections := o.Sections
	if o.Arena != nil && o.Arena.Globals != nil {
		sections = append(slices.Clip(sections), o.Arena.Globals)
	}
	for _, s := range sections {
		if err := btf2go.CheckName(btf2go.SectionName, s.Name); err != nil {
			return fmt.Errorf("data section: %w", err)
		}
		for _, v := range s.Vars {
			if err := btf2go.CheckName(btf2go.VariableName, v.Name); err != nil {
				return fmt.Errorf("variable in section %s: %w", s.Name, err)
			}
		}
	}
	return nil
}

// comment escapes s, a name or path, for a comment: Go's escaping for a
// quoted string without the quotes, so that nothing in it can end the
// comment line or look like a directive. Names checkObjectNames accepts
// are unchanged.
func comment(s string) string { return btf2go.Escape(s) }

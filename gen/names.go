package gen

import (
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

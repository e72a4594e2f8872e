package btf2go

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrBadName reports a name that may not reach generated code: see
// [CheckName].
var ErrBadName = errors.New("not allowed in generated code (want a C identifier)")

// MaxNameLen is the longest name [CheckName] accepts, far above any name
// the kernel accepts in BTF (KSYM_NAME_LEN, 512).
const MaxNameLen = 1024

// NameKind says which characters a name may hold besides those of a C
// identifier.
type NameKind int

const (
	// Identifier is a C identifier: an ASCII letter or underscore, then
	// letters, digits and underscores. Types, members, enum constants,
	// programs.
	Identifier NameKind = iota
	// VariableName also allows '.', as in static variables ("func.var").
	VariableName
	// MapName also allows '.', as in the maps of data sections
	// (".rodata.str1.1").
	MapName
	// SectionName is an ELF section name: it also allows the characters
	// libbpf gives a meaning there, ". / : + - @ * ? , =".
	SectionName
)

// CheckName is the one rule for names that reach generated code as
// identifiers, in comments or in strings: name must be non-empty, at most
// MaxNameLen bytes, and consist of the characters kind allows, so that no
// name can end a comment or a string, start a directive, or fail to be
// valid UTF-8. The error, wrapping ErrBadName, quotes name (cut short).
func CheckName(kind NameKind, name string) error {
	if len(name) == 0 {
		return fmt.Errorf("empty name: %w", ErrBadName)
	}
	if len(name) > MaxNameLen {
		return fmt.Errorf("name %s is %d bytes long: %w", QuoteName(name), len(name), ErrBadName)
	}
	for i := 0; i < len(name); i++ {
		if !nameByte(kind, name[i], i == 0) {
			return fmt.Errorf("name %s: %w", QuoteName(name), ErrBadName)
		}
	}
	return nil
}

func nameByte(kind NameKind, c byte, first bool) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		return true
	case c >= '0' && c <= '9':
		return !first || kind == SectionName || kind == MapName
	case c == '.':
		return kind != Identifier
	}
	if kind == SectionName {
		switch c {
		case '/', ':', '+', '-', '@', '*', '?', ',', '=':
			return true
		}
	}
	return false
}

// maxQuoted bounds the bytes of a name QuoteName shows.
const maxQuoted = 48

// QuoteName quotes name with Go's rules for messages, showing at most its
// first 48 bytes.
func QuoteName(name string) string {
	if len(name) <= maxQuoted {
		return strconv.Quote(name)
	}
	return strconv.Quote(name[:maxQuoted]) + "…"
}

// Escape returns s with Go's escaping for a quoted string, without the
// quotes: what a name may look like inside a comment. A name CheckName
// accepts is unchanged.
func Escape(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

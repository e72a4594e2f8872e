package btf2go

import (
	"strconv"
	"strings"
)

// GoName turns a C identifier into an exported Go identifier: it splits name
// at underscores (and at any other character that is not an ASCII letter or
// digit, such as the dot in a static variable "func.var"), capitalises each
// part and joins them. Capitalising upper-cases a part's first letter; a part
// written entirely in upper case (as C constants are) is lower-cased after its
// first letter. There is no initialism rewriting: "arena_list_head" is
// "ArenaListHead", "n_buckets" is "NBuckets", "__u64" is "U64",
// "BPF_MAP_TYPE_ARENA" is "BpfMapTypeArena", "nfsAcl" is "NfsAcl". A result
// that is empty or starts with a digit gets the prefix "X".
//
// Because every result starts with an upper-case letter it is never a Go
// keyword or predeclared identifier.
func GoName(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for part := range strings.FieldsFuncSeq(name, notAlnum) {
		allUpper := strings.IndexFunc(part, isLower) < 0
		for i := 0; i < len(part); i++ {
			c := part[i]
			switch {
			case i == 0 && isLower(rune(c)):
				c -= 'a' - 'A'
			case i > 0 && allUpper && c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			}
			b.WriteByte(c)
		}
	}
	s := b.String()
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		s = "X" + s
	}
	return s
}

func isLower(r rune) bool { return r >= 'a' && r <= 'z' }

func notAlnum(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// namespace hands out distinct names. The first to ask for a name gets it;
// later requests get a suffix (see alloc). Small namespaces (the fields and
// methods of one type) are a slice; large ones switch to a map.
type namespace struct {
	small []string
	taken map[string]struct{}
	next  map[string]int // next number to try after base+suffix
}

const smallNamespace = 32

func newNamespace() *namespace { return &namespace{} }

func (ns *namespace) has(name string) bool {
	if ns.taken != nil {
		_, ok := ns.taken[name]
		return ok
	}
	for _, s := range ns.small {
		if s == name {
			return true
		}
	}
	return false
}

func (ns *namespace) reserve(name string) {
	if ns.taken == nil && len(ns.small) < smallNamespace {
		ns.small = append(ns.small, name)
		return
	}
	if ns.taken == nil {
		ns.taken = make(map[string]struct{}, 4*smallNamespace)
		for _, s := range ns.small {
			ns.taken[s] = struct{}{}
		}
		ns.small = nil
	}
	ns.taken[name] = struct{}{}
}

// alloc returns base if it is free, else base+suffix, else base+suffix+"2",
// base+suffix+"3", … (the first that is free), and marks the result taken.
func (ns *namespace) alloc(base, suffix string) string {
	name := base
	if ns.has(name) {
		stem := base + suffix
		name = stem
		if ns.has(name) {
			if ns.next == nil {
				ns.next = make(map[string]int)
			}
			n := max(ns.next[stem], 2)
			for name = stem + strconv.Itoa(n); ns.has(name); n++ {
				name = stem + strconv.Itoa(n+1)
			}
			ns.next[stem] = n + 1
		}
	}
	ns.reserve(name)
	return name
}

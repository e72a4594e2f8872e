package btf2go

import (
	"bytes"
	"strconv"
)

// texpr is a Go type expression of generated code.
type texpr struct {
	kind texprKind
	name string // ident: the identifier; runtime: the runtime identifier
	n    uint32 // array length
	elem *texpr // array element, Ptr target
}

type texprKind uint8

const (
	tIdent   texprKind = iota // a predeclared or generated identifier
	tRuntime                  // runtime.Name
	tArray                    // [n]elem
	tPtr                      // runtime.Ptr[elem]
	tStd                      // name of a standard package (name: "structs.HostLayout")
)

func ident(name string) *texpr { return &texpr{kind: tIdent, name: name} }

func arrayOf(n uint32, elem *texpr) *texpr { return &texpr{kind: tArray, n: n, elem: elem} }

// write renders t as Go source.
func (t *texpr) write(b *bytes.Buffer) {
	switch t.kind {
	case tRuntime:
		b.WriteString("runtime.")
		b.WriteString(t.name)
	case tArray:
		b.WriteByte('[')
		b.WriteString(strconv.FormatUint(uint64(t.n), 10))
		b.WriteByte(']')
		t.elem.write(b)
	case tPtr:
		b.WriteString("runtime." + runtimeNames[rtPtr].name + "[")
		t.elem.write(b)
		b.WriteByte(']')
	default:
		b.WriteString(t.name)
	}
}

func (t *texpr) String() string {
	var b bytes.Buffer
	t.write(&b)
	return b.String()
}

// usesRuntime reports whether t mentions the runtime package.
func (t *texpr) usesRuntime() bool {
	for ; t != nil; t = t.elem {
		if t.kind == tRuntime || t.kind == tPtr {
			return true
		}
	}
	return false
}

package btf2go

// rtName is an identifier of the runtime package that generated
// declarations use.
type rtName int

// The runtime identifiers generated declarations use. runtimeNames is the
// one place btf2go spells them; TestRuntimeNames checks every entry
// against the runtime package's source.
const (
	rtPtr        rtName = iota // arena pointers
	rtInt128                   // signed 128-bit integers
	rtUint128                  // unsigned 128-bit integers
	rtAt                       // accessor of a member Go cannot place
	rtTrailing                 // elements of a flexible array
	rtBits                     // bitfield getter
	rtSignedBits               // signed bitfield getter
	rtSetBits                  // bitfield setter
)

// runtimeName describes one runtime identifier.
type runtimeName struct {
	name       string
	isType     bool // a type (else a function)
	typeParams int  // number of type parameters (generated code passes the first, the rest are inferred)
	// byteOrder reports that big-endian objects use a twin named
	// name+"BE" with the same shape.
	byteOrder bool
}

// runtimeNames maps each rtName to the runtime's identifier.
var runtimeNames = [...]runtimeName{
	rtPtr:        {name: "Ptr", isType: true, typeParams: 1},
	rtInt128:     {name: "Int128", isType: true, byteOrder: true},
	rtUint128:    {name: "Uint128", isType: true, byteOrder: true},
	rtAt:         {name: "At", typeParams: 2},
	rtTrailing:   {name: "Trailing", typeParams: 2},
	rtBits:       {name: "Bits", typeParams: 1, byteOrder: true},
	rtSignedBits: {name: "SignedBits", typeParams: 1, byteOrder: true},
	rtSetBits:    {name: "SetBits", typeParams: 1, byteOrder: true},
}

// rt is the runtime identifier n for the Generator's byte order, without
// the package name.
func (g *Generator) rt(n rtName) string {
	r := runtimeNames[n]
	if r.byteOrder && g.be {
		return r.name + "BE"
	}
	return r.name
}

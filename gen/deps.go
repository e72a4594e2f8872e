package gen

import (
	"github.com/bpfskel/bpfskel/btf2go"
	"github.com/bpfskel/bpfskel/internal/dwarfbtf"
	"github.com/bpfskel/bpfskel/runtime"
)

// The packages gen builds on, under the names the rest of gen uses.
type (
	rtSpec     = runtime.Spec
	dwarfTypes = dwarfbtf.Types
)

var (
	loadSpec     = runtime.LoadSpec
	attachPoint  = runtime.AttachPoint
	loadDWARF    = dwarfbtf.Load
	errNoDWARF   = dwarfbtf.ErrNoDWARF
	errAmbiguous = dwarfbtf.ErrAmbiguous
)

func newTypeEmitter(opts btf2go.Options) *btf2go.Generator { return btf2go.New(opts) }

package runtime

import (
	"fmt"

	"github.com/bpfskel/bpfskel/internal/objfile"
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
)

// attachProgram: cilium/ebpf has none of the attach functions of
// attachpoint.go on Windows.
func (c *Collection) attachProgram(p *ebpf.Program, section string) ([]link.Link, error) {
	kind, _, ok := objfile.AttachPoint(section)
	if !ok {
		return nil, nil
	}
	return nil, fmt.Errorf("attach %s: %w", kind, ebpf.ErrNotSupported)
}

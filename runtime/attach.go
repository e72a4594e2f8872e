package runtime

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/bpfskel/bpfskel/internal/objfile"
	"github.com/cilium/ebpf/link"
)

// AttachOptions change what Collection.AttachWith attaches.
type AttachOptions struct {
	// KeepGoing attaches every program that can be attached instead of
	// stopping at the first failure; the error then joins one error per
	// program (and struct_ops map) that could not be attached, and the
	// links made are kept.
	KeepGoing bool
	// Alternatives attaches every program of an event, not only those of
	// the best kind loaded: by default, of programs that attach to one
	// event in different ways (tp_btf, raw_tp and tracepoint of one
	// tracepoint; fentry and kprobe of one function; fexit and kretprobe),
	// as objects carry for kernels that lack one way, only the best loaded
	// kind is attached, so that events are not counted twice.
	Alternatives bool
}

// Attach attaches every program whose ELF section name says where, as
// libbpf's skeletons do: kprobe/FUNC, kretprobe/FUNC, ksyscall/NAME,
// kretsyscall/NAME, uprobe/PATH:SYMBOL, uretprobe/PATH:SYMBOL,
// tracepoint/CAT/NAME (tp/), raw_tracepoint/NAME (raw_tp/), tp_btf/NAME,
// fentry/FUNC, fexit/FUNC, fmod_ret/FUNC, lsm/HOOK and iter/NAME, except
// the alternatives of a better loaded program of the same event (see
// AttachOptions.Alternatives); and it registers every struct_ops map of a
// .struct_ops.link section. Programs of other sections (syscall, xdp, tc,
// ...), without a well-formed target, not loaded (Spec.SetAutoload) or
// already attached are left alone. The links belong to c and are closed by
// Close; on error, the links made by this call are closed. It is
// AttachWith(nil).
func (c *Collection) Attach() error { return c.AttachWith(nil) }

// AttachWith is Attach with options; nil options are Attach's defaults.
func (c *Collection) AttachWith(opts *AttachOptions) (err error) {
	if opts == nil {
		opts = &AttachOptions{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	made := map[string]link.Link{} // by program or struct_ops map
	var more []link.Link           // a USDT probe's other sites
	var errs []error
	defer func() {
		if err != nil && !opts.KeepGoing {
			for _, l := range made {
				l.Close()
			}
			for _, l := range more {
				l.Close()
			}
			return
		}
		for _, name := range slices.Sorted(maps.Keys(made)) {
			c.links = append(c.links, made[name])
			c.progLinks[name] = made[name]
		}
		c.links = append(c.links, more...)
	}()
	sections := map[string]string{}
	for name := range c.programs {
		if ps := c.spec.Collection.Programs[name]; ps != nil {
			sections[name] = ps.SectionName
		}
	}
	attach, _ := objfile.Preferred(sections, func(string) bool { return true })
	for _, name := range slices.Sorted(maps.Keys(sections)) {
		if !attach[name] && !opts.Alternatives {
			continue
		}
		if c.progLinks[name] != nil {
			continue // attached before
		}
		ls, err := c.attachProgram(c.programs[name], sections[name])
		if err != nil {
			err = fmt.Errorf("attach program %s (section %s): %w", name, sections[name], err)
			if !opts.KeepGoing {
				return err
			}
			errs = append(errs, err)
			continue
		}
		if len(ls) > 0 {
			made[name], more = ls[0], append(more, ls[1:]...)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.spec.obj.StructOps)) {
		m := c.maps[name]
		if m == nil || !c.spec.obj.StructOps[name].Link() || c.progLinks[name] != nil {
			continue // registered when loaded, or attached before
		}
		l, err := link.AttachStructOps(link.StructOpsOptions{Map: m})
		if err != nil {
			err = fmt.Errorf("attach struct_ops map %s: %w", name, err)
			if !opts.KeepGoing {
				return err
			}
			errs = append(errs, err)
			continue
		}
		made[name] = l
	}
	return errors.Join(errs...)
}

// Link returns the link Attach made for the program (or struct_ops map)
// named name, nil when it made none.
func (c *Collection) Link(name string) link.Link {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.progLinks[name]
}

// Links returns the links made by Attach.
func (c *Collection) Links() []link.Link {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]link.Link(nil), c.links...)
}

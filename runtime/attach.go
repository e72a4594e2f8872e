package runtime

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/bpfskel/bpfskel/internal/objfile"
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
)

// Attach attaches every program whose ELF section name says where, as
// libbpf's skeletons do : kprobe/FUNC,
// kretprobe/FUNC, uprobe/PATH:SYMBOL, uretprobe/PATH:SYMBOL,
// tracepoint/CAT/NAME (tp/), raw_tracepoint/NAME (raw_tp/), tp_btf/NAME,
// fentry/FUNC, fexit/FUNC, fmod_ret/FUNC, lsm/HOOK and iter/NAME; and it
// registers every struct_ops map of a .struct_ops.link section. Programs
// of other sections (syscall, xdp, tc, ...) or without a well-formed target
// are left alone. The links belong to c and are closed by Close; on error,
// the links made by this call are closed.
func (c *Collection) Attach() (err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	var made []link.Link
	defer func() {
		if err != nil {
			for _, l := range made {
				l.Close()
			}
		}
	}()
	for _, name := range sortedKeys(c.programs) {
		ps := c.spec.Collection.Programs[name]
		if ps == nil {
			continue
		}
		l, err := attachProgram(c.programs[name], ps.SectionName)
		if err != nil {
			return fmt.Errorf("attach program %s (section %s): %w", name, ps.SectionName, err)
		}
		if l != nil {
			made = append(made, l)
		}
	}
	for _, name := range sortedKeys(c.spec.obj.StructOps) {
		m := c.maps[name]
		if m == nil || !c.spec.obj.StructOps[name].Link() {
			continue // registered when loaded
		}
		l, err := link.AttachStructOps(link.StructOpsOptions{Map: m})
		if err != nil {
			return fmt.Errorf("attach struct_ops map %s: %w", name, err)
		}
		made = append(made, l)
	}
	c.links = append(c.links, made...)
	return nil
}

// Links returns the links made by Attach.
func (c *Collection) Links() []link.Link {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]link.Link(nil), c.links...)
}

// attachProgram attaches p as its section name says, or returns nil, nil
// when objfile.AttachPoint says Attach leaves it alone.
func attachProgram(p *ebpf.Program, section string) (link.Link, error) {
	kind, target, ok := objfile.AttachPoint(section)
	if !ok {
		return nil, nil
	}
	switch kind {
	case "kprobe", "kretprobe":
		if _, err := os.Stat("/sys/bus/event_source/devices/kprobe"); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("kprobes (kernel built without CONFIG_KPROBES): %w", ebpf.ErrNotSupported)
		}
		if kind == "kprobe" {
			return link.Kprobe(target, p, nil)
		}
		return link.Kretprobe(target, p, nil)
	case "uprobe", "uretprobe":
		path, sym, _ := strings.Cut(target, ":")
		exe, err := link.OpenExecutable(path)
		if err != nil {
			return nil, err
		}
		if kind == "uprobe" {
			return exe.Uprobe(sym, p, nil)
		}
		return exe.Uretprobe(sym, p, nil)
	case "tracepoint":
		group, name, _ := strings.Cut(target, "/")
		if !exists("/sys/kernel/tracing/events") && !exists("/sys/kernel/debug/tracing/events") {
			return nil, fmt.Errorf("tracepoints need tracefs (mount -t tracefs tracefs /sys/kernel/tracing): %w", ebpf.ErrNotSupported)
		}
		return link.Tracepoint(group, name, p, nil)
	case "raw_tracepoint":
		return link.AttachRawTracepoint(link.RawTracepointOptions{Name: target, Program: p})
	case "tp_btf", "fentry", "fexit", "fmod_ret":
		return link.AttachTracing(link.TracingOptions{Program: p})
	case "lsm":
		return link.AttachLSM(link.LSMOptions{Program: p})
	case "iter":
		return link.AttachIter(link.IterOptions{Program: p})
	}
	// AttachPoint and this switch name the same kinds.
	return nil, fmt.Errorf("section kind %s: no attach function", kind)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

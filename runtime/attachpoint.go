//go:build !windows

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

// attachProgram attaches p as its section name says, or returns nil, nil
// when objfile.AttachPoint says Attach leaves it alone.
func attachProgram(p *ebpf.Program, section string) (link.Link, error) {
	kind, target, ok := objfile.AttachPoint(section)
	if !ok {
		return nil, nil
	}
	switch kind {
	case "kprobe", "kretprobe", "ksyscall", "kretsyscall":
		if _, err := os.Stat("/sys/bus/event_source/devices/kprobe"); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("kprobes (kernel built without CONFIG_KPROBES): %w", ebpf.ErrNotSupported)
		}
		if kind == "ksyscall" || kind == "kretsyscall" {
			// The syscall's entry point; link.Kprobe adds the
			// architecture's wrapper prefix (__x64_sys_...) when needed.
			target = "sys_" + target
		}
		if kind == "kprobe" || kind == "ksyscall" {
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

//go:build !windows

package runtime

import (
	"debug/elf"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"

	"github.com/bpfskel/bpfskel/internal/objfile"
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
)

// attachProgram attaches p as its section name says, or returns nil, nil
// when objfile.AttachPoint says Attach leaves it alone. It returns one link,
// or for a USDT probe one per site of it (the first is the program's).
func (c *Collection) attachProgram(p *ebpf.Program, section string) ([]link.Link, error) {
	kind, target, ok := objfile.AttachPoint(section)
	if !ok {
		return nil, nil
	}
	if kind == "usdt" {
		return c.attachUSDT(p, target)
	}
	l, err := attachTo(p, kind, target)
	if err != nil {
		return nil, err
	}
	return []link.Link{l}, nil
}

// attachTo attaches p to the target of an AttachPoint kind with one link.
func attachTo(p *ebpf.Program, kind, target string) (link.Link, error) {
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

// usdtLibDirs are where a USDT target named without a slash (libc.so.6) is
// looked for, as the dynamic linker's default paths have it.
var usdtLibDirs = []string{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib"}

// attachUSDT attaches p to every site of the USDT probe target
// (PATH:PROVIDER:NAME) with a uprobe whose BPF cookie indexes the site's
// argument spec in the collection's __bpf_usdt_specs map, as libbpf's
// usdt.bpf.h reads it, and the semaphore counted by the kernel. It returns
// a link per site; the first is the program's.
func (c *Collection) attachUSDT(p *ebpf.Program, target string) ([]link.Link, error) {
	if goruntime.GOARCH != "amd64" {
		return nil, fmt.Errorf("USDT arguments on %s: %w", goruntime.GOARCH, ebpf.ErrNotSupported)
	}
	path, provider, name, _ := objfile.USDTTarget(target)
	if !strings.Contains(path, "/") {
		for _, dir := range usdtLibDirs {
			if exists(filepath.Join(dir, path)) {
				path = filepath.Join(dir, path)
				break
			}
		}
	}
	specs := c.maps["__bpf_usdt_specs"]
	if specs == nil {
		return nil, errors.New("no map __bpf_usdt_specs (include usdt.bpf.h and read arguments with bpf_usdt_arg)")
	}
	if int(specs.ValueSize()) != usdtSpecSize {
		return nil, fmt.Errorf("map __bpf_usdt_specs: %d-byte values, want usdt.bpf.h's %d-byte struct __bpf_usdt_spec", specs.ValueSize(), usdtSpecSize)
	}
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	notes, err := usdtNotes(f, provider, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	exe, err := link.OpenExecutable(path)
	if err != nil {
		return nil, err
	}
	// site writes the spec of the next index and attaches a uprobe that
	// passes that index as its cookie.
	site := func(n usdtNote) (link.Link, error) {
		spec, err := parseUSDTArgs(n.args)
		if err != nil {
			return nil, err
		}
		if c.usdtSpecs >= specs.MaxEntries() {
			return nil, fmt.Errorf("more probe sites than map __bpf_usdt_specs holds (%d)", specs.MaxEntries())
		}
		if err := specs.Put(int32(c.usdtSpecs), &spec); err != nil {
			return nil, err
		}
		l, err := exe.Uprobe("", p, &link.UprobeOptions{Address: n.offset, RefCtrOffset: n.semaphore, Cookie: uint64(c.usdtSpecs)})
		if err == nil {
			c.usdtSpecs++
		}
		return l, err
	}
	var links []link.Link
	for _, n := range notes {
		l, err := site(n)
		if err != nil {
			for _, l := range links {
				l.Close()
			}
			return nil, fmt.Errorf("%s: probe %s:%s at %#x: %w", path, provider, name, n.offset, err)
		}
		links = append(links, l)
	}
	return links, nil
}

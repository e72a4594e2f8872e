package gen

import (
	"strings"

	"github.com/bpfskel/bpfskel/internal/objfile"
	"github.com/cilium/ebpf"
)

// attachInfo says whether X.Attach attaches ps and how, or what the user
// must supply. Whether it does is objfile's decision (AttachPoint,
// Autoload and Preferred), which the runtime's Attach follows; the rest are
// descriptions. preferred names the program of the same event Attach
// attaches instead of ps, "" when none.
func attachInfo(ps *ebpf.ProgramSpec, preferred string) (auto bool, how string) {
	if !objfile.Autoload(ps.SectionName) {
		return false, "is not loaded by default (its section starts with \"?\"): enable it with SetAutoload before Load"
	}
	if preferred != "" {
		return false, "is an alternative to " + preferred + " for the same event, which Attach attaches instead; attach both with AttachWith(&runtime.AttachOptions{Alternatives: true})"
	}
	if kind, target, ok := objfile.AttachPoint(ps.SectionName); ok {
		switch kind {
		case "uprobe", "uretprobe":
			path, sym, _ := strings.Cut(target, ":")
			return true, kind + " " + sym + " in " + path
		case "usdt":
			path, provider, name, _ := objfile.USDTTarget(target)
			return true, "USDT probe " + provider + ":" + name + " in " + path + " (amd64), every site of it"
		case "raw_tracepoint":
			return true, "raw tracepoint " + target
		case "iter":
			return true, "iterator " + target
		case "ksyscall", "kretsyscall":
			return true, kind + " " + target + " (a kprobe on the syscall's entry point)"
		}
		return true, kind + " " + target
	}
	kind, _, _ := strings.Cut(strings.TrimPrefix(ps.SectionName, "?"), "/")
	kind = strings.TrimSuffix(kind, ".s") // sleepable variants attach alike
	switch kind {
	case "kprobe", "kretprobe":
		return false, "needs a kernel function; attach it with link." + upperFirst(kind)
	case "uprobe", "uretprobe":
		return false, "needs an executable and symbol; attach it with link.OpenExecutable"
	case "tracepoint", "tp":
		return false, "needs a tracepoint; attach it with link.Tracepoint"
	case "raw_tp", "raw_tracepoint":
		return false, "needs a tracepoint; attach it with link.AttachRawTracepoint"
	case "syscall":
		return false, "runs on demand; run it with Program.Run"
	case "xdp", "xdp.frags":
		return false, "needs a network interface; attach it with link.AttachXDP"
	case "tc", "tcx", "classifier", "tcx.ingress", "tcx.egress", "tc.ingress", "tc.egress":
		return false, "needs a network interface; attach it with link.AttachTCX"
	case "socket":
		return false, "needs a socket; attach it with link.AttachSocketFilter"
	case "sk_lookup":
		return false, "needs a network namespace; attach it with link.AttachNetNs"
	case "struct_ops":
		return false, "is registered through its struct_ops map"
	case "freplace", "extension":
		return false, "needs a target program; attach it with link.AttachFreplace"
	case "usdt":
		return false, "needs a binary and a probe: name them in its section, usdt/PATH:PROVIDER:NAME"
	case "perf_event":
		return false, "needs a perf event; open one with perf_event_open and attach it with link.AttachRawLink"
	}
	if strings.HasPrefix(kind, "cgroup") {
		return false, "needs a cgroup; attach it with link.AttachCgroup"
	}
	if ps.Type == ebpf.Tracing || ps.Type == ebpf.LSM {
		return false, "needs a target; attach it with link.AttachTracing"
	}
	return false, "has no target in its section; attach it with package link"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

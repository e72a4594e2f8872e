package gen

import (
	"strings"

	"github.com/cilium/ebpf"
)

// attachInfo says whether X.Attach attaches ps (the section names the
// target, the libbpf convention) and how, or what the user must supply.
func attachInfo(ps *ebpf.ProgramSpec) (auto bool, how string) {
	sec := ps.SectionName
	kind, target, hasTarget := strings.Cut(sec, "/")
	kind = strings.TrimSuffix(kind, ".s") // sleepable variants attach alike
	hasTarget = hasTarget && target != ""
	switch kind {
	case "kprobe", "kretprobe":
		if hasTarget {
			return true, kind + " " + target
		}
		return false, "needs a kernel function; attach it with link." + upperFirst(kind)
	case "uprobe", "uretprobe":
		if path, sym, ok := strings.Cut(target, ":"); ok && path != "" && sym != "" {
			return true, kind + " " + sym + " in " + path
		}
		return false, "needs an executable and symbol; attach it with link.OpenExecutable"
	case "tracepoint", "tp":
		if cat, name, ok := strings.Cut(target, "/"); ok && cat != "" && name != "" {
			return true, "tracepoint " + cat + "/" + name
		}
		return false, "needs a tracepoint; attach it with link.Tracepoint"
	case "raw_tp", "raw_tracepoint":
		if hasTarget {
			return true, "raw tracepoint " + target
		}
		return false, "needs a tracepoint; attach it with link.AttachRawTracepoint"
	case "tp_btf", "fentry", "fexit", "fmod_ret":
		if hasTarget {
			return true, kind + " " + target
		}
	case "lsm":
		if hasTarget {
			return true, "lsm " + target
		}
	case "iter":
		if hasTarget {
			return true, "iterator " + target
		}
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
	case "struct_ops", "struct_ops.s":
		return false, "is registered through its struct_ops map"
	case "freplace", "extension":
		return false, "needs a target program; attach it with link.AttachFreplace"
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

package objfile

import (
	"slices"
	"strings"
)

// AttachPoint reports whether the runtime's Collection.Attach attaches a program of the
// ELF section named section, and where. kind is the section's kind without
// the sleepable ".s" suffix, without the "?" that disables autoload, and
// with tp and raw_tp spelled out: kprobe, kretprobe, ksyscall, kretsyscall,
// uprobe, uretprobe, usdt, tracepoint, raw_tracepoint, tp_btf, fentry,
// fexit, fmod_ret, lsm or iter. target is the rest of the name after the
// first slash: FUNC, PATH:SYMBOL for uprobes (neither part empty),
// PATH:PROVIDER:NAME for USDT probes (see USDTTarget),
// CATEGORY/NAME for tracepoints (neither part empty), or a tracepoint, hook
// or iterator name. ok is false, and kind and target empty, for sections
// Attach leaves alone: other kinds, and missing or malformed targets.
func AttachPoint(section string) (kind, target string, ok bool) {
	kind, target, _ = strings.Cut(strings.TrimPrefix(section, "?"), "/")
	if target == "" {
		return "", "", false
	}
	kind = strings.TrimSuffix(kind, ".s") // sleepable variants attach alike
	switch kind {
	case "kprobe", "kretprobe", "ksyscall", "kretsyscall", "tp_btf", "fentry", "fexit", "fmod_ret", "lsm", "iter":
	case "uprobe", "uretprobe":
		path, sym, ok := strings.Cut(target, ":")
		if !ok || path == "" || sym == "" {
			return "", "", false
		}
	case "usdt":
		if _, _, _, ok := USDTTarget(target); !ok {
			return "", "", false
		}
	case "tracepoint", "tp":
		kind = "tracepoint"
		cat, name, ok := strings.Cut(target, "/")
		if !ok || cat == "" || name == "" {
			return "", "", false
		}
	case "raw_tracepoint", "raw_tp":
		kind = "raw_tracepoint"
	default:
		return "", "", false
	}
	return kind, target, true
}

// USDTTarget splits the target of a usdt/PATH:PROVIDER:NAME section, none
// of the parts empty (PATH may hold colons).
func USDTTarget(target string) (path, provider, name string, ok bool) {
	i := strings.LastIndexByte(target, ':')
	if i < 0 {
		return "", "", "", false
	}
	j := strings.LastIndexByte(target[:i], ':')
	if j <= 0 || i-j < 2 || i == len(target)-1 {
		return "", "", "", false
	}
	return target[:j], target[j+1 : i], target[i+1:], true
}

// Autoload reports whether a program of the ELF section named section is
// loaded by default: not when the name starts with "?" (libbpf's mark for
// programs user space enables on demand).
func Autoload(section string) bool { return !strings.HasPrefix(section, "?") }

// Alternative reports the event a program of section attaches to when
// other kinds of programs attach to the same event: a tracepoint NAME
// (tp_btf/NAME, raw_tp/NAME, tracepoint/CATEGORY/NAME), a kernel function's
// entry (fentry/FUNC, kprobe/FUNC) or its return (fexit/FUNC,
// kretprobe/FUNC). Objects such as libbpf-tools' carry one program of each
// kind for one handler, so that user space picks what the kernel supports;
// Attach attaches only the loaded programs of the best kind of each event,
// rank 0 best: tp_btf, raw_tp, tracepoint; fentry, kprobe; fexit,
// kretprobe. ok is false for other sections.
func Alternative(section string) (event string, rank int, ok bool) {
	kind, target, ok := AttachPoint(section)
	if !ok {
		return "", 0, false
	}
	switch kind {
	case "tp_btf":
		return "tracepoint " + target, 0, true
	case "raw_tracepoint":
		return "tracepoint " + target, 1, true
	case "tracepoint":
		_, name, _ := strings.Cut(target, "/")
		return "tracepoint " + name, 2, true
	case "fentry":
		return "entry of " + target, 0, true
	case "kprobe":
		return "entry of " + target, 1, true
	case "fexit":
		return "return of " + target, 0, true
	case "kretprobe":
		return "return of " + target, 1, true
	}
	return "", 0, false
}

// Preferred returns, of the programs in sections (by program name) whose
// loaded reports true, those Attach attaches by default: every program
// AttachPoint accepts, except the alternatives of a better-ranked loaded
// program for the same event (see Alternative). For each program left
// out, passed names the program preferred to it.
func Preferred(sections map[string]string, loaded func(name string) bool) (attach map[string]bool, passed map[string]string) {
	best := map[string]int{}        // event → best rank loaded
	bestName := map[string]string{} // event → first program (by name) of that rank
	names := make([]string, 0, len(sections))
	for name := range sections {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !loaded(name) {
			continue
		}
		if ev, rank, ok := Alternative(sections[name]); ok {
			if r, seen := best[ev]; !seen || rank < r {
				best[ev], bestName[ev] = rank, name
			}
		}
	}
	attach, passed = map[string]bool{}, map[string]string{}
	for _, name := range names {
		if !loaded(name) {
			continue
		}
		if _, _, ok := AttachPoint(sections[name]); !ok {
			continue
		}
		if ev, rank, ok := Alternative(sections[name]); ok && rank > best[ev] {
			passed[name] = bestName[ev]
			continue
		}
		attach[name] = true
	}
	return attach, passed
}

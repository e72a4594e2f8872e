package objfile

import "strings"

// AttachPoint reports whether the runtime's Collection.Attach attaches a program of the
// ELF section named section, and where. kind is the section's kind without
// the sleepable ".s" suffix and with tp and raw_tp spelled out: kprobe,
// kretprobe, uprobe, uretprobe, tracepoint, raw_tracepoint, tp_btf, fentry,
// fexit, fmod_ret, lsm or iter. target is the rest of the name after the
// first slash: FUNC, PATH:SYMBOL for uprobes (neither part empty),
// CATEGORY/NAME for tracepoints (neither part empty), or a tracepoint, hook
// or iterator name. ok is false, and kind and target empty, for sections
// Attach leaves alone: other kinds, and missing or malformed targets.
func AttachPoint(section string) (kind, target string, ok bool) {
	kind, target, _ = strings.Cut(section, "/")
	if target == "" {
		return "", "", false
	}
	kind = strings.TrimSuffix(kind, ".s") // sleepable variants attach alike
	switch kind {
	case "kprobe", "kretprobe", "tp_btf", "fentry", "fexit", "fmod_ret", "lsm", "iter":
	case "uprobe", "uretprobe":
		path, sym, ok := strings.Cut(target, ":")
		if !ok || path == "" || sym == "" {
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

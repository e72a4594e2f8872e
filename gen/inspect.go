package gen

import (
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// Map flags the report spells out.
var mapFlagNames = []struct {
	bit  uint32
	name string
}{
	{1 << 0, "BPF_F_NO_PREALLOC"},
	{1 << 1, "BPF_F_NO_COMMON_LRU"},
	{1 << 2, "BPF_F_NUMA_NODE"},
	{1 << 3, "BPF_F_RDONLY"},
	{1 << 4, "BPF_F_WRONLY"},
	{1 << 7, "BPF_F_RDONLY_PROG"},
	{1 << 8, "BPF_F_WRONLY_PROG"},
	{1 << 10, "BPF_F_MMAPABLE"},
	{1 << 17, "BPF_F_SEGV_ON_FAULT"},
	{1 << 18, "BPF_F_NO_USER_CONV"},
}

func flagString(flags uint32) string {
	if flags == 0 {
		return "0"
	}
	var parts []string
	for _, f := range mapFlagNames {
		if flags&f.bit != 0 {
			parts = append(parts, f.name)
			flags &^= f.bit
		}
	}
	if flags != 0 {
		parts = append(parts, fmt.Sprintf("%#x", flags))
	}
	return strings.Join(parts, "|")
}

// summaryWidth is the widest line of [InspectSummary], in bytes.
const summaryWidth = 100

// InspectSummary writes a report of o that fits one screen: a line of
// counts, then one line each for the maps, programs, data sections, arena,
// arena pointers and incomplete types, each listing names until the line is
// full. [Inspect] has everything.
func InspectSummary(w io.Writer, o *Object) error {
	var b strings.Builder
	order := "little-endian"
	if o.ByteOrder == binary.BigEndian {
		order = "big-endian"
	}
	dwarf := "no DWARF"
	if o.HasDWARF {
		dwarf = "with DWARF"
	}
	nVars := 0
	for _, s := range o.Sections {
		nVars += len(s.Vars)
	}
	nArena := 0
	for _, p := range o.Pointers {
		if p.Arena {
			nArena++
		}
	}
	arena := "no arena"
	if o.Arena != nil {
		arena = "an arena"
	}
	fmt.Fprintf(&b, "object %s: %s, %s\n", summaryItem(printable(o.Name)), order, dwarf)
	fmt.Fprintf(&b, "%s, %s, %s (%s), %s, %s (%d arena)\n",
		count(len(o.Maps), "map"), count(len(o.Programs), "program"),
		count(len(o.Sections), "data section"), count(nVars, "variable"),
		arena, count(len(o.Pointers), "pointer"), nArena)

	var items []string
	for _, m := range o.Maps {
		items = append(items, fmt.Sprintf("%s (%s)", printable(m.Name), m.Type))
	}
	summaryLine(&b, "maps", items)
	items = items[:0]
	for _, p := range o.Programs {
		items = append(items, fmt.Sprintf("%s (%s)", printable(p.Name), printable(p.Section)))
	}
	summaryLine(&b, "programs", items)
	items = items[:0]
	for _, s := range o.Sections {
		ro := ""
		if s.ReadOnly {
			ro = ", read-only"
		}
		items = append(items, fmt.Sprintf("%s (%d bytes%s)", printable(s.Name), s.Size, ro))
	}
	summaryLine(&b, "sections", items)
	if a := o.Arena; a == nil {
		b.WriteString("arena:    none\n")
	} else {
		line := fmt.Sprintf("arena:    map %s, %d pages, map_extra %#x", summaryItem(printable(a.MapName)), a.Pages, a.MapExtra)
		if a.Globals != nil {
			line += fmt.Sprintf(", %s in %d bytes of globals", count(len(a.Globals.Vars), "variable"), a.Globals.Size)
		}
		b.WriteString(fitLine(line) + "\n")
	}
	if len(o.Unresolved) > 0 {
		items = items[:0]
		for _, u := range o.Unresolved {
			items = append(items, printable(u.Name))
		}
		summaryLine(&b, "incomplete", items)
	}
	b.WriteString("(bpfskel inspect -v: every map, program, variable and pointer decision)\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// summaryItem is at most 60 bytes of s, cut at a rune boundary.
func summaryItem(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	n := max - len("…")
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// fitLine cuts line to summaryWidth bytes, at a rune boundary, ending it
// with "…" when it had to be cut.
func fitLine(line string) string {
	if len(line) <= summaryWidth {
		return line
	}
	n := summaryWidth - len("…")
	for n > 0 && !utf8.RuneStart(line[n]) {
		n--
	}
	return line[:n] + "…"
}

// count is "n thing" or "n things".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// summaryLine writes "label: item, item, …" on one line of at most
// summaryWidth bytes, ending with how many items did not fit.
func summaryLine(b *strings.Builder, label string, items []string) {
	line := fmt.Sprintf("%-9s ", label+":")
	if len(items) == 0 {
		b.WriteString(line + "none\n")
		return
	}
	for i, it := range items {
		sep := ", "
		if i == 0 {
			sep = ""
		}
		more := ""
		if i < len(items)-1 {
			more = fmt.Sprintf(", … %d more", len(items)-i-1)
		}
		if i > 0 && len(line)+len(sep)+len(summaryItem(it))+len(more) > summaryWidth {
			line += fmt.Sprintf(", … %d more", len(items)-i)
			break
		}
		line += sep + summaryItem(it)
	}
	b.WriteString(line + "\n")
}

// Inspect writes a readable report of o: maps, programs and how they
// attach, data sections and their variables, the arena, the arena pointer
// decisions and the forward declarations left incomplete.
func Inspect(w io.Writer, o *Object) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	// Every string argument comes from the object or is built from it:
	// shown plainly only when it is plainly printable.
	p := func(format string, args ...any) {
		for i, a := range args {
			if s, ok := a.(string); ok {
				args[i] = printable(s)
			}
		}
		fmt.Fprintf(tw, format, args...)
	}

	order := "little-endian"
	if o.ByteOrder == binary.BigEndian {
		order = "big-endian"
	}
	p("object %s (%s", o.Name, order)
	if o.HasDWARF {
		p(", with DWARF)\n")
	} else {
		p(", no DWARF)\n")
	}

	p("\nmaps:\n")
	if len(o.Maps) == 0 {
		p("  none\n")
	}
	for _, m := range o.Maps {
		p("  %s\t%s\t%s\tmax_entries %d\tflags %s", m.GoName, m.Name, m.Type, m.MaxEntries, flagString(m.Flags))
		if m.Key != nil || m.Value != nil {
			p("\tkey %s (%d bytes), value %s (%d bytes)", cTypeName(m.Key), m.KeySize, cTypeName(m.Value), m.ValueSize)
		}
		switch m.Helpers {
		case KeyValue:
			p("\ttyped")
		case PerCPU:
			p("\ttyped, per CPU")
		}
		p("\n")
	}

	p("\nprograms:\n")
	if len(o.Programs) == 0 {
		p("  none\n")
	}
	for _, prog := range o.Programs {
		how := "manual, " + prog.Attach
		if prog.AutoAttach {
			how = "Attach: " + prog.Attach
		}
		p("  %s\t%s\tsection %s\t%s\t%s\n", prog.GoName, prog.Name, prog.Section, prog.Type, how)
	}

	p("\ndata sections:\n")
	if len(o.Sections) == 0 {
		p("  none\n")
	}
	for _, s := range o.Sections {
		inspectSection(p, s)
	}

	p("\narena:\n")
	if a := o.Arena; a == nil {
		p("  none\n")
	} else {
		p("  map %s: %d pages, flags %s", a.MapName, a.Pages, flagString(a.Flags))
		if a.MapExtra != 0 {
			p(", map_extra %#x (fixed user address)\n", a.MapExtra)
		} else {
			p(", map_extra 0 (any user address)\n")
		}
		if a.Globals == nil {
			p("  no arena globals\n")
		} else {
			p("  globals: placed by the runtime at arena offset 0, or at the end of the arena when the kernel accepts full-range arena offsets\n")
			inspectSection(p, a.Globals)
		}
	}

	p("\npointers:\n")
	if len(o.Pointers) == 0 {
		p("  none\n")
	}
	for _, ptr := range o.Pointers {
		kind := "kernel"
		if ptr.Arena {
			kind = "arena"
		}
		p("  %s.%s\t→ %s\t%s\t(%s)\n", ptr.Owner, ptr.Member, ptr.Target, kind, ptr.Rule)
	}

	if len(o.Unresolved) > 0 {
		p("\nincomplete forward declarations:\n")
		for _, u := range o.Unresolved {
			p("  %s: %s\n    fix: %s\n", u.Name, u.Reason, u.Hint)
		}
	}
	return tw.Flush()
}

// printable returns s as it is when every rune of it is printable (letters,
// marks, numbers, punctuation, symbols, the ASCII space), else s quoted
// with Go's escapes (strconv.Quote), so that names from an object never
// put control characters, invalid UTF-8 or invisible format characters on
// a terminal.
func printable(s string) string {
	for _, r := range s {
		if !strconv.IsPrint(r) || r == utf8.RuneError {
			return strconv.Quote(s)
		}
	}
	return s
}

func inspectSection(p func(string, ...any), s *Section) {
	mode := "writable"
	if s.ReadOnly {
		mode = "read-only after load"
	}
	p("  %s\t%s\t%d bytes, %s\n", s.GoName, s.Name, s.Size, mode)
	for _, v := range s.Vars {
		static := ""
		if v.Static {
			static = ", static"
		}
		p("    %s\t+%d\t%s\t%d bytes%s\n", v.Name, v.Offset, cTypeName(v.Type), v.Size, static)
	}
}

package gen

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
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

// Inspect writes a readable report of o: maps, programs and how they
// attach, data sections and their variables, the arena, the arena pointer
// decisions and the forward declarations left incomplete.
func Inspect(w io.Writer, o *Object) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }

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

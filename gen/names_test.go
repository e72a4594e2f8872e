package gen

import (
	"testing"

	"github.com/cilium/ebpf"
)

func TestGoNames(t *testing.T) {
	for _, tc := range []struct{ c, want string }{
		{"arena_list_head", "ArenaListHead"},
		{"n_buckets", "NBuckets"},
		{"add64_value", "Add64Value"},
		{"ring__buf", "RingBuf"},
		{"_license", "License"},
		{"on_getppid", "OnGetppid"},
	} {
		if got := goName(tc.c); got != tc.want {
			t.Errorf("goName(%q) = %q, want %q", tc.c, got, tc.want)
		}
	}
	for _, tc := range []struct{ sec, want string }{
		{".bss", "BSS"},
		{".data", "Data"},
		{".rodata", "Rodata"},
		{".data.extra", "DataExtra"},
		{".rodata.cfg_v2", "RodataCfgV2"},
	} {
		if got := sectionGoName(tc.sec); got != tc.want {
			t.Errorf("sectionGoName(%q) = %q, want %q", tc.sec, got, tc.want)
		}
	}
}

func TestObjectStem(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"dir/gen_basic.bpf.o", "gen_basic"},
		{"x_bpfel.o", "x"},
		{"x_bpfeb.o", "x"},
		{"prog.o", "prog"},
		{"/abs/gen_basic.bpfeb.o", "gen_basic"},
	} {
		if got := objectStem(tc.path); got != tc.want {
			t.Errorf("objectStem(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestAttachInfo(t *testing.T) {
	for _, tc := range []struct {
		section string
		typ     ebpf.ProgramType
		auto    bool
		how     string
	}{
		{"kprobe/do_sys_open", ebpf.Kprobe, true, "kprobe do_sys_open"},
		{"kretprobe/do_sys_open", ebpf.Kprobe, true, "kretprobe do_sys_open"},
		{"kprobe", ebpf.Kprobe, false, "needs a kernel function; attach it with link.Kprobe"},
		{"uprobe//bin/bash:readline", ebpf.Kprobe, true, "uprobe readline in /bin/bash"},
		{"uprobe", ebpf.Kprobe, false, "needs an executable and symbol; attach it with link.OpenExecutable"},
		{"tracepoint/syscalls/sys_enter_getppid", ebpf.TracePoint, true, "tracepoint syscalls/sys_enter_getppid"},
		{"tp/sched/sched_switch", ebpf.TracePoint, true, "tracepoint sched/sched_switch"},
		{"tracepoint/nocat", ebpf.TracePoint, false, "needs a tracepoint; attach it with link.Tracepoint"},
		{"tp/sched/", ebpf.TracePoint, false, "needs a tracepoint; attach it with link.Tracepoint"},
		{"uprobe/readline", ebpf.Kprobe, false, "needs an executable and symbol; attach it with link.OpenExecutable"},
		{"uretprobe.s//bin/bash:readline", ebpf.Kprobe, true, "uretprobe readline in /bin/bash"},
		{"raw_tracepoint/sys_exit", ebpf.RawTracepoint, true, "raw tracepoint sys_exit"},
		{"fentry", ebpf.Tracing, false, "needs a target; attach it with link.AttachTracing"},
		{"raw_tp/sched_switch", ebpf.RawTracepoint, true, "raw tracepoint sched_switch"},
		{"tp_btf/sched_switch", ebpf.Tracing, true, "tp_btf sched_switch"},
		{"fentry/do_unlinkat", ebpf.Tracing, true, "fentry do_unlinkat"},
		{"fexit/do_unlinkat", ebpf.Tracing, true, "fexit do_unlinkat"},
		{"lsm/file_open", ebpf.LSM, true, "lsm file_open"},
		{"lsm.s/file_open", ebpf.LSM, true, "lsm file_open"},
		{"iter/task", ebpf.Tracing, true, "iterator task"},
		{"syscall", ebpf.Syscall, false, "runs on demand; run it with Program.Run"},
		{"xdp", ebpf.XDP, false, "needs a network interface; attach it with link.AttachXDP"},
		{"tc", ebpf.SchedCLS, false, "needs a network interface; attach it with link.AttachTCX"},
		{"cgroup_skb/egress", ebpf.CGroupSKB, false, "needs a cgroup; attach it with link.AttachCgroup"},
		{"socket", ebpf.SocketFilter, false, "needs a socket; attach it with link.AttachSocketFilter"},
		{"ksyscall/nanosleep", ebpf.Kprobe, true, "ksyscall nanosleep (a kprobe on the syscall's entry point)"},
		{"usdt/libc.so.6:libc:setjmp", ebpf.Kprobe, true, "USDT probe libc:setjmp in libc.so.6 (amd64), every site of it"},
		{"usdt", ebpf.Kprobe, false, "needs a binary and a probe: name them in its section, usdt/PATH:PROVIDER:NAME"},
		{"perf_event", ebpf.PerfEvent, false, "needs a perf event; open one with perf_event_open and attach it with link.AttachRawLink"},
		{"?raw_tp/sys_exit", ebpf.RawTracepoint, false, `is not loaded by default (its section starts with "?"): enable it with SetAutoload before Load`},
	} {
		t.Run(tc.section, func(t *testing.T) {
			auto, how := attachInfo(&ebpf.ProgramSpec{SectionName: tc.section, Type: tc.typ}, "")
			if auto != tc.auto || how != tc.how {
				t.Errorf("attachInfo(%q) = %v, %q; want %v, %q", tc.section, auto, how, tc.auto, tc.how)
			}
		})
	}
}

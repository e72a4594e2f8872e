package objfile

import "testing"

// TestAttachPoint checks which sections the runtime's Attach attaches,
// which gen's generated documentation repeats.
func TestAttachPoint(t *testing.T) {
	for _, tc := range []struct {
		section      string
		kind, target string // "" when Attach leaves the program alone
	}{
		{"kprobe/do_sys_open", "kprobe", "do_sys_open"},
		{"kretprobe/do_sys_open", "kretprobe", "do_sys_open"},
		{"kprobe", "", ""},
		{"kprobe/", "", ""},
		{"uprobe//bin/bash:readline", "uprobe", "/bin/bash:readline"},
		{"uretprobe.s//bin/bash:readline", "uretprobe", "/bin/bash:readline"},
		{"uprobe/readline", "", ""},
		{"uprobe//bin/bash:", "", ""},
		{"uprobe/:readline", "", ""},
		{"tracepoint/syscalls/sys_enter_getppid", "tracepoint", "syscalls/sys_enter_getppid"},
		{"tp/sched/sched_switch", "tracepoint", "sched/sched_switch"},
		{"tp/sched", "", ""},
		{"tp/sched/", "", ""},
		{"tp//sched_switch", "", ""},
		{"raw_tp/sched_switch", "raw_tracepoint", "sched_switch"},
		{"raw_tracepoint/sys_exit", "raw_tracepoint", "sys_exit"},
		{"tp_btf/sched_switch", "tp_btf", "sched_switch"},
		{"fentry/do_unlinkat", "fentry", "do_unlinkat"},
		{"fentry.s/do_unlinkat", "fentry", "do_unlinkat"},
		{"fexit/do_unlinkat", "fexit", "do_unlinkat"},
		{"fmod_ret/security_x", "fmod_ret", "security_x"},
		{"lsm.s/file_open", "lsm", "file_open"},
		{"iter/task", "iter", "task"},
		{"iter.s/task", "iter", "task"},
		{"usdt/libc.so.6:libc:setjmp", "usdt", "libc.so.6:libc:setjmp"},
		{"usdt//opt/a:b/app:prov:probe", "usdt", "/opt/a:b/app:prov:probe"},
		{"usdt/libc:setjmp", "", ""},
		{"usdt/libc.so.6::setjmp", "", ""},
		{"usdt/libc.so.6:libc:", "", ""},
		{"usdt/:libc:setjmp", "", ""},
		{"usdt", "", ""},
		{"syscall", "", ""},
		{"xdp", "", ""},
		{"cgroup_skb/egress", "", ""},
		{"kprobe.multi/do_*", "", ""},
		{"no_such_kind/target", "", ""},
		{"", "", ""},
	} {
		t.Run(tc.section, func(t *testing.T) {
			kind, target, ok := AttachPoint(tc.section)
			if kind != tc.kind || target != tc.target || ok != (tc.kind != "") {
				t.Fatalf("AttachPoint(%q) = %q, %q, %v; want %q, %q, %v", tc.section, kind, target, ok, tc.kind, tc.target, tc.kind != "")
			}
		})
	}
}

package runtime

import "testing"

// TestAttachLeavesAlone checks that Attach leaves alone, instead of failing
// on, programs whose section objfile.AttachPoint rejects.
func TestAttachLeavesAlone(t *testing.T) {
	for _, section := range []string{"kprobe", "uprobe/readline", "tp/sched", "syscall", "xdp", "cgroup_skb/egress", ""} {
		if l, err := (*Collection)(nil).attachProgram(nil, section); l != nil || err != nil {
			t.Errorf("attachProgram(nil, %q) = %v, %v; want nil, nil", section, l, err)
		}
	}
}

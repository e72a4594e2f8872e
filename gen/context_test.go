package gen

import (
	"os"
	"testing"
)

// TestContextPointers: with -all, the pointers of a program's context
// (struct bpf_iter__task of an iter/task program in an object that declares
// an arena) are kernel pointers, not arena pointers.
func TestContextPointers(t *testing.T) {
	data, err := os.ReadFile("../testdata/arena_iter.bpf.o")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Parse("arena_iter.bpf.o", data, &Options{AllTypes: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, p := range o.Pointers {
		if p.Owner != "struct bpf_iter__task" {
			continue
		}
		seen++
		if p.Arena || p.Rule != ruleContext {
			t.Errorf("%s.%s: arena %v by %q, want a kernel pointer by %q", p.Owner, p.Member, p.Arena, p.Rule, ruleContext)
		}
	}
	if seen != 2 {
		t.Errorf("found %d pointers of bpf_iter__task, want 2 (meta and task)", seen)
	}
}

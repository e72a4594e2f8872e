package gen

import (
	"errors"
	"testing"
)

func TestCheckDuplicates(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      error
	}{
		{"distinct", "package p\ntype A int\nfunc B() {}\nvar _, C = 1, 2\nfunc (A) B() {}\n", nil},
		{"type and func", "package p\ntype A int\nfunc A() {}\n", ErrNameCollision},
		{"two types", "package p\ntype (\nA int\nA string\n)\n", ErrNameCollision},
		{"var and type", "package p\nvar A int\ntype A int\n", ErrNameCollision},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := checkDuplicates([]byte(tc.src)); !errors.Is(err, tc.want) {
				t.Errorf("checkDuplicates: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestGroupImports(t *testing.T) {
	in := "package p\n\nimport (\n\t_ \"embed\"\n\t\"fmt\"\n\t\"github.com/cilium/ebpf\"\n\truntime \"github.com/bpfskel/bpfskel/runtime\"\n\t\"unsafe\"\n)\n\nvar x = 1\n"
	want := "package p\n\nimport (\n\t_ \"embed\"\n\t\"fmt\"\n\t\"unsafe\"\n\n\t\"github.com/cilium/ebpf\"\n\truntime \"github.com/bpfskel/bpfskel/runtime\"\n)\n\nvar x = 1\n"
	if got := string(groupImports([]byte(in))); got != want {
		t.Errorf("groupImports:\n%s\nwant:\n%s", got, want)
	}
	only := "package p\n\nimport (\n\t\"fmt\"\n)\n"
	if got := string(groupImports([]byte(only))); got != only {
		t.Errorf("groupImports changed a standard-library-only block:\n%s", got)
	}
}

package btf2go

import "testing"

func TestGoName(t *testing.T) {
	tests := []struct{ c, want string }{
		{"arena_list_head", "ArenaListHead"},
		{"n_buckets", "NBuckets"},
		{"add64_value", "Add64Value"},
		{"__u64", "U64"},
		{"BPF_MAP_TYPE_ARENA", "BpfMapTypeArena"},
		{"RED", "Red"},
		{"nfsAcl", "NfsAcl"},
		{"type", "Type"},
		{"func.var", "FuncVar"},
		{".bss", "Bss"},
		{"_", "X"},
		{"", "X"},
		{"__1", "X1"},
		{"x86_64", "X8664"},
	}
	for _, tt := range tests {
		t.Run(tt.c, func(t *testing.T) {
			if got := GoName(tt.c); got != tt.want {
				t.Errorf("GoName(%q) = %q, want %q", tt.c, got, tt.want)
			}
		})
	}
}

func TestNamespaceAlloc(t *testing.T) {
	ns := newNamespace()
	ns.reserve("Foo2")
	for _, want := range []string{"Foo", "FooEnum", "FooEnum2"} {
		if got := ns.alloc("Foo", "Enum"); got != want {
			t.Errorf("alloc = %q, want %q", got, want)
		}
	}
	for _, want := range []string{"Bar", "Bar2", "Bar3"} {
		if got := ns.alloc("Bar", ""); got != want {
			t.Errorf("alloc = %q, want %q", got, want)
		}
	}
}

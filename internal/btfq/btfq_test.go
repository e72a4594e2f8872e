package btfq

import (
	"testing"

	"github.com/cilium/ebpf/btf"
)

func TestStrip(t *testing.T) {
	u64 := &btf.Int{Name: "u64", Size: 8}
	td := &btf.Typedef{Name: "__u64", Type: u64}
	tagged := &btf.TypeTag{Value: "arena", Type: &btf.Const{Type: &btf.Volatile{Type: td}}}
	loop := &btf.Const{}
	loop.Type = &btf.Volatile{Type: loop}

	for _, tc := range []struct {
		name      string
		in        btf.Type
		typedefs  bool
		want      btf.Type
		wantArena bool
	}{
		{"plain", u64, false, u64, false},
		{"qualifiers stop at typedef", tagged, false, td, true},
		{"qualifiers and typedefs", tagged, true, u64, true},
		{"other tag", &btf.TypeTag{Value: "user", Type: u64}, false, u64, false},
		{"cycle", loop, true, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, arena := Strip(tc.in, tc.typedefs)
			if got != tc.want || arena != tc.wantArena {
				t.Errorf("Strip = %v, %v; want %v, %v", got, arena, tc.want, tc.wantArena)
			}
		})
	}
}

func TestChildren(t *testing.T) {
	u32 := &btf.Int{Name: "u32", Size: 4}
	s := &btf.Struct{Name: "s", Members: []btf.Member{{Name: "a", Type: u32}, {Name: "b", Type: u32}}}
	arr := &btf.Array{Index: u32, Type: s, Nelems: 2}
	proto := &btf.FuncProto{Return: u32, Params: []btf.FuncParam{{Type: arr}}}
	for _, tc := range []struct {
		name string
		in   btf.Type
		want []btf.Type
	}{
		{"struct", s, []btf.Type{u32, u32}},
		{"array", arr, []btf.Type{u32, s}},
		{"func proto", proto, []btf.Type{u32, arr}},
		{"int", u32, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Children(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("Children = %d slots, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if *got[i] != tc.want[i] {
					t.Errorf("slot %d = %v, want %v", i, *got[i], tc.want[i])
				}
			}
		})
	}
	// A slot is the reference itself: writing to it rewires the graph.
	*Children(s)[1] = s
	if s.Members[1].Type != s {
		t.Error("writing a slot did not change the member")
	}
}

func TestHasTag(t *testing.T) {
	u64 := &btf.Int{Name: "u64", Size: 8}
	kptr := &btf.Const{Type: &btf.TypeTag{Value: "kptr", Type: u64}}
	behindTypedef := &btf.Typedef{Name: "t", Type: &btf.TypeTag{Value: "kptr", Type: u64}}
	loop := &btf.Const{}
	loop.Type = &btf.TypeTag{Value: "x", Type: loop}
	for _, tc := range []struct {
		name   string
		in     btf.Type
		values []string
		want   bool
	}{
		{"under a qualifier", kptr, []string{"rcu", "kptr"}, true},
		{"another tag", kptr, []string{"arena"}, false},
		{"not through typedefs", behindTypedef, []string{"kptr"}, false},
		{"untagged", u64, []string{"kptr"}, false},
		{"cycle", loop, []string{"y"}, false},
	} {
		if got := HasTag(tc.in, tc.values...); got != tc.want {
			t.Errorf("%s: HasTag = %v, want %v", tc.name, got, tc.want)
		}
	}
}

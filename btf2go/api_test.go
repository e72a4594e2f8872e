package btf2go

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"
)

var (
	u32  = &btf.Int{Name: "unsigned int", Size: 4}
	u64  = &btf.Int{Name: "unsigned long long", Size: 8}
	node = func() *btf.Struct {
		n := &btf.Struct{Name: "node", Size: 16}
		n.Members = []btf.Member{
			{Name: "next", Type: &btf.Pointer{Target: n}},
			{Name: "val", Type: u64, Offset: 64},
		}
		return n
	}()
)

// source renders what g declares.
func source(tb testing.TB, g *Generator) string {
	tb.Helper()
	src, err := g.Source("p")
	if err != nil {
		tb.Fatal(err)
	}
	return string(src)
}

func TestAPI(t *testing.T) {
	sec := &btf.Datasec{Name: ".bss", Size: 24, Vars: []btf.VarSecinfo{
		{Type: &btf.Var{Name: "head", Type: node, Linkage: btf.GlobalVar}, Offset: 0, Size: 16},
		{Type: &btf.Var{Name: "count", Type: u32, Linkage: btf.StaticVar}, Offset: 16, Size: 4},
	}}
	tests := []struct {
		name     string
		opts     Options
		add      func(g *Generator) error
		want     []string
		dontWant []string
	}{
		{
			name: "plain pointer",
			add:  func(g *Generator) error { return g.Add(node, "") },
			want: []string{"type Node struct", "Next uint64", "Val  uint64"},
		},
		{
			name: "arena pointer by callback",
			opts: Options{ArenaPointer: func(owner btf.Type, member string) bool {
				return owner == node && member == "next"
			}},
			add:  func(g *Generator) error { return g.Add(node, "") },
			want: []string{"Next runtime.Ptr[Node]", `"github.com/bpfskel/bpfskel/runtime"`},
		},
		{
			name: "arena pointer by tag",
			add: func(g *Generator) error {
				return g.Add(&btf.Struct{Name: "tagged", Size: 8, Members: []btf.Member{
					{Name: "p", Type: &btf.Pointer{Target: &btf.TypeTag{Value: "arena", Type: &btf.Void{}}}},
				}}, "")
			},
			want: []string{"P runtime.Ptr[byte]"},
		},
		{
			name: "custom runtime path",
			opts: Options{RuntimePkg: "example.com/rt", ArenaPointer: func(btf.Type, string) bool { return true }},
			add:  func(g *Generator) error { return g.Add(node, "") },
			want: []string{`"example.com/rt"`},
		},
		{
			name:     "section without statics",
			add:      func(g *Generator) error { return g.Add(sec, "XBSS") },
			want:     []string{"type XBSS struct", "Head Node", "_    [8]byte"},
			dontWant: []string{"Count"},
		},
		{
			name: "section with statics",
			opts: Options{Statics: true},
			add:  func(g *Generator) error { return g.Add(sec, "XBSS") },
			want: []string{"Count uint32"},
		},
		{
			name: "reserved name",
			opts: Options{Reserved: []string{"Node"}},
			add:  func(g *Generator) error { return g.Add(node, "") },
			want: []string{"type NodeStruct struct"},
		},
		{
			name: "big-endian bitfields and int128",
			opts: Options{ByteOrder: binary.BigEndian},
			add: func(g *Generator) error {
				return g.Add(&btf.Struct{Name: "be", Size: 32, Members: []btf.Member{
					{Name: "a", Type: u32, BitfieldSize: 3},
					{Name: "b", Type: &btf.Int{Name: "int", Size: 4, Encoding: btf.Signed}, Offset: 3, BitfieldSize: 5},
					{Name: "w", Type: &btf.Int{Name: "__int128", Size: 16, Encoding: btf.Signed}, Offset: 128},
				}}, "")
			},
			want:     []string{"uint32(runtime.BitsBE(p, 0, 3))", "int32(runtime.SignedBitsBE(p, 3, 5))", "runtime.SetBitsBE(p, 3, 5, uint64(v))", "W runtime.Int128BE"},
			dontWant: []string{"runtime.Bits(", "runtime.Int128\n"},
		},
		{
			name: "alias for an integer",
			add:  func(g *Generator) error { return g.Add(u32, "XKey") },
			want: []string{"type XKey = uint32"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New(tt.opts)
			if err := tt.add(g); err != nil {
				t.Fatal(err)
			}
			src := source(t, g)
			for _, w := range tt.want {
				if !strings.Contains(src, w) {
					t.Errorf("output lacks %q:\n%s", w, src)
				}
			}
			for _, w := range tt.dontWant {
				if strings.Contains(src, w) {
					t.Errorf("output has %q:\n%s", w, src)
				}
			}
		})
	}
}

func TestNameAndTypeOf(t *testing.T) {
	g := New(Options{})
	td := &btf.Typedef{Name: "node_t", Type: node}
	name, err := g.Name(td)
	if err != nil || name != "NodeT" {
		t.Errorf("Name(typedef node_t) = %q, %v", name, err)
	}
	if name, err := g.Name(node); err != nil || name != "Node" {
		t.Errorf("Name(struct node) = %q, %v", name, err)
	}
	if _, err := g.Name(u32); err == nil {
		t.Error("Name(int) did not fail")
	}
	code, err := g.TypeOf(&btf.Array{Type: &btf.Typedef{Name: "__u64", Type: u64}, Nelems: 4})
	if err != nil {
		t.Fatal(err)
	}
	if got := code; got != "[4]uint64" {
		t.Errorf("TypeOf([4]__u64) = %s", got)
	}
	if err := g.Add(node, "Other"); err == nil || !strings.Contains(err.Error(), "already named Node") {
		t.Errorf("renaming: %v", err)
	}
	if err := g.Add(&btf.Struct{Name: "x", Size: 0}, "Node"); err == nil || !strings.Contains(err.Error(), "taken by struct node") {
		t.Errorf("taking a name: %v", err)
	}
	if _, err := g.Source("p"); err != nil {
		t.Fatal(err)
	}
	if err := g.Add(u32, ""); !errors.Is(err, ErrEmitted) {
		t.Errorf("Add after Source: %v", err)
	}
}

func TestErrors(t *testing.T) {
	self := &btf.Struct{Name: "self", Size: 8}
	self.Members = []btf.Member{{Name: "s", Type: self}}
	tests := []struct {
		name string
		t    btf.Type
		want string
	}{
		{"contains itself", self, "struct self: type contains itself"},
		{"member beyond size", &btf.Struct{Name: "short", Size: 4, Members: []btf.Member{{Name: "x", Type: u64}}}, "struct short: member x: ends at byte 8"},
		{"function", &btf.Func{Name: "f", Type: &btf.FuncProto{}}, "func f: a function has no data layout"},
		{"bad int", &btf.Struct{Name: "odd", Size: 4, Members: []btf.Member{{Name: "x", Type: &btf.Int{Name: "i24", Size: 3}}}}, "int i24: unsupported size 3"},
		{"bad enum", &btf.Enum{Name: "e3", Size: 3}, "enum e3: unsupported size 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := New(Options{}).Add(tt.t, "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Add = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestPlanOrder adds two structs whose Go names collide in both orders:
// with Plan, each keeps its name; without, the first added wins.
func TestPlanOrder(t *testing.T) {
	a := &btf.Struct{Name: "two_words", Size: 4, Members: []btf.Member{{Name: "a", Type: u32}}}
	b := &btf.Struct{Name: "two__words", Size: 8, Members: []btf.Member{{Name: "b", Type: u64}}}
	names := func(plan bool, order ...btf.Type) (string, string) {
		g := New(Options{})
		if plan {
			if err := g.Plan([]btf.Type{a, b}); err != nil {
				t.Fatal(err)
			}
		}
		for _, ty := range order {
			if err := g.Add(ty, ""); err != nil {
				t.Fatal(err)
			}
		}
		na, _ := g.Name(a)
		nb, _ := g.Name(b)
		return na, nb
	}
	a1, b1 := names(true, a, b)
	a2, b2 := names(true, b, a)
	if a1 != a2 || b1 != b2 || b1 != "TwoWords" || a1 != "TwoWordsStruct" {
		t.Errorf("planned names depend on order: %s %s, then %s %s", a1, b1, a2, b2)
	}
	if a3, _ := names(false, a, b); a3 != "TwoWords" {
		t.Errorf("unplanned: first added got %s", a3)
	}
	anon := &btf.Struct{Size: 4, Members: []btf.Member{{Name: "x", Type: u32}}}
	g := New(Options{})
	if _, err := g.TypeOfAs(anon, "CountersValue"); err != nil {
		t.Fatal(err)
	}
	if n, _ := g.Name(anon); n != "CountersValue" {
		t.Errorf("TypeOfAs named the anonymous struct %s", n)
	}
	g = New(Options{})
	_ = g.Add(anon, "")
	if n, _ := g.Name(anon); !strings.HasPrefix(n, "AnonStruct") || len(n) != len("AnonStruct")+8 {
		t.Errorf("anonymous struct without context: %s", n)
	}
}

package gen

import (
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// testTypes builds the type graph the classifier tests share:
//
//	struct node { struct node *next; u32 key; };
//	struct root { struct node *first; void (*cb)(void); };
//	struct stats { struct kobj *owner; u64 n; };   // map value
//	struct loose { struct loose *peer; };          // named with -type only
//	struct tagged { struct node __tag("arena") *p; };
//	struct dhq { struct heap *strand; };           // behind .bss pairs and ctx
//	struct ctx { struct dhq *mig; };               // map value
//	.bss: struct task *cursor; struct tagged tg;
//	      struct task __tag("kptr") *mask; struct dhq *pairs[2];
type testTypes struct {
	u64, u32                 *btf.Int
	node, root, stats, loose *btf.Struct
	tagged, task             *btf.Struct
	dhq, heap, ctx           *btf.Struct
	arenaGlobals, bss        *btf.Datasec
	arenaMap, statsMap       *Map
	ctxMap                   *Map
	nodePtrVar, rootVar      *btf.Var
	taggedVar                *btf.Var
}

func newTestTypes() *testTypes {
	tt := &testTypes{
		u64: &btf.Int{Name: "u64", Size: 8},
		u32: &btf.Int{Name: "u32", Size: 4},
	}
	tt.node = &btf.Struct{Name: "node", Size: 16}
	tt.node.Members = []btf.Member{
		{Name: "next", Type: &btf.Pointer{Target: tt.node}},
		{Name: "key", Type: tt.u32, Offset: 64},
	}
	fn := &btf.FuncProto{Return: &btf.Void{}}
	tt.root = &btf.Struct{Name: "root", Size: 16, Members: []btf.Member{
		{Name: "first", Type: &btf.Pointer{Target: tt.node}},
		{Name: "cb", Type: &btf.Pointer{Target: fn}, Offset: 64},
	}}
	tt.task = &btf.Struct{Name: "task", Size: 8, Members: []btf.Member{{Name: "pid", Type: tt.u64}}}
	kobj := &btf.Struct{Name: "kobj", Size: 8, Members: []btf.Member{{Name: "pid", Type: tt.u64}}}
	tt.stats = &btf.Struct{Name: "stats", Size: 16, Members: []btf.Member{
		{Name: "owner", Type: &btf.Pointer{Target: kobj}},
		{Name: "n", Type: tt.u64, Offset: 64},
	}}
	tt.loose = &btf.Struct{Name: "loose", Size: 8}
	tt.loose.Members = []btf.Member{{Name: "peer", Type: &btf.Pointer{Target: tt.loose}}}
	tt.tagged = &btf.Struct{Name: "tagged", Size: 8, Members: []btf.Member{
		{Name: "p", Type: &btf.Pointer{Target: &btf.TypeTag{Value: "arena", Type: tt.task}}},
	}}
	tt.rootVar = &btf.Var{Name: "head", Type: tt.root}
	tt.arenaGlobals = &btf.Datasec{Name: ".addr_space.1", Size: 16, Vars: []btf.VarSecinfo{
		{Type: tt.rootVar, Offset: 0, Size: 16},
	}}
	tt.heap = &btf.Struct{Name: "heap", Size: 8, Members: []btf.Member{{Name: "n", Type: tt.u64}}}
	tt.dhq = &btf.Struct{Name: "dhq", Size: 8, Members: []btf.Member{{Name: "strand", Type: &btf.Pointer{Target: tt.heap}}}}
	tt.ctx = &btf.Struct{Name: "ctx", Size: 8, Members: []btf.Member{{Name: "mig", Type: &btf.Pointer{Target: tt.dhq}}}}
	tt.nodePtrVar = &btf.Var{Name: "cursor", Type: &btf.Pointer{Target: tt.task}}
	tt.taggedVar = &btf.Var{Name: "tg", Type: tt.tagged}
	maskVar := &btf.Var{Name: "mask", Type: &btf.Pointer{Target: &btf.TypeTag{Value: "kptr", Type: tt.task}}}
	pairsVar := &btf.Var{Name: "pairs", Type: &btf.Array{Index: tt.u32, Type: &btf.Pointer{Target: tt.dhq}, Nelems: 2}}
	tt.bss = &btf.Datasec{Name: ".bss", Size: 40, Vars: []btf.VarSecinfo{
		{Type: tt.nodePtrVar, Offset: 0, Size: 8},
		{Type: tt.taggedVar, Offset: 8, Size: 8},
		{Type: maskVar, Offset: 16, Size: 8},
		{Type: pairsVar, Offset: 24, Size: 16},
	}}
	tt.arenaMap = &Map{Name: "arena", Type: ebpf.Arena}
	tt.statsMap = &Map{Name: "stats", Type: ebpf.Hash, Key: tt.u32, Value: tt.stats}
	tt.ctxMap = &Map{Name: "ctxs", Type: ebpf.Array, Key: tt.u32, Value: tt.ctx}
	return tt
}

func (tt *testTypes) object(withArena bool) *Object {
	o := &Object{
		Maps:     []*Map{tt.statsMap, tt.ctxMap},
		Sections: []*Section{newSection(".bss", tt.bss, tt.bss.Size)},
		types:    []btf.Type{tt.loose},
	}
	if withArena {
		o.Maps = append(o.Maps, tt.arenaMap)
		o.Arena = &Arena{MapName: "arena", Globals: newSection(".addr_space.1", tt.arenaGlobals, 16)}
	}
	return o
}

func TestArenaPointerRules(t *testing.T) {
	tt := newTestTypes()
	type check struct {
		owner  btf.Type
		member string
		arena  bool
		rule   string
	}
	for _, tc := range []struct {
		name      string
		withArena bool
		opts      Options
		checks    []check
	}{
		{
			name:      "inferred",
			withArena: true,
			checks: []check{
				{tt.root, "first", true, ruleResident},
				{tt.node, "next", true, ruleResident},
				{tt.root, "cb", false, ruleFunc},
				{tt.arenaGlobals, "head", false, ""}, // not a pointer
				{tt.bss, "cursor", true, ruleGlobal},
				{tt.task, "pid", false, ""}, // not a pointer
				{tt.stats, "owner", false, ruleMapMemory},
				{tt.loose, "peer", true, ruleDefault}, // reached from no map and no arena memory
				{tt.tagged, "p", true, ruleTag},
				// A kptr global is the kernel's, even with an arena.
				{tt.bss, "mask", false, ruleKernelTag},
				// An array of pointer globals makes its targets resident,
				// as one pointer global does, though a map value also
				// reaches them.
				{tt.bss, "pairs", true, ruleGlobal},
				{tt.dhq, "strand", true, ruleResident},
				// A map value's pointer to a resident type is an
				// arena pointer; one to another type is not.
				{tt.ctx, "mig", true, ruleResidentTarget},
			},
		},
		{
			name: "no arena",
			checks: []check{
				{tt.root, "first", false, ruleNoArena},
				{tt.bss, "cursor", false, ruleNoArena},
				{tt.tagged, "p", true, ruleTag},
				{tt.bss, "mask", false, ruleKernelTag},
				{tt.bss, "pairs", false, ruleNoArena},
			},
		},
		{
			name:      "overrides",
			withArena: true,
			opts:      Options{ArenaPointers: []string{"stats.owner"}, NoArenaPointers: []string{"node.next", ".bss.cursor"}},
			checks: []check{
				{tt.stats, "owner", true, ruleOverrideArena},
				{tt.node, "next", false, ruleOverrideNoArena},
				{tt.bss, "cursor", false, ruleOverrideNoArena},
				{tt.root, "first", true, ruleResident},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tt.object(tc.withArena)
			c, err := newClassifier(o, &tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range tc.checks {
				got := c.ArenaPointer(ch.owner, ch.member)
				if got != ch.arena {
					t.Errorf("ArenaPointer(%s, %s) = %v, want %v", ch.owner.TypeName(), ch.member, got, ch.arena)
				}
				if ch.rule == "" {
					continue
				}
				ptr := memberPointer(memberType(ch.owner, ch.member))
				if _, rule := c.decide(ch.owner, ch.member, ptr); rule != ch.rule {
					t.Errorf("rule for %s.%s = %q, want %q", ch.owner.TypeName(), ch.member, rule, ch.rule)
				}
			}
			c.report(o.roots())
			if unused := c.unusedOverrides(); len(unused) != 0 {
				t.Errorf("unused overrides: %v", unused)
			}
		})
	}
}

func TestArenaPointerOverrideErrors(t *testing.T) {
	tt := newTestTypes()
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"no dot", Options{ArenaPointers: []string{"node"}}},
		{"trailing dot", Options{ArenaPointers: []string{"node."}}},
		{"both ways", Options{ArenaPointers: []string{"node.next"}, NoArenaPointers: []string{"node.next"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := newClassifier(tt.object(true), &tc.opts); err == nil {
				t.Error("no error")
			}
		})
	}
}

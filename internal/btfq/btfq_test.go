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

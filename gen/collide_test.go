package gen

import (
	"errors"
	"testing"
)

// TestCollisions checks that every Go name collision of an object is in
// one error, each once, with one -rename flag for each C name to rename.
func TestCollisions(t *testing.T) {
	prog := func(c, g string) *Program { return &Program{Name: c, GoName: g, Attachable: true} }
	tests := []struct {
		name string
		obj  Object
		want string // "" for no error
	}{
		{
			// libbpf-tools' biotop. Attachable programs are XLinks fields
			// too: the collision is reported once all the same.
			name: "biotop",
			obj: Object{Programs: []*Program{
				prog("blk_account_io_done", "BlkAccountIoDone"), prog("__blk_account_io_done", "BlkAccountIoDone"),
				prog("__blk_account_io_start", "BlkAccountIoStart"), prog("blk_account_io_start", "BlkAccountIoStart"),
			}},
			want: "names collide (add -rename prog:__blk_account_io_done=GoName -rename prog:__blk_account_io_start=GoName): " +
				"programs __blk_account_io_done and blk_account_io_done both become Go name BlkAccountIoDone; " +
				"programs __blk_account_io_start and blk_account_io_start both become Go name BlkAccountIoStart",
		},
		{
			name: "every kind",
			obj: Object{
				Maps:     []*Map{{Name: "ring_buf", GoName: "RingBuf"}, {Name: "ring__buf", GoName: "RingBuf"}},
				Programs: []*Program{prog("a_done", "ADone"), prog("__a_done", "ADone")},
				Sections: []*Section{{Name: ".data.extra", GoName: "Maps"}, {Name: ".data.a", GoName: "DataA"}, {Name: ".data.A", GoName: "DataA"}},
			},
			want: "names collide (add -rename map:ring__buf=GoName -rename prog:__a_done=GoName -rename section:.data.a=GoName -rename section:.data.extra=GoName): " +
				"maps ring__buf and ring_buf both become Go name RingBuf; " +
				"programs __a_done and a_done both become Go name ADone; " +
				"section .data.extra becomes Go field Maps, which the skeleton has already; " +
				"sections .data.A and .data.a both become Go name DataA",
		},
		{
			name: "three ways",
			obj:  Object{Programs: []*Program{prog("a_b", "AB"), prog("a__b", "AB"), prog("a___b", "AB")}},
			want: "names collide (add -rename prog:a___b=GoName -rename prog:a__b=GoName): programs a___b, a__b and a_b all become Go name AB",
		},
		{
			// A .struct_ops.link map and a program are both XLinks fields.
			name: "links",
			obj: Object{
				Maps:      []*Map{{Name: "ops", GoName: "Ops"}},
				Programs:  []*Program{prog("ops", "Ops")},
				StructOps: []*StructOps{{Map: "ops", GoName: "Ops", Section: ".struct_ops.link"}},
			},
			want: "names collide (add -rename prog:ops=GoName): map ops and program ops both become Go field Ops",
		},
		{
			name: "struct_ops members",
			obj: Object{
				Maps: []*Map{{Name: "ops", GoName: "Ops"}},
				StructOps: []*StructOps{{Map: "ops", GoName: "Ops", Section: ".struct_ops", Members: []StructOpsMember{
					{Name: "a_b", GoName: "AB"}, {Name: "a__b", GoName: "AB"},
				}}},
			},
			want: "names collide: struct_ops map ops: members a__b and a_b both become Go name AB (not renamable: rename one in C)",
		},
		{
			// Maps and programs are fields of different structs; a
			// program that is not attachable is no XLinks field.
			name: "no collision",
			obj: Object{
				Maps:      []*Map{{Name: "foo", GoName: "Foo"}, {Name: "ops", GoName: "Ops"}},
				Programs:  []*Program{prog("foo", "Foo"), {Name: "ops", GoName: "Ops"}},
				StructOps: []*StructOps{{Map: "ops", GoName: "Ops", Section: ".struct_ops.link"}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.obj.checkNames()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("checkNames: %v, want no error", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Errorf("checkNames:\n got %v\nwant %s", err, tc.want)
			case tc.want != "" && !errors.Is(err, ErrNameCollision):
				t.Errorf("checkNames: %v does not wrap ErrNameCollision", err)
			}
		})
	}
}

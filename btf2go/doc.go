// Package btf2go translates BTF type graphs into Go declarations whose memory
// layout equals C's, byte for byte.
//
// It is pure: types in, declarations out. A [Generator] collects types with
// [Generator.Add], answers [Generator.TypeOf] and [Generator.Name] for code
// that refers to them, and renders every declaration, sorted by Go name, as
// gofmt formats it without running go/format: as declarations plus the
// imports they need ([Generator.Decls], which gen places after a
// skeleton's own code) or as a complete source file ([Generator.Source],
// what `bpfskel types` writes).
//
// Generated code imports bpfskel's runtime package for `runtime.Ptr`,
// `runtime.Int128` and the layout helpers in runtime/layout.go; it contains
// no pointer arithmetic of its own, and imports "unsafe" only for the
// compile-time layout assertions.
//
// # Type mapping
//
// docs/TYPES.md has this table rendered.
//
//	| C (BTF) | Go |
//	| --- | --- |
//	| `_Bool` | `bool` |
//	| `char`, `signed char`, `unsigned char` | `int8` or `uint8`, as BTF encodes the signedness |
//	| 2-, 4-, 8-byte integers | `int16` … `uint64` |
//	| `__int128`, `unsigned __int128` | `runtime.Int128`, `runtime.Uint128` (`Lo`, `Hi` halves; Go alignment 8, C's 16); `Int128BE`, `Uint128BE` in skeletons of big-endian objects |
//	| `float`, `double` | `float32`, `float64`; other float sizes are `[N]byte` |
//	| `enum e` (any size, signed or not, also enum64) | `type E intN/uintN`, typed constants, a `String` method returning the C constant name |
//	| `typedef T name` | `type Name = T` (an alias); in fields typedefs are transparent, so `__u64 x` is `X uint64` |
//	| `typedef struct { … } name_t` | the anonymous struct (union, enum) is named `NameT` |
//	| `typedef struct foo foo` | one Go name, `Foo`, for both |
//	| `typedef int fn_t(int)` (a function type) | `type FnT struct{ _ structs.HostLayout }`: opaque, nothing to lay out |
//	| `const`, `volatile`, `restrict`, type tags | stripped (the tag "arena" marks an arena pointer) |
//	| `T a[N]`, `T a[N][M]` | `[N]T`, `[N][M]T` |
//	| `T a[]`, `T a[0]` (flexible, zero-length) | no field; a method `A(n int) []T` returning the n trailing elements |
//	| `struct s` | `type S struct`: `_ structs.HostLayout`, every field at its C offset, explicit `_ [n]byte` padding, C's size |
//	| member Go cannot place (misaligned in a packed struct, or whose Go alignment would change the struct's size) | no field; byte storage and a method `M() *T` returning a pointer to it |
//	| `union u` | `type U struct` with `_ [0]uintN` (the union's alignment) and `_ [size]byte` storage; a method `M() *T` per member |
//	| anonymous struct or union member of a struct | the generated type (`ParentAnonN`) embedded, so its fields and methods are promoted: `s.A` reaches C's `s.a` |
//	| anonymous struct or union member of a union | its members become accessor methods of the union: `u.Lo()` reaches C's `u.lo` |
//	| bitfield `T f : n` | no field; methods `F() T` and `SetF(v T)` (sign-extended for signed types; enum and bool bitfields keep their types) |
//	| arena pointer (`btf_type_tag("arena")` or `Options.ArenaPointer`) | `runtime.Ptr[T]`; `void *` is `runtime.Ptr[byte]` |
//	| any other pointer (kernel data, functions) | `uint64` |
//	| `struct foo;` (forward declaration only) | `type Foo struct{ _ structs.HostLayout }`: opaque |
//	| DATASEC (`.bss`, `.data`, `.rodata`, …) | a struct with a field per variable at its offset (static variables only with `Options.Statics`) |
//
// Every struct, union and section gets compile-time assertions of its size
// and of each field's offset:
//
//	var (
//		_ [24]struct{} = [unsafe.Sizeof(Foo{})]struct{}{}
//		_ [8]struct{}  = [unsafe.Offsetof(Foo{}.B)]struct{}{}
//	)
//
// A layout that differs from BTF's fails to compile with the two array
// lengths in the message. Go's alignment of a generated type can be lower
// than C's (Go aligns to at most 8, and packed or over-aligned C types keep
// their offsets through padding instead); arrays and embedding still place
// every element at C's offsets because sizes match. Blank padding and storage
// fields do not take part in ==, so compare generated values by their bytes.
//
// Bitfield and 128-bit accessors follow Options.ByteOrder, the byte order of
// the object the types come from: runtime.Bits, SetBits, Int128 and Uint128
// for little-endian objects, BitsBE, SetBitsBE, Int128BE and Uint128BE for
// big-endian ones.
//
// # Names
//
// [GoName] turns C identifiers into Go names: split at underscores (and other
// non-alphanumeric characters), upper-case each part's first letter, and
// lower-case the rest of a part written entirely in capitals
// (BPF_MAP_TYPE_ARENA is BpfMapTypeArena; arena_list_head is ArenaListHead;
// no initialisms). Every name starts with a capital letter, so none is a Go
// keyword or predeclared identifier.
//
// A Go name is a function of the type and where it sits, not of the order
// in which types are added or reached, so adding an unrelated type, map,
// variable or program to the C source renames nothing else (gen's
// TestNamesStable checks this):
//
//   - Types: the Go name of the C name. When several types of a skeleton
//     share it, the plain name goes to the first by kind (struct, union,
//     enum, typedef, forward declaration), then by C name, then by shape;
//     the others get their kind (Struct, Union, Enum, Typedef, Fwd, Section)
//     appended, then 2, 3, … (struct two__words and struct two_words become
//     TwoWords and TwoWordsStruct, whichever is reached first). gen names
//     every named type this way before emitting any (`Plan`); without a
//     plan, the first reached gets the plain name.
//   - Anonymous types: named by the typedef that names them, else by their
//     position: the parent's Go name and the member (FooBar for member bar
//     of struct foo, FooAnon1 for its first unnamed member), the map (the
//     anonymous value type of map counters is CountersValue, its key
//     CountersKey), the section variable (XBSSCfg); else, with no context at
//     all, by their own shape (AnonStruct followed by eight hex digits of a
//     hash of its kind, size and members). Taken names get the suffixes
//     above.
//   - Enum constants, named after all types in the order of their enums' Go
//     names: the Go name of the constant; when taken (by a type, another
//     constant or [Options.Reserved]), the enum's Go name followed by it,
//     then plus 2, 3, ….
//   - Fields and methods of one type: member order; when taken, plus 2,
//     3, … (a setter SetFlag next to a field set_flag becomes SetFlag2).
//
// Names in [Options.Reserved] are never handed out automatically; names
// passed to Add are taken exactly, or Add fails.
package btf2go

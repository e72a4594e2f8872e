package runtime

import (
	"math/bits"
	"testing"
)

// TestBitsRoundTrip sets and reads bitfields at every offset and size in a
// 16-byte buffer and checks that no other bit changes.
func TestBitsRoundTrip(t *testing.T) {
	for off := uint32(0); off < 64; off++ {
		for size := uint32(1); size <= 64; size++ {
			var buf, ref [2]uint64
			buf = [2]uint64{0x0123456789abcdef, 0xfedcba9876543210}
			ref = buf
			v := uint64(0xa5a5a5a5a5a5a5a5) * uint64(off+size)
			SetBits(&buf, off, size, v)
			want := v & bitMask(size)
			if got := Bits(&buf, off, size); got != want {
				t.Fatalf("Bits(off %d, size %d) = %#x, want %#x", off, size, got, want)
			}
			// Only the field's bits changed.
			lo, hi := fieldMask(off, size)
			if (buf[0]^ref[0])&^lo != 0 || (buf[1]^ref[1])&^hi != 0 {
				t.Fatalf("SetBits(off %d, size %d) changed bits outside the field", off, size)
			}
			s := SignedBits(&buf, off, size)
			if size < 64 && want>>(size-1)&1 == 1 && s >= 0 || want>>(size-1)&1 == 0 && s < 0 {
				t.Fatalf("SignedBits(off %d, size %d) = %d: sign not extended", off, size, s)
			}
		}
	}
}

// fieldMask is the mask of the field's bits in the two words.
func fieldMask(off, size uint32) (lo, hi uint64) {
	for b := off; b < off+size; b++ {
		if b < 64 {
			lo |= 1 << b
		} else {
			hi |= 1 << (b - 64)
		}
	}
	return lo, hi
}

func TestSignedBits(t *testing.T) {
	tests := []struct {
		name      string
		v         uint64
		off, size uint32
		want      int64
	}{
		{"minus one", 0b1111, 2, 4, -1},
		{"min", 0b1000, 2, 4, -8},
		{"max", 0b0111, 2, 4, 7},
		{"int64", 1 << 63, 0, 64, -1 << 63},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var x [2]uint64
			SetBits(&x, tt.off, tt.size, tt.v)
			if got := SignedBits(&x, tt.off, tt.size); got != tt.want {
				t.Errorf("SignedBits = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestAtAndTrailing(t *testing.T) {
	type hdr struct {
		N     uint32
		Items [3]uint32
	}
	h := hdr{N: 3, Items: [3]uint32{7, 8, 9}}
	if p := At[uint32](&h, 8); *p != 8 {
		t.Errorf("At(8) = %d, want 8", *p)
	}
	*At[uint16](&h, 5) = 0xffff // misaligned
	if h.Items[0] != 7|0xffff<<8 {
		t.Errorf("misaligned store: Items[0] = %#x", h.Items[0])
	}
	got := Trailing[uint32](&h, 4, 3)
	if len(got) != 3 || got[2] != 9 || bits.Len32(got[1]) != bits.Len32(8) {
		t.Errorf("Trailing = %v", got)
	}
	if Trailing[uint32](&h, 4, 0) != nil {
		t.Error("Trailing(0) is not nil")
	}
}

// TestBitsBE checks big-endian bit numbering against a layout worked out by
// hand: struct { unsigned a:3, b:5, c:12; } on a big-endian target puts a
// in the top 3 bits of byte 0, b in its low 5 bits, c in byte 1 and the top
// half of byte 2.
func TestBitsBE(t *testing.T) {
	buf := [4]byte{0b101_00110, 0xab, 0xc0, 0}
	for _, tt := range []struct {
		off, size uint32
		want      uint64
	}{
		{0, 3, 5}, {3, 5, 6}, {8, 12, 0xabc},
	} {
		if got := BitsBE(&buf, tt.off, tt.size); got != tt.want {
			t.Errorf("BitsBE(%d, %d) = %#x, want %#x", tt.off, tt.size, got, tt.want)
		}
	}
	var x [4]byte
	SetBitsBE(&x, 0, 3, 5)
	SetBitsBE(&x, 3, 5, 6)
	SetBitsBE(&x, 8, 12, 0xabc)
	if x != buf {
		t.Errorf("SetBitsBE wrote %x, want %x", x, buf)
	}
	if got := SignedBitsBE(&buf, 0, 3); got != -3 {
		t.Errorf("SignedBitsBE = %d, want -3", got)
	}
	// Round trip at every offset and size, other bits unchanged.
	for off := uint32(0); off < 64; off++ {
		for size := uint32(1); size <= 64; size++ {
			var b, ref [16]byte
			for i := range b {
				b[i] = byte(i*37 + 11)
			}
			ref = b
			v := uint64(0x5a5a5a5a5a5a5a5a) * uint64(off+size)
			SetBitsBE(&b, off, size, v)
			if got := BitsBE(&b, off, size); got != v&bitMask(size) {
				t.Fatalf("BitsBE(%d, %d) = %#x, want %#x", off, size, got, v&bitMask(size))
			}
			for bit := uint32(0); bit < 128; bit++ {
				inField := bit >= off && bit < off+size
				changed := (b[bit/8]^ref[bit/8])>>(7-bit%8)&1 == 1
				if changed && !inField {
					t.Fatalf("SetBitsBE(%d, %d) changed bit %d", off, size, bit)
				}
			}
		}
	}
}

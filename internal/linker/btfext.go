package linker

import (
	"errors"
	"fmt"
)

// The three kinds of .BTF.ext records, in section order.
const (
	extFunc = iota
	extLine
	extCore
	extKinds
)

var (
	extNames   = [extKinds]string{"func info", "line info", "CO-RE relocation"}
	extMinSize = [extKinds]uint32{8, 16, 16}
)

// extInfo is one object's .BTF.ext, by kind.
type extInfo struct {
	recSize [extKinds]uint32
	secs    [extKinds][]extSec
}

// extSec is the records of one kind for one ELF section.
type extSec struct {
	name string
	recs []byte // num * recSize bytes, as in the input
	num  int
}

// parseExt reads a raw .BTF.ext whose strings are in strs.
func parseExt(raw []byte, order byteOrder, strs btfStrings) (*extInfo, error) {
	if len(raw) < 24 {
		return nil, errors.New("header truncated")
	}
	if m := order.Uint16(raw); m != btfMagic {
		return nil, fmt.Errorf("bad magic %#x", m)
	}
	hdrLen := order.Uint32(raw[4:])
	if hdrLen < 24 || uint64(hdrLen) > uint64(len(raw)) {
		return nil, fmt.Errorf("header length %d", hdrLen)
	}
	e := &extInfo{}
	for k := 0; k < extKinds; k++ {
		h := 8 + 8*k
		if h+8 > int(hdrLen) {
			break // no CO-RE relocations in a 24-byte header
		}
		off, n := order.Uint32(raw[h:]), order.Uint32(raw[h+4:])
		if n == 0 {
			continue
		}
		start := uint64(hdrLen) + uint64(off)
		if start+uint64(n) > uint64(len(raw)) || n < 4 {
			return nil, fmt.Errorf("%s at %d+%d outside %d bytes", extNames[k], off, n, len(raw))
		}
		if err := e.parseKind(k, raw[start:start+uint64(n)], order, strs); err != nil {
			return nil, fmt.Errorf("%s: %w", extNames[k], err)
		}
	}
	return e, nil
}

func (e *extInfo) parseKind(k int, b []byte, order byteOrder, strs btfStrings) error {
	size := order.Uint32(b)
	if size < extMinSize[k] || size%4 != 0 || size > 1<<10 {
		return fmt.Errorf("record size %d", size)
	}
	e.recSize[k] = size
	for p := uint64(4); p < uint64(len(b)); {
		if p+8 > uint64(len(b)) {
			return errors.New("truncated")
		}
		name, err := strs.at(order.Uint32(b[p:]))
		if err != nil {
			return fmt.Errorf("section name: %w", err)
		}
		num := uint64(order.Uint32(b[p+4:]))
		p += 8
		if p+num*uint64(size) > uint64(len(b)) {
			return fmt.Errorf("section %s: %d records truncated", name, num)
		}
		e.secs[k] = append(e.secs[k], extSec{name: name, recs: b[p : p+num*uint64(size)], num: int(num)})
		p += num * uint64(size)
	}
	return nil
}

// encodeExt merges the objects' .BTF.ext records into one .BTF.ext, per
// output section in section order and per object in input order, with
// instruction offsets moved by where each input section went and type IDs
// and strings renumbered into the merged BTF (whose strings strs extends).
// It returns nil when no object has any record.
func encodeExt(objs []*object, outs []*outSection, m *btfMerge, strs *strtab, order byteOrder) ([]byte, error) {
	exts := make([]*extInfo, len(objs))
	var recSize [extKinds]uint32
	any := false
	for oi, o := range objs {
		if o.ext == nil {
			continue
		}
		if o.btf == nil {
			return nil, fmt.Errorf("%s: .BTF.ext without .BTF", o.name)
		}
		e, err := parseExt(o.ext, o.order, m.strs[oi])
		if err != nil {
			return nil, fmt.Errorf("%s: .BTF.ext: %w", o.name, err)
		}
		for k := range recSize {
			if e.recSize[k] == 0 {
				continue
			}
			if recSize[k] != 0 && recSize[k] != e.recSize[k] {
				return nil, fmt.Errorf("%s: .BTF.ext: %s records of %d bytes, other objects have %d", o.name, extNames[k], e.recSize[k], recSize[k])
			}
			recSize[k] = e.recSize[k]
			any = true
		}
		exts[oi] = e
	}
	if !any {
		return nil, nil
	}
	var body [extKinds][]byte
	for k := range body {
		if recSize[k] == 0 {
			continue
		}
		b := order.AppendUint32(nil, recSize[k])
		for _, out := range outs {
			var recs []byte
			num := 0
			for oi, e := range exts {
				if e == nil {
					continue
				}
				for _, es := range e.secs[k] {
					if es.name != out.name {
						continue
					}
					var err error
					recs, err = rebaseRecords(recs, k, es, objs[oi], oi, recSize[k], m, strs, order)
					if err != nil {
						return nil, fmt.Errorf("%s: .BTF.ext: %s of %s: %w", objs[oi].name, extNames[k], es.name, err)
					}
					num += es.num
				}
			}
			if num == 0 {
				continue
			}
			b = order.AppendUint32(b, strs.add(out.name))
			b = order.AppendUint32(b, uint32(num))
			b = append(b, recs...)
		}
		body[k] = b
	}
	for oi, e := range exts {
		for k := 0; e != nil && k < extKinds; k++ {
			for _, es := range e.secs[k] {
				if findSection(objs[oi], es.name) == nil {
					return nil, fmt.Errorf("%s: .BTF.ext: %s for section %s, which the object does not have", objs[oi].name, extNames[k], es.name)
				}
			}
		}
	}
	const hdrLen = 32
	b := order.AppendUint16(nil, btfMagic)
	b = append(b, 1, 0)
	b = order.AppendUint32(b, hdrLen)
	off := uint32(0)
	for k := range body {
		b = order.AppendUint32(b, off)
		b = order.AppendUint32(b, uint32(len(body[k])))
		off += uint32(len(body[k]))
	}
	for k := range body {
		b = append(b, body[k]...)
	}
	return b, nil
}

// findSection returns o's copied section called name, or nil.
func findSection(o *object, name string) *inSection {
	for _, s := range o.secs {
		if s != nil && s.name == name {
			return s
		}
	}
	return nil
}

// rebaseRecords appends es's records to dst, renumbered for the output.
func rebaseRecords(dst []byte, k int, es extSec, o *object, oi int, size uint32, m *btfMerge, strs *strtab, order byteOrder) ([]byte, error) {
	is := findSection(o, es.name)
	if is == nil {
		return nil, errors.New("the object has no such section")
	}
	str := func(off uint32) (uint32, error) {
		s, err := m.strs[oi].at(off)
		if err != nil {
			return 0, err
		}
		return strs.add(s), nil
	}
	for i := 0; i < es.num; i++ {
		r := append([]byte(nil), es.recs[i*int(size):(i+1)*int(size)]...)
		insn := uint64(order.Uint32(r)) + is.off
		if insn > 0xffffffff || order.Uint32(r) >= uint32(is.size) {
			return nil, fmt.Errorf("record %d: instruction offset %d outside the section", i, order.Uint32(r))
		}
		order.PutUint32(r, uint32(insn))
		var err error
		var v uint32
		switch k {
		case extFunc, extCore:
			if v, err = m.typeID(oi, order.Uint32(r[4:])); err != nil {
				return nil, fmt.Errorf("record %d: %w", i, err)
			}
			order.PutUint32(r[4:], v)
			if k == extCore {
				if v, err = str(order.Uint32(r[8:])); err != nil {
					return nil, fmt.Errorf("record %d: access string: %w", i, err)
				}
				order.PutUint32(r[8:], v)
			}
		case extLine:
			for _, at := range []int{4, 8} {
				if v, err = str(order.Uint32(r[at:])); err != nil {
					return nil, fmt.Errorf("record %d: %w", i, err)
				}
				order.PutUint32(r[at:], v)
			}
		}
		dst = append(dst, r...)
	}
	return dst, nil
}

package gen

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// parseEvents returns the MAP → TYPE pairs of Options.Events.
func parseEvents(events []string) (map[string]string, error) {
	pairs := make(map[string]string, len(events))
	for _, e := range events {
		m, t, ok := strings.Cut(e, "=")
		if !ok || m == "" || t == "" {
			return nil, fmt.Errorf("event %q: want MAP=TYPE", e)
		}
		if _, dup := pairs[m]; dup {
			return nil, fmt.Errorf("event %q: map %s given twice", e, m)
		}
		pairs[m] = t
	}
	return pairs, nil
}

// withEventTypes returns opts.Types and the event types of opts.Events not
// among them, which the object model resolves like -type.
func withEventTypes(opts *Options) ([]string, error) {
	pairs, err := parseEvents(opts.Events)
	if err != nil {
		return nil, err
	}
	types := slices.Clone(opts.Types)
	for _, e := range opts.Events { // in the order given
		m, _, _ := strings.Cut(e, "=")
		if t := pairs[m]; !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	return types, nil
}

// checkEventMaps reports an -event naming a map the object lacks or one
// that is neither a ring buffer nor a perf event array.
func checkEventMaps(o *Object, opts *Options) error {
	pairs, err := parseEvents(opts.Events)
	if err != nil {
		return err
	}
	for name := range pairs {
		i := slices.IndexFunc(o.Maps, func(m *Map) bool { return m.Name == name })
		switch {
		case i < 0:
			return fmt.Errorf("event %s=%s: no map %s", name, pairs[name], name)
		case o.Maps[i].Type != ebpf.RingBuf && o.Maps[i].Type != ebpf.PerfEventArray:
			return fmt.Errorf("event %s=%s: map %s is a %s, not a ring buffer or perf event array", name, pairs[name], name, o.Maps[i].Type)
		}
	}
	return nil
}

// prepareTypedMap gives a ring buffer or perf event array named with
// -event its event type (runtime.RingBuf[T], runtime.PerfEventArray[T]),
// and a queue, stack or bloom filter with a BTF value its value type
// (runtime.Queue[V], runtime.Stack[V], runtime.BloomFilter[V]). ok is
// false for any other map.
func (s *skeleton) prepareTypedMap(f *goFile, m *Map) (sm skelMap, ok bool, err error) {
	var generic string
	var elem btf.Type
	switch m.Type {
	case ebpf.RingBuf, ebpf.PerfEventArray:
		pairs, err := parseEvents(s.opts.Events)
		if err != nil {
			return skelMap{}, false, err
		}
		name, ok := pairs[m.Name]
		if !ok {
			return skelMap{}, false, nil
		}
		i := slices.IndexFunc(s.o.types, func(t btf.Type) bool { return t.TypeName() == name })
		if i < 0 {
			return skelMap{}, false, fmt.Errorf("map %s: event type %s: not found", m.Name, name)
		}
		elem = s.o.types[i]
		generic = map[ebpf.MapType]string{ebpf.RingBuf: "RingBuf", ebpf.PerfEventArray: "PerfEventArray"}[m.Type]
	case ebpf.Queue, ebpf.Stack, ebpf.BloomFilter:
		if !hasType(m.Value) {
			return skelMap{}, false, nil
		}
		elem = m.Value
		generic = map[ebpf.MapType]string{ebpf.Queue: "Queue", ebpf.Stack: "Stack", ebpf.BloomFilter: "BloomFilter"}[m.Type]
	default:
		return skelMap{}, false, nil
	}
	v, err := s.types.TypeOfAs(elem, m.GoName+"Value")
	if err != nil {
		return skelMap{}, false, fmt.Errorf("map %s: value: %w", m.Name, err)
	}
	typ := f.qual(runtimePkg, generic) + "[" + v + "]"
	lookup := "c.Map(" + strconv.Quote(m.Name) + ")"
	return skelMap{m: m, typ: typ, init: literal(typ, []keyed{{"Map", lookup}}, 0)}, true, nil
}

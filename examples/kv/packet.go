package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
)

// Request and reply framing of kv.bpf.c: Ethernet, IPv4 (no options), UDP,
// then the payload laid out as struct request.
const (
	ethLen      = 14
	ipLen       = 20
	udpLen      = 8
	payloadOff  = ethLen + ipLen + udpLen
	opGet       = 1
	statusHit   = 1
	defaultPort = 11211
)

var magic = [4]byte{'K', 'V', '0', '1'}

// request builds a GET request frame for key from a client to the server.
func request(key string, port uint16) []byte {
	var req Request
	req.Magic = magic
	req.Op = opGet
	copy(req.Key[:], key)
	var payload bytes.Buffer
	// The payload is struct request, little-endian (binary.Write skips the
	// zero-size layout marker).
	if err := binary.Write(&payload, binary.LittleEndian, &req); err != nil {
		panic(err) // a fixed-size struct always encodes
	}

	src, dst := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	f := make([]byte, payloadOff, payloadOff+payload.Len())
	copy(f[0:6], []byte{0x02, 0, 0, 0, 0, 0x02})  // destination MAC
	copy(f[6:12], []byte{0x02, 0, 0, 0, 0, 0x01}) // source MAC
	binary.BigEndian.PutUint16(f[12:], 0x0800)    // IPv4
	ip := f[ethLen:]
	ip[0] = 0x45 // version 4, 5 words
	binary.BigEndian.PutUint16(ip[2:], uint16(ipLen+udpLen+payload.Len()))
	ip[8] = 64 // TTL
	ip[9] = 17 // UDP
	s4, d4 := src.As4(), dst.As4()
	copy(ip[12:16], s4[:])
	copy(ip[16:20], d4[:])
	binary.BigEndian.PutUint16(ip[10:], ipChecksum(ip[:ipLen]))
	udp := f[ethLen+ipLen:]
	binary.BigEndian.PutUint16(udp[0:], 40000)
	binary.BigEndian.PutUint16(udp[2:], port)
	binary.BigEndian.PutUint16(udp[4:], uint16(udpLen+payload.Len()))
	return append(f, payload.Bytes()...)
}

// reply decodes a frame that kv_get answered with XDP_TX.
func reply(frame []byte) (*Request, error) {
	if len(frame) < payloadOff {
		return nil, errors.New("reply frame too short")
	}
	var r Request
	if err := binary.Read(bytes.NewReader(frame[payloadOff:]), binary.LittleEndian, &r); err != nil {
		return nil, err
	}
	if r.Magic != magic {
		return nil, errors.New("reply without the KV01 magic")
	}
	return &r, nil
}

func ipChecksum(h []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(h); i += 2 {
		if i == 10 {
			continue // the checksum field itself
		}
		sum += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

package s3

import (
	"encoding/binary"
	"hash"
	"hash/crc64"
)

// crc64NVMEPoly is the CRC-64/NVME polynomial in reflected form.
const crc64NVMEPoly = 0x9a6c9329ac4bc9b5

// nvmeSlicing holds the tables of a slicing-by-8 CRC-64/NVME; computed once and only
// read. (hash/crc64 keeps such tables only for its two predefined polynomials and builds
// them again on every large write for others.)
var nvmeSlicing = func() *[8]crc64.Table {
	var t [8]crc64.Table
	t[0] = *crc64.MakeTable(crc64NVMEPoly)
	for i := 0; i < 256; i++ {
		crc := t[0][i]
		for j := 1; j < 8; j++ {
			crc = t[0][crc&0xff] ^ crc>>8
			t[j][i] = crc
		}
	}
	return &t
}()

// crc64NVME is hash.Hash64 of CRC-64/NVME, the checksum S3 computes by default.
type crc64NVME struct{ crc uint64 }

func newCRC64NVME() hash.Hash64 { return &crc64NVME{} }

func (h *crc64NVME) Write(p []byte) (int, error) {
	h.crc = updateCRC64NVME(h.crc, p)
	return len(p), nil
}

func (h *crc64NVME) Sum64() uint64       { return h.crc }
func (h *crc64NVME) Reset()              { h.crc = 0 }
func (h *crc64NVME) Size() int           { return crc64.Size }
func (h *crc64NVME) BlockSize() int      { return 1 }
func (h *crc64NVME) Sum(b []byte) []byte { return binary.BigEndian.AppendUint64(b, h.crc) }

func updateCRC64NVME(crc uint64, p []byte) uint64 {
	t := nvmeSlicing
	crc = ^crc
	for len(p) >= 8 {
		crc ^= binary.LittleEndian.Uint64(p)
		crc = t[7][crc&0xff] ^ t[6][crc>>8&0xff] ^ t[5][crc>>16&0xff] ^ t[4][crc>>24&0xff] ^
			t[3][crc>>32&0xff] ^ t[2][crc>>40&0xff] ^ t[1][crc>>48&0xff] ^ t[0][crc>>56]
		p = p[8:]
	}
	for _, b := range p {
		crc = t[0][byte(crc)^b] ^ crc>>8
	}
	return ^crc
}

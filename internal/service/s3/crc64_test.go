package s3

import (
	"hash/crc64"
	"math/rand"
	"testing"
)

func TestCRC64NVME(t *testing.T) {
	// The check value of CRC-64/NVME.
	h := newCRC64NVME()
	h.Write([]byte("123456789"))
	if got := h.Sum64(); got != 0xae8b14860a799888 {
		t.Errorf("CRC-64/NVME(123456789) = %#x, want 0xae8b14860a799888", got)
	}
	// Agrees with hash/crc64 on every length and split.
	table := crc64.MakeTable(crc64NVMEPoly)
	data := make([]byte, 3000)
	rand.New(rand.NewSource(1)).Read(data)
	for n := 0; n < len(data); n += 37 {
		h := newCRC64NVME()
		h.Write(data[:n/2])
		h.Write(data[n/2 : n])
		if got, want := h.Sum64(), crc64.Checksum(data[:n], table); got != want {
			t.Fatalf("length %d: %#x, want %#x", n, got, want)
		}
	}
}

func BenchmarkCRC64NVME4KiB(b *testing.B) {
	data := make([]byte, 4096)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	h := newCRC64NVME()
	for i := 0; i < b.N; i++ {
		h.Write(data)
	}
}

package s3

import (
	"bytes"
	"crypto/rand"
	"io"
	"testing"

	"github.com/cairnhq/cairn/internal/blob"
)

// TestSealedChunks writes objects of sizes around the chunk size sealed, and reads them
// back whole (WriteTo), by Read, and by ranges across chunk boundaries; an altered or
// truncated blob does not read.
func TestSealedChunks(t *testing.T) {
	store, err := blob.Open(t.TempDir(), blob.Options{Random: rand.Reader})
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	rand.Read(key)
	aead, err := dataKeyAEAD(key)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{1, chunkSize - 1, chunkSize, chunkSize + 1, 2 * chunkSize, 20*chunkSize + 5} {
		plain := make([]byte, size)
		rand.Read(plain)
		w, err := store.Create(sealedSize(size))
		if err != nil {
			t.Fatal(err)
		}
		sw := newSealingWriter(w, aead)
		for off := int64(0); off < size; off += 1000 {
			sw.Write(plain[off:min(size, off+1000)])
		}
		if err := sw.Close(); err != nil {
			t.Fatal(err)
		}
		if w.Size() != sealedSize(size) {
			t.Fatalf("size %d: %d bytes on disk, want %d", size, w.Size(), sealedSize(size))
		}
		id, err := w.Commit()
		if err != nil {
			t.Fatal(err)
		}
		read := func(start, n int64, viaWriteTo bool) []byte {
			r, err := store.Open(id)
			if err != nil {
				t.Fatal(err)
			}
			or := newOpeningReader(r, aead, size, start, n)
			defer or.Close()
			var buf bytes.Buffer
			if viaWriteTo {
				_, err = or.WriteTo(&buf)
			} else {
				_, err = io.Copy(&buf, struct{ io.Reader }{or})
			}
			if err != nil {
				t.Fatalf("size %d range %d+%d: %v", size, start, n, err)
			}
			return buf.Bytes()
		}
		for _, rg := range [][2]int64{{0, size}, {size - 1, 1}, {0, min(size, chunkSize+3)}, {size / 2, size - size/2}} {
			for _, wt := range []bool{true, false} {
				if got := read(rg[0], rg[1], wt); !bytes.Equal(got, plain[rg[0]:rg[0]+rg[1]]) {
					t.Errorf("size %d range %d+%d (WriteTo %v): wrong bytes", size, rg[0], rg[1], wt)
				}
			}
		}
	}
	// A blob whose last chunk is cut off, or read as another size, does not authenticate.
	plain := make([]byte, 2*chunkSize)
	w, _ := store.Create(sealedSize(int64(len(plain))))
	sw := newSealingWriter(w, aead)
	sw.Write(plain)
	sw.Close()
	id, _ := w.Commit()
	r, _ := store.Open(id)
	or := newOpeningReader(r, aead, chunkSize, 0, chunkSize) // claims the first chunk is the last
	if _, err := io.ReadAll(struct{ io.Reader }{or}); err == nil {
		t.Error("a truncated object read without error")
	}
	or.Close()
}

// TestSealedParts seals parts as UploadPart does (a salt, then chunks under the part's
// key) and reads them back with openPart; the same data key and another salt make
// another key, and a part does not open under the object's key.
func TestSealedParts(t *testing.T) {
	store, err := blob.Open(t.TempDir(), blob.Options{Random: rand.Reader})
	if err != nil {
		t.Fatal(err)
	}
	dataKey := make([]byte, 32)
	rand.Read(dataKey)
	seal := func(plain []byte) string {
		salt := make([]byte, partSaltSize)
		rand.Read(salt)
		aead, err := partAEAD(dataKey, salt)
		if err != nil {
			t.Fatal(err)
		}
		w, err := store.Create(partSaltSize + sealedSize(int64(len(plain))))
		if err != nil {
			t.Fatal(err)
		}
		w.Write(salt)
		sw := newSealingWriter(w, aead)
		sw.Write(plain)
		if err := sw.Close(); err != nil {
			t.Fatal(err)
		}
		id, err := w.Commit()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	plain := make([]byte, 3*chunkSize+7)
	rand.Read(plain)
	a, b := seal(plain), seal(plain)
	ra, _ := store.Open(a)
	defer ra.Close()
	rb, _ := store.Open(b)
	defer rb.Close()
	sa, sb := make([]byte, 64), make([]byte, 64)
	ra.ReadAt(sa, partSaltSize)
	rb.ReadAt(sb, partSaltSize)
	if bytes.Equal(sa, sb) {
		t.Fatal("the same bytes sealed twice under one data key are sealed alike")
	}
	r, err := openPart(ra, dataKey, int64(len(plain)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("openPart: %d bytes, %v", len(got), err)
	}
	objectAEAD, _ := dataKeyAEAD(dataKey)
	or := newOpeningReader(ra, objectAEAD, int64(len(plain)), 0, int64(len(plain)))
	or.base = partSaltSize
	if _, err := io.ReadAll(struct{ io.Reader }{or}); err == nil {
		t.Fatal("a part opens under the object's key")
	}
}

package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"sync"
)

// defaultKeyCacheSize is the number of signing keys a Verifier keeps when
// Options.KeyCacheSize is zero.
const defaultKeyCacheSize = 1024

// A signingKeyCache holds derived signing keys, which stay valid for a
// (secret, day, region, service) for the whole day. It is safe for
// concurrent use.
type signingKeyCache struct {
	max  int // 0: no caching
	mu   sync.RWMutex
	keys map[keyID][sha256.Size]byte
}

type keyID struct {
	secret, date, region, service string
}

func newSigningKeyCache(size int) *signingKeyCache {
	switch {
	case size == 0:
		size = defaultKeyCacheSize
	case size < 0:
		size = 0
	}
	return &signingKeyCache{max: size, keys: make(map[keyID][sha256.Size]byte)}
}

// key returns the signing key for secret and scope.
func (c *signingKeyCache) key(secret string, s Scope) [sha256.Size]byte {
	if c.max == 0 {
		return deriveSigningKey(secret, s)
	}
	id := keyID{secret, s.Date, s.Region, s.Service}
	c.mu.RLock()
	k, ok := c.keys[id]
	c.mu.RUnlock()
	if ok {
		return k
	}
	k = deriveSigningKey(secret, s)
	// Copy the strings: they may point into a large request header.
	id = keyID{strings.Clone(secret), strings.Clone(s.Date), strings.Clone(s.Region), strings.Clone(s.Service)}
	c.mu.Lock()
	if len(c.keys) >= c.max {
		for old := range c.keys { // map order is unspecified: evict an arbitrary key
			delete(c.keys, old)
			break
		}
	}
	c.keys[id] = k
	c.mu.Unlock()
	return k
}

// deriveSigningKey computes the SigV4 signing key:
// HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
func deriveSigningKey(secret string, s Scope) [sha256.Size]byte {
	k := hmacSHA256([]byte("AWS4"+secret), s.Date)
	k = hmacSHA256(k, s.Region)
	k = hmacSHA256(k, s.Service)
	k = hmacSHA256(k, scopeTerminator)
	return [sha256.Size]byte(k)
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// hmacScratch is the room sum needs in front of the message.
const hmacScratch = sha256.BlockSize

// sum returns HMAC-SHA256(key, buf[hmacScratch:]). It overwrites
// buf[:hmacScratch], which callers leave free for it, so that the whole
// computation runs without allocating (crypto/hmac allocates five times
// per MAC). key is shorter than a block, hence used zero-padded as is.
func sum(key *[sha256.Size]byte, buf []byte) [sha256.Size]byte {
	const ipad, opad = 0x36, 0x5c
	for i := range hmacScratch {
		var k byte
		if i < len(key) {
			k = key[i]
		}
		buf[i] = k ^ ipad
	}
	inner := sha256.Sum256(buf)
	var outer [hmacScratch + sha256.Size]byte
	for i := range hmacScratch {
		var k byte
		if i < len(key) {
			k = key[i]
		}
		outer[i] = k ^ opad
	}
	copy(outer[hmacScratch:], inner[:])
	return sha256.Sum256(outer[:])
}

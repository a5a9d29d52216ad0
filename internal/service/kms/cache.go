package kms

import (
	"crypto"
	"crypto/cipher"
	"sync"

	"github.com/cairnhq/cairn/internal/store"
)

// keyCache keeps what every request on a key reads — the key, its tags, its effective
// policy, its opened material — and what aliases point at, so that the cryptographic
// operations do not read the store. It forgets an entry on every committed change to the
// key, its tags, its aliases or any grant; a read that raced a change is not kept (the
// generation moved).
type keyCache struct {
	mu      sync.Mutex
	gen     uint64
	keys    map[string]*loadedKey // by key ARN
	aliases map[string]string     // "<account>/<alias>" → key ID
}

// loadedKey is a key with everything authorization and cryptography need.
type loadedKey struct {
	key  *store.KMSKey
	tags map[string]string
	// policy is the key policy with a statement per grant appended.
	policy []byte
	// materials are the key's material versions, opened: an AEAD (symmetric keys), the raw
	// bytes (HMAC keys) or the parsed private key (asymmetric keys), and a material ID each.
	materials map[int]material
}

type material struct {
	aead cipher.AEAD
	raw  []byte        // for HMAC keys
	priv crypto.Signer // for asymmetric keys, parsed once
	id   string
}

func newKeyCache() *keyCache {
	return &keyCache{keys: map[string]*loadedKey{}, aliases: map[string]string{}}
}

func (c *keyCache) invalidate(changes []store.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range changes {
		switch ch.Kind {
		case store.ChangeKMSKey, store.ChangeTags:
			if _, ok := c.keys[ch.Key]; ok {
				delete(c.keys, ch.Key)
				c.gen++
			}
			if ch.Kind == store.ChangeKMSKey {
				c.gen++
			}
		case store.ChangeKMSAlias:
			delete(c.aliases, ch.Key)
			c.gen++
		case store.ChangeKMSGrant:
			clear(c.keys)
			c.gen++
		}
	}
}

func (c *keyCache) key(arn string) (*loadedKey, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.keys[arn], c.gen
}

func (c *keyCache) putKey(arn string, k *loadedKey, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.keys[arn] = k
	}
}

func (c *keyCache) alias(name string) (string, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.aliases[name], c.gen
}

func (c *keyCache) putAlias(name, id string, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.aliases[name] = id
	}
}

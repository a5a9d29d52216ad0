package kms

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	"hash"
)

// RSA encryption keys (KeySpec RSA_2048/3072/4096, KeyUsage ENCRYPT_DECRYPT): RSAES-OAEP
// with SHA-1 or SHA-256 (and MGF1 with the same hash), as KMS does. Their ciphertext is the
// bare OAEP ciphertext, which names no key: anyone may make one with the public key, and
// Decrypt needs the KeyId and the algorithm. They take no encryption context.

// encryptionAlgorithms are the encryption algorithms of an ENCRYPT_DECRYPT key spec.
func encryptionAlgorithms(spec string) []string {
	if spec == specSymmetric {
		return []string{"SYMMETRIC_DEFAULT"}
	}
	return []string{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}
}

// asymmetricAlgorithm reports whether an encryption algorithm is one of asymmetric keys.
func asymmetricAlgorithm(a string) bool { return a != "" && a != "SYMMETRIC_DEFAULT" }

// cipherFor is how a key encrypts or decrypts: AES-GCM blobs for a symmetric key (rsa nil),
// RSAES-OAEP for an RSA key.
type cipherFor struct {
	key       *loadedKey
	algorithm string
	rsa       *rsa.PrivateKey
	hash      crypto.Hash
}

// encryptionWith checks that k can encrypt and decrypt with algorithm and ec now.
func encryptionWith(k *loadedKey, algorithm string, ec map[string]string) (*cipherFor, error) {
	if !asymmetricAlgorithm(algorithm) {
		if err := symmetricFor(k, algorithm); err != nil {
			return nil, err
		}
		return &cipherFor{key: k, algorithm: "SYMMETRIC_DEFAULT"}, nil
	}
	if err := usable(k); err != nil {
		return nil, err
	}
	if k.key.KeyUsage != usageEncrypt {
		return nil, kmsError("InvalidKeyUsageException", "%s key usage is %s which is not valid for this operation.", k.key.ARN(), k.key.KeyUsage)
	}
	if !contains(encryptionAlgorithms(k.key.KeySpec), algorithm) {
		return nil, kmsError("InvalidKeyUsageException", "The encryption algorithm %s is not valid for %s, a %s key; it encrypts with %v.",
			algorithm, k.key.ARN(), k.key.KeySpec, encryptionAlgorithms(k.key.KeySpec))
	}
	if len(ec) > 0 {
		return nil, validation("EncryptionContext is not valid with %s, a %s key: an encryption context is supported only with symmetric encryption keys.",
			k.key.ARN(), k.key.KeySpec)
	}
	priv, ok := k.materials[k.key.CurrentVersion].priv.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("kms: key material of %s is no RSA key", k.key.ARN())
	}
	h := crypto.SHA256
	if algorithm == "RSAES_OAEP_SHA_1" {
		h = crypto.SHA1
	}
	return &cipherFor{key: k, algorithm: algorithm, rsa: priv, hash: h}, nil
}

// fits checks the length of a plaintext against what the algorithm can encrypt: 4096
// bytes for a symmetric key, the key's size less 2 hashes and 2 bytes for RSAES-OAEP
// (RSA_2048: 214 bytes with SHA-1, 190 with SHA-256).
func (c *cipherFor) fits(n int) error {
	if c.rsa == nil {
		return nil
	}
	max := c.rsa.Size() - 2*c.hash.Size() - 2
	if n > max {
		return validation("The plaintext is %d bytes; %s with %s encrypts at most %d bytes.", n, c.key.key.KeySpec, c.algorithm, max)
	}
	return nil
}

// encryptWith encrypts plaintext under the key's current material.
func (s *Service) encryptWith(c *cipherFor, plaintext []byte, ec map[string]string) ([]byte, error) {
	if c.rsa == nil {
		return s.seal(c.key, plaintext, ec)
	}
	if err := c.fits(len(plaintext)); err != nil {
		return nil, err
	}
	out, err := rsa.EncryptOAEP(oaepHash(c.hash), s.random, &c.rsa.PublicKey, plaintext, nil)
	if err != nil {
		return nil, fmt.Errorf("kms: encrypt under %s: %w", c.key.key.ARN(), err)
	}
	return out, nil
}

// decryptWith decrypts a ciphertext; its material ID is "" for an RSA key.
func decryptWith(c *cipherFor, blob []byte, bk blobKey, ec map[string]string) ([]byte, string, error) {
	if c.rsa == nil {
		return open(c.key, bk, ec)
	}
	plain, err := rsa.DecryptOAEP(oaepHash(c.hash), nil, c.rsa, blob, nil)
	if err != nil {
		return nil, "", invalidCiphertext()
	}
	return plain, "", nil
}

// oaepHash is the hash of OAEP and of its MGF1.
func oaepHash(h crypto.Hash) hash.Hash {
	if h == crypto.SHA1 {
		return sha1.New()
	}
	return sha256.New()
}

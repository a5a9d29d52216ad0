package kms

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/binary"
	"fmt"
	"io"
	"sort"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/operation"
)

// A ciphertext blob of Cairn's KMS:
//
//	0x01 | len(key ID) | key ID | account (12 digits) | material version (4 bytes) | nonce (12) | AES-256-GCM ciphertext and tag
//
// The header (everything before the nonce) and the encryption context, canonically
// encoded, are the associated data: another key, another account, another material
// version or another context fails authentication, as does any altered byte.
const blobFormat = 0x01

// blobKey is the key a ciphertext blob names.
type blobKey struct {
	account string
	id      string
	version int
	header  []byte
	body    []byte // nonce, ciphertext and tag
}

// parseBlob reads a blob's header; ok is false for bytes that are no blob of this KMS.
func parseBlob(b []byte) (blobKey, bool) {
	if len(b) < 2 || b[0] != blobFormat {
		return blobKey{}, false
	}
	n := int(b[1])
	end := 2 + n + 12 + 4
	if n == 0 || len(b) < end+12+16 {
		return blobKey{}, false
	}
	account := string(b[2+n : 2+n+12])
	for _, c := range account {
		if c < '0' || c > '9' {
			return blobKey{}, false
		}
	}
	return blobKey{id: string(b[2 : 2+n]), account: account, version: int(binary.BigEndian.Uint32(b[2+n+12 : end])),
		header: b[:end], body: b[end:]}, true
}

// canonicalContext encodes an encryption context as associated data: its pairs in key
// order, each string length-prefixed.
func canonicalContext(header []byte, ec map[string]string) []byte {
	keys := make([]string, 0, len(ec))
	for k := range ec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ad := append([]byte(nil), header...)
	for _, k := range keys {
		ad = binary.BigEndian.AppendUint32(ad, uint32(len(k)))
		ad = append(ad, k...)
		ad = binary.BigEndian.AppendUint32(ad, uint32(len(ec[k])))
		ad = append(ad, ec[k]...)
	}
	return ad
}

// seal encrypts plaintext under the key's current material.
func (s *Service) seal(k *loadedKey, plaintext []byte, ec map[string]string) ([]byte, error) {
	m, ok := k.materials[k.key.CurrentVersion]
	if !ok || m.aead == nil {
		return nil, fmt.Errorf("kms: key %s has no material version %d", k.key.ARN(), k.key.CurrentVersion)
	}
	header := []byte{blobFormat, byte(len(k.key.ID))}
	header = append(header, k.key.ID...)
	header = append(header, k.key.Account...)
	header = binary.BigEndian.AppendUint32(header, uint32(k.key.CurrentVersion))
	nonce := make([]byte, m.aead.NonceSize())
	if _, err := io.ReadFull(s.random, nonce); err != nil {
		return nil, fmt.Errorf("kms: nonce: %w", err)
	}
	out := make([]byte, 0, len(header)+len(nonce)+len(plaintext)+m.aead.Overhead())
	out = append(append(out, header...), nonce...)
	return m.aead.Seal(out, nonce, plaintext, canonicalContext(header, ec)), nil
}

// open decrypts a blob made under k; InvalidCiphertextException for anything else.
func open(k *loadedKey, b blobKey, ec map[string]string) ([]byte, string, error) {
	if b.account != k.key.Account || b.id != k.key.ID {
		return nil, "", invalidCiphertext()
	}
	m, ok := k.materials[b.version]
	if !ok || m.aead == nil {
		return nil, "", invalidCiphertext()
	}
	ns := m.aead.NonceSize()
	plain, err := m.aead.Open(nil, b.body[:ns], b.body[ns:], canonicalContext(b.header, ec))
	if err != nil {
		return nil, "", invalidCiphertext()
	}
	return plain, m.id, nil
}

// generateMaterial makes new key material of a spec: AES or HMAC key bytes, or a private
// key in PKCS #8.
func generateMaterial(spec string, random io.Reader) ([]byte, error) {
	size := 0
	switch spec {
	case specSymmetric:
		size = 32
	case "HMAC_224":
		size = 28
	case "HMAC_256":
		size = 32
	case "HMAC_384":
		size = 48
	case "HMAC_512":
		size = 64
	}
	if size > 0 {
		b := make([]byte, size)
		if _, err := io.ReadFull(random, b); err != nil {
			return nil, fmt.Errorf("kms: key material: %w", err)
		}
		return b, nil
	}
	priv, ok, err := newPrivateKey(spec, random)
	if !ok {
		return nil, fmt.Errorf("kms: no material for key spec %s", spec)
	}
	if err != nil {
		return nil, fmt.Errorf("kms: key material: %w", err)
	}
	return x509.MarshalPKCS8PrivateKey(priv)
}

// newPrivateKey makes the private key of an asymmetric key spec (of a KMS key or a data
// key pair: they name the same kinds); ok is false for a spec that is not one.
func newPrivateKey(spec string, random io.Reader) (priv crypto.Signer, ok bool, err error) {
	switch spec {
	case "RSA_2048":
		priv, err = rsa.GenerateKey(random, 2048)
	case "RSA_3072":
		priv, err = rsa.GenerateKey(random, 3072)
	case "RSA_4096":
		priv, err = rsa.GenerateKey(random, 4096)
	case "ECC_NIST_P256":
		priv, err = ecdsa.GenerateKey(elliptic.P256(), random)
	case "ECC_NIST_P384":
		priv, err = ecdsa.GenerateKey(elliptic.P384(), random)
	case "ECC_NIST_P521":
		priv, err = ecdsa.GenerateKey(elliptic.P521(), random)
	case specEd25519:
		_, priv, err = ed25519.GenerateKey(random)
	default:
		return nil, false, nil
	}
	return priv, true, err
}

type EncryptInput struct {
	KeyId               string            `json:"KeyId" required:"true" min:"1" max:"2048"`
	Plaintext           []byte            `json:"Plaintext" sensitive:"true"`
	EncryptionContext   map[string]string `json:"EncryptionContext,omitempty"`
	GrantTokens         []string          `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	EncryptionAlgorithm string            `json:"EncryptionAlgorithm,omitempty" enum:"SYMMETRIC_DEFAULT,RSAES_OAEP_SHA_1,RSAES_OAEP_SHA_256,SM2PKE"`
	DryRun              *bool             `json:"DryRun,omitempty"`
}

func (in *EncryptInput) Validate() error { return blobSize("plaintext", in.Plaintext, 4096, true) }

// blobSize checks a blob member's length as the model constrains it.
func blobSize(path string, b []byte, max int, required bool) error {
	switch {
	case b == nil && required:
		return validation("%s", operation.ValidationMessage(operation.Violation{Path: path, Null: true, Constraint: operation.NotNull}))
	case b != nil && len(b) < 1:
		return validation("%s", operation.ValidationMessage(operation.Violation{Path: path, Hidden: true,
			Constraint: "Member must have length greater than or equal to 1"}))
	case len(b) > max:
		return validation("%s", operation.ValidationMessage(operation.Violation{Path: path, Hidden: true,
			Constraint: fmt.Sprintf("Member must have length less than or equal to %d", max)}))
	}
	return nil
}

type EncryptOutput struct {
	CiphertextBlob      []byte `json:"CiphertextBlob"`
	KeyId               string `json:"KeyId"`
	EncryptionAlgorithm string `json:"EncryptionAlgorithm"`
}

type DecryptInput struct {
	CiphertextBlob      []byte            `json:"CiphertextBlob"`
	EncryptionContext   map[string]string `json:"EncryptionContext,omitempty"`
	GrantTokens         []string          `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	KeyId               string            `json:"KeyId,omitempty" min:"1" max:"2048"`
	EncryptionAlgorithm string            `json:"EncryptionAlgorithm,omitempty" enum:"SYMMETRIC_DEFAULT,RSAES_OAEP_SHA_1,RSAES_OAEP_SHA_256,SM2PKE"`
	DryRun              *bool             `json:"DryRun,omitempty"`
}

func (in *DecryptInput) Validate() error {
	return blobSize("ciphertextBlob", in.CiphertextBlob, 6144, true)
}

type DecryptOutput struct {
	KeyId               string `json:"KeyId"`
	Plaintext           []byte `json:"Plaintext"`
	EncryptionAlgorithm string `json:"EncryptionAlgorithm"`
	KeyMaterialId       string `json:"KeyMaterialId,omitempty"`
}

type GenerateDataKeyInput struct {
	KeyId             string            `json:"KeyId" required:"true" min:"1" max:"2048"`
	EncryptionContext map[string]string `json:"EncryptionContext,omitempty"`
	NumberOfBytes     *int32            `json:"NumberOfBytes,omitempty" min:"1" max:"1024"`
	KeySpec           string            `json:"KeySpec,omitempty" enum:"AES_256,AES_128"`
	GrantTokens       []string          `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	DryRun            *bool             `json:"DryRun,omitempty"`
}

func (in *GenerateDataKeyInput) Validate() error {
	switch {
	case in.NumberOfBytes == nil && in.KeySpec == "":
		return validation("Please specify either number of bytes or key spec.")
	case in.NumberOfBytes != nil && in.KeySpec != "":
		return validation("Please specify either number of bytes or key spec, not both.")
	}
	return nil
}

func (in *GenerateDataKeyInput) size() int {
	switch {
	case in.NumberOfBytes != nil:
		return int(*in.NumberOfBytes)
	case in.KeySpec == "AES_128":
		return 16
	}
	return 32
}

type GenerateDataKeyOutput struct {
	CiphertextBlob []byte `json:"CiphertextBlob"`
	Plaintext      []byte `json:"Plaintext,omitempty"`
	KeyId          string `json:"KeyId"`
	KeyMaterialId  string `json:"KeyMaterialId,omitempty"`
}

type ReEncryptInput struct {
	CiphertextBlob                 []byte            `json:"CiphertextBlob"`
	SourceEncryptionContext        map[string]string `json:"SourceEncryptionContext,omitempty"`
	SourceKeyId                    string            `json:"SourceKeyId,omitempty" min:"1" max:"2048"`
	DestinationKeyId               string            `json:"DestinationKeyId" required:"true" min:"1" max:"2048"`
	DestinationEncryptionContext   map[string]string `json:"DestinationEncryptionContext,omitempty"`
	SourceEncryptionAlgorithm      string            `json:"SourceEncryptionAlgorithm,omitempty" enum:"SYMMETRIC_DEFAULT,RSAES_OAEP_SHA_1,RSAES_OAEP_SHA_256,SM2PKE"`
	DestinationEncryptionAlgorithm string            `json:"DestinationEncryptionAlgorithm,omitempty" enum:"SYMMETRIC_DEFAULT,RSAES_OAEP_SHA_1,RSAES_OAEP_SHA_256,SM2PKE"`
	GrantTokens                    []string          `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	DryRun                         *bool             `json:"DryRun,omitempty"`
}

func (in *ReEncryptInput) Validate() error {
	return blobSize("ciphertextBlob", in.CiphertextBlob, 6144, true)
}

type ReEncryptOutput struct {
	CiphertextBlob                 []byte `json:"CiphertextBlob"`
	SourceKeyId                    string `json:"SourceKeyId"`
	KeyId                          string `json:"KeyId"`
	SourceEncryptionAlgorithm      string `json:"SourceEncryptionAlgorithm"`
	DestinationEncryptionAlgorithm string `json:"DestinationEncryptionAlgorithm"`
	SourceKeyMaterialId            string `json:"SourceKeyMaterialId,omitempty"`
	DestinationKeyMaterialId       string `json:"DestinationKeyMaterialId,omitempty"`
}

type GenerateRandomInput struct {
	NumberOfBytes    *int32 `json:"NumberOfBytes,omitempty" min:"1" max:"1024"`
	CustomKeyStoreId string `json:"CustomKeyStoreId,omitempty" min:"1" max:"64"`
}

func (in *GenerateRandomInput) Validate() error {
	if in.CustomKeyStoreId != "" {
		return unsupported("Custom key stores are not supported by Cairn's KMS; call GenerateRandom without CustomKeyStoreId.")
	}
	if in.NumberOfBytes == nil {
		return validation("%s", operation.ValidationMessage(operation.Violation{Path: "numberOfBytes", Null: true, Constraint: operation.NotNull}))
	}
	return nil
}

type GenerateRandomOutput struct {
	Plaintext []byte `json:"Plaintext"`
}

// dryRun answers a DryRun request that authorization let through.
func dryRun(d *bool) error {
	if d != nil && *d {
		return kmsError("DryRunOperationException", "The request would have succeeded, but the DryRun flag is set.")
	}
	return nil
}

func (s *Service) cryptoOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[EncryptInput, EncryptOutput]{Name: "Encrypt",
			Access: func(ctx context.Context, in *EncryptInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:Encrypt", access{crossAccount: true, context: in.EncryptionContext,
					extra: map[string][]string{"kms:EncryptionAlgorithm": {algorithmOr(in.EncryptionAlgorithm)}}})
			}, Handler: handle(s, s.encrypt)}),
		operation.Declare(operation.Op[DecryptInput, DecryptOutput]{Name: "Decrypt", Access: s.decryptAccess, Handler: handle(s, s.decrypt)}),
		operation.Declare(operation.Op[GenerateDataKeyInput, GenerateDataKeyOutput]{Name: "GenerateDataKey",
			Access: func(ctx context.Context, in *GenerateDataKeyInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:GenerateDataKey", access{crossAccount: true, context: in.EncryptionContext})
			}, Handler: handle(s, func(ctx context.Context, in *GenerateDataKeyInput) (*GenerateDataKeyOutput, error) {
				return s.generateDataKey(ctx, in, true)
			})}),
		operation.Declare(operation.Op[GenerateDataKeyInput, GenerateDataKeyOutput]{Name: "GenerateDataKeyWithoutPlaintext",
			Access: func(ctx context.Context, in *GenerateDataKeyInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:GenerateDataKeyWithoutPlaintext", access{crossAccount: true, context: in.EncryptionContext})
			}, Handler: handle(s, func(ctx context.Context, in *GenerateDataKeyInput) (*GenerateDataKeyOutput, error) {
				return s.generateDataKey(ctx, in, false)
			})}),
		operation.Declare(operation.Op[ReEncryptInput, ReEncryptOutput]{Name: "ReEncrypt", Action: "kms:ReEncryptFrom",
			Access: s.reEncryptAccess, Handler: handle(s, s.reEncrypt)}),
		operation.Declare(operation.Op[GenerateRandomInput, GenerateRandomOutput]{Name: "GenerateRandom",
			Handler: handle(s, func(ctx context.Context, in *GenerateRandomInput) (*GenerateRandomOutput, error) {
				b := make([]byte, *in.NumberOfBytes)
				if _, err := io.ReadFull(s.random, b); err != nil {
					return nil, err
				}
				return &GenerateRandomOutput{Plaintext: b}, nil
			})}),
	}
}

func algorithmOr(a string) string {
	if a == "" {
		return "SYMMETRIC_DEFAULT"
	}
	return a
}

// symmetricFor checks that a key can encrypt with SYMMETRIC_DEFAULT now.
func symmetricFor(k *loadedKey, algorithm string) error {
	if err := usable(k); err != nil {
		return err
	}
	if k.key.KeyUsage != usageEncrypt {
		return kmsError("InvalidKeyUsageException", "%s key usage is %s which is not valid for this operation.", k.key.ARN(), k.key.KeyUsage)
	}
	if k.key.KeySpec != specSymmetric {
		return kmsError("InvalidKeyUsageException", "The encryption algorithm %s is not valid for %s, a %s key; it encrypts with %v.",
			algorithmOr(algorithm), k.key.ARN(), k.key.KeySpec, encryptionAlgorithms(k.key.KeySpec))
	}
	if algorithm != "" && algorithm != "SYMMETRIC_DEFAULT" {
		return kmsError("InvalidKeyUsageException", "The encryption algorithm %s is not valid for %s, a symmetric key.", algorithm, k.key.ARN())
	}
	return nil
}

func (s *Service) encrypt(ctx context.Context, in *EncryptInput) (*EncryptOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	c, err := encryptionWith(k, in.EncryptionAlgorithm, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	if err := c.fits(len(in.Plaintext)); err != nil {
		return nil, err
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	blob, err := s.encryptWith(c, in.Plaintext, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	return &EncryptOutput{CiphertextBlob: blob, KeyId: k.key.ARN(), EncryptionAlgorithm: c.algorithm}, nil
}

// blobKeyID is the key ARN a blob names, for authorization; a blob of no key of this KMS
// is InvalidCiphertextException before anything else.
func (s *Service) blobKeyID(b []byte) (string, blobKey, error) {
	bk, ok := parseBlob(b)
	if !ok {
		return "", bk, invalidCiphertext()
	}
	return arn.KMSKey(s.region, bk.account, bk.id), bk, nil
}

// checkKeyID refuses a KeyId that names another key than the blob's.
func (s *Service) checkKeyID(ctx context.Context, keyID string, blobKeyARN string) error {
	if keyID == "" {
		return nil
	}
	n, err := s.parseKeyID(caller(ctx).Account, keyID)
	if err != nil {
		return err
	}
	if n.alias != "" {
		k, err := s.load(ctx, n)
		if err != nil || k.key.ARN() != blobKeyARN {
			return kmsError("IncorrectKeyException", "The key ID in the request does not identify a KMS key that can perform this operation.")
		}
		return nil
	}
	if s.arnOf(n) != blobKeyARN {
		return kmsError("IncorrectKeyException", "The key ID in the request does not identify a KMS key that can perform this operation.")
	}
	return nil
}

func (s *Service) decryptAccess(ctx context.Context, in *DecryptInput) (*operation.Access, error) {
	keyID, err := s.ciphertextKey(ctx, in.CiphertextBlob, in.KeyId, in.EncryptionAlgorithm, "KeyId")
	if err != nil {
		return nil, err
	}
	return s.keyAccess(ctx, keyID, "kms:Decrypt", access{crossAccount: true, context: in.EncryptionContext,
		extra: map[string][]string{"kms:EncryptionAlgorithm": {algorithmOr(in.EncryptionAlgorithm)}}})
}

// ciphertextKey names the key a ciphertext is decrypted with: the key a symmetric blob
// names (a keyID naming another is IncorrectKeyException), or, for an asymmetric
// algorithm, whose ciphertext names no key, keyID, which is then required.
func (s *Service) ciphertextKey(ctx context.Context, blob []byte, keyID, algorithm, member string) (string, error) {
	if asymmetricAlgorithm(algorithm) {
		if keyID == "" {
			return "", validation("%s is required to decrypt with the encryption algorithm %s: a ciphertext of an asymmetric key does not name its key.", member, algorithm)
		}
		return keyID, nil
	}
	keyARN, _, err := s.blobKeyID(blob)
	if err != nil {
		return "", err
	}
	if err := s.checkKeyID(ctx, keyID, keyARN); err != nil {
		return "", err
	}
	return keyARN, nil
}

// opened is a ciphertext decrypted, with the key and algorithm that decrypted it.
type opened struct {
	cipher     *cipherFor
	plain      []byte
	materialID string
}

// openCiphertext checks the key a ciphertext is decrypted with and, unless dry, decrypts it.
func (s *Service) openCiphertext(ctx context.Context, blob []byte, keyID, algorithm, member string, ec map[string]string, dry *bool) (*opened, error) {
	name, err := s.ciphertextKey(ctx, blob, keyID, algorithm, member)
	if err != nil {
		return nil, err
	}
	k, err := s.key(ctx, name)
	if err != nil {
		return nil, err
	}
	c, err := encryptionWith(k, algorithm, ec)
	if err != nil {
		return nil, err
	}
	if err := dryRun(dry); err != nil {
		return nil, err
	}
	var bk blobKey
	if c.rsa == nil {
		_, bk, _ = s.blobKeyID(blob) // parsed by ciphertextKey already
	}
	plain, matID, err := decryptWith(c, blob, bk, ec)
	if err != nil {
		return nil, err
	}
	return &opened{cipher: c, plain: plain, materialID: matID}, nil
}

func (s *Service) decrypt(ctx context.Context, in *DecryptInput) (*DecryptOutput, error) {
	o, err := s.openCiphertext(ctx, in.CiphertextBlob, in.KeyId, in.EncryptionAlgorithm, "KeyId", in.EncryptionContext, in.DryRun)
	if err != nil {
		return nil, err
	}
	return &DecryptOutput{KeyId: o.cipher.key.key.ARN(), Plaintext: o.plain, EncryptionAlgorithm: o.cipher.algorithm,
		KeyMaterialId: o.materialID}, nil
}

func (s *Service) generateDataKey(ctx context.Context, in *GenerateDataKeyInput, withPlaintext bool) (*GenerateDataKeyOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	if err := symmetricFor(k, ""); err != nil {
		return nil, err
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	dk := make([]byte, in.size())
	if _, err := io.ReadFull(s.random, dk); err != nil {
		return nil, err
	}
	blob, err := s.seal(k, dk, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	out := &GenerateDataKeyOutput{CiphertextBlob: blob, KeyId: k.key.ARN(), KeyMaterialId: k.materials[k.key.CurrentVersion].id}
	if withPlaintext {
		out.Plaintext = dk
	}
	return out, nil
}

func (s *Service) reEncryptAccess(ctx context.Context, in *ReEncryptInput) (*operation.Access, error) {
	keyID, err := s.ciphertextKey(ctx, in.CiphertextBlob, in.SourceKeyId, in.SourceEncryptionAlgorithm, "SourceKeyId")
	if err != nil {
		return nil, err
	}
	dst, err := s.keyAccess(ctx, in.DestinationKeyId, "kms:ReEncryptTo", access{crossAccount: true, context: in.DestinationEncryptionContext,
		extra: map[string][]string{"kms:EncryptionAlgorithm": {algorithmOr(in.DestinationEncryptionAlgorithm)}}})
	if err != nil {
		return nil, err
	}
	src, err := s.keyAccess(ctx, keyID, "kms:ReEncryptFrom", access{crossAccount: true, context: in.SourceEncryptionContext,
		extra: map[string][]string{"kms:EncryptionAlgorithm": {algorithmOr(in.SourceEncryptionAlgorithm)}}})
	if err != nil {
		return nil, err
	}
	same := fmt.Sprint(dst.Resources[0].ARN == src.Resources[0].ARN)
	src.Context["kms:ReEncryptOnSameKey"] = []string{same}
	dst.Context["kms:ReEncryptOnSameKey"] = []string{same}
	src.Implied = []operation.Access{*dst}
	return src, nil
}

func (s *Service) reEncrypt(ctx context.Context, in *ReEncryptInput) (*ReEncryptOutput, error) {
	dstKey, err := s.key(ctx, in.DestinationKeyId)
	if err != nil {
		return nil, err
	}
	dst, err := encryptionWith(dstKey, in.DestinationEncryptionAlgorithm, in.DestinationEncryptionContext)
	if err != nil {
		return nil, err
	}
	src, err := s.openCiphertext(ctx, in.CiphertextBlob, in.SourceKeyId, in.SourceEncryptionAlgorithm, "SourceKeyId",
		in.SourceEncryptionContext, in.DryRun)
	if err != nil {
		return nil, err
	}
	blob, err := s.encryptWith(dst, src.plain, in.DestinationEncryptionContext)
	clear(src.plain)
	if err != nil {
		return nil, err
	}
	out := &ReEncryptOutput{CiphertextBlob: blob, SourceKeyId: src.cipher.key.key.ARN(), KeyId: dstKey.key.ARN(),
		SourceEncryptionAlgorithm: src.cipher.algorithm, DestinationEncryptionAlgorithm: dst.algorithm,
		SourceKeyMaterialId: src.materialID}
	if dst.rsa == nil {
		out.DestinationKeyMaterialId = dstKey.materials[dstKey.key.CurrentVersion].id
	}
	return out, nil
}

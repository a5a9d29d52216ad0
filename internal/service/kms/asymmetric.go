package kms

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"fmt"
	"hash"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
)

// HMAC keys (GenerateMac, VerifyMac) and asymmetric signing keys (Sign, Verify,
// GetPublicKey), with the standard library.

type GenerateMacInput struct {
	KeyId        string   `json:"KeyId" required:"true" min:"1" max:"2048"`
	Message      []byte   `json:"Message" sensitive:"true"`
	MacAlgorithm string   `json:"MacAlgorithm" required:"true" enum:"HMAC_SHA_224,HMAC_SHA_256,HMAC_SHA_384,HMAC_SHA_512"`
	GrantTokens  []string `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	DryRun       *bool    `json:"DryRun,omitempty"`
}

func (in *GenerateMacInput) Validate() error { return blobSize("message", in.Message, 4096, true) }

type GenerateMacOutput struct {
	Mac          []byte `json:"Mac"`
	MacAlgorithm string `json:"MacAlgorithm"`
	KeyId        string `json:"KeyId"`
}

type VerifyMacInput struct {
	KeyId        string   `json:"KeyId" required:"true" min:"1" max:"2048"`
	Message      []byte   `json:"Message" sensitive:"true"`
	MacAlgorithm string   `json:"MacAlgorithm" required:"true" enum:"HMAC_SHA_224,HMAC_SHA_256,HMAC_SHA_384,HMAC_SHA_512"`
	Mac          []byte   `json:"Mac"`
	GrantTokens  []string `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	DryRun       *bool    `json:"DryRun,omitempty"`
}

func (in *VerifyMacInput) Validate() error {
	if err := blobSize("message", in.Message, 4096, true); err != nil {
		return err
	}
	return blobSize("mac", in.Mac, 6144, true)
}

type VerifyMacOutput struct {
	KeyId        string `json:"KeyId"`
	MacValid     bool   `json:"MacValid"`
	MacAlgorithm string `json:"MacAlgorithm"`
}

const signingEnum = "RSASSA_PSS_SHA_256,RSASSA_PSS_SHA_384,RSASSA_PSS_SHA_512,RSASSA_PKCS1_V1_5_SHA_256,RSASSA_PKCS1_V1_5_SHA_384,RSASSA_PKCS1_V1_5_SHA_512,ECDSA_SHA_256,ECDSA_SHA_384,ECDSA_SHA_512,SM2DSA,ML_DSA_SHAKE_256,ED25519_SHA_512,ED25519_PH_SHA_512"

type SignInput struct {
	KeyId            string   `json:"KeyId" required:"true" min:"1" max:"2048"`
	Message          []byte   `json:"Message" sensitive:"true"`
	MessageType      string   `json:"MessageType,omitempty" enum:"RAW,DIGEST,EXTERNAL_MU"`
	GrantTokens      []string `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	SigningAlgorithm string   `json:"SigningAlgorithm" required:"true" enum:"RSASSA_PSS_SHA_256,RSASSA_PSS_SHA_384,RSASSA_PSS_SHA_512,RSASSA_PKCS1_V1_5_SHA_256,RSASSA_PKCS1_V1_5_SHA_384,RSASSA_PKCS1_V1_5_SHA_512,ECDSA_SHA_256,ECDSA_SHA_384,ECDSA_SHA_512,SM2DSA,ML_DSA_SHAKE_256,ED25519_SHA_512,ED25519_PH_SHA_512"`
	DryRun           *bool    `json:"DryRun,omitempty"`
}

func (in *SignInput) Validate() error { return blobSize("message", in.Message, 4096, true) }

type SignOutput struct {
	KeyId            string `json:"KeyId"`
	Signature        []byte `json:"Signature"`
	SigningAlgorithm string `json:"SigningAlgorithm"`
}

type VerifyInput struct {
	KeyId            string   `json:"KeyId" required:"true" min:"1" max:"2048"`
	Message          []byte   `json:"Message" sensitive:"true"`
	MessageType      string   `json:"MessageType,omitempty" enum:"RAW,DIGEST,EXTERNAL_MU"`
	Signature        []byte   `json:"Signature"`
	SigningAlgorithm string   `json:"SigningAlgorithm" required:"true" enum:"RSASSA_PSS_SHA_256,RSASSA_PSS_SHA_384,RSASSA_PSS_SHA_512,RSASSA_PKCS1_V1_5_SHA_256,RSASSA_PKCS1_V1_5_SHA_384,RSASSA_PKCS1_V1_5_SHA_512,ECDSA_SHA_256,ECDSA_SHA_384,ECDSA_SHA_512,SM2DSA,ML_DSA_SHAKE_256,ED25519_SHA_512,ED25519_PH_SHA_512"`
	GrantTokens      []string `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	DryRun           *bool    `json:"DryRun,omitempty"`
}

func (in *VerifyInput) Validate() error {
	if err := blobSize("message", in.Message, 4096, true); err != nil {
		return err
	}
	return blobSize("signature", in.Signature, 6144, true)
}

type VerifyOutput struct {
	KeyId            string `json:"KeyId"`
	SignatureValid   bool   `json:"SignatureValid"`
	SigningAlgorithm string `json:"SigningAlgorithm"`
}

type GetPublicKeyOutput struct {
	KeyId                  string   `json:"KeyId"`
	PublicKey              []byte   `json:"PublicKey"`
	CustomerMasterKeySpec  string   `json:"CustomerMasterKeySpec"`
	KeySpec                string   `json:"KeySpec"`
	KeyUsage               string   `json:"KeyUsage"`
	EncryptionAlgorithms   []string `json:"EncryptionAlgorithms,omitempty"`
	SigningAlgorithms      []string `json:"SigningAlgorithms,omitempty"`
	KeyAgreementAlgorithms []string `json:"KeyAgreementAlgorithms,omitempty"`
}

func (s *Service) asymmetricOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[GenerateMacInput, GenerateMacOutput]{Name: "GenerateMac",
			Access: func(ctx context.Context, in *GenerateMacInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:GenerateMac", access{crossAccount: true,
					extra: map[string][]string{"kms:MacAlgorithm": {in.MacAlgorithm}}})
			}, Handler: handle(s, s.generateMac)}),
		operation.Declare(operation.Op[VerifyMacInput, VerifyMacOutput]{Name: "VerifyMac",
			Access: func(ctx context.Context, in *VerifyMacInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:VerifyMac", access{crossAccount: true,
					extra: map[string][]string{"kms:MacAlgorithm": {in.MacAlgorithm}}})
			}, Handler: handle(s, s.verifyMac)}),
		operation.Declare(operation.Op[SignInput, SignOutput]{Name: "Sign",
			Access: func(ctx context.Context, in *SignInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:Sign", access{crossAccount: true,
					extra: map[string][]string{"kms:SigningAlgorithm": {in.SigningAlgorithm}, "kms:MessageType": {messageType(in.MessageType)}}})
			}, Handler: handle(s, s.sign)}),
		operation.Declare(operation.Op[VerifyInput, VerifyOutput]{Name: "Verify",
			Access: func(ctx context.Context, in *VerifyInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:Verify", access{crossAccount: true,
					extra: map[string][]string{"kms:SigningAlgorithm": {in.SigningAlgorithm}, "kms:MessageType": {messageType(in.MessageType)}}})
			}, Handler: handle(s, s.verify)}),
		operation.Declare(operation.Op[KeyIDInput, GetPublicKeyOutput]{Name: "GetPublicKey",
			Access: func(ctx context.Context, in *KeyIDInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:GetPublicKey", access{crossAccount: true})
			}, Handler: handle(s, s.getPublicKey)}),
	}
}

func messageType(t string) string {
	if t == "" {
		return "RAW"
	}
	return t
}

// macKey checks an HMAC key and algorithm and returns the key's current material.
func macKey(k *loadedKey, algorithm string) ([]byte, func() hash.Hash, error) {
	if err := usable(k); err != nil {
		return nil, nil, err
	}
	if k.key.KeyUsage != usageMAC {
		return nil, nil, kmsError("InvalidKeyUsageException", "%s key usage is %s which is not valid for this operation.", k.key.ARN(), k.key.KeyUsage)
	}
	if macAlgorithm(k.key.KeySpec) != algorithm {
		return nil, nil, kmsError("InvalidKeyUsageException", "MAC algorithm %s is not valid for %s, a %s key.", algorithm, k.key.ARN(), k.key.KeySpec)
	}
	var h func() hash.Hash
	switch algorithm {
	case "HMAC_SHA_224":
		h = sha256.New224
	case "HMAC_SHA_256":
		h = sha256.New
	case "HMAC_SHA_384":
		h = sha512.New384
	default:
		h = sha512.New
	}
	return k.materials[k.key.CurrentVersion].raw, h, nil
}

func (s *Service) generateMac(ctx context.Context, in *GenerateMacInput) (*GenerateMacOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	raw, h, err := macKey(k, in.MacAlgorithm)
	if err != nil {
		return nil, err
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	m := hmac.New(h, raw)
	m.Write(in.Message)
	return &GenerateMacOutput{Mac: m.Sum(nil), MacAlgorithm: in.MacAlgorithm, KeyId: k.key.ARN()}, nil
}

func (s *Service) verifyMac(ctx context.Context, in *VerifyMacInput) (*VerifyMacOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	raw, h, err := macKey(k, in.MacAlgorithm)
	if err != nil {
		return nil, err
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	m := hmac.New(h, raw)
	m.Write(in.Message)
	if !hmac.Equal(m.Sum(nil), in.Mac) {
		return nil, kmsError("KMSInvalidMacException", "The MAC is not valid for this message, key and algorithm.")
	}
	return &VerifyMacOutput{KeyId: k.key.ARN(), MacValid: true, MacAlgorithm: in.MacAlgorithm}, nil
}

// The Ed25519 key spec and its two signing algorithms: PureEdDSA over a message
// (MessageType RAW only), and HashEdDSA (Ed25519ph) over a SHA-512 digest (MessageType
// DIGEST only), which KMS hashes once more as the algorithm's own prehash (FIPS 186-5,
// 7.8.1, step 1).
const (
	specEd25519    = "ECC_NIST_EDWARDS25519"
	ed25519Pure    = "ED25519_SHA_512"
	ed25519Prehash = "ED25519_PH_SHA_512"
)

// signing is what a Sign or Verify call signs: the key, and the input and options of its
// algorithm.
type signing struct {
	key    crypto.Signer
	hash   crypto.Hash
	digest []byte            // the digest for RSA and ECDSA; the message for pure Ed25519
	opts   crypto.SignerOpts // the hash, or RSA-PSS or Ed25519 options
}

// signer checks a signing key, algorithm and message type, and returns what to sign or
// verify.
func signer(k *loadedKey, algorithm, msgType string, message []byte) (*signing, error) {
	if err := usable(k); err != nil {
		return nil, err
	}
	if k.key.KeyUsage != usageSign {
		return nil, kmsError("InvalidKeyUsageException", "%s key usage is %s which is not valid for this operation.", k.key.ARN(), k.key.KeyUsage)
	}
	if !contains(signingAlgorithms(k.key.KeySpec), algorithm) {
		return nil, kmsError("InvalidKeyUsageException", "Signing algorithm %s is not valid for %s, a %s key.", algorithm, k.key.ARN(), k.key.KeySpec)
	}
	sg := k.materials[k.key.CurrentVersion].priv
	if sg == nil {
		return nil, fmt.Errorf("kms: key material of %s cannot sign", k.key.ARN())
	}
	if k.key.KeySpec == specEd25519 {
		return ed25519Signing(sg, algorithm, messageType(msgType), message)
	}
	var h crypto.Hash
	switch {
	case strings.HasSuffix(algorithm, "SHA_256"):
		h = crypto.SHA256
	case strings.HasSuffix(algorithm, "SHA_384"):
		h = crypto.SHA384
	default:
		h = crypto.SHA512
	}
	digest := message
	switch messageType(msgType) {
	case "RAW":
		d := h.New()
		d.Write(message)
		digest = d.Sum(nil)
	case "DIGEST":
		if len(message) != h.Size() {
			return nil, validation("Digest is invalid length for algorithm %s.", algorithm)
		}
	default:
		return nil, validation("MessageType %s is only valid for ML_DSA_SHAKE_256; %s is a %s key.", msgType, k.key.ARN(), k.key.KeySpec)
	}
	var opts crypto.SignerOpts = h
	if strings.HasPrefix(algorithm, "RSASSA_PSS") {
		opts = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}
	}
	return &signing{key: sg, hash: h, digest: digest, opts: opts}, nil
}

// ed25519Signing is signer for an Ed25519 key: each algorithm takes one message type.
func ed25519Signing(sg crypto.Signer, algorithm, msgType string, message []byte) (*signing, error) {
	switch {
	case algorithm == ed25519Pure && msgType == "RAW":
		return &signing{key: sg, digest: message, opts: &ed25519.Options{}}, nil
	case algorithm == ed25519Pure:
		return nil, validation("The %s signing algorithm requires MessageType RAW, not %s.", ed25519Pure, msgType)
	case msgType != "DIGEST":
		return nil, validation("The %s signing algorithm requires MessageType DIGEST, not %s: send the SHA-512 digest of the message.", ed25519Prehash, msgType)
	case len(message) != sha512.Size:
		return nil, validation("Digest is invalid length for algorithm %s.", algorithm)
	}
	ph := sha512.Sum512(message)
	return &signing{key: sg, hash: crypto.SHA512, digest: ph[:], opts: &ed25519.Options{Hash: crypto.SHA512}}, nil
}

func (s *Service) sign(ctx context.Context, in *SignInput) (*SignOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	sn, err := signer(k, in.SigningAlgorithm, in.MessageType, in.Message)
	if err != nil {
		return nil, err
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	sig, err := sn.key.Sign(s.random, sn.digest, sn.opts)
	if err != nil {
		return nil, fmt.Errorf("kms: sign: %w", err)
	}
	return &SignOutput{KeyId: k.key.ARN(), Signature: sig, SigningAlgorithm: in.SigningAlgorithm}, nil
}

func (s *Service) verify(ctx context.Context, in *VerifyInput) (*VerifyOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	sn, err := signer(k, in.SigningAlgorithm, in.MessageType, in.Message)
	if err != nil {
		return nil, err
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	valid := false
	switch pub := sn.key.Public().(type) {
	case *rsa.PublicKey:
		if pss, ok := sn.opts.(*rsa.PSSOptions); ok {
			valid = rsa.VerifyPSS(pub, sn.hash, sn.digest, in.Signature, pss) == nil
		} else {
			valid = rsa.VerifyPKCS1v15(pub, sn.hash, sn.digest, in.Signature) == nil
		}
	case *ecdsa.PublicKey:
		valid = ecdsa.VerifyASN1(pub, sn.digest, in.Signature)
	case ed25519.PublicKey:
		valid = ed25519.VerifyWithOptions(pub, sn.digest, in.Signature, sn.opts.(*ed25519.Options)) == nil
	}
	if !valid {
		return nil, kmsError("KMSInvalidSignatureException", "The signature is not valid for this message, key and algorithm.")
	}
	return &VerifyOutput{KeyId: k.key.ARN(), SignatureValid: true, SigningAlgorithm: in.SigningAlgorithm}, nil
}

func (s *Service) getPublicKey(ctx context.Context, in *KeyIDInput) (*GetPublicKeyOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	if err := usable(k); err != nil {
		return nil, err
	}
	priv := k.materials[k.key.CurrentVersion].priv
	if priv == nil {
		return nil, unsupported("%s is a %s key; only asymmetric keys have a public key.", k.key.ARN(), k.key.KeySpec)
	}
	der, err := x509.MarshalPKIXPublicKey(priv.Public())
	if err != nil {
		return nil, err
	}
	out := &GetPublicKeyOutput{KeyId: k.key.ARN(), PublicKey: der, CustomerMasterKeySpec: k.key.KeySpec, KeySpec: k.key.KeySpec,
		KeyUsage: k.key.KeyUsage}
	switch k.key.KeyUsage {
	case usageEncrypt:
		out.EncryptionAlgorithms = encryptionAlgorithms(k.key.KeySpec)
	case usageAgree:
		out.KeyAgreementAlgorithms = []string{"ECDH"}
	default:
		out.SigningAlgorithms = signingAlgorithms(k.key.KeySpec)
	}
	return out, nil
}

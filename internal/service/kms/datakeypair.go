package kms

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"

	"github.com/cairnhq/cairn/internal/operation"
)

// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: an asymmetric key pair made
// here, its private key (PKCS #8) sealed under a symmetric encryption key as any other
// plaintext is, so that Decrypt with the same encryption context gives it back.

const dataKeyPairSpecs = "RSA_2048,RSA_3072,RSA_4096,ECC_NIST_P256,ECC_NIST_P384,ECC_NIST_P521,ECC_SECG_P256K1,SM2,ECC_NIST_EDWARDS25519"

// RecipientInfo names an attested Nitro Enclave or NitroTPM; Cairn refuses it.
type RecipientInfo struct {
	KeyEncryptionAlgorithm string `json:"KeyEncryptionAlgorithm,omitempty" enum:"RSAES_OAEP_SHA_256"`
	AttestationDocument    []byte `json:"AttestationDocument,omitempty"`
}

type GenerateDataKeyPairInput struct {
	EncryptionContext map[string]string `json:"EncryptionContext,omitempty"`
	KeyId             string            `json:"KeyId" required:"true" min:"1" max:"2048"`
	KeyPairSpec       string            `json:"KeyPairSpec" required:"true" enum:"RSA_2048,RSA_3072,RSA_4096,ECC_NIST_P256,ECC_NIST_P384,ECC_NIST_P521,ECC_SECG_P256K1,SM2,ECC_NIST_EDWARDS25519"`
	GrantTokens       []string          `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	Recipient         *RecipientInfo    `json:"Recipient,omitempty"`
	DryRun            *bool             `json:"DryRun,omitempty"`
}

// Validate refuses what Cairn does not offer, saying so.
func (in *GenerateDataKeyPairInput) Validate() error {
	if in.Recipient != nil {
		return unsupported("Recipient (an attested AWS Nitro Enclave or NitroTPM) is not supported by Cairn's KMS; call GenerateDataKeyPair without Recipient.")
	}
	return dataKeyPairSpecOffered(in.KeyPairSpec)
}

type GenerateDataKeyPairOutput struct {
	PrivateKeyCiphertextBlob []byte `json:"PrivateKeyCiphertextBlob"`
	PrivateKeyPlaintext      []byte `json:"PrivateKeyPlaintext,omitempty"`
	PublicKey                []byte `json:"PublicKey"`
	KeyId                    string `json:"KeyId"`
	KeyPairSpec              string `json:"KeyPairSpec"`
	KeyMaterialId            string `json:"KeyMaterialId,omitempty"`
}

type GenerateDataKeyPairWithoutPlaintextInput struct {
	EncryptionContext map[string]string `json:"EncryptionContext,omitempty"`
	KeyId             string            `json:"KeyId" required:"true" min:"1" max:"2048"`
	KeyPairSpec       string            `json:"KeyPairSpec" required:"true" enum:"RSA_2048,RSA_3072,RSA_4096,ECC_NIST_P256,ECC_NIST_P384,ECC_NIST_P521,ECC_SECG_P256K1,SM2,ECC_NIST_EDWARDS25519"`
	GrantTokens       []string          `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	DryRun            *bool             `json:"DryRun,omitempty"`
}

func (in *GenerateDataKeyPairWithoutPlaintextInput) Validate() error {
	return dataKeyPairSpecOffered(in.KeyPairSpec)
}

type GenerateDataKeyPairWithoutPlaintextOutput struct {
	PrivateKeyCiphertextBlob []byte `json:"PrivateKeyCiphertextBlob"`
	PublicKey                []byte `json:"PublicKey"`
	KeyId                    string `json:"KeyId"`
	KeyPairSpec              string `json:"KeyPairSpec"`
	KeyMaterialId            string `json:"KeyMaterialId,omitempty"`
}

// dataKeyPairSpecOffered refuses the key pair specs of the model that Cairn does not make.
func dataKeyPairSpecOffered(spec string) error {
	switch spec {
	case "ECC_SECG_P256K1", "SM2":
		return unsupported("KeyPairSpec %s is not supported by Cairn's KMS; it makes RSA_2048/3072/4096, ECC_NIST_P256/P384/P521 and ECC_NIST_EDWARDS25519 data key pairs.", spec)
	}
	return nil
}

func (s *Service) dataKeyPairOps() []*operation.Operation {
	pairAccess := func(ctx context.Context, keyID, action, spec string, ec map[string]string) (*operation.Access, error) {
		return s.keyAccess(ctx, keyID, action, access{crossAccount: true, context: ec,
			extra: map[string][]string{"kms:DataKeyPairSpec": {spec}}})
	}
	return []*operation.Operation{
		operation.Declare(operation.Op[GenerateDataKeyPairInput, GenerateDataKeyPairOutput]{Name: "GenerateDataKeyPair",
			Access: func(ctx context.Context, in *GenerateDataKeyPairInput) (*operation.Access, error) {
				return pairAccess(ctx, in.KeyId, "kms:GenerateDataKeyPair", in.KeyPairSpec, in.EncryptionContext)
			},
			Handler: handle(s, func(ctx context.Context, in *GenerateDataKeyPairInput) (*GenerateDataKeyPairOutput, error) {
				p, err := s.generateDataKeyPair(ctx, in.KeyId, in.KeyPairSpec, in.EncryptionContext, in.DryRun)
				if err != nil {
					return nil, err
				}
				return &GenerateDataKeyPairOutput{PrivateKeyCiphertextBlob: p.blob, PrivateKeyPlaintext: p.private,
					PublicKey: p.public, KeyId: p.keyARN, KeyPairSpec: in.KeyPairSpec, KeyMaterialId: p.materialID}, nil
			})}),
		operation.Declare(operation.Op[GenerateDataKeyPairWithoutPlaintextInput, GenerateDataKeyPairWithoutPlaintextOutput]{
			Name: "GenerateDataKeyPairWithoutPlaintext",
			Access: func(ctx context.Context, in *GenerateDataKeyPairWithoutPlaintextInput) (*operation.Access, error) {
				return pairAccess(ctx, in.KeyId, "kms:GenerateDataKeyPairWithoutPlaintext", in.KeyPairSpec, in.EncryptionContext)
			},
			Handler: handle(s, func(ctx context.Context, in *GenerateDataKeyPairWithoutPlaintextInput) (*GenerateDataKeyPairWithoutPlaintextOutput, error) {
				p, err := s.generateDataKeyPair(ctx, in.KeyId, in.KeyPairSpec, in.EncryptionContext, in.DryRun)
				if err != nil {
					return nil, err
				}
				clear(p.private)
				return &GenerateDataKeyPairWithoutPlaintextOutput{PrivateKeyCiphertextBlob: p.blob, PublicKey: p.public,
					KeyId: p.keyARN, KeyPairSpec: in.KeyPairSpec, KeyMaterialId: p.materialID}, nil
			})}),
	}
}

// dataKeyPair is a key pair made for a caller, its private key sealed under a KMS key.
type dataKeyPair struct {
	blob, private, public []byte
	keyARN, materialID    string
}

func (s *Service) generateDataKeyPair(ctx context.Context, keyID, spec string, ec map[string]string, dry *bool) (*dataKeyPair, error) {
	k, err := s.key(ctx, keyID)
	if err != nil {
		return nil, err
	}
	if k.key.KeySpec != specSymmetric || k.key.KeyUsage != usageEncrypt {
		if err := usable(k); err != nil {
			return nil, err
		}
		return nil, kmsError("InvalidKeyUsageException",
			"%s is a %s key with key usage %s; a data key pair is encrypted under a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT).",
			k.key.ARN(), k.key.KeySpec, k.key.KeyUsage)
	}
	if err := symmetricFor(k, ""); err != nil {
		return nil, err
	}
	if err := dryRun(dry); err != nil {
		return nil, err
	}
	private, public, err := generateKeyPair(spec, s.random)
	if err != nil {
		return nil, err
	}
	blob, err := s.seal(k, private, ec)
	if err != nil {
		return nil, err
	}
	return &dataKeyPair{blob: blob, private: private, public: public, keyARN: k.key.ARN(),
		materialID: k.materials[k.key.CurrentVersion].id}, nil
}

// generateKeyPair makes a key pair of a data key pair spec: the private key in PKCS #8
// and the public key as a DER SubjectPublicKeyInfo.
func generateKeyPair(spec string, random io.Reader) (private, public []byte, err error) {
	priv, ok, err := newPrivateKey(spec, random)
	if !ok {
		return nil, nil, unsupported("KeyPairSpec %s is not supported by Cairn's KMS.", spec)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("kms: data key pair %s: %w", spec, err)
	}
	if private, err = x509.MarshalPKCS8PrivateKey(priv); err != nil {
		return nil, nil, fmt.Errorf("kms: data key pair %s: %w", spec, err)
	}
	if public, err = x509.MarshalPKIXPublicKey(priv.Public()); err != nil {
		return nil, nil, fmt.Errorf("kms: data key pair %s: %w", spec, err)
	}
	return private, public, nil
}

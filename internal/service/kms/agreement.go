package kms

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"fmt"

	"github.com/cairnhq/cairn/internal/operation"
)

// Key agreement keys (KeyUsage KEY_AGREEMENT, ECC_NIST_P256/P384/P521) and
// DeriveSharedSecret: ECDH of the key's private key with a peer's public key. The NIST
// curves have cofactor 1, so this is the cofactor Diffie-Hellman primitive KMS names.

type DeriveSharedSecretInput struct {
	KeyId                 string         `json:"KeyId" required:"true" min:"1" max:"2048"`
	KeyAgreementAlgorithm string         `json:"KeyAgreementAlgorithm" required:"true" enum:"ECDH"`
	PublicKey             []byte         `json:"PublicKey"`
	GrantTokens           []string       `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	DryRun                *bool          `json:"DryRun,omitempty"`
	Recipient             *RecipientInfo `json:"Recipient,omitempty"`
}

// Validate refuses what Cairn does not offer, saying so.
func (in *DeriveSharedSecretInput) Validate() error {
	if err := blobSize("publicKey", in.PublicKey, 8192, true); err != nil {
		return err
	}
	if in.Recipient != nil {
		return unsupported("Recipient (an attested AWS Nitro Enclave or NitroTPM) is not supported by Cairn's KMS; call DeriveSharedSecret without Recipient.")
	}
	return nil
}

type DeriveSharedSecretOutput struct {
	KeyId                 string `json:"KeyId"`
	SharedSecret          []byte `json:"SharedSecret"`
	KeyAgreementAlgorithm string `json:"KeyAgreementAlgorithm"`
	KeyOrigin             string `json:"KeyOrigin"`
}

func (s *Service) agreementOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[DeriveSharedSecretInput, DeriveSharedSecretOutput]{Name: "DeriveSharedSecret",
			Access: func(ctx context.Context, in *DeriveSharedSecretInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:DeriveSharedSecret", access{crossAccount: true,
					extra: map[string][]string{"kms:KeyAgreementAlgorithm": {in.KeyAgreementAlgorithm}}})
			}, Handler: handle(s, s.deriveSharedSecret)}),
	}
}

func (s *Service) deriveSharedSecret(ctx context.Context, in *DeriveSharedSecretInput) (*DeriveSharedSecretOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	if err := usable(k); err != nil {
		return nil, err
	}
	if k.key.KeyUsage != usageAgree {
		return nil, kmsError("InvalidKeyUsageException", "%s key usage is %s which is not valid for DeriveSharedSecret; it needs a KEY_AGREEMENT key.",
			k.key.ARN(), k.key.KeyUsage)
	}
	priv, ok := k.materials[k.key.CurrentVersion].priv.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("kms: key material of %s is no ECC key", k.key.ARN())
	}
	badPeer := validation("PublicKey is not a DER-encoded SubjectPublicKeyInfo of a point on the curve of %s (%s).", k.key.ARN(), k.key.KeySpec)
	parsed, err := x509.ParsePKIXPublicKey(in.PublicKey)
	if err != nil {
		return nil, badPeer
	}
	peer, ok := parsed.(*ecdsa.PublicKey)
	if !ok || peer.Curve != priv.Curve {
		return nil, badPeer
	}
	peerECDH, err := peer.ECDH()
	if err != nil {
		return nil, badPeer
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	own, err := priv.ECDH()
	if err != nil {
		return nil, fmt.Errorf("kms: key material of %s: %w", k.key.ARN(), err)
	}
	secret, err := own.ECDH(peerECDH)
	if err != nil {
		return nil, badPeer
	}
	return &DeriveSharedSecretOutput{KeyId: k.key.ARN(), SharedSecret: secret, KeyAgreementAlgorithm: in.KeyAgreementAlgorithm,
		KeyOrigin: k.key.Origin}, nil
}

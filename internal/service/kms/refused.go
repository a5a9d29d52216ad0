package kms

import (
	"context"

	"github.com/cairnhq/cairn/internal/operation"
)

// Anything is the input of an operation Cairn refuses whatever it holds.
type Anything struct{}

// refusedOps are the operations of what Cairn's KMS does not offer — custom key stores,
// imported key material, multi-Region keys — each answered with an error that says so.
func (s *Service) refusedOps() []*operation.Operation {
	refuse := func(name, what string) *operation.Operation {
		return operation.Declare(operation.Op[Anything, Empty]{Name: name, Unauthorized: true,
			Handler: func(context.Context, *Anything) (*Empty, error) {
				return nil, unsupported("%s is not supported by Cairn's KMS: %s", name, what)
			}})
	}
	const stores = "custom key stores (AWS CloudHSM and external key stores) are not offered; keys live in Cairn's own key store."
	const imported = "imported key material is not offered; create keys with Origin AWS_KMS, whose material Cairn generates."
	const multi = "multi-Region keys are not offered; Cairn serves one Region."
	return []*operation.Operation{
		refuse("CreateCustomKeyStore", stores),
		refuse("DescribeCustomKeyStores", stores),
		refuse("UpdateCustomKeyStore", stores),
		refuse("DeleteCustomKeyStore", stores),
		refuse("ConnectCustomKeyStore", stores),
		refuse("DisconnectCustomKeyStore", stores),
		refuse("GetParametersForImport", imported),
		refuse("ImportKeyMaterial", imported),
		refuse("DeleteImportedKeyMaterial", imported),
		refuse("ReplicateKey", multi),
		refuse("UpdatePrimaryRegion", multi),
	}
}

// macAlgorithm is the MAC algorithm of an HMAC key spec.
func macAlgorithm(spec string) string {
	return "HMAC_SHA_" + spec[len("HMAC_"):]
}

// signingAlgorithms are the signing algorithms of an asymmetric key spec.
func signingAlgorithms(spec string) []string {
	switch spec {
	case "ECC_NIST_P256":
		return []string{"ECDSA_SHA_256"}
	case "ECC_NIST_P384":
		return []string{"ECDSA_SHA_384"}
	case "ECC_NIST_P521":
		return []string{"ECDSA_SHA_512"}
	case specEd25519:
		return []string{ed25519Pure, ed25519Prehash}
	}
	return []string{"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
		"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"}
}

package e2e

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"hash"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// GenerateDataKeyPair: each spec gives a PKCS #8 private key whose public half is the
// PublicKey answered, and a ciphertext of it that Decrypt opens with the same context.
func TestKMSDataKeyPairs(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := kmsFor(c.config("data-science"))
	key := mustKey(t, client, "")
	ec := map[string]string{"purpose": "signing"}

	for _, spec := range []kmstypes.DataKeyPairSpec{kmstypes.DataKeyPairSpecRsa2048, kmstypes.DataKeyPairSpecRsa3072,
		kmstypes.DataKeyPairSpecEccNistP256, kmstypes.DataKeyPairSpecEccNistP384, kmstypes.DataKeyPairSpecEccNistP521,
		kmstypes.DataKeyPairSpecEccNistEdwards25519} {
		out, err := client.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: aws.String(key), KeyPairSpec: spec, EncryptionContext: ec})
		if err != nil {
			t.Fatalf("GenerateDataKeyPair %s: %v", spec, err)
		}
		if aws.ToString(out.KeyId) != key || out.KeyPairSpec != spec || len(aws.ToString(out.KeyMaterialId)) != 64 {
			t.Errorf("%s: answer %+v", spec, out)
		}
		priv, err := x509.ParsePKCS8PrivateKey(out.PrivateKeyPlaintext)
		if err != nil {
			t.Fatalf("%s: private key is not PKCS #8: %v", spec, err)
		}
		pub, err := x509.ParsePKIXPublicKey(out.PublicKey)
		if err != nil {
			t.Fatalf("%s: public key is not a SubjectPublicKeyInfo: %v", spec, err)
		}
		if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(priv.(crypto.Signer).Public()) {
			t.Errorf("%s: the public key is not the private key's", spec)
		}
		switch spec {
		case kmstypes.DataKeyPairSpecRsa3072:
			if priv.(*rsa.PrivateKey).N.BitLen() != 3072 {
				t.Errorf("RSA_3072 key of %d bits", priv.(*rsa.PrivateKey).N.BitLen())
			}
		case kmstypes.DataKeyPairSpecEccNistP384:
			if priv.(*ecdsa.PrivateKey).Curve.Params().Name != "P-384" {
				t.Errorf("ECC_NIST_P384 on %s", priv.(*ecdsa.PrivateKey).Curve.Params().Name)
			}
		case kmstypes.DataKeyPairSpecEccNistEdwards25519:
			if _, ok := priv.(ed25519.PrivateKey); !ok {
				t.Errorf("ECC_NIST_EDWARDS25519 gave %T", priv)
			}
		}
		dec, err := client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: ec})
		if err != nil || !bytes.Equal(dec.Plaintext, out.PrivateKeyPlaintext) {
			t.Fatalf("%s: Decrypt of the private key: %v", spec, err)
		}
		_, err = client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: out.PrivateKeyCiphertextBlob})
		apiError(t, err, "InvalidCiphertextException")
	}

	without, err := client.GenerateDataKeyPairWithoutPlaintext(ctx, &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: aws.String(key),
		KeyPairSpec: kmstypes.DataKeyPairSpecEccNistP256})
	if err != nil {
		t.Fatalf("GenerateDataKeyPairWithoutPlaintext: %v", err)
	}
	dec, err := client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: without.PrivateKeyCiphertextBlob})
	if err != nil {
		t.Fatalf("Decrypt: %v", err)
	}
	priv, err := x509.ParsePKCS8PrivateKey(dec.Plaintext)
	if err != nil {
		t.Fatalf("private key: %v", err)
	}
	pub, _ := x509.ParsePKIXPublicKey(without.PublicKey)
	if !pub.(*ecdsa.PublicKey).Equal(priv.(*ecdsa.PrivateKey).Public()) {
		t.Error("the public key is not the private key's")
	}

	// Refused: specs Cairn does not make, Recipient, keys that are not symmetric encryption keys.
	for _, spec := range []kmstypes.DataKeyPairSpec{kmstypes.DataKeyPairSpecEccSecgP256k1, kmstypes.DataKeyPairSpecSm2} {
		_, err := client.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: aws.String(key), KeyPairSpec: spec})
		if msg := apiError(t, err, "UnsupportedOperationException"); !strings.Contains(msg, string(spec)) {
			t.Errorf("%s refusal: %s", spec, msg)
		}
	}
	_, err = client.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: aws.String(key), KeyPairSpec: kmstypes.DataKeyPairSpecRsa2048,
		Recipient: &kmstypes.RecipientInfo{KeyEncryptionAlgorithm: kmstypes.KeyEncryptionMechanismRsaesOaepSha256, AttestationDocument: []byte("doc")}})
	if msg := apiError(t, err, "UnsupportedOperationException"); !strings.Contains(msg, "Recipient") {
		t.Errorf("Recipient refusal: %s", msg)
	}
	_, err = client.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: aws.String(key), KeyPairSpec: "RSA_1024"})
	apiError(t, err, "ValidationException")
	signing, err := client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecEccNistP256, KeyUsage: kmstypes.KeyUsageTypeSignVerify})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: signing.KeyMetadata.KeyId, KeyPairSpec: kmstypes.DataKeyPairSpecEccNistP256})
	apiError(t, err, "InvalidKeyUsageException")
	_, err = client.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: aws.String(key), KeyPairSpec: kmstypes.DataKeyPairSpecEccNistP256,
		DryRun: aws.Bool(true)})
	apiError(t, err, "DryRunOperationException")

	// Authorization: its own actions, and kms:DataKeyPairSpec.
	eccOnly := kmsFor(newUser(t, c, "data-science", "erin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":"kms:GenerateDataKeyPairWithoutPlaintext","Resource":"*","Condition":{"StringEquals":{"kms:DataKeyPairSpec":"ECC_NIST_P256"}}}]}`))
	if _, err := eccOnly.GenerateDataKeyPairWithoutPlaintext(ctx, &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: aws.String(key),
		KeyPairSpec: kmstypes.DataKeyPairSpecEccNistP256}); err != nil {
		t.Fatalf("allowed by kms:DataKeyPairSpec: %v", err)
	}
	_, err = eccOnly.GenerateDataKeyPairWithoutPlaintext(ctx, &kms.GenerateDataKeyPairWithoutPlaintextInput{KeyId: aws.String(key),
		KeyPairSpec: kmstypes.DataKeyPairSpecEccNistP384})
	apiError(t, err, "AccessDeniedException")
	_, err = eccOnly.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: aws.String(key), KeyPairSpec: kmstypes.DataKeyPairSpecEccNistP256})
	if msg := apiError(t, err, "AccessDeniedException"); !strings.Contains(msg, "kms:GenerateDataKeyPair") {
		t.Errorf("denial message: %s", msg)
	}
	// Another account's principal with an identity policy but no key policy statement.
	other := kmsFor(newUser(t, c, "platform", "frank", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`))
	_, err = other.GenerateDataKeyPair(ctx, &kms.GenerateDataKeyPairInput{KeyId: aws.String(key), KeyPairSpec: kmstypes.DataKeyPairSpecEccNistP256})
	apiError(t, err, "AccessDeniedException")

}

// Key agreement keys: DeriveSharedSecret gives the secret the peer computes with the
// key's public key.
func TestKMSDeriveSharedSecret(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := kmsFor(c.config("data-science"))
	created, err := client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecEccNistP256, KeyUsage: kmstypes.KeyUsageTypeKeyAgreement})
	if err != nil {
		t.Fatalf("CreateKey KEY_AGREEMENT: %v", err)
	}
	keyID := created.KeyMetadata.KeyId
	if len(created.KeyMetadata.KeyAgreementAlgorithms) != 1 || created.KeyMetadata.KeyAgreementAlgorithms[0] != kmstypes.KeyAgreementAlgorithmSpecEcdh {
		t.Errorf("metadata: %+v", created.KeyMetadata)
	}
	pub, err := client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: keyID})
	if err != nil || len(pub.KeyAgreementAlgorithms) != 1 {
		t.Fatalf("GetPublicKey: %+v %v", pub, err)
	}
	kmsPub, err := x509.ParsePKIXPublicKey(pub.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	peer, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	peerDER, _ := x509.MarshalPKIXPublicKey(peer.Public())
	out, err := client.DeriveSharedSecret(ctx, &kms.DeriveSharedSecretInput{KeyId: keyID, KeyAgreementAlgorithm: kmstypes.KeyAgreementAlgorithmSpecEcdh,
		PublicKey: peerDER})
	if err != nil || out.KeyOrigin != kmstypes.OriginTypeAwsKms || out.KeyAgreementAlgorithm != kmstypes.KeyAgreementAlgorithmSpecEcdh {
		t.Fatalf("DeriveSharedSecret: %+v %v", out, err)
	}
	peerECDH, _ := peer.ECDH()
	kmsECDH, _ := kmsPub.(*ecdsa.PublicKey).ECDH()
	want, _ := peerECDH.ECDH(kmsECDH)
	if !bytes.Equal(out.SharedSecret, want) {
		t.Error("the shared secret is not the one the peer derives")
	}

	other, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	otherDER, _ := x509.MarshalPKIXPublicKey(other.Public())
	for _, bad := range [][]byte{otherDER, []byte("not a key")} {
		_, err = client.DeriveSharedSecret(ctx, &kms.DeriveSharedSecretInput{KeyId: keyID, KeyAgreementAlgorithm: kmstypes.KeyAgreementAlgorithmSpecEcdh, PublicKey: bad})
		apiError(t, err, "ValidationException")
	}
	_, err = client.DeriveSharedSecret(ctx, &kms.DeriveSharedSecretInput{KeyId: aws.String(mustKey(t, client, "")),
		KeyAgreementAlgorithm: kmstypes.KeyAgreementAlgorithmSpecEcdh, PublicKey: peerDER})
	apiError(t, err, "InvalidKeyUsageException")
	_, err = client.Sign(ctx, &kms.SignInput{KeyId: keyID, Message: []byte("x"), SigningAlgorithm: kmstypes.SigningAlgorithmSpecEcdsaSha256})
	apiError(t, err, "InvalidKeyUsageException")
	_, err = client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecRsa2048, KeyUsage: kmstypes.KeyUsageTypeKeyAgreement})
	apiError(t, err, "ValidationException")
	_, err = client.DeriveSharedSecret(ctx, &kms.DeriveSharedSecretInput{KeyId: keyID, KeyAgreementAlgorithm: kmstypes.KeyAgreementAlgorithmSpecEcdh,
		PublicKey: peerDER, DryRun: aws.Bool(true)})
	apiError(t, err, "DryRunOperationException")
	bob := kmsFor(newUser(t, c, "data-science", "ivan", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:GetPublicKey","Resource":"*"}]}`))
	_, err = bob.DeriveSharedSecret(ctx, &kms.DeriveSharedSecretInput{KeyId: keyID, KeyAgreementAlgorithm: kmstypes.KeyAgreementAlgorithmSpecEcdh, PublicKey: peerDER})
	if msg := apiError(t, err, "AccessDeniedException"); !strings.Contains(msg, "kms:DeriveSharedSecret") {
		t.Errorf("denial: %s", msg)
	}
}

// RSA encryption keys: RSAES-OAEP with SHA-1 and SHA-256, the plaintext limits, a
// ciphertext made outside with GetPublicKey's key, ReEncrypt both ways.
func TestKMSRSAEncryptionKeys(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := kmsFor(c.config("data-science"))
	symmetric := mustKey(t, client, "")

	for _, tc := range []struct {
		spec               kmstypes.KeySpec
		bits, sha1, sha256 int
	}{{kmstypes.KeySpecRsa2048, 2048, 214, 190}, {kmstypes.KeySpecRsa3072, 3072, 342, 318}, {kmstypes.KeySpecRsa4096, 4096, 470, 446}} {
		created, err := client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: tc.spec, KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt})
		if err != nil {
			t.Fatalf("CreateKey %s: %v", tc.spec, err)
		}
		md := created.KeyMetadata
		keyID := md.KeyId
		if md.KeyUsage != kmstypes.KeyUsageTypeEncryptDecrypt || len(md.EncryptionAlgorithms) != 2 || md.SigningAlgorithms != nil {
			t.Errorf("%s metadata: %+v", tc.spec, md)
		}
		pub, err := client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: keyID})
		if err != nil || len(pub.EncryptionAlgorithms) != 2 || pub.KeyUsage != kmstypes.KeyUsageTypeEncryptDecrypt {
			t.Fatalf("GetPublicKey %s: %+v %v", tc.spec, pub, err)
		}
		parsed, err := x509.ParsePKIXPublicKey(pub.PublicKey)
		if err != nil || parsed.(*rsa.PublicKey).N.BitLen() != tc.bits {
			t.Fatalf("public key of %s: %v", tc.spec, err)
		}
		for _, alg := range []struct {
			name kmstypes.EncryptionAlgorithmSpec
			max  int
			hash func() hash.Hash
		}{{kmstypes.EncryptionAlgorithmSpecRsaesOaepSha1, tc.sha1, sha1.New}, {kmstypes.EncryptionAlgorithmSpecRsaesOaepSha256, tc.sha256, sha256.New}} {
			plain := bytes.Repeat([]byte{7}, alg.max)
			enc, err := client.Encrypt(ctx, &kms.EncryptInput{KeyId: keyID, Plaintext: plain, EncryptionAlgorithm: alg.name})
			if err != nil || enc.EncryptionAlgorithm != alg.name || len(enc.CiphertextBlob) != tc.bits/8 {
				t.Fatalf("Encrypt %s %s: %+v %v", tc.spec, alg.name, enc, err)
			}
			dec, err := client.Decrypt(ctx, &kms.DecryptInput{KeyId: keyID, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: alg.name})
			if err != nil || !bytes.Equal(dec.Plaintext, plain) || dec.EncryptionAlgorithm != alg.name || aws.ToString(dec.KeyId) != aws.ToString(md.Arn) {
				t.Fatalf("Decrypt %s %s: %v", tc.spec, alg.name, err)
			}
			_, err = client.Encrypt(ctx, &kms.EncryptInput{KeyId: keyID, Plaintext: append(plain, 7), EncryptionAlgorithm: alg.name})
			if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "at most") {
				t.Errorf("too long a plaintext: %s", msg)
			}
			// Made outside KMS with the public key.
			outside, err := rsa.EncryptOAEP(alg.hash(), rand.Reader, parsed.(*rsa.PublicKey), []byte("from outside"), nil)
			if err != nil {
				t.Fatal(err)
			}
			dec, err = client.Decrypt(ctx, &kms.DecryptInput{KeyId: keyID, CiphertextBlob: outside, EncryptionAlgorithm: alg.name})
			if err != nil || string(dec.Plaintext) != "from outside" {
				t.Fatalf("Decrypt of an outside ciphertext %s: %v", alg.name, err)
			}
		}
		if tc.spec != kmstypes.KeySpecRsa2048 {
			continue
		}
		enc, err := client.Encrypt(ctx, &kms.EncryptInput{KeyId: keyID, Plaintext: []byte("weights"), EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha256})
		if err != nil {
			t.Fatal(err)
		}
		// Decrypt needs the key and the algorithm; the other algorithm, or a tampered
		// ciphertext, does not decrypt.
		_, err = client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha256})
		if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "KeyId") {
			t.Errorf("Decrypt without KeyId: %s", msg)
		}
		_, err = client.Decrypt(ctx, &kms.DecryptInput{KeyId: keyID, CiphertextBlob: enc.CiphertextBlob})
		apiError(t, err, "InvalidCiphertextException")
		_, err = client.Decrypt(ctx, &kms.DecryptInput{KeyId: keyID, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha1})
		apiError(t, err, "InvalidCiphertextException")
		tampered := bytes.Clone(enc.CiphertextBlob)
		tampered[10] ^= 1
		_, err = client.Decrypt(ctx, &kms.DecryptInput{KeyId: keyID, CiphertextBlob: tampered, EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha256})
		apiError(t, err, "InvalidCiphertextException")
		// No encryption context, no SYMMETRIC_DEFAULT, no data keys; a symmetric key takes no RSAES.
		_, err = client.Encrypt(ctx, &kms.EncryptInput{KeyId: keyID, Plaintext: []byte("x"), EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha256,
			EncryptionContext: map[string]string{"a": "b"}})
		if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "EncryptionContext") {
			t.Errorf("encryption context refusal: %s", msg)
		}
		_, err = client.Encrypt(ctx, &kms.EncryptInput{KeyId: keyID, Plaintext: []byte("x")})
		apiError(t, err, "InvalidKeyUsageException")
		_, err = client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: keyID, KeySpec: kmstypes.DataKeySpecAes256})
		apiError(t, err, "InvalidKeyUsageException")
		_, err = client.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(symmetric), Plaintext: []byte("x"), EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha1})
		apiError(t, err, "InvalidKeyUsageException")
		_, err = client.Sign(ctx, &kms.SignInput{KeyId: keyID, Message: []byte("x"), SigningAlgorithm: kmstypes.SigningAlgorithmSpecRsassaPssSha256})
		apiError(t, err, "InvalidKeyUsageException")

		// ReEncrypt from RSA to symmetric and back.
		re, err := client.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceKeyId: keyID,
			SourceEncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha256, DestinationKeyId: aws.String(symmetric),
			DestinationEncryptionContext: map[string]string{"k": "v"}})
		if err != nil || re.SourceEncryptionAlgorithm != kmstypes.EncryptionAlgorithmSpecRsaesOaepSha256 ||
			re.DestinationEncryptionAlgorithm != kmstypes.EncryptionAlgorithmSpecSymmetricDefault {
			t.Fatalf("ReEncrypt RSA → symmetric: %+v %v", re, err)
		}
		back, err := client.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: re.CiphertextBlob, SourceEncryptionContext: map[string]string{"k": "v"},
			DestinationKeyId: keyID, DestinationEncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha1})
		if err != nil || back.DestinationEncryptionAlgorithm != kmstypes.EncryptionAlgorithmSpecRsaesOaepSha1 {
			t.Fatalf("ReEncrypt symmetric → RSA: %v", err)
		}
		dec, err := client.Decrypt(ctx, &kms.DecryptInput{KeyId: keyID, CiphertextBlob: back.CiphertextBlob, EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha1})
		if err != nil || string(dec.Plaintext) != "weights" {
			t.Fatalf("Decrypt after ReEncrypt: %v", err)
		}
		_, err = client.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob,
			SourceEncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha256, DestinationKeyId: aws.String(symmetric)})
		if msg := apiError(t, err, "ValidationException"); !strings.Contains(msg, "SourceKeyId") {
			t.Errorf("ReEncrypt without SourceKeyId: %s", msg)
		}

		// kms:EncryptionAlgorithm in a policy; another account's RSA key without a key
		// policy statement is refused.
		sha256Only := kmsFor(newUser(t, c, "data-science", "grace", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*","Condition":{"StringEquals":{"kms:EncryptionAlgorithm":"RSAES_OAEP_SHA_256"}}}]}`))
		if _, err := sha256Only.Encrypt(ctx, &kms.EncryptInput{KeyId: md.Arn, Plaintext: []byte("x"), EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha256}); err != nil {
			t.Fatalf("allowed by kms:EncryptionAlgorithm: %v", err)
		}
		_, err = sha256Only.Encrypt(ctx, &kms.EncryptInput{KeyId: md.Arn, Plaintext: []byte("x"), EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha1})
		apiError(t, err, "AccessDeniedException")
		other := kmsFor(newUser(t, c, "platform", "heidi", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`))
		_, err = other.Decrypt(ctx, &kms.DecryptInput{KeyId: md.Arn, CiphertextBlob: enc.CiphertextBlob, EncryptionAlgorithm: kmstypes.EncryptionAlgorithmSpecRsaesOaepSha256})
		apiError(t, err, "AccessDeniedException")
	}
}

// An ECC_NIST_EDWARDS25519 key signs a message with ED25519_SHA_512 (PureEdDSA, MessageType
// RAW) and a SHA-512 digest with ED25519_PH_SHA_512 (Ed25519ph, MessageType DIGEST, the
// digest hashed once more as the algorithm's prehash): both verify offline under the public
// key GetPublicKey gives, and through Verify; the other pairings are refused.
func TestKMSEd25519SigningKeys(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := kmsFor(c.config("data-science"))
	_, err := client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecEccNistEdwards25519})
	apiError(t, err, "ValidationException") // the default usage, ENCRYPT_DECRYPT, is not Ed25519's
	_, err = client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecEccNistEdwards25519, KeyUsage: kmstypes.KeyUsageTypeKeyAgreement})
	apiError(t, err, "ValidationException")
	k, err := client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecEccNistEdwards25519, KeyUsage: kmstypes.KeyUsageTypeSignVerify})
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	want := []kmstypes.SigningAlgorithmSpec{kmstypes.SigningAlgorithmSpecEd25519Sha512, kmstypes.SigningAlgorithmSpecEd25519PhSha512}
	if got := k.KeyMetadata.SigningAlgorithms; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("SigningAlgorithms = %v, want %v", got, want)
	}
	id := k.KeyMetadata.KeyId
	out, err := client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: id})
	if err != nil {
		t.Fatalf("GetPublicKey: %v", err)
	}
	parsed, err := x509.ParsePKIXPublicKey(out.PublicKey)
	pub, ok := parsed.(ed25519.PublicKey)
	if err != nil || !ok || out.KeySpec != kmstypes.KeySpecEccNistEdwards25519 || len(out.SigningAlgorithms) != 2 {
		t.Fatalf("public key %T %v, %+v", parsed, err, out)
	}

	message := []byte("s3://models/churn/model.tar.gz sha256:9f86d081884c7d659a2feaa0c55ad015")
	sig, err := client.Sign(ctx, &kms.SignInput{KeyId: id, Message: message, SigningAlgorithm: kmstypes.SigningAlgorithmSpecEd25519Sha512})
	if err != nil {
		t.Fatalf("Sign ED25519_SHA_512: %v", err)
	}
	if !ed25519.Verify(pub, message, sig.Signature) {
		t.Error("the ED25519_SHA_512 signature does not verify offline as PureEdDSA")
	}
	if v, err := client.Verify(ctx, &kms.VerifyInput{KeyId: id, Message: message, Signature: sig.Signature,
		SigningAlgorithm: kmstypes.SigningAlgorithmSpecEd25519Sha512}); err != nil || !v.SignatureValid {
		t.Fatalf("Verify ED25519_SHA_512: %v", err)
	}
	_, err = client.Verify(ctx, &kms.VerifyInput{KeyId: id, Message: append(message, '!'), Signature: sig.Signature,
		SigningAlgorithm: kmstypes.SigningAlgorithmSpecEd25519Sha512})
	apiError(t, err, "KMSInvalidSignatureException")

	digest := sha512.Sum512(message)
	ph, err := client.Sign(ctx, &kms.SignInput{KeyId: id, Message: digest[:], MessageType: kmstypes.MessageTypeDigest,
		SigningAlgorithm: kmstypes.SigningAlgorithmSpecEd25519PhSha512})
	if err != nil {
		t.Fatalf("Sign ED25519_PH_SHA_512: %v", err)
	}
	prehash := sha512.Sum512(digest[:]) // KMS hashes the digest once more, as Ed25519ph's own step
	if err := ed25519.VerifyWithOptions(pub, prehash[:], ph.Signature, &ed25519.Options{Hash: crypto.SHA512}); err != nil {
		t.Errorf("the ED25519_PH_SHA_512 signature does not verify offline as Ed25519ph: %v", err)
	}
	if v, err := client.Verify(ctx, &kms.VerifyInput{KeyId: id, Message: digest[:], MessageType: kmstypes.MessageTypeDigest,
		Signature: ph.Signature, SigningAlgorithm: kmstypes.SigningAlgorithmSpecEd25519PhSha512}); err != nil || !v.SignatureValid {
		t.Fatalf("Verify ED25519_PH_SHA_512: %v", err)
	}
	_, err = client.Verify(ctx, &kms.VerifyInput{KeyId: id, Message: digest[:], MessageType: kmstypes.MessageTypeDigest,
		Signature: sig.Signature, SigningAlgorithm: kmstypes.SigningAlgorithmSpecEd25519PhSha512})
	apiError(t, err, "KMSInvalidSignatureException")

	for _, bad := range []kms.SignInput{
		{Message: digest[:], MessageType: kmstypes.MessageTypeDigest, SigningAlgorithm: kmstypes.SigningAlgorithmSpecEd25519Sha512},
		{Message: message, SigningAlgorithm: kmstypes.SigningAlgorithmSpecEd25519PhSha512},
		{Message: digest[:32], MessageType: kmstypes.MessageTypeDigest, SigningAlgorithm: kmstypes.SigningAlgorithmSpecEd25519PhSha512},
	} {
		bad.KeyId = id
		_, err := client.Sign(ctx, &bad)
		apiError(t, err, "ValidationException")
	}
	_, err = client.Sign(ctx, &kms.SignInput{KeyId: id, Message: message, SigningAlgorithm: kmstypes.SigningAlgorithmSpecEcdsaSha256})
	apiError(t, err, "InvalidKeyUsageException")

	// ML-DSA, which the standard library does not implement, is refused by name.
	_, err = client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecMlDsa65, KeyUsage: kmstypes.KeyUsageTypeSignVerify})
	if msg := apiError(t, err, "UnsupportedOperationException"); !strings.Contains(msg, "ML_DSA_65") {
		t.Errorf("ML_DSA_65 refused with %q", msg)
	}
}

package e2e

import (
	"bytes"
	"context"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// kmsFor returns a KMS client for an SDK config.
func kmsFor(cfg aws.Config) *kms.Client { return kms.NewFromConfig(withoutRetries(cfg)) }

// mustKey creates a symmetric key with a policy ("" for the default) and returns its ARN.
func mustKey(t *testing.T, client *kms.Client, policy string) string {
	t.Helper()
	in := &kms.CreateKeyInput{Description: aws.String("test key")}
	if policy != "" {
		in.Policy = aws.String(policy)
	}
	out, err := client.CreateKey(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	return aws.ToString(out.KeyMetadata.Arn)
}

func TestKMSKeyLifecycleAndCiphertexts(t *testing.T) {
	clk := &clock{}
	c := start(t, startOptions{Config: accountsYAML, Clock: clk})
	ctx := context.Background()
	client := kms.NewFromConfig(withoutRetries(c.config("data-science")), func(o *kms.Options) {
		o.HTTPSignerV4 = shiftedSigner{clock: clk, signer: v4.NewSigner()}
	})

	out, err := client.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("models"),
		Tags: []kmstypes.Tag{{TagKey: aws.String("team"), TagValue: aws.String("ml")}}})
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	md := out.KeyMetadata
	keyARN := aws.ToString(md.Arn)
	if !strings.HasPrefix(keyARN, "arn:aws:kms:us-east-1:111111111111:key/") || md.KeyState != kmstypes.KeyStateEnabled ||
		!md.Enabled || md.KeySpec != kmstypes.KeySpecSymmetricDefault || md.KeyManager != kmstypes.KeyManagerTypeCustomer ||
		len(md.EncryptionAlgorithms) != 1 || len(aws.ToString(md.CurrentKeyMaterialId)) != 64 {
		t.Fatalf("CreateKey metadata: %+v", md)
	}
	pol, err := client.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: md.KeyId})
	if err != nil || !strings.Contains(aws.ToString(pol.Policy), `"AWS" : "arn:aws:iam::111111111111:root"`) {
		t.Fatalf("default key policy: %v %v", aws.ToString(pol.Policy), err)
	}

	// Aliases: made, resolved, listed; alias/aws/ is reserved.
	if _, err := client.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/models"), TargetKeyId: md.KeyId}); err != nil {
		t.Fatalf("CreateAlias: %v", err)
	}
	_, err = client.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/models"), TargetKeyId: md.KeyId})
	apiError(t, err, "AlreadyExistsException")
	_, err = client.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/aws/mine"), TargetKeyId: md.KeyId})
	apiError(t, err, "NotAuthorizedException")
	_, err = client.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("models"), TargetKeyId: md.KeyId})
	apiError(t, err, "InvalidAliasNameException")
	aliases, err := client.ListAliases(ctx, &kms.ListAliasesInput{KeyId: md.KeyId})
	if err != nil || len(aliases.Aliases) != 1 || aws.ToString(aliases.Aliases[0].AliasName) != "alias/models" {
		t.Fatalf("ListAliases: %+v %v", aliases, err)
	}

	// Ciphertexts are bound to the key and the encryption context.
	ec := map[string]string{"project": "churn"}
	enc, err := client.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/models"), Plaintext: []byte("secret"), EncryptionContext: ec})
	if err != nil || aws.ToString(enc.KeyId) != keyARN {
		t.Fatalf("Encrypt: %v %v", enc, err)
	}
	dec, err := client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec})
	if err != nil || string(dec.Plaintext) != "secret" || aws.ToString(dec.KeyId) != keyARN {
		t.Fatalf("Decrypt: %v %v", dec, err)
	}
	_, err = client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: map[string]string{"project": "other"}})
	apiError(t, err, "InvalidCiphertextException")
	_, err = client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob})
	apiError(t, err, "InvalidCiphertextException")
	tampered := bytes.Clone(enc.CiphertextBlob)
	tampered[len(tampered)-1] ^= 1
	_, err = client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: tampered, EncryptionContext: ec})
	apiError(t, err, "InvalidCiphertextException")
	_, err = client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: []byte("not a ciphertext at all, really not")})
	apiError(t, err, "InvalidCiphertextException")
	other := mustKey(t, client, "")
	_, err = client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec, KeyId: aws.String(other)})
	apiError(t, err, "IncorrectKeyException")

	// Data keys, re-encryption, random bytes.
	dk, err := client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: md.KeyId, KeySpec: kmstypes.DataKeySpecAes256})
	if err != nil || len(dk.Plaintext) != 32 {
		t.Fatalf("GenerateDataKey: %v", err)
	}
	back, err := client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: dk.CiphertextBlob})
	if err != nil || !bytes.Equal(back.Plaintext, dk.Plaintext) {
		t.Fatalf("Decrypt data key: %v", err)
	}
	_, err = client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: md.KeyId})
	apiError(t, err, "ValidationException")
	wo, err := client.GenerateDataKeyWithoutPlaintext(ctx, &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: md.KeyId, NumberOfBytes: aws.Int32(16)})
	if err != nil || len(wo.CiphertextBlob) == 0 {
		t.Fatalf("GenerateDataKeyWithoutPlaintext: %v", err)
	}
	re, err := client.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: ec, DestinationKeyId: aws.String(other)})
	if err != nil || aws.ToString(re.KeyId) != other || aws.ToString(re.SourceKeyId) != keyARN {
		t.Fatalf("ReEncrypt: %v %v", re, err)
	}
	if dec, err := client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: re.CiphertextBlob}); err != nil || string(dec.Plaintext) != "secret" {
		t.Fatalf("Decrypt re-encrypted: %v", err)
	}
	rnd, err := client.GenerateRandom(ctx, &kms.GenerateRandomInput{NumberOfBytes: aws.Int32(64)})
	if err != nil || len(rnd.Plaintext) != 64 {
		t.Fatalf("GenerateRandom: %v", err)
	}

	// Rotation: old ciphertexts still decrypt; new ones use the new material.
	if _, err := client.RotateKeyOnDemand(ctx, &kms.RotateKeyOnDemandInput{KeyId: md.KeyId}); err != nil {
		t.Fatalf("RotateKeyOnDemand: %v", err)
	}
	rots, err := client.ListKeyRotations(ctx, &kms.ListKeyRotationsInput{KeyId: md.KeyId})
	if err != nil || len(rots.Rotations) != 1 || rots.Rotations[0].RotationType != kmstypes.RotationTypeOnDemand {
		t.Fatalf("ListKeyRotations: %+v %v", rots, err)
	}
	if dec, err := client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec}); err != nil || string(dec.Plaintext) != "secret" {
		t.Fatalf("Decrypt after rotation: %v", err)
	}
	enc2, _ := client.Encrypt(ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
	dec2, err := client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc2.CiphertextBlob})
	if err != nil || aws.ToString(dec2.KeyMaterialId) == aws.ToString(dec.KeyMaterialId) {
		t.Fatalf("new ciphertexts use the new material: %v %v", aws.ToString(dec2.KeyMaterialId), err)
	}
	if _, err := client.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: md.KeyId, RotationPeriodInDays: aws.Int32(90)}); err != nil {
		t.Fatalf("EnableKeyRotation: %v", err)
	}
	st, err := client.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: md.KeyId})
	if err != nil || !st.KeyRotationEnabled || aws.ToInt32(st.RotationPeriodInDays) != 90 {
		t.Fatalf("GetKeyRotationStatus: %+v %v", st, err)
	}
	clk.Advance(91 * 24 * time.Hour)
	if dec, err := client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec}); err != nil || string(dec.Plaintext) != "secret" {
		t.Fatalf("Decrypt after automatic rotation: %v", err)
	}
	rots, _ = client.ListKeyRotations(ctx, &kms.ListKeyRotationsInput{KeyId: md.KeyId})
	if len(rots.Rotations) != 2 || rots.Rotations[1].RotationType != kmstypes.RotationTypeAutomatic {
		t.Fatalf("automatic rotation on the clock: %+v", rots.Rotations)
	}

	// Disabled, then pending deletion, then gone.
	if _, err := client.DisableKey(ctx, &kms.DisableKeyInput{KeyId: md.KeyId}); err != nil {
		t.Fatalf("DisableKey: %v", err)
	}
	_, err = client.Encrypt(ctx, &kms.EncryptInput{KeyId: md.KeyId, Plaintext: []byte("x")})
	apiError(t, err, "DisabledException")
	if _, err := client.EnableKey(ctx, &kms.EnableKeyInput{KeyId: md.KeyId}); err != nil {
		t.Fatalf("EnableKey: %v", err)
	}
	_, err = client.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(3)})
	apiError(t, err, "ValidationException")
	sched, err := client.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(7)})
	if err != nil || sched.KeyState != kmstypes.KeyStatePendingDeletion {
		t.Fatalf("ScheduleKeyDeletion: %+v %v", sched, err)
	}
	_, err = client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec})
	apiError(t, err, "KMSInvalidStateException")
	if _, err := client.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: md.KeyId}); err != nil {
		t.Fatalf("CancelKeyDeletion: %v", err)
	}
	d, _ := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
	if d.KeyMetadata.KeyState != kmstypes.KeyStateDisabled {
		t.Fatalf("state after CancelKeyDeletion: %s", d.KeyMetadata.KeyState)
	}
	if _, err := client.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: md.KeyId, PendingWindowInDays: aws.Int32(7)}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(8 * 24 * time.Hour)
	_, err = client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: md.KeyId})
	apiError(t, err, "NotFoundException")
	_, err = client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/models")})
	apiError(t, err, "NotFoundException")

	// What Cairn does not offer is refused, saying so.
	_, err = client.CreateKey(ctx, &kms.CreateKeyInput{Origin: kmstypes.OriginTypeExternal})
	if msg := apiError(t, err, "UnsupportedOperationException"); !strings.Contains(msg, "Imported key material") {
		t.Errorf("EXTERNAL refusal: %s", msg)
	}
	_, err = client.CreateKey(ctx, &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	apiError(t, err, "UnsupportedOperationException")
	_, err = client.CreateCustomKeyStore(ctx, &kms.CreateCustomKeyStoreInput{CustomKeyStoreName: aws.String("x")})
	apiError(t, err, "UnsupportedOperationException")
}

// The key policy is the primary policy: IAM policies count only when it delegates to the
// account; across accounts both must allow.
func TestKMSKeyPolicyAuthorization(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	owner := kmsFor(c.config("data-science"))
	useKey := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]}`
	alice := kmsFor(newUser(t, c, "data-science", "alice", useKey))
	bob := kmsFor(newUser(t, c, "data-science", "bob", ""))

	delegated := mustKey(t, owner, "")
	if _, err := alice.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(delegated), Plaintext: []byte("x")}); err != nil {
		t.Fatalf("identity policy through the default key policy: %v", err)
	}
	_, err := bob.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(delegated), Plaintext: []byte("x")})
	apiError(t, err, "AccessDeniedException")

	// A key policy that names only the root's admin rights: alice's IAM policy is not enough.
	strict := mustKey(t, owner, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["kms:PutKeyPolicy","kms:GetKeyPolicy","kms:DescribeKey","kms:ScheduleKeyDeletion"],"Resource":"*"},
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/bob"},"Action":"kms:Encrypt","Resource":"*",
		 "Condition":{"StringEquals":{"kms:EncryptionContext:purpose":"test"}}}]}`)
	_, err = alice.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(strict), Plaintext: []byte("x")})
	if msg := apiError(t, err, "AccessDeniedException"); !strings.Contains(msg, "kms:Encrypt") {
		t.Errorf("denial message: %s", msg)
	}
	if _, err := bob.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(strict), Plaintext: []byte("x"),
		EncryptionContext: map[string]string{"purpose": "test"}}); err != nil {
		t.Fatalf("the key policy naming bob grants alone: %v", err)
	}
	_, err = bob.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(strict), Plaintext: []byte("x"),
		EncryptionContext: map[string]string{"purpose": "other"}})
	apiError(t, err, "AccessDeniedException")

	// The lockout safety check.
	_, err = owner.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(strict), PolicyName: aws.String("default"),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/bob"},"Action":"kms:Encrypt","Resource":"*"}]}`)})
	apiError(t, err, "MalformedPolicyDocumentException")
	_, err = owner.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(strict), Policy: aws.String(`{"Version":`)})
	apiError(t, err, "MalformedPolicyDocumentException")

	// Across accounts: the key policy and the caller's identity policy must both allow.
	carol := kmsFor(newUser(t, c, "platform", "carol", useKey))
	dave := kmsFor(newUser(t, c, "platform", "dave", ""))
	shared := mustKey(t, owner, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"kms:*","Resource":"*"},
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*"}]}`)
	if _, err := carol.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(shared), Plaintext: []byte("x")}); err != nil {
		t.Fatalf("cross-account with key policy and identity policy: %v", err)
	}
	_, err = dave.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(shared), Plaintext: []byte("x")})
	apiError(t, err, "AccessDeniedException")
	_, err = carol.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(delegated), Plaintext: []byte("x")})
	apiError(t, err, "AccessDeniedException")
	// Another account's missing key answers as a key that does not allow: no existence oracle.
	missing := strings.Replace(delegated, delegated[len(delegated)-12:], "000000000000", 1)
	_, err1 := carol.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(missing), Plaintext: []byte("x")})
	apiError(t, err1, "AccessDeniedException")
	_, err = carol.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(strings.Split(shared, "/")[1])})
	apiError(t, err, "NotFoundException") // a bare key ID is the caller's own account
	// Another account's keys never appear in the caller's lists.
	keys, _ := kmsFor(c.config("platform")).ListKeys(ctx, &kms.ListKeysInput{})
	if len(keys.Keys) != 0 {
		t.Errorf("platform lists data-science keys: %+v", keys.Keys)
	}
}

func TestKMSGrants(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	owner := kmsFor(c.config("data-science"))
	bob := kmsFor(newUser(t, c, "data-science", "bob", ""))
	keyARN := mustKey(t, owner, "")
	enc, err := owner.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(keyARN), Plaintext: []byte("p"), EncryptionContext: map[string]string{"job": "a"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bob.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: map[string]string{"job": "a"}})
	apiError(t, err, "AccessDeniedException")
	g, err := owner.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: aws.String(keyARN), GranteePrincipal: aws.String("arn:aws:iam::111111111111:user/bob"),
		RetiringPrincipal: aws.String("arn:aws:iam::111111111111:user/bob"), Operations: []kmstypes.GrantOperation{kmstypes.GrantOperationDecrypt},
		Constraints: &kmstypes.GrantConstraints{EncryptionContextSubset: map[string]string{"job": "a"}}, Name: aws.String("bob-decrypt")})
	if err != nil {
		t.Fatalf("CreateGrant: %v", err)
	}
	if _, err := bob.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: map[string]string{"job": "a"},
		GrantTokens: []string{aws.ToString(g.GrantToken)}}); err != nil {
		t.Fatalf("Decrypt through a grant: %v", err)
	}
	enc2, _ := owner.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(keyARN), Plaintext: []byte("p"), EncryptionContext: map[string]string{"job": "b"}})
	_, err = bob.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc2.CiphertextBlob, EncryptionContext: map[string]string{"job": "b"}})
	apiError(t, err, "AccessDeniedException") // outside the grant's constraints
	_, err = bob.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(keyARN), Plaintext: []byte("p"), EncryptionContext: map[string]string{"job": "a"}})
	apiError(t, err, "AccessDeniedException") // an operation the grant does not name
	list, err := owner.ListGrants(ctx, &kms.ListGrantsInput{KeyId: aws.String(keyARN)})
	if err != nil || len(list.Grants) != 1 || aws.ToString(list.Grants[0].Name) != "bob-decrypt" {
		t.Fatalf("ListGrants: %+v %v", list, err)
	}
	ret, err := owner.ListRetirableGrants(ctx, &kms.ListRetirableGrantsInput{RetiringPrincipal: aws.String("arn:aws:iam::111111111111:user/bob")})
	if err != nil || len(ret.Grants) != 1 {
		t.Fatalf("ListRetirableGrants: %+v %v", ret, err)
	}
	if _, err := bob.RetireGrant(ctx, &kms.RetireGrantInput{GrantToken: g.GrantToken}); err != nil {
		t.Fatalf("RetireGrant: %v", err)
	}
	_, err = bob.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: enc.CiphertextBlob, EncryptionContext: map[string]string{"job": "a"}})
	apiError(t, err, "AccessDeniedException")
	g2, _ := owner.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: aws.String(keyARN), GranteePrincipal: aws.String("arn:aws:iam::111111111111:user/bob"),
		Operations: []kmstypes.GrantOperation{kmstypes.GrantOperationEncrypt}})
	if _, err := owner.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: aws.String(keyARN), GrantId: g2.GrantId}); err != nil {
		t.Fatalf("RevokeGrant: %v", err)
	}
	_, err = owner.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: aws.String(keyARN), GrantId: g2.GrantId})
	apiError(t, err, "InvalidGrantIdException")
}

// AWS managed keys are made on first use, usable only through their service.
func TestKMSManagedKey(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := kmsFor(c.config("data-science"))
	d, err := client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/s3")})
	if err != nil || d.KeyMetadata.KeyManager != kmstypes.KeyManagerTypeAws {
		t.Fatalf("DescribeKey alias/aws/s3: %+v %v", d, err)
	}
	_, err = client.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/aws/s3"), Plaintext: []byte("x")})
	apiError(t, err, "AccessDeniedException") // only through S3
	_, err = client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/nosuch")})
	apiError(t, err, "NotFoundException")
}

func TestKMSHMACAndSigningKeys(t *testing.T) {
	c := start(t, startOptions{Config: accountsYAML})
	ctx := context.Background()
	client := kmsFor(c.config("data-science"))
	mac, err := client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecHmac256, KeyUsage: kmstypes.KeyUsageTypeGenerateVerifyMac})
	if err != nil || len(mac.KeyMetadata.MacAlgorithms) != 1 {
		t.Fatalf("CreateKey HMAC_256: %+v %v", mac, err)
	}
	m, err := client.GenerateMac(ctx, &kms.GenerateMacInput{KeyId: mac.KeyMetadata.KeyId, Message: []byte("hello"), MacAlgorithm: kmstypes.MacAlgorithmSpecHmacSha256})
	if err != nil || len(m.Mac) != 32 {
		t.Fatalf("GenerateMac: %v", err)
	}
	if v, err := client.VerifyMac(ctx, &kms.VerifyMacInput{KeyId: mac.KeyMetadata.KeyId, Message: []byte("hello"), Mac: m.Mac,
		MacAlgorithm: kmstypes.MacAlgorithmSpecHmacSha256}); err != nil || !v.MacValid {
		t.Fatalf("VerifyMac: %v", err)
	}
	_, err = client.VerifyMac(ctx, &kms.VerifyMacInput{KeyId: mac.KeyMetadata.KeyId, Message: []byte("hellO"), Mac: m.Mac,
		MacAlgorithm: kmstypes.MacAlgorithmSpecHmacSha256})
	apiError(t, err, "KMSInvalidMacException")
	_, err = client.Encrypt(ctx, &kms.EncryptInput{KeyId: mac.KeyMetadata.KeyId, Plaintext: []byte("x")})
	apiError(t, err, "InvalidKeyUsageException")

	for _, tc := range []struct {
		spec kmstypes.KeySpec
		alg  kmstypes.SigningAlgorithmSpec
	}{{kmstypes.KeySpecEccNistP256, kmstypes.SigningAlgorithmSpecEcdsaSha256}, {kmstypes.KeySpecRsa2048, kmstypes.SigningAlgorithmSpecRsassaPssSha256},
		{kmstypes.KeySpecRsa2048, kmstypes.SigningAlgorithmSpecRsassaPkcs1V15Sha256}} {
		k, err := client.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: tc.spec, KeyUsage: kmstypes.KeyUsageTypeSignVerify})
		if err != nil {
			t.Fatalf("CreateKey %s: %v", tc.spec, err)
		}
		sig, err := client.Sign(ctx, &kms.SignInput{KeyId: k.KeyMetadata.KeyId, Message: []byte("model digest"), SigningAlgorithm: tc.alg})
		if err != nil {
			t.Fatalf("Sign %s: %v", tc.alg, err)
		}
		if v, err := client.Verify(ctx, &kms.VerifyInput{KeyId: k.KeyMetadata.KeyId, Message: []byte("model digest"), Signature: sig.Signature,
			SigningAlgorithm: tc.alg}); err != nil || !v.SignatureValid {
			t.Fatalf("Verify %s: %v", tc.alg, err)
		}
		_, err = client.Verify(ctx, &kms.VerifyInput{KeyId: k.KeyMetadata.KeyId, Message: []byte("other"), Signature: sig.Signature, SigningAlgorithm: tc.alg})
		apiError(t, err, "KMSInvalidSignatureException")
		pub, err := client.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: k.KeyMetadata.KeyId})
		if err != nil {
			t.Fatalf("GetPublicKey: %v", err)
		}
		if _, err := x509.ParsePKIXPublicKey(pub.PublicKey); err != nil {
			t.Fatalf("public key: %v", err)
		}
	}
}

package kms

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Key specs and usages Cairn creates.
const (
	specSymmetric = "SYMMETRIC_DEFAULT"
	usageEncrypt  = "ENCRYPT_DECRYPT"
	usageMAC      = "GENERATE_VERIFY_MAC"
	usageSign     = "SIGN_VERIFY"
	usageAgree    = "KEY_AGREEMENT"
	originAWSKMS  = "AWS_KMS"
)

// Deletion waiting periods, in days, as KMS enforces them.
const (
	minPendingWindow     = 7
	maxPendingWindow     = 30
	defaultPendingWindow = 30
)

// KeyMetadata is KMS's description of a key.
type KeyMetadata struct {
	AWSAccountId                string               `json:"AWSAccountId"`
	KeyId                       string               `json:"KeyId"`
	Arn                         string               `json:"Arn"`
	CreationDate                *operation.Timestamp `json:"CreationDate,omitempty"`
	Enabled                     bool                 `json:"Enabled"`
	Description                 string               `json:"Description"`
	KeyUsage                    string               `json:"KeyUsage"`
	KeyState                    string               `json:"KeyState"`
	DeletionDate                *operation.Timestamp `json:"DeletionDate,omitempty"`
	Origin                      string               `json:"Origin"`
	KeyManager                  string               `json:"KeyManager"`
	CustomerMasterKeySpec       string               `json:"CustomerMasterKeySpec"`
	KeySpec                     string               `json:"KeySpec"`
	EncryptionAlgorithms        []string             `json:"EncryptionAlgorithms,omitempty"`
	SigningAlgorithms           []string             `json:"SigningAlgorithms,omitempty"`
	MacAlgorithms               []string             `json:"MacAlgorithms,omitempty"`
	KeyAgreementAlgorithms      []string             `json:"KeyAgreementAlgorithms,omitempty"`
	MultiRegion                 bool                 `json:"MultiRegion"`
	PendingDeletionWindowInDays *int                 `json:"PendingDeletionWindowInDays,omitempty"`
	CurrentKeyMaterialId        string               `json:"CurrentKeyMaterialId,omitempty"`
}

// Tag is a KMS tag.
type Tag struct {
	TagKey   string `json:"TagKey" required:"true" min:"1" max:"128"`
	TagValue string `json:"TagValue" max:"256"`
}

type CreateKeyInput struct {
	Policy                         string `json:"Policy,omitempty" min:"1" max:"131072"`
	Description                    string `json:"Description,omitempty" max:"8192"`
	KeyUsage                       string `json:"KeyUsage,omitempty" enum:"SIGN_VERIFY,ENCRYPT_DECRYPT,GENERATE_VERIFY_MAC,KEY_AGREEMENT"`
	CustomerMasterKeySpec          string `json:"CustomerMasterKeySpec,omitempty" enum:"RSA_2048,RSA_3072,RSA_4096,ECC_NIST_P256,ECC_NIST_P384,ECC_NIST_P521,ECC_SECG_P256K1,SYMMETRIC_DEFAULT,HMAC_224,HMAC_256,HMAC_384,HMAC_512,SM2"`
	KeySpec                        string `json:"KeySpec,omitempty" enum:"RSA_2048,RSA_3072,RSA_4096,ECC_NIST_P256,ECC_NIST_P384,ECC_NIST_P521,ECC_SECG_P256K1,SYMMETRIC_DEFAULT,HMAC_224,HMAC_256,HMAC_384,HMAC_512,SM2,ML_DSA_44,ML_DSA_65,ML_DSA_87,ECC_NIST_EDWARDS25519"`
	Origin                         string `json:"Origin,omitempty" enum:"AWS_KMS,EXTERNAL,AWS_CLOUDHSM,EXTERNAL_KEY_STORE"`
	CustomKeyStoreId               string `json:"CustomKeyStoreId,omitempty" min:"1" max:"64"`
	BypassPolicyLockoutSafetyCheck bool   `json:"BypassPolicyLockoutSafetyCheck,omitempty"`
	Tags                           []Tag  `json:"Tags,omitempty"`
	MultiRegion                    *bool  `json:"MultiRegion,omitempty"`
	XksKeyId                       string `json:"XksKeyId,omitempty" min:"1" max:"128" pattern:"^[a-zA-Z0-9-_.]+$"`
}

type CreateKeyOutput struct {
	KeyMetadata *KeyMetadata `json:"KeyMetadata"`
}

type KeyIDInput struct {
	KeyId       string   `json:"KeyId" required:"true" min:"1" max:"2048"`
	GrantTokens []string `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
}

type DescribeKeyOutput struct {
	KeyMetadata *KeyMetadata `json:"KeyMetadata"`
}

type ListKeysInput struct {
	Limit  *int32 `json:"Limit,omitempty" min:"1" max:"1000"`
	Marker string `json:"Marker,omitempty" min:"1" max:"1024"`
}

type KeyListEntry struct {
	KeyId  string `json:"KeyId"`
	KeyArn string `json:"KeyArn"`
}

type ListKeysOutput struct {
	Keys       []KeyListEntry `json:"Keys"`
	NextMarker string         `json:"NextMarker,omitempty"`
	Truncated  bool           `json:"Truncated"`
}

type ScheduleKeyDeletionInput struct {
	KeyId               string `json:"KeyId" required:"true" min:"1" max:"2048"`
	PendingWindowInDays *int32 `json:"PendingWindowInDays,omitempty" min:"1" max:"365"`
}

type ScheduleKeyDeletionOutput struct {
	KeyId               string               `json:"KeyId"`
	DeletionDate        *operation.Timestamp `json:"DeletionDate"`
	KeyState            string               `json:"KeyState"`
	PendingWindowInDays int                  `json:"PendingWindowInDays"`
}

type CancelKeyDeletionOutput struct {
	KeyId string `json:"KeyId"`
}

type UpdateKeyDescriptionInput struct {
	KeyId       string  `json:"KeyId" required:"true" min:"1" max:"2048"`
	Description *string `json:"Description" required:"true" max:"8192"`
}

type Empty struct{}

func (s *Service) keyOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateKeyInput, CreateKeyOutput]{Name: "CreateKey", Access: s.createKeyAccess, Handler: handle(s, s.createKey)}),
		operation.Declare(operation.Op[KeyIDInput, DescribeKeyOutput]{Name: "DescribeKey",
			Access: func(ctx context.Context, in *KeyIDInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:DescribeKey", access{crossAccount: true})
			}, Handler: handle(s, s.describeKey)}),
		operation.Declare(operation.Op[ListKeysInput, ListKeysOutput]{Name: "ListKeys", Handler: handle(s, s.listKeys)}),
		operation.Declare(operation.Op[KeyIDInput, Empty]{Name: "EnableKey", Access: s.ownKeyAccess("kms:EnableKey"),
			Handler: handle(s, func(ctx context.Context, in *KeyIDInput) (*Empty, error) {
				return s.setState(ctx, in.KeyId, store.KMSKeyEnabled)
			})}),
		operation.Declare(operation.Op[KeyIDInput, Empty]{Name: "DisableKey", Access: s.ownKeyAccess("kms:DisableKey"),
			Handler: handle(s, func(ctx context.Context, in *KeyIDInput) (*Empty, error) {
				return s.setState(ctx, in.KeyId, store.KMSKeyDisabled)
			})}),
		operation.Declare(operation.Op[ScheduleKeyDeletionInput, ScheduleKeyDeletionOutput]{Name: "ScheduleKeyDeletion",
			Access: func(ctx context.Context, in *ScheduleKeyDeletionInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:ScheduleKeyDeletion", access{})
			}, Handler: handle(s, s.scheduleKeyDeletion)}),
		operation.Declare(operation.Op[KeyIDInput, CancelKeyDeletionOutput]{Name: "CancelKeyDeletion",
			Access: s.ownKeyAccess("kms:CancelKeyDeletion"), Handler: handle(s, s.cancelKeyDeletion)}),
		operation.Declare(operation.Op[UpdateKeyDescriptionInput, Empty]{Name: "UpdateKeyDescription",
			Access: func(ctx context.Context, in *UpdateKeyDescriptionInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:UpdateKeyDescription", access{})
			}, Handler: handle(s, s.updateKeyDescription)}),
	}
}

// ownKeyAccess authorizes an operation on a key of the caller's own account.
func (s *Service) ownKeyAccess(action string) func(context.Context, *KeyIDInput) (*operation.Access, error) {
	return func(ctx context.Context, in *KeyIDInput) (*operation.Access, error) {
		return s.keyAccess(ctx, in.KeyId, action, access{})
	}
}

func metadata(k *loadedKey) *KeyMetadata {
	key := k.key
	m := &KeyMetadata{AWSAccountId: key.Account, KeyId: key.ID, Arn: key.ARN(), CreationDate: operation.NewTimestamp(key.CreatedAt),
		Enabled: key.State == store.KMSKeyEnabled, Description: key.Description, KeyUsage: key.KeyUsage, KeyState: key.State,
		Origin: key.Origin, KeyManager: key.KeyManager, CustomerMasterKeySpec: key.KeySpec, KeySpec: key.KeySpec}
	switch key.KeyUsage {
	case usageEncrypt:
		m.EncryptionAlgorithms = encryptionAlgorithms(key.KeySpec)
	case usageMAC:
		m.MacAlgorithms = []string{macAlgorithm(key.KeySpec)}
	case usageSign:
		m.SigningAlgorithms = signingAlgorithms(key.KeySpec)
	case usageAgree:
		m.KeyAgreementAlgorithms = []string{"ECDH"}
	}
	if key.State == store.KMSKeyPendingDeletion {
		m.DeletionDate = operation.NewTimestamp(key.DeletionDate)
		days := key.PendingWindowDays
		m.PendingDeletionWindowInDays = &days
	}
	if cur, ok := k.materials[key.CurrentVersion]; ok && key.KeySpec == specSymmetric {
		m.CurrentKeyMaterialId = cur.id
	}
	return m
}

func (s *Service) createKeyAccess(ctx context.Context, in *CreateKeyInput) (*operation.Access, error) {
	a := &operation.Access{Action: "kms:CreateKey", Resources: []operation.Resource{{ARN: "*"}}, Context: map[string][]string{
		"kms:CallerAccount": {caller(ctx).Account},
		"kms:KeySpec":       {keySpecOf(in)},
		"kms:KeyUsage":      {keyUsageOf(in)},
		"kms:KeyOrigin":     {originOf(in)},
		"kms:MultiRegion":   {fmt.Sprint(in.MultiRegion != nil && *in.MultiRegion)},
	}}
	if in.BypassPolicyLockoutSafetyCheck {
		a.Context["kms:BypassPolicyLockoutSafetyCheck"] = []string{"true"}
	}
	if len(in.Tags) > 0 {
		keys := make([]string, len(in.Tags))
		for i, t := range in.Tags {
			a.Context["aws:RequestTag/"+t.TagKey] = []string{t.TagValue}
			keys[i] = t.TagKey
		}
		a.Context["aws:TagKeys"] = keys
	}
	return a, nil
}

func keySpecOf(in *CreateKeyInput) string {
	switch {
	case in.KeySpec != "":
		return in.KeySpec
	case in.CustomerMasterKeySpec != "":
		return in.CustomerMasterKeySpec
	}
	return specSymmetric
}

func keyUsageOf(in *CreateKeyInput) string {
	if in.KeyUsage != "" {
		return in.KeyUsage
	}
	return usageEncrypt
}

func originOf(in *CreateKeyInput) string {
	if in.Origin != "" {
		return in.Origin
	}
	return originAWSKMS
}

// Validate refuses what Cairn's KMS does not offer, saying so.
func (in *CreateKeyInput) Validate() error {
	switch {
	case in.CustomKeyStoreId != "" || in.Origin == "AWS_CLOUDHSM" || in.Origin == "EXTERNAL_KEY_STORE" || in.XksKeyId != "":
		return unsupported("Custom key stores (CloudHSM and external key stores) are not supported by Cairn's KMS; create the key without CustomKeyStoreId, with Origin AWS_KMS.")
	case in.Origin == "EXTERNAL":
		return unsupported("Imported key material (Origin EXTERNAL) is not supported by Cairn's KMS; create the key with Origin AWS_KMS.")
	case in.MultiRegion != nil && *in.MultiRegion:
		return unsupported("Multi-Region keys are not supported by Cairn's KMS, which serves one Region; create the key with MultiRegion false.")
	case in.KeySpec != "" && in.CustomerMasterKeySpec != "":
		return validation("You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.")
	}
	spec, usage := keySpecOf(in), keyUsageOf(in)
	want, ok := specUsage[spec]
	if !ok {
		return unsupported("KeySpec %s is not supported by Cairn's KMS; it creates SYMMETRIC_DEFAULT, HMAC_224/256/384/512, RSA_2048/3072/4096 signing and encryption keys, ECC_NIST_P256/P384/P521 signing and key agreement keys and ECC_NIST_EDWARDS25519 signing keys.", spec)
	}
	if !want[usage] {
		return validation("KeyUsage %s is not compatible with KeySpec %s.", usage, spec)
	}
	return nil
}

// specUsage are the key specs Cairn makes and the usages each allows.
var specUsage = map[string]map[string]bool{
	specSymmetric:   {usageEncrypt: true},
	"HMAC_224":      {usageMAC: true},
	"HMAC_256":      {usageMAC: true},
	"HMAC_384":      {usageMAC: true},
	"HMAC_512":      {usageMAC: true},
	"RSA_2048":      {usageSign: true, usageEncrypt: true},
	"RSA_3072":      {usageSign: true, usageEncrypt: true},
	"RSA_4096":      {usageSign: true, usageEncrypt: true},
	"ECC_NIST_P256": {usageSign: true, usageAgree: true},
	"ECC_NIST_P384": {usageSign: true, usageAgree: true},
	"ECC_NIST_P521": {usageSign: true, usageAgree: true},
	specEd25519:     {usageSign: true},
}

func (s *Service) createKey(ctx context.Context, in *CreateKeyInput) (*CreateKeyOutput, error) {
	p := caller(ctx)
	id, err := s.newID()
	if err != nil {
		return nil, err
	}
	policy := in.Policy
	if policy == "" {
		policy = defaultKeyPolicy(p.Account)
	}
	keyARN := arn.KMSKey(s.region, p.Account, id)
	if err := s.checkPolicy(ctx, keyARN, p.Account, policy, in.BypassPolicyLockoutSafetyCheck); err != nil {
		return nil, err
	}
	k := &store.KMSKey{Account: p.Account, Region: s.region, ID: id, Description: in.Description, KeyUsage: keyUsageOf(in),
		KeySpec: keySpecOf(in), Origin: originAWSKMS, KeyManager: "CUSTOMER", State: store.KMSKeyEnabled, CreatedAt: s.now(),
		Policy: policy, RotationPeriodDays: 365, CurrentVersion: 1}
	mat, err := s.newMaterial(k, 1, "")
	if err != nil {
		return nil, err
	}
	err = s.store.Update(ctx, func(tx txn) error {
		if err := tx.CreateKMSKey(k); err != nil {
			return err
		}
		if err := tx.PutKMSKeyMaterial(mat); err != nil {
			return err
		}
		if len(in.Tags) > 0 {
			return tx.SetTags(k.ARN(), storeTags(in.Tags))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	lk, err := s.read(ctx, p.Account, id)
	if err != nil {
		return nil, err
	}
	return &CreateKeyOutput{KeyMetadata: metadata(lk)}, nil
}

// newMaterial makes a version of a key's material, sealed under the master key.
func (s *Service) newMaterial(k *store.KMSKey, version int, rotation string) (*store.KMSKeyMaterial, error) {
	raw, err := generateMaterial(k.KeySpec, s.random)
	if err != nil {
		return nil, err
	}
	id, err := s.randomHex(32)
	if err != nil {
		return nil, err
	}
	return &store.KMSKeyMaterial{Account: k.Account, KeyID: k.ID, Version: version, MaterialID: id,
		Sealed: s.master.Seal(materialPurpose(k.ARN(), version), raw), CreatedAt: s.now(), RotationType: rotation}, nil
}

// managedServices are the services whose AWS managed keys (alias/aws/<service>) Cairn
// makes on first use.
var managedServices = map[string]bool{"s3": true, "sagemaker": true, "ebs": true, "lambda": true, "secretsmanager": true,
	"sns": true, "sqs": true, "rds": true, "dynamodb": true, "logs": true, "ssm": true, "glue": true}

// createManagedKey makes an account's AWS managed key of a service and its alias, unless a
// concurrent request made them first, and returns the key's ID.
func (s *Service) createManagedKey(ctx context.Context, account, svc string) (string, error) {
	id, err := s.newID()
	if err != nil {
		return "", err
	}
	alias := "alias/aws/" + svc
	k := &store.KMSKey{Account: account, Region: s.region, ID: id, Description: managedDescription(svc), KeyUsage: usageEncrypt,
		KeySpec: specSymmetric, Origin: originAWSKMS, KeyManager: "AWS", State: store.KMSKeyEnabled, CreatedAt: s.now(),
		Policy: managedKeyPolicy(account, svc, s.region), RotationEnabled: true, RotationPeriodDays: 365,
		NextRotation: s.now().AddDate(1, 0, 0), CurrentVersion: 1}
	mat, err := s.newMaterial(k, 1, "")
	if err != nil {
		return "", err
	}
	err = s.store.Update(ctx, func(tx txn) error {
		if a, err := tx.KMSAlias(account, alias); err == nil {
			id = a.TargetKeyID
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := tx.CreateKMSKey(k); err != nil {
			return err
		}
		if err := tx.PutKMSKeyMaterial(mat); err != nil {
			return err
		}
		return tx.PutKMSAlias(&store.KMSAlias{Account: account, Region: s.region, Name: alias, TargetKeyID: id,
			CreatedAt: k.CreatedAt, UpdatedAt: k.CreatedAt})
	})
	return id, err
}

func managedDescription(svc string) string {
	if svc == "s3" {
		return "Default key that protects my S3 objects when no other key is defined"
	}
	return "Default key that protects my " + svc + " resources when no other key is defined"
}

func (s *Service) describeKey(ctx context.Context, in *KeyIDInput) (*DescribeKeyOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	return &DescribeKeyOutput{KeyMetadata: metadata(k)}, nil
}

func (s *Service) listKeys(ctx context.Context, in *ListKeysInput) (*ListKeysOutput, error) {
	account := caller(ctx).Account
	if err := s.purgeDue(ctx, account); err != nil {
		return nil, err
	}
	after, err := operation.AfterKey(in.Marker)
	if err != nil {
		return nil, kmsError("InvalidMarkerException", "The Marker is not one ListKeys returned.")
	}
	limit := limitOf(in.Limit, 100)
	var keys []*store.KMSKey
	err = s.store.View(ctx, func(tx txn) error {
		keys, err = tx.ListKMSKeys(account, store.Page{After: after, Limit: limit + 1})
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next := operation.Keyed(keys, limit, func(k *store.KMSKey) string { return k.ID })
	out := &ListKeysOutput{Keys: []KeyListEntry{}, NextMarker: next, Truncated: next != ""}
	for _, k := range page {
		out.Keys = append(out.Keys, KeyListEntry{KeyId: k.ID, KeyArn: k.ARN()})
	}
	return out, nil
}

func limitOf(l *int32, def int) int {
	if l == nil {
		return def
	}
	return int(*l)
}

// purgeDue deletes an account's keys whose deletion fell due.
func (s *Service) purgeDue(ctx context.Context, account string) error {
	var due []*store.KMSKey
	if err := s.store.View(ctx, func(tx txn) error {
		var err error
		due, err = tx.KMSKeysDueForDeletion(s.now())
		return err
	}); err != nil {
		return err
	}
	for _, k := range due {
		if k.Account == account {
			if err := s.purge(ctx, k.Account, k.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// change applies fn to a key of the caller's account in one transaction.
func (s *Service) change(ctx context.Context, keyID string, fn func(k *store.KMSKey) error) (*store.KMSKey, error) {
	lk, err := s.key(ctx, keyID)
	if err != nil {
		return nil, err
	}
	var k *store.KMSKey
	err = s.store.Update(ctx, func(tx txn) error {
		var err error
		if k, err = tx.KMSKey(lk.key.Account, lk.key.ID); err != nil {
			return err
		}
		if err := fn(k); err != nil {
			return err
		}
		return tx.UpdateKMSKey(k)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, keyNotFound(lk.key.ARN())
	}
	return k, err
}

func (s *Service) setState(ctx context.Context, keyID, state string) (*Empty, error) {
	_, err := s.change(ctx, keyID, func(k *store.KMSKey) error {
		if k.State == store.KMSKeyPendingDeletion {
			return invalidState("%s is pending deletion.", k.ARN())
		}
		k.State = state
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func (s *Service) scheduleKeyDeletion(ctx context.Context, in *ScheduleKeyDeletionInput) (*ScheduleKeyDeletionOutput, error) {
	days := defaultPendingWindow
	if in.PendingWindowInDays != nil {
		days = int(*in.PendingWindowInDays)
		if days < minPendingWindow || days > maxPendingWindow {
			return nil, validation("%s", operation.ValidationMessage(operation.Violation{Path: "pendingWindowInDays",
				Value: fmt.Sprint(days), Constraint: fmt.Sprintf("Member must have value between %d and %d", minPendingWindow, maxPendingWindow)}))
		}
	}
	k, err := s.change(ctx, in.KeyId, func(k *store.KMSKey) error {
		if k.KeyManager == "AWS" {
			return unsupported("%s is an AWS managed key; AWS managed keys cannot be deleted.", k.ARN())
		}
		if k.State == store.KMSKeyPendingDeletion {
			return invalidState("%s is pending deletion.", k.ARN())
		}
		k.State, k.PendingWindowDays, k.DeletionDate = store.KMSKeyPendingDeletion, days, s.now().AddDate(0, 0, days)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ScheduleKeyDeletionOutput{KeyId: k.ARN(), DeletionDate: operation.NewTimestamp(k.DeletionDate),
		KeyState: k.State, PendingWindowInDays: days}, nil
}

func (s *Service) cancelKeyDeletion(ctx context.Context, in *KeyIDInput) (*CancelKeyDeletionOutput, error) {
	k, err := s.change(ctx, in.KeyId, func(k *store.KMSKey) error {
		if k.State != store.KMSKeyPendingDeletion {
			return invalidState("%s is not pending deletion.", k.ARN())
		}
		k.State, k.PendingWindowDays, k.DeletionDate = store.KMSKeyDisabled, 0, time.Time{}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &CancelKeyDeletionOutput{KeyId: k.ARN()}, nil
}

func (s *Service) updateKeyDescription(ctx context.Context, in *UpdateKeyDescriptionInput) (*Empty, error) {
	_, err := s.change(ctx, in.KeyId, func(k *store.KMSKey) error {
		if k.State == store.KMSKeyPendingDeletion {
			return invalidState("%s is pending deletion.", k.ARN())
		}
		k.Description = *in.Description
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func storeTags(tags []Tag) []store.Tag {
	out := make([]store.Tag, 0, len(tags))
	seen := map[string]int{}
	for _, t := range tags {
		if i, ok := seen[t.TagKey]; ok {
			out[i].Value = t.TagValue
			continue
		}
		seen[t.TagKey] = len(out)
		out = append(out, store.Tag{Key: t.TagKey, Value: t.TagValue})
	}
	return out
}

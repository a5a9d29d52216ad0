package kms

import (
	"context"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

// Rotation periods, in days.
const (
	minRotationPeriod     = 90
	maxRotationPeriod     = 2560
	defaultRotationPeriod = 365
)

type EnableKeyRotationInput struct {
	KeyId                string `json:"KeyId" required:"true" min:"1" max:"2048"`
	RotationPeriodInDays *int32 `json:"RotationPeriodInDays,omitempty" min:"90" max:"2560"`
}

type GetKeyRotationStatusOutput struct {
	KeyRotationEnabled   bool                 `json:"KeyRotationEnabled"`
	KeyId                string               `json:"KeyId"`
	RotationPeriodInDays *int                 `json:"RotationPeriodInDays,omitempty"`
	NextRotationDate     *operation.Timestamp `json:"NextRotationDate,omitempty"`
}

type RotateKeyOnDemandOutput struct {
	KeyId string `json:"KeyId"`
}

type ListKeyRotationsInput struct {
	KeyId              string `json:"KeyId" required:"true" min:"1" max:"2048"`
	IncludeKeyMaterial string `json:"IncludeKeyMaterial,omitempty" enum:"ALL_KEY_MATERIAL,ROTATIONS_ONLY"`
	Limit              *int32 `json:"Limit,omitempty" min:"1" max:"1000"`
	Marker             string `json:"Marker,omitempty" min:"1" max:"1024"`
}

type RotationsListEntry struct {
	KeyId            string               `json:"KeyId"`
	KeyMaterialId    string               `json:"KeyMaterialId"`
	KeyMaterialState string               `json:"KeyMaterialState"`
	RotationDate     *operation.Timestamp `json:"RotationDate,omitempty"`
	RotationType     string               `json:"RotationType,omitempty"`
}

type ListKeyRotationsOutput struct {
	Rotations  []RotationsListEntry `json:"Rotations"`
	NextMarker string               `json:"NextMarker,omitempty"`
	Truncated  bool                 `json:"Truncated"`
}

func (s *Service) rotationOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[EnableKeyRotationInput, Empty]{Name: "EnableKeyRotation",
			Access: func(ctx context.Context, in *EnableKeyRotationInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:EnableKeyRotation", access{})
			},
			Handler: handle(s, func(ctx context.Context, in *EnableKeyRotationInput) (*Empty, error) {
				days := defaultRotationPeriod
				if in.RotationPeriodInDays != nil {
					days = int(*in.RotationPeriodInDays)
				}
				return s.setRotation(ctx, in.KeyId, true, days)
			})}),
		operation.Declare(operation.Op[KeyIDInput, Empty]{Name: "DisableKeyRotation", Access: s.ownKeyAccess("kms:DisableKeyRotation"),
			Handler: handle(s, func(ctx context.Context, in *KeyIDInput) (*Empty, error) {
				return s.setRotation(ctx, in.KeyId, false, 0)
			})}),
		operation.Declare(operation.Op[KeyIDInput, GetKeyRotationStatusOutput]{Name: "GetKeyRotationStatus",
			Access: func(ctx context.Context, in *KeyIDInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:GetKeyRotationStatus", access{crossAccount: true})
			},
			Handler: handle(s, s.getKeyRotationStatus)}),
		operation.Declare(operation.Op[KeyIDInput, RotateKeyOnDemandOutput]{Name: "RotateKeyOnDemand",
			Access: s.ownKeyAccess("kms:RotateKeyOnDemand"), Handler: handle(s, s.rotateKeyOnDemand)}),
		operation.Declare(operation.Op[ListKeyRotationsInput, ListKeyRotationsOutput]{Name: "ListKeyRotations",
			Access: func(ctx context.Context, in *ListKeyRotationsInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:ListKeyRotations", access{})
			},
			Handler: handle(s, s.listKeyRotations)}),
	}
}

// rotatable refuses rotation of keys KMS does not rotate.
func rotatable(k *store.KMSKey) error {
	if k.KeySpec != specSymmetric {
		return unsupported("%s is a %s key; only symmetric encryption keys rotate.", k.ARN(), k.KeySpec)
	}
	switch k.State {
	case store.KMSKeyDisabled:
		return kmsError("DisabledException", "%s is disabled.", k.ARN())
	case store.KMSKeyPendingDeletion:
		return invalidState("%s is pending deletion.", k.ARN())
	}
	return nil
}

func (s *Service) setRotation(ctx context.Context, keyID string, on bool, days int) (*Empty, error) {
	_, err := s.change(ctx, keyID, func(k *store.KMSKey) error {
		if err := rotatable(k); err != nil {
			return err
		}
		if k.KeyManager == "AWS" {
			return unsupported("%s is an AWS managed key; AWS rotates it every year.", k.ARN())
		}
		k.RotationEnabled = on
		if on {
			k.RotationPeriodDays, k.NextRotation = days, s.now().AddDate(0, 0, days)
		} else {
			k.NextRotation = time.Time{}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func (s *Service) getKeyRotationStatus(ctx context.Context, in *KeyIDInput) (*GetKeyRotationStatusOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	if k.key.KeySpec != specSymmetric {
		return nil, unsupported("%s is a %s key; only symmetric encryption keys rotate.", k.key.ARN(), k.key.KeySpec)
	}
	out := &GetKeyRotationStatusOutput{KeyRotationEnabled: k.key.RotationEnabled, KeyId: k.key.ARN()}
	if k.key.RotationEnabled {
		days := k.key.RotationPeriodDays
		out.RotationPeriodInDays, out.NextRotationDate = &days, operation.NewTimestamp(k.key.NextRotation)
	}
	return out, nil
}

// rotate adds a version of a key's material and makes it current.
func (s *Service) rotate(ctx context.Context, account, id, rotationType string) error {
	return s.store.Update(ctx, func(tx txn) error {
		k, err := tx.KMSKey(account, id)
		if err != nil {
			return err
		}
		if rotationType == "AUTOMATIC" && (!k.RotationEnabled || s.now().Before(k.NextRotation)) {
			return nil // another request rotated it
		}
		mat, err := s.newMaterial(k, k.CurrentVersion+1, rotationType)
		if err != nil {
			return err
		}
		if err := tx.PutKMSKeyMaterial(mat); err != nil {
			return err
		}
		k.CurrentVersion++
		if k.RotationEnabled {
			k.NextRotation = s.now().AddDate(0, 0, k.RotationPeriodDays)
		}
		return tx.UpdateKMSKey(k)
	})
}

func (s *Service) rotateKeyOnDemand(ctx context.Context, in *KeyIDInput) (*RotateKeyOnDemandOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	if err := rotatable(k.key); err != nil {
		return nil, err
	}
	if k.key.KeyManager == "AWS" {
		return nil, unsupported("%s is an AWS managed key; it cannot be rotated on demand.", k.key.ARN())
	}
	if err := s.rotate(ctx, k.key.Account, k.key.ID, "ON_DEMAND"); err != nil {
		return nil, err
	}
	return &RotateKeyOnDemandOutput{KeyId: k.key.ARN()}, nil
}

func (s *Service) listKeyRotations(ctx context.Context, in *ListKeyRotationsInput) (*ListKeyRotationsOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	if k.key.KeySpec != specSymmetric {
		return nil, unsupported("%s is a %s key; only symmetric encryption keys rotate.", k.key.ARN(), k.key.KeySpec)
	}
	var mats []*store.KMSKeyMaterial
	if err := s.store.View(ctx, func(tx txn) error {
		var err error
		mats, err = tx.KMSKeyMaterials(k.key.Account, k.key.ID)
		return err
	}); err != nil {
		return nil, err
	}
	var all []RotationsListEntry
	for _, m := range mats {
		if m.Version == 1 && in.IncludeKeyMaterial != "ALL_KEY_MATERIAL" {
			continue
		}
		e := RotationsListEntry{KeyId: k.key.ARN(), KeyMaterialId: m.MaterialID, KeyMaterialState: "NON_CURRENT"}
		if m.Version == k.key.CurrentVersion {
			e.KeyMaterialState = "CURRENT"
		}
		if m.Version > 1 {
			e.RotationDate, e.RotationType = operation.NewTimestamp(m.CreatedAt), m.RotationType
		}
		all = append(all, e)
	}
	page, next, err := operation.Slice(all, in.Marker, limitOf(in.Limit, 100))
	if err != nil {
		return nil, kmsError("InvalidMarkerException", "The Marker is not one ListKeyRotations returned.")
	}
	if page == nil {
		page = []RotationsListEntry{}
	}
	return &ListKeyRotationsOutput{Rotations: page, NextMarker: next, Truncated: next != ""}, nil
}

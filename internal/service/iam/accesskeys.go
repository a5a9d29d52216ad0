package iam

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/store"
)

// maxAccessKeys is IAM's quota of access keys per user (and per root user).
const maxAccessKeys = 2

func (s *Service) accessKeyOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateAccessKeyInput, CreateAccessKeyOutput]{
			Name: "CreateAccessKey", Handler: s.createAccessKey,
			Access: func(ctx context.Context, in *CreateAccessKeyInput) (*operation.Access, error) {
				return s.selfUserAccess(ctx, in.UserName)
			},
		}),
		operation.Declare(operation.Op[ListAccessKeysInput, ListAccessKeysOutput]{
			Name: "ListAccessKeys", Handler: s.listAccessKeys,
			Access: func(ctx context.Context, in *ListAccessKeysInput) (*operation.Access, error) {
				return s.selfUserAccess(ctx, in.UserName)
			},
		}),
		operation.Declare(operation.Op[UpdateAccessKeyInput, struct{}]{
			Name: "UpdateAccessKey", Handler: s.updateAccessKey,
			Access: func(ctx context.Context, in *UpdateAccessKeyInput) (*operation.Access, error) {
				return s.selfUserAccess(ctx, in.UserName)
			},
		}),
		operation.Declare(operation.Op[DeleteAccessKeyInput, struct{}]{
			Name: "DeleteAccessKey", Handler: s.deleteAccessKey,
			Access: func(ctx context.Context, in *DeleteAccessKeyInput) (*operation.Access, error) {
				return s.selfUserAccess(ctx, in.UserName)
			},
		}),
	}
}

// keyOwner resolves the user whose keys a request is about: the named user (which must
// exist), or the caller — "" for an account's root user.
func keyOwner(tx txn, p *auth.Principal, userName string) (string, error) {
	if userName == "" {
		switch p.Kind {
		case auth.Root:
			return "", nil
		case auth.User:
			userName = p.Name
		default:
			return "", validationError("Must specify userName when calling with non-User credentials")
		}
	}
	u, err := tx.User(p.Account, userName)
	if err != nil {
		return "", orNoSuch(err, store.EntityUser, userName)
	}
	return u.Name, nil
}

// ownedKey reads an access key that must belong to owner in the caller's account.
func ownedKey(tx txn, account, owner, id string) (*store.AccessKey, error) {
	k, err := tx.AccessKey(id)
	if errors.Is(err, store.ErrNotFound) || err == nil && (k.AccountID != account || k.UserName != owner) {
		return nil, noSuchEntity("The Access Key with id %s cannot be found.", id)
	}
	return k, err
}

// CreateAccessKeyInput names the user to create a key for; without a name, the caller.
type CreateAccessKeyInput struct {
	UserName string `min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
}

// CreateAccessKeyOutput holds the new key and its secret.
type CreateAccessKeyOutput struct {
	AccessKey AccessKey
}

func (s *Service) createAccessKey(ctx context.Context, in *CreateAccessKeyInput) (*CreateAccessKeyOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	secret, err := auth.NewSecretAccessKey(s.random)
	if err != nil {
		return nil, err
	}
	var key *store.AccessKey
	err = s.update(ctx, func(tx txn) error {
		owner, err := keyOwner(tx, p, in.UserName)
		if err != nil {
			return err
		}
		keys, err := tx.ListAccessKeys(p.Account, owner)
		if err != nil {
			return err
		}
		if len(keys) >= maxAccessKeys {
			return limitExceeded("Cannot exceed quota for AccessKeysPerUser: %d", maxAccessKeys)
		}
		for attempt := 0; ; attempt++ {
			id, err := auth.NewAccessKeyID(s.random, "AKIA")
			if err != nil {
				return err
			}
			key = &store.AccessKey{ID: id, Secret: secret, AccountID: p.Account, UserName: owner,
				Status: store.KeyActive, CreatedAt: s.timestamp()}
			err = tx.CreateAccessKey(key)
			if errors.Is(err, store.ErrExists) && attempt < 3 {
				continue
			}
			if err != nil {
				return fmt.Errorf("create access key: %w", err)
			}
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	return &CreateAccessKeyOutput{AccessKey: AccessKey{UserName: key.UserName, AccessKeyId: key.ID, Status: key.Status,
		SecretAccessKey: key.Secret, CreateDate: isoTime(key.CreatedAt)}}, nil
}

// ListAccessKeysInput names the user whose keys to list; without a name, the caller.
type ListAccessKeysInput struct {
	UserName string `min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	Marker   string `min:"1" max:"320" pattern:"[\\u0020-\\u00FF]+"`
	MaxItems *int32 `min:"1" max:"1000"`
}

// ListAccessKeysOutput is one page of key metadata.
type ListAccessKeysOutput struct {
	AccessKeyMetadata members[AccessKeyMetadata]
	IsTruncated       bool
	Marker            string `xml:",omitempty"`
}

func (s *Service) listAccessKeys(ctx context.Context, in *ListAccessKeysInput) (*ListAccessKeysOutput, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var keys []*store.AccessKey
	err = s.view(ctx, func(tx txn) error {
		owner, err := keyOwner(tx, p, in.UserName)
		if err != nil {
			return err
		}
		keys, err = tx.ListAccessKeys(p.Account, owner)
		return err
	})
	if err != nil {
		return nil, err
	}
	page, truncated, marker, err := pageSlice(keys, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &ListAccessKeysOutput{AccessKeyMetadata: members[AccessKeyMetadata]{}, IsTruncated: truncated, Marker: marker}
	for _, k := range page {
		out.AccessKeyMetadata = append(out.AccessKeyMetadata, AccessKeyMetadata{UserName: k.UserName, AccessKeyId: k.ID,
			Status: k.Status, CreateDate: isoTime(k.CreatedAt)})
	}
	return out, nil
}

// UpdateAccessKeyInput activates or deactivates a key.
type UpdateAccessKeyInput struct {
	UserName    string `min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	AccessKeyId string `required:"true" min:"16" max:"128" pattern:"[\\w]+"`
	Status      string `required:"true" enum:"Active,Inactive,Expired"`
}

func (s *Service) updateAccessKey(ctx context.Context, in *UpdateAccessKeyInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if in.Status != store.KeyActive && in.Status != store.KeyInactive {
		return nil, invalidInput("The access key status %s is not valid; use Active or Inactive.", in.Status)
	}
	err = s.update(ctx, func(tx txn) error {
		owner, err := keyOwner(tx, p, in.UserName)
		if err != nil {
			return err
		}
		if _, err := ownedKey(tx, p.Account, owner, in.AccessKeyId); err != nil {
			return err
		}
		return tx.UpdateAccessKeyStatus(in.AccessKeyId, in.Status)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// DeleteAccessKeyInput names the key to delete.
type DeleteAccessKeyInput struct {
	UserName    string `min:"1" max:"128" pattern:"[\\w+=,.@-]+"`
	AccessKeyId string `required:"true" min:"16" max:"128" pattern:"[\\w]+"`
}

func (s *Service) deleteAccessKey(ctx context.Context, in *DeleteAccessKeyInput) (*struct{}, error) {
	p, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx txn) error {
		owner, err := keyOwner(tx, p, in.UserName)
		if err != nil {
			return err
		}
		if _, err := ownedKey(tx, p.Account, owner, in.AccessKeyId); err != nil {
			return err
		}
		return tx.DeleteAccessKey(in.AccessKeyId)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

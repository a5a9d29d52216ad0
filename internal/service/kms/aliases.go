package kms

import (
	"context"
	"errors"
	"strings"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

type AliasInput struct {
	AliasName   string `json:"AliasName" required:"true" min:"1" max:"256" pattern:"^[a-zA-Z0-9:/_-]+$"`
	TargetKeyId string `json:"TargetKeyId" required:"true" min:"1" max:"2048"`
}

type DeleteAliasInput struct {
	AliasName string `json:"AliasName" required:"true" min:"1" max:"256" pattern:"^[a-zA-Z0-9:/_-]+$"`
}

type ListAliasesInput struct {
	KeyId  string `json:"KeyId,omitempty" min:"1" max:"2048"`
	Limit  *int32 `json:"Limit,omitempty" min:"1" max:"1000"`
	Marker string `json:"Marker,omitempty" min:"1" max:"1024"`
}

type AliasListEntry struct {
	AliasName       string               `json:"AliasName"`
	AliasArn        string               `json:"AliasArn"`
	TargetKeyId     string               `json:"TargetKeyId,omitempty"`
	CreationDate    *operation.Timestamp `json:"CreationDate,omitempty"`
	LastUpdatedDate *operation.Timestamp `json:"LastUpdatedDate,omitempty"`
}

type ListAliasesOutput struct {
	Aliases    []AliasListEntry `json:"Aliases"`
	NextMarker string           `json:"NextMarker,omitempty"`
	Truncated  bool             `json:"Truncated"`
}

// checkAliasName refuses names KMS does not let customers make.
func checkAliasName(name string) error {
	switch {
	case !strings.HasPrefix(name, "alias/") || len(name) == len("alias/"):
		return kmsError("InvalidAliasNameException", "Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html")
	case strings.HasPrefix(name, "alias/aws/"):
		return kmsError("NotAuthorizedException", "%s must not begin with alias/aws/: that prefix is reserved for AWS managed keys.", name)
	}
	return nil
}

func (s *Service) aliasAccess(ctx context.Context, action, alias, keyID string) (*operation.Access, error) {
	if err := checkAliasName(alias); err != nil {
		return nil, err
	}
	p := caller(ctx)
	a := &operation.Access{Action: action, Resources: []operation.Resource{{ARN: arn.KMSAlias(s.region, p.Account, alias), Account: p.Account}}}
	if keyID != "" {
		n, err := s.parseKeyID(p.Account, keyID)
		if err != nil {
			return nil, err
		}
		if n.alias != "" {
			return nil, validation("Aliases can only target keys: specify the key ID or key ARN as TargetKeyId, not an alias.")
		}
		res, err := s.keyResource(ctx, n, false)
		if err != nil {
			return nil, err
		}
		a.Resources = append(a.Resources, res)
	}
	return a, nil
}

func (s *Service) aliasOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[AliasInput, Empty]{Name: "CreateAlias",
			Access: func(ctx context.Context, in *AliasInput) (*operation.Access, error) {
				return s.aliasAccess(ctx, "kms:CreateAlias", in.AliasName, in.TargetKeyId)
			},
			Handler: handle(s, func(ctx context.Context, in *AliasInput) (*Empty, error) { return s.putAlias(ctx, in, true) })}),
		operation.Declare(operation.Op[AliasInput, Empty]{Name: "UpdateAlias",
			Access: func(ctx context.Context, in *AliasInput) (*operation.Access, error) {
				a, err := s.aliasAccess(ctx, "kms:UpdateAlias", in.AliasName, in.TargetKeyId)
				if err != nil {
					return nil, err
				}
				// The key the alias points at now must allow it too.
				var cur *store.KMSAlias
				if err := s.store.View(ctx, func(tx txn) error {
					var err error
					cur, err = tx.KMSAlias(caller(ctx).Account, in.AliasName)
					return err
				}); err == nil {
					res, err := s.keyResource(ctx, keyName{account: cur.Account, id: cur.TargetKeyID}, false)
					if err == nil {
						a.Resources = append(a.Resources, res)
					}
				}
				return a, nil
			},
			Handler: handle(s, func(ctx context.Context, in *AliasInput) (*Empty, error) { return s.putAlias(ctx, in, false) })}),
		operation.Declare(operation.Op[DeleteAliasInput, Empty]{Name: "DeleteAlias",
			Access: func(ctx context.Context, in *DeleteAliasInput) (*operation.Access, error) {
				a, err := s.aliasAccess(ctx, "kms:DeleteAlias", in.AliasName, "")
				if err != nil {
					return nil, err
				}
				var cur *store.KMSAlias
				if err := s.store.View(ctx, func(tx txn) error {
					var err error
					cur, err = tx.KMSAlias(caller(ctx).Account, in.AliasName)
					return err
				}); err == nil {
					if res, err := s.keyResource(ctx, keyName{account: cur.Account, id: cur.TargetKeyID}, false); err == nil {
						a.Resources = append(a.Resources, res)
					}
				}
				return a, nil
			},
			Handler: handle(s, s.deleteAlias)}),
		operation.Declare(operation.Op[ListAliasesInput, ListAliasesOutput]{Name: "ListAliases", Handler: handle(s, s.listAliases)}),
	}
}

func (s *Service) putAlias(ctx context.Context, in *AliasInput, create bool) (*Empty, error) {
	k, err := s.key(ctx, in.TargetKeyId)
	if err != nil {
		return nil, err
	}
	if err := notPending(k); err != nil {
		return nil, err
	}
	if k.key.KeyManager == "AWS" {
		return nil, kmsError("NotAuthorizedException", "%s is an AWS managed key; aliases cannot point at AWS managed keys.", k.key.ARN())
	}
	account := caller(ctx).Account
	err = s.store.Update(ctx, func(tx txn) error {
		cur, err := tx.KMSAlias(account, in.AliasName)
		switch {
		case err == nil && create:
			return kmsError("AlreadyExistsException", "An alias with the name %s already exists", arn.KMSAlias(s.region, account, in.AliasName))
		case errors.Is(err, store.ErrNotFound) && !create:
			return notFound("Alias %s is not found.", arn.KMSAlias(s.region, account, in.AliasName))
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
		a := &store.KMSAlias{Account: account, Region: s.region, Name: in.AliasName, TargetKeyID: k.key.ID, CreatedAt: s.now(), UpdatedAt: s.now()}
		if cur != nil {
			old, err := tx.KMSKey(account, cur.TargetKeyID)
			if err == nil && (old.KeyUsage != k.key.KeyUsage || old.KeySpec != k.key.KeySpec) {
				return validation("%s has usage %s and spec %s; the alias's current key has %s and %s. An alias can only move to a key of the same type and usage.",
					k.key.ARN(), k.key.KeyUsage, k.key.KeySpec, old.KeyUsage, old.KeySpec)
			}
			a.CreatedAt = cur.CreatedAt
		}
		return tx.PutKMSAlias(a)
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func (s *Service) deleteAlias(ctx context.Context, in *DeleteAliasInput) (*Empty, error) {
	account := caller(ctx).Account
	err := s.store.Update(ctx, func(tx txn) error { return tx.DeleteKMSAlias(account, in.AliasName) })
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("Alias %s is not found.", arn.KMSAlias(s.region, account, in.AliasName))
	}
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

func (s *Service) listAliases(ctx context.Context, in *ListAliasesInput) (*ListAliasesOutput, error) {
	account := caller(ctx).Account
	keyID := ""
	if in.KeyId != "" {
		k, err := s.key(ctx, in.KeyId)
		if err != nil {
			return nil, err
		}
		if k.key.Account != account {
			return nil, keyNotFound(k.key.ARN())
		}
		keyID = k.key.ID
	}
	after, err := operation.AfterKey(in.Marker)
	if err != nil {
		return nil, kmsError("InvalidMarkerException", "The Marker is not one ListAliases returned.")
	}
	limit := limitOf(in.Limit, 50)
	var aliases []*store.KMSAlias
	err = s.store.View(ctx, func(tx txn) error {
		aliases, err = tx.ListKMSAliases(account, keyID, store.Page{After: after, Limit: limit + 1})
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next := operation.Keyed(aliases, limit, func(a *store.KMSAlias) string { return a.Name })
	out := &ListAliasesOutput{Aliases: []AliasListEntry{}, NextMarker: next, Truncated: next != ""}
	for _, a := range page {
		out.Aliases = append(out.Aliases, AliasListEntry{AliasName: a.Name, AliasArn: a.ARN(), TargetKeyId: a.TargetKeyID,
			CreationDate: operation.NewTimestamp(a.CreatedAt), LastUpdatedDate: operation.NewTimestamp(a.UpdatedAt)})
	}
	return out, nil
}

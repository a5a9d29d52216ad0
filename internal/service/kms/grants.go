package kms

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"sort"
	"strings"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/store"
)

type GrantConstraints struct {
	EncryptionContextSubset map[string]string `json:"EncryptionContextSubset,omitempty"`
	EncryptionContextEquals map[string]string `json:"EncryptionContextEquals,omitempty"`
}

const grantOperationEnum = "Decrypt,Encrypt,GenerateDataKey,GenerateDataKeyWithoutPlaintext,ReEncryptFrom,ReEncryptTo,Sign,Verify,GetPublicKey,CreateGrant,RetireGrant,DescribeKey,GenerateDataKeyPair,GenerateDataKeyPairWithoutPlaintext,GenerateMac,VerifyMac,DeriveSharedSecret"

type CreateGrantInput struct {
	KeyId             string            `json:"KeyId" required:"true" min:"1" max:"2048"`
	GranteePrincipal  string            `json:"GranteePrincipal" required:"true" min:"1" max:"256" pattern:"^[\\w+=,.@:/-]+$"`
	RetiringPrincipal string            `json:"RetiringPrincipal,omitempty" min:"1" max:"256" pattern:"^[\\w+=,.@:/-]+$"`
	Operations        []string          `json:"Operations" required:"true" memberEnum:"Decrypt,Encrypt,GenerateDataKey,GenerateDataKeyWithoutPlaintext,ReEncryptFrom,ReEncryptTo,Sign,Verify,GetPublicKey,CreateGrant,RetireGrant,DescribeKey,GenerateDataKeyPair,GenerateDataKeyPairWithoutPlaintext,GenerateMac,VerifyMac,DeriveSharedSecret"`
	Constraints       *GrantConstraints `json:"Constraints,omitempty"`
	GrantTokens       []string          `json:"GrantTokens,omitempty" max:"10" memberMin:"1" memberMax:"8192"`
	Name              string            `json:"Name,omitempty" min:"1" max:"256" pattern:"^[a-zA-Z0-9:/_-]+$"`
	DryRun            *bool             `json:"DryRun,omitempty"`
}

type CreateGrantOutput struct {
	GrantToken string `json:"GrantToken"`
	GrantId    string `json:"GrantId"`
}

type ListGrantsInput struct {
	Limit            *int32 `json:"Limit,omitempty" min:"1" max:"1000"`
	Marker           string `json:"Marker,omitempty" min:"1" max:"1024"`
	KeyId            string `json:"KeyId" required:"true" min:"1" max:"2048"`
	GrantId          string `json:"GrantId,omitempty" min:"1" max:"128"`
	GranteePrincipal string `json:"GranteePrincipal,omitempty" min:"1" max:"256" pattern:"^[\\w+=,.@:/-]+$"`
}

type GrantListEntry struct {
	KeyId             string               `json:"KeyId"`
	GrantId           string               `json:"GrantId"`
	Name              string               `json:"Name,omitempty"`
	CreationDate      *operation.Timestamp `json:"CreationDate"`
	GranteePrincipal  string               `json:"GranteePrincipal"`
	RetiringPrincipal string               `json:"RetiringPrincipal,omitempty"`
	IssuingAccount    string               `json:"IssuingAccount"`
	Operations        []string             `json:"Operations"`
	Constraints       *GrantConstraints    `json:"Constraints,omitempty"`
}

type ListGrantsOutput struct {
	Grants     []GrantListEntry `json:"Grants"`
	NextMarker string           `json:"NextMarker,omitempty"`
	Truncated  bool             `json:"Truncated"`
}

type ListRetirableGrantsInput struct {
	Limit             *int32 `json:"Limit,omitempty" min:"1" max:"1000"`
	Marker            string `json:"Marker,omitempty" min:"1" max:"1024"`
	RetiringPrincipal string `json:"RetiringPrincipal" required:"true" min:"1" max:"256" pattern:"^[\\w+=,.@:/-]+$"`
}

type RetireGrantInput struct {
	GrantToken string `json:"GrantToken,omitempty" min:"1" max:"8192"`
	KeyId      string `json:"KeyId,omitempty" min:"1" max:"2048"`
	GrantId    string `json:"GrantId,omitempty" min:"1" max:"128"`
	DryRun     *bool  `json:"DryRun,omitempty"`
}

type RevokeGrantInput struct {
	KeyId   string `json:"KeyId" required:"true" min:"1" max:"2048"`
	GrantId string `json:"GrantId" required:"true" min:"1" max:"128"`
	DryRun  *bool  `json:"DryRun,omitempty"`
}

func (s *Service) grantOps() []*operation.Operation {
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateGrantInput, CreateGrantOutput]{Name: "CreateGrant",
			Access: func(ctx context.Context, in *CreateGrantInput) (*operation.Access, error) {
				ops := append([]string(nil), in.Operations...)
				sort.Strings(ops)
				extra := map[string][]string{"kms:GrantOperations": ops, "kms:GranteePrincipal": {in.GranteePrincipal}}
				if in.RetiringPrincipal != "" {
					extra["kms:RetiringPrincipal"] = []string{in.RetiringPrincipal}
				}
				if viaService(ctx) != "" {
					extra["kms:GrantIsForAWSResource"] = []string{"true"}
				}
				if c := in.Constraints; c != nil {
					switch {
					case c.EncryptionContextEquals != nil:
						extra["kms:GrantConstraintType"] = []string{"EncryptionContextEquals"}
					case c.EncryptionContextSubset != nil:
						extra["kms:GrantConstraintType"] = []string{"EncryptionContextSubset"}
					}
				}
				return s.keyAccess(ctx, in.KeyId, "kms:CreateGrant", access{crossAccount: true, extra: extra})
			},
			Handler: handle(s, s.createGrant)}),
		operation.Declare(operation.Op[ListGrantsInput, ListGrantsOutput]{Name: "ListGrants",
			Access: func(ctx context.Context, in *ListGrantsInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:ListGrants", access{crossAccount: true})
			},
			Handler: handle(s, s.listGrants)}),
		operation.Declare(operation.Op[ListRetirableGrantsInput, ListGrantsOutput]{Name: "ListRetirableGrants",
			Handler: handle(s, s.listRetirableGrants)}),
		// Who may retire a grant is the grant's to say, not a policy's.
		operation.Declare(operation.Op[RetireGrantInput, Empty]{Name: "RetireGrant", Unauthorized: true,
			Handler: handle(s, s.retireGrant)}),
		operation.Declare(operation.Op[RevokeGrantInput, Empty]{Name: "RevokeGrant",
			Access: func(ctx context.Context, in *RevokeGrantInput) (*operation.Access, error) {
				return s.keyAccess(ctx, in.KeyId, "kms:RevokeGrant", access{crossAccount: true})
			},
			Handler: handle(s, s.revokeGrant)}),
	}
}

// grantToken is a grant's token: its ID and a secret, of which the store keeps a hash.
func grantToken(id, secret string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(id + ":" + secret))
}

func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func (s *Service) createGrant(ctx context.Context, in *CreateGrantInput) (*CreateGrantOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	if err := usable(k); err != nil {
		return nil, err
	}
	if len(in.Operations) == 0 {
		return nil, validation("%s", operation.ValidationMessage(operation.Violation{Path: "operations", Value: "[]",
			Constraint: "Member must have length greater than or equal to 1"}))
	}
	for _, op := range in.Operations {
		if !grantOpFits(op, k.key.KeyUsage) {
			return nil, validation("Grant operation %s is not valid for %s, a key with usage %s.", op, k.key.ARN(), k.key.KeyUsage)
		}
	}
	if c := in.Constraints; c != nil && c.EncryptionContextEquals != nil && c.EncryptionContextSubset != nil {
		return nil, validation("A grant can have EncryptionContextEquals or EncryptionContextSubset, not both.")
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	id, err := s.randomHex(32)
	if err != nil {
		return nil, err
	}
	secret, err := s.randomHex(32)
	if err != nil {
		return nil, err
	}
	token := grantToken(id, secret)
	g := &store.KMSGrant{ID: id, Account: k.key.Account, KeyID: k.key.ID, Name: in.Name, GranteePrincipal: in.GranteePrincipal,
		RetiringPrincipal: in.RetiringPrincipal, IssuingAccount: "arn:aws:iam::" + caller(ctx).Account + ":root",
		Operations: in.Operations, TokenHash: tokenHash(token), CreatedAt: s.now()}
	if c := in.Constraints; c != nil {
		g.ContextEquals, g.ContextSubset = c.EncryptionContextEquals, c.EncryptionContextSubset
	}
	if err := s.store.Update(ctx, func(tx txn) error { return tx.CreateKMSGrant(g) }); err != nil {
		return nil, err
	}
	return &CreateGrantOutput{GrantToken: token, GrantId: id}, nil
}

// grantOpFits reports whether a grant operation suits a key usage.
func grantOpFits(op, usage string) bool {
	switch op {
	case "CreateGrant", "RetireGrant", "DescribeKey":
		return true
	case "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo",
		"GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext":
		return usage == usageEncrypt
	case "GetPublicKey":
		return usage == usageSign || usage == usageEncrypt || usage == usageAgree
	case "Sign", "Verify":
		return usage == usageSign
	case "GenerateMac", "VerifyMac":
		return usage == usageMAC
	case "DeriveSharedSecret":
		return usage == usageAgree
	}
	return false
}

func grantEntry(s *Service, g *store.KMSGrant) GrantListEntry {
	e := GrantListEntry{KeyId: s.arnOf(keyName{account: g.Account, id: g.KeyID}), GrantId: g.ID, Name: g.Name,
		CreationDate: operation.NewTimestamp(g.CreatedAt), GranteePrincipal: g.GranteePrincipal, RetiringPrincipal: g.RetiringPrincipal,
		IssuingAccount: g.IssuingAccount, Operations: g.Operations}
	if g.ContextEquals != nil || g.ContextSubset != nil {
		e.Constraints = &GrantConstraints{EncryptionContextEquals: g.ContextEquals, EncryptionContextSubset: g.ContextSubset}
	}
	return e
}

func (s *Service) listGrants(ctx context.Context, in *ListGrantsInput) (*ListGrantsOutput, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	return s.grantPage(ctx, store.KMSGrantQuery{Account: k.key.Account, KeyID: k.key.ID, GranteePrincipal: in.GranteePrincipal},
		in.GrantId, in.Marker, in.Limit)
}

func (s *Service) listRetirableGrants(ctx context.Context, in *ListRetirableGrantsInput) (*ListGrantsOutput, error) {
	return s.grantPage(ctx, store.KMSGrantQuery{RetiringPrincipal: in.RetiringPrincipal}, "", in.Marker, in.Limit)
}

func (s *Service) grantPage(ctx context.Context, q store.KMSGrantQuery, grantID, marker string, limit *int32) (*ListGrantsOutput, error) {
	after, err := operation.AfterKey(marker)
	if err != nil {
		return nil, kmsError("InvalidMarkerException", "The Marker is not one this operation returned.")
	}
	n := limitOf(limit, 50)
	var grants []*store.KMSGrant
	err = s.store.View(ctx, func(tx txn) error {
		if grantID != "" {
			g, err := tx.KMSGrant(grantID)
			if errors.Is(err, store.ErrNotFound) || (err == nil && (g.Account != q.Account || g.KeyID != q.KeyID)) {
				return kmsError("InvalidGrantIdException", "Grant ID %s is not a grant of this key.", grantID)
			}
			grants = []*store.KMSGrant{g}
			return err
		}
		grants, err = tx.ListKMSGrants(q, store.Page{After: after, Limit: n + 1})
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next := operation.Keyed(grants, n, func(g *store.KMSGrant) string { return g.ID })
	out := &ListGrantsOutput{Grants: []GrantListEntry{}, NextMarker: next, Truncated: next != ""}
	for _, g := range page {
		out.Grants = append(out.Grants, grantEntry(s, g))
	}
	return out, nil
}

// principalIs reports whether a grant's principal names the caller: its ARN, its role (for
// a role session) or its account.
func principalIs(ctx context.Context, principal string) bool {
	p := caller(ctx)
	return principal != "" && (principal == p.ARN || (p.RoleARN != "" && principal == p.RoleARN) ||
		principal == "arn:aws:iam::"+p.Account+":root" || principal == p.Account)
}

func (s *Service) retireGrant(ctx context.Context, in *RetireGrantInput) (*Empty, error) {
	var g *store.KMSGrant
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		switch {
		case in.GrantToken != "":
			raw, derr := base64.RawURLEncoding.DecodeString(in.GrantToken)
			id, _, ok := strings.Cut(string(raw), ":")
			if derr != nil || !ok {
				return kmsError("InvalidGrantTokenException", "The grant token is not valid.")
			}
			if g, err = tx.KMSGrant(id); err != nil {
				return kmsError("InvalidGrantTokenException", "The grant token names no grant.")
			}
			if subtle.ConstantTimeCompare(g.TokenHash, tokenHash(in.GrantToken)) != 1 {
				return kmsError("InvalidGrantTokenException", "The grant token is not valid.")
			}
		case in.KeyId != "" && in.GrantId != "":
			if g, err = tx.KMSGrant(in.GrantId); errors.Is(err, store.ErrNotFound) {
				return kmsError("InvalidGrantIdException", "Grant ID %s does not exist.", in.GrantId)
			}
			if err == nil {
				n, perr := s.parseKeyID(caller(ctx).Account, in.KeyId)
				if perr != nil {
					return perr
				}
				if n.account != g.Account || n.id != g.KeyID {
					return kmsError("InvalidGrantIdException", "Grant ID %s is not a grant of %s.", in.GrantId, in.KeyId)
				}
			}
		default:
			return validation("Specify the GrantToken, or the KeyId and the GrantId, of the grant to retire.")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	canRetire := principalIs(ctx, g.RetiringPrincipal) || g.IssuingAccount == "arn:aws:iam::"+caller(ctx).Account+":root" && caller(ctx).Kind == auth.Root ||
		principalIs(ctx, g.GranteePrincipal) && contains(g.Operations, "RetireGrant")
	if !canRetire {
		return nil, operation.Errorf(400, "AccessDeniedException",
			"User: %s is not authorized to perform: kms:RetireGrant on grant %s because it is neither the grant's retiring principal nor a grantee allowed RetireGrant", caller(ctx).ARN, g.ID)
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	if err := s.store.Update(ctx, func(tx txn) error { return tx.DeleteKMSGrant(g.ID) }); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return &Empty{}, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Service) revokeGrant(ctx context.Context, in *RevokeGrantInput) (*Empty, error) {
	k, err := s.key(ctx, in.KeyId)
	if err != nil {
		return nil, err
	}
	if err := dryRun(in.DryRun); err != nil {
		return nil, err
	}
	err = s.store.Update(ctx, func(tx txn) error {
		g, err := tx.KMSGrant(in.GrantId)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (g.Account != k.key.Account || g.KeyID != k.key.ID)) {
			return kmsError("InvalidGrantIdException", "Grant ID %s is not a grant of %s.", in.GrantId, k.key.ARN())
		}
		if err != nil {
			return err
		}
		return tx.DeleteKMSGrant(g.ID)
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

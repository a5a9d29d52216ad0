package kms

import (
	"context"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/store"
)

// errNoKey is a key (or alias) that does not exist; callers answer it in their own way.
var errNoKey = errors.New("kms: no such key")

// load resolves a key name to the key, through the cache. A missing key or alias is
// errNoKey. An AWS managed key's alias (alias/aws/s3) of the caller's own account makes
// the key on first use, as AWS does. A key whose deletion fell due is deleted now.
func (s *Service) load(ctx context.Context, n keyName) (*loadedKey, error) {
	id := n.id
	if n.alias != "" {
		var err error
		if id, err = s.aliasTarget(ctx, n); err != nil {
			return nil, err
		}
	}
	keyARN := arn.KMSKey(s.region, n.account, id)
	k, gen := s.cache.key(keyARN)
	if k == nil {
		var err error
		if k, err = s.read(ctx, n.account, id); err != nil {
			return nil, err
		}
		s.cache.putKey(keyARN, k, gen)
	}
	if k.key.State == store.KMSKeyPendingDeletion && !s.now().Before(k.key.DeletionDate) {
		if err := s.purge(ctx, k.key.Account, k.key.ID); err != nil {
			return nil, err
		}
		return nil, errNoKey
	}
	if k.key.RotationEnabled && !k.key.NextRotation.IsZero() && !s.now().Before(k.key.NextRotation) {
		if err := s.rotate(ctx, k.key.Account, k.key.ID, "AUTOMATIC"); err != nil {
			return nil, err
		}
		return s.read(ctx, k.key.Account, k.key.ID)
	}
	return k, nil
}

// aliasTarget returns the ID of the key an alias names.
func (s *Service) aliasTarget(ctx context.Context, n keyName) (string, error) {
	cacheKey := n.account + "/" + n.alias
	if id, _ := s.cache.alias(cacheKey); id != "" {
		return id, nil
	}
	_, gen := s.cache.alias(cacheKey)
	var a *store.KMSAlias
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		a, err = tx.KMSAlias(n.account, n.alias)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		svc, managed := strings.CutPrefix(n.alias, "alias/aws/")
		if !managed || !managedServices[svc] || n.account != caller(ctx).Account {
			return "", errNoKey
		}
		return s.createManagedKey(ctx, n.account, svc)
	case err != nil:
		return "", err
	}
	s.cache.putAlias(cacheKey, a.TargetKeyID, gen)
	return a.TargetKeyID, nil
}

// read reads a key and what goes with it from the store.
func (s *Service) read(ctx context.Context, account, id string) (*loadedKey, error) {
	var k *store.KMSKey
	var tags []store.Tag
	var grants []*store.KMSGrant
	var mats []*store.KMSKeyMaterial
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		if k, err = tx.KMSKey(account, id); err != nil {
			return err
		}
		if tags, err = tx.Tags(k.ARN()); err != nil {
			return err
		}
		if grants, err = tx.ListKMSGrants(store.KMSGrantQuery{Account: account, KeyID: id}, store.Page{}); err != nil {
			return err
		}
		mats, err = tx.KMSKeyMaterials(account, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoKey
	}
	if err != nil {
		return nil, fmt.Errorf("kms: read key %s: %w", id, err)
	}
	lk := &loadedKey{key: k, tags: store.TagMap(tags), materials: map[int]material{}}
	if lk.policy, err = effectivePolicy(k.Policy, grants); err != nil {
		return nil, fmt.Errorf("kms: policy of %s: %w", k.ARN(), err)
	}
	for _, m := range mats {
		raw, err := s.master.Open(materialPurpose(k.ARN(), m.Version), m.Sealed)
		if err != nil {
			return nil, fmt.Errorf("kms: material %d of %s: %w", m.Version, k.ARN(), err)
		}
		mt := material{raw: raw, id: m.MaterialID}
		switch {
		case k.KeySpec == specSymmetric:
			block, err := aes.NewCipher(raw)
			if err != nil {
				return nil, err
			}
			if mt.aead, err = cipher.NewGCM(block); err != nil {
				return nil, err
			}
		case k.KeyUsage == usageEncrypt || k.KeyUsage == usageSign || k.KeyUsage == usageAgree:
			priv, err := x509.ParsePKCS8PrivateKey(raw)
			if err != nil {
				return nil, fmt.Errorf("kms: material %d of %s: %w", m.Version, k.ARN(), err)
			}
			signer, ok := priv.(crypto.Signer)
			if !ok {
				return nil, fmt.Errorf("kms: material %d of %s is no private key", m.Version, k.ARN())
			}
			mt.priv = signer
		}
		lk.materials[m.Version] = mt
	}
	return lk, nil
}

// materialPurpose is what a key's material is sealed for under the master key: that key
// and version only.
func materialPurpose(keyARN string, version int) string {
	return "kms-key-material " + keyARN + " " + strconv.Itoa(version)
}

// purge deletes a key whose deletion fell due.
func (s *Service) purge(ctx context.Context, account, id string) error {
	return s.store.Update(ctx, func(tx txn) error {
		k, err := tx.KMSKey(account, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if k.State != store.KMSKeyPendingDeletion || s.now().Before(k.DeletionDate) {
			return nil
		}
		return tx.DeleteKMSKey(account, id)
	})
}

// effectivePolicy is a key policy with a statement per grant: what a grant allows is
// decided by the same evaluation as the policy, its constraints as conditions.
func effectivePolicy(policy string, grants []*store.KMSGrant) ([]byte, error) {
	if len(grants) == 0 {
		return []byte(policy), nil
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return nil, err
	}
	var stmts []any
	switch st := doc["Statement"].(type) {
	case []any:
		stmts = st
	case map[string]any:
		stmts = []any{st}
	}
	for _, g := range grants {
		stmts = append(stmts, grantStatement(g))
	}
	doc["Statement"] = stmts
	return json.Marshal(doc)
}

// grantStatement is the policy statement equivalent to a grant.
func grantStatement(g *store.KMSGrant) map[string]any {
	actions := make([]string, len(g.Operations))
	for i, op := range g.Operations {
		actions[i] = "kms:" + op
	}
	principal := map[string]any{"AWS": g.GranteePrincipal}
	if strings.HasSuffix(g.GranteePrincipal, ".amazonaws.com") {
		principal = map[string]any{"Service": g.GranteePrincipal}
	}
	st := map[string]any{"Sid": "Grant" + g.ID[:16], "Effect": "Allow", "Principal": principal, "Action": actions, "Resource": "*"}
	cond := map[string]any{}
	equals := map[string]any{}
	for k, v := range g.ContextSubset {
		equals["kms:EncryptionContext:"+k] = v
	}
	if g.ContextEquals != nil {
		var keys []string
		for k, v := range g.ContextEquals {
			equals["kms:EncryptionContext:"+k] = v
			keys = append(keys, k)
		}
		cond["ForAllValues:StringEquals"] = map[string]any{"kms:EncryptionContextKeys": keys}
	}
	if len(equals) > 0 {
		cond["StringEquals"] = equals
	}
	if len(cond) > 0 {
		st["Condition"] = cond
	}
	return st
}

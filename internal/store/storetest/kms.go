package storetest

import (
	"github.com/cairnhq/cairn/internal/store"
)

func kmsTests() []test {
	return []test{
		{"KMSKeys", []string{"CreateKMSKey", "KMSKey", "UpdateKMSKey", "ListKMSKeys", "DeleteKMSKey", "KMSKeysDueForDeletion"}, testKMSKeys},
		{"KMSKeyMaterials", []string{"PutKMSKeyMaterial", "KMSKeyMaterials"}, testKMSKeyMaterials},
		{"KMSAliases", []string{"PutKMSAlias", "KMSAlias", "DeleteKMSAlias", "ListKMSAliases"}, testKMSAliases},
		{"KMSGrants", []string{"CreateKMSGrant", "KMSGrant", "DeleteKMSGrant", "ListKMSGrants"}, testKMSGrants},
		{"S3Encryption", []string{"PutBucketEncryption"}, testS3Encryption},
	}
}

func kmsKey(account, id string, n int) *store.KMSKey {
	return &store.KMSKey{Account: account, Region: "us-east-1", ID: id, Description: "key " + id, KeyUsage: "ENCRYPT_DECRYPT",
		KeySpec: "SYMMETRIC_DEFAULT", Origin: "AWS_KMS", KeyManager: "CUSTOMER", State: store.KMSKeyEnabled, CreatedAt: at(n),
		Policy: `{"Version":"2012-10-17"}`, RotationPeriodDays: 365, CurrentVersion: 1}
}

func testKMSKeys(h *h) {
	b, a, B, other := kmsKey(acct, "b-key", 1), kmsKey(acct, "a-key", 2), kmsKey(acct, "B-key", 3), kmsKey(acct2, "a-key", 4)
	published := h.record()
	h.update(func(tx store.Tx) error {
		for _, k := range []*store.KMSKey{b, a, B, other} {
			if err := tx.CreateKMSKey(k); err != nil {
				return err
			}
		}
		return nil
	})
	h.equal("changes of CreateKMSKey", published()[0], store.Change{Kind: store.ChangeKMSKey, Key: b.ARN()})
	h.is("a taken key ID", h.tryUpdate(func(tx store.Tx) error { return tx.CreateKMSKey(kmsKey(acct, "a-key", 5)) }), store.ErrExists)
	h.view(func(tx store.Tx) error {
		k, err := tx.KMSKey(acct, "a-key")
		h.is("KMSKey", err, nil)
		h.equal("KMSKey", k, a)
		_, err = tx.KMSKey(acct, "nope")
		h.is("missing KMSKey", err, store.ErrNotFound)
		list, err := tx.ListKMSKeys(acct, store.Page{})
		h.is("ListKMSKeys", err, nil)
		h.equal("ListKMSKeys in byte order", list, []*store.KMSKey{B, a, b})
		list, _ = tx.ListKMSKeys(acct, store.Page{After: "B-key", Limit: 1})
		h.equal("ListKMSKeys after B-key, 1", list, []*store.KMSKey{a})
		return nil
	})
	a.State, a.DeletionDate, a.PendingWindowDays, a.Description = store.KMSKeyPendingDeletion, at(100), 7, "changed"
	a.RotationEnabled, a.NextRotation, a.CurrentVersion, a.Policy = true, at(200), 2, `{}`
	b.State, b.DeletionDate = store.KMSKeyPendingDeletion, at(300)
	h.update(func(tx store.Tx) error {
		h.must("UpdateKMSKey", tx.UpdateKMSKey(a))
		return tx.UpdateKMSKey(b)
	})
	h.is("UpdateKMSKey of a missing key", h.tryUpdate(func(tx store.Tx) error { return tx.UpdateKMSKey(kmsKey(acct, "nope", 1)) }), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		k, _ := tx.KMSKey(acct, "a-key")
		h.equal("KMSKey after UpdateKMSKey", k, a)
		due, err := tx.KMSKeysDueForDeletion(at(100))
		h.is("KMSKeysDueForDeletion", err, nil)
		h.equal("KMSKeysDueForDeletion at 100", due, []*store.KMSKey{a})
		due, _ = tx.KMSKeysDueForDeletion(at(99))
		sameList(h, "KMSKeysDueForDeletion at 99", due, nil)
		return nil
	})
	h.update(func(tx store.Tx) error {
		h.must("PutKMSAlias", tx.PutKMSAlias(&store.KMSAlias{Account: acct, Region: "us-east-1", Name: "alias/a", TargetKeyID: "a-key", CreatedAt: at(1), UpdatedAt: at(1)}))
		h.must("SetTags", tx.SetTags(a.ARN(), []store.Tag{{Key: "k", Value: "v"}}))
		return tx.DeleteKMSKey(acct, "a-key")
	})
	h.is("DeleteKMSKey of a missing key", h.tryUpdate(func(tx store.Tx) error { return tx.DeleteKMSKey(acct, "a-key") }), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		_, err := tx.KMSAlias(acct, "alias/a")
		h.is("an alias of a deleted key", err, store.ErrNotFound)
		tags, _ := tx.Tags(a.ARN())
		sameList(h, "tags of a deleted key", tags, nil)
		k, err := tx.KMSKey(acct2, "a-key")
		h.is("another account's key of the same ID", err, nil)
		h.equal("another account's key", k, other)
		return nil
	})
}

func testKMSKeyMaterials(h *h) {
	h.update(func(tx store.Tx) error { return tx.CreateKMSKey(kmsKey(acct, "k", 1)) })
	v1 := &store.KMSKeyMaterial{Account: acct, KeyID: "k", Version: 1, MaterialID: "m1", Sealed: []byte{1, 2, 3}, CreatedAt: at(1)}
	v2 := &store.KMSKeyMaterial{Account: acct, KeyID: "k", Version: 2, MaterialID: "m2", Sealed: []byte{4}, CreatedAt: at(2), RotationType: "ON_DEMAND"}
	h.update(func(tx store.Tx) error {
		h.must("PutKMSKeyMaterial v2", tx.PutKMSKeyMaterial(v2))
		return tx.PutKMSKeyMaterial(v1)
	})
	h.is("a version the key has", h.tryUpdate(func(tx store.Tx) error { return tx.PutKMSKeyMaterial(v1) }), store.ErrExists)
	h.is("material of a missing key", h.tryUpdate(func(tx store.Tx) error {
		return tx.PutKMSKeyMaterial(&store.KMSKeyMaterial{Account: acct, KeyID: "nope", Version: 1, Sealed: []byte{1}})
	}), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		ms, err := tx.KMSKeyMaterials(acct, "k")
		h.is("KMSKeyMaterials", err, nil)
		h.equal("KMSKeyMaterials oldest first", ms, []*store.KMSKeyMaterial{v1, v2})
		return nil
	})
}

func testKMSAliases(h *h) {
	h.update(func(tx store.Tx) error {
		h.must("CreateKMSKey", tx.CreateKMSKey(kmsKey(acct, "k1", 1)))
		return tx.CreateKMSKey(kmsKey(acct, "k2", 2))
	})
	x := &store.KMSAlias{Account: acct, Region: "us-east-1", Name: "alias/x", TargetKeyID: "k1", CreatedAt: at(1), UpdatedAt: at(1)}
	X := &store.KMSAlias{Account: acct, Region: "us-east-1", Name: "alias/X", TargetKeyID: "k2", CreatedAt: at(2), UpdatedAt: at(2)}
	published := h.record()
	h.update(func(tx store.Tx) error {
		h.must("PutKMSAlias", tx.PutKMSAlias(x))
		return tx.PutKMSAlias(X)
	})
	h.equal("change of PutKMSAlias", published()[0], store.Change{Kind: store.ChangeKMSAlias, Key: acct + "/alias/x"})
	h.is("an alias of a missing key", h.tryUpdate(func(tx store.Tx) error {
		return tx.PutKMSAlias(&store.KMSAlias{Account: acct, Name: "alias/y", TargetKeyID: "nope"})
	}), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		a, err := tx.KMSAlias(acct, "alias/x")
		h.is("KMSAlias", err, nil)
		h.equal("KMSAlias", a, x)
		list, _ := tx.ListKMSAliases(acct, "", store.Page{})
		h.equal("ListKMSAliases in byte order", list, []*store.KMSAlias{X, x})
		list, _ = tx.ListKMSAliases(acct, "k1", store.Page{})
		h.equal("ListKMSAliases of k1", list, []*store.KMSAlias{x})
		list, _ = tx.ListKMSAliases(acct, "", store.Page{After: "alias/X", Limit: 1})
		h.equal("ListKMSAliases after alias/X", list, []*store.KMSAlias{x})
		return nil
	})
	x.TargetKeyID, x.UpdatedAt = "k2", at(5)
	h.update(func(tx store.Tx) error { return tx.PutKMSAlias(x) })
	h.view(func(tx store.Tx) error {
		a, _ := tx.KMSAlias(acct, "alias/x")
		h.equal("an alias repointed keeps its creation date", a, x)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DeleteKMSAlias(acct, "alias/x") })
	h.is("DeleteKMSAlias of a missing alias", h.tryUpdate(func(tx store.Tx) error { return tx.DeleteKMSAlias(acct, "alias/x") }), store.ErrNotFound)
}

func testKMSGrants(h *h) {
	h.update(func(tx store.Tx) error {
		h.must("CreateKMSKey", tx.CreateKMSKey(kmsKey(acct, "k1", 1)))
		return tx.CreateKMSKey(kmsKey(acct, "k2", 2))
	})
	g1 := &store.KMSGrant{ID: "g1", Account: acct, KeyID: "k1", Name: "n", GranteePrincipal: "arn:aws:iam::222222222222:root",
		RetiringPrincipal: "arn:aws:iam::111111111111:role/r", IssuingAccount: "arn:aws:iam::111111111111:root",
		Operations: []string{"Decrypt", "Encrypt"}, ContextEquals: map[string]string{"a": "b"}, TokenHash: []byte{9}, CreatedAt: at(1)}
	g2 := &store.KMSGrant{ID: "g2", Account: acct, KeyID: "k2", GranteePrincipal: "arn:aws:iam::111111111111:role/r",
		IssuingAccount: "arn:aws:iam::111111111111:root", Operations: []string{"Decrypt"}, ContextSubset: map[string]string{"x": "y"},
		CreatedAt: at(2)}
	h.update(func(tx store.Tx) error {
		h.must("CreateKMSGrant", tx.CreateKMSGrant(g2))
		return tx.CreateKMSGrant(g1)
	})
	h.is("a taken grant ID", h.tryUpdate(func(tx store.Tx) error { return tx.CreateKMSGrant(g1) }), store.ErrExists)
	h.is("a grant on a missing key", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateKMSGrant(&store.KMSGrant{ID: "g3", Account: acct, KeyID: "nope"})
	}), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		g, err := tx.KMSGrant("g1")
		h.is("KMSGrant", err, nil)
		h.equal("KMSGrant", g, g1)
		list, _ := tx.ListKMSGrants(store.KMSGrantQuery{Account: acct}, store.Page{})
		h.equal("ListKMSGrants of the account", list, []*store.KMSGrant{g1, g2})
		list, _ = tx.ListKMSGrants(store.KMSGrantQuery{Account: acct, KeyID: "k2"}, store.Page{})
		h.equal("ListKMSGrants of k2", list, []*store.KMSGrant{g2})
		list, _ = tx.ListKMSGrants(store.KMSGrantQuery{RetiringPrincipal: "arn:aws:iam::111111111111:role/r"}, store.Page{})
		h.equal("ListKMSGrants by retiring principal", list, []*store.KMSGrant{g1})
		list, _ = tx.ListKMSGrants(store.KMSGrantQuery{GranteePrincipal: "arn:aws:iam::111111111111:role/r"}, store.Page{})
		h.equal("ListKMSGrants by grantee", list, []*store.KMSGrant{g2})
		list, _ = tx.ListKMSGrants(store.KMSGrantQuery{}, store.Page{After: "g1", Limit: 1})
		h.equal("ListKMSGrants after g1", list, []*store.KMSGrant{g2})
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DeleteKMSGrant("g1") })
	h.is("DeleteKMSGrant of a missing grant", h.tryUpdate(func(tx store.Tx) error { return tx.DeleteKMSGrant("g1") }), store.ErrNotFound)
	h.update(func(tx store.Tx) error { return tx.DeleteKMSKey(acct, "k2") })
	h.view(func(tx store.Tx) error {
		_, err := tx.KMSGrant("g2")
		h.is("a grant of a deleted key", err, store.ErrNotFound)
		return nil
	})
}

func testS3Encryption(h *h) {
	enc := &store.BucketEncryption{Algorithm: "aws:kms", KMSKeyID: "alias/k", BucketKeyEnabled: true}
	objEnc := store.Encryption{Algorithm: "aws:kms", KeyARN: "arn:aws:kms:us-east-1:111111111111:key/k", Context: "e30=",
		BucketKeyEnabled: true, DataKey: []byte{1, 2, 3}}
	h.update(func(tx store.Tx) error {
		h.must("CreateBucket", tx.CreateBucket(&store.Bucket{Name: "b", AccountID: acct, Region: "us-east-1", CreatedAt: at(1)}))
		h.must("PutBucketEncryption", tx.PutBucketEncryption("b", enc))
		_, err := tx.PutObject(&store.Object{Bucket: "b", Key: "k", BlobID: "blob", Encryption: objEnc})
		h.must("PutObject", err)
		return tx.CreateUpload(&store.Upload{ID: "u", Bucket: "b", Key: "k", Initiated: at(2), Encryption: objEnc})
	})
	h.is("PutBucketEncryption of a missing bucket", h.tryUpdate(func(tx store.Tx) error {
		return tx.PutBucketEncryption("nope", nil)
	}), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		b, _ := tx.Bucket("b")
		h.equal("bucket encryption", b.Encryption, enc)
		o, _ := tx.Object("b", "k")
		h.equal("object encryption", o.Encryption, objEnc)
		u, _ := tx.Upload("u")
		h.equal("upload encryption", u.Encryption, objEnc)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.PutBucketEncryption("b", nil) })
	h.view(func(tx store.Tx) error {
		b, _ := tx.Bucket("b")
		h.equal("bucket encryption removed", b.Encryption, (*store.BucketEncryption)(nil))
		return nil
	})
}

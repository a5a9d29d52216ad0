package storetest

import (
	"github.com/cairnhq/cairn/internal/store"
)

func lineageTests() []test {
	return []test{
		{"LineageEntities", []string{"LineageEntity", "LineageEntityByName", "ArtifactBySource", "ArtifactsBySourceURI", "LineageEntities",
			"ListLineageEntities", "CreateLineageEntity", "UpdateLineageEntity", "DeleteLineageEntity"}, testLineageEntities},
		{"LineageAssociations", []string{"LineageAssociation", "CreateLineageAssociation", "DeleteLineageAssociation",
			"ListLineageAssociations", "LineageEdges"}, testLineageAssociations},
		{"LineageGroups", []string{"LineageGroup", "CreateLineageGroup"}, testLineageGroups},
		{"TrialMembers", []string{"AddTrialMember", "RemoveTrialMember", "TrialsOf", "TrialMembers"}, testTrialMembers},
	}
}

func lineageEntity(account, kind, name string, created int) *store.LineageEntity {
	return &store.LineageEntity{ARN: sageMakerARN(account, kind, name), AccountID: account, Kind: kind, Name: name, Type: kind + "Type",
		SourceURI: "s3://b/" + name, Status: "Completed", Properties: map[string]string{"k": name}, Body: `{"Description":"d"}`,
		CreatedBy: "arn:aws:iam::" + account + ":user/u", LastModifiedBy: "arn:aws:iam::" + account + ":user/u",
		CreatedAt: at(created), LastModifiedAt: at(created + 1)}
}

func testLineageEntities(h *h) {
	ctx := lineageEntity(acct, store.LineageContext, "Endpoint-Ctx", 2)
	ctx2 := lineageEntity(acct, store.LineageContext, "ctx-b", 1)
	ctx2.Properties = nil
	art := lineageEntity(acct, store.LineageArtifact, "data", 3)
	art.ARN, art.SourceKey = sageMakerARN(acct, "artifact", "0123abcd"), "s3://b/data\x00"
	art2 := lineageEntity(acct, store.LineageArtifact, "data", 4) // the same name: artifacts' names are not unique
	art2.ARN, art2.SourceKey = sageMakerARN(acct, "artifact", "4567abcd"), "s3://b/data\x00S3ETag=x"
	other := lineageEntity(acct2, store.LineageContext, "Endpoint-Ctx", 5)
	h.update(func(tx store.Tx) error {
		for _, e := range []*store.LineageEntity{ctx, ctx2, art, art2, other} {
			h.must("CreateLineageEntity", tx.CreateLineageEntity(e))
		}
		return tx.SetTags(ctx.ARN, []store.Tag{{Key: "k", Value: "v"}})
	})
	h.is("a context name taken, differing only in case", h.tryUpdate(func(tx store.Tx) error {
		e := lineageEntity(acct, store.LineageContext, "ENDPOINT-ctx", 9)
		e.ARN += "-2"
		return tx.CreateLineageEntity(e)
	}), store.ErrExists)
	h.is("an ARN taken", h.tryUpdate(func(tx store.Tx) error {
		e := lineageEntity(acct, store.LineageAction, "x", 9)
		e.ARN = ctx.ARN
		return tx.CreateLineageEntity(e)
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		e, err := tx.LineageEntity(ctx.ARN)
		h.is("LineageEntity", err, nil)
		h.equal("LineageEntity", e, ctx)
		e, err = tx.LineageEntityByName(acct, store.LineageContext, "endpoint-CTX")
		h.is("LineageEntityByName without case", err, nil)
		h.equal("LineageEntityByName", e, ctx)
		_, err = tx.LineageEntityByName(acct, store.LineageAction, "endpoint-ctx")
		h.is("LineageEntityByName of another kind", err, store.ErrNotFound)
		_, err = tx.LineageEntityByName(acct, store.LineageArtifact, "data")
		h.is("LineageEntityByName of an artifact", err, store.ErrNotFound)
		e, err = tx.ArtifactBySource(acct, "s3://b/data\x00S3ETag=x")
		h.is("ArtifactBySource", err, nil)
		h.equal("ArtifactBySource", e, art2)
		_, err = tx.ArtifactBySource(acct2, "s3://b/data\x00S3ETag=x")
		h.is("ArtifactBySource in another account", err, store.ErrNotFound)
		same, err := tx.ArtifactsBySourceURI("s3://b/data")
		h.is("ArtifactsBySourceURI", err, nil)
		h.equal("ArtifactsBySourceURI, oldest first", same, []*store.LineageEntity{art, art2})
		same, _ = tx.ArtifactsBySourceURI("s3://b/Endpoint-Ctx")
		h.equal("ArtifactsBySourceURI of a context's source", len(same), 0)
		_, err = tx.LineageEntity(sageMakerARN(acct, "context", "nope"))
		h.is("LineageEntity missing", err, store.ErrNotFound)
		list, err := tx.ListLineageEntities(acct, store.LineageContext)
		h.is("ListLineageEntities", err, nil)
		h.equal("ListLineageEntities oldest first", list, []*store.LineageEntity{ctx2, ctx})
		list, err = tx.LineageEntities([]string{other.ARN, "arn:missing", art.ARN, ctx.ARN, art.ARN})
		h.is("LineageEntities", err, nil)
		h.equal("LineageEntities in the order asked, the missing left out", list, []*store.LineageEntity{other, art, ctx})
		return nil
	})
	updated := *ctx
	updated.Properties = map[string]string{"new": "1"}
	updated.Status, updated.Body, updated.LastModifiedBy, updated.LastModifiedAt = "Stopped", `{}`, "arn:aws:iam::111111111111:user/v", at(20)
	h.update(func(tx store.Tx) error { return tx.UpdateLineageEntity(&updated) })
	h.is("UpdateLineageEntity of a missing entity", h.tryUpdate(func(tx store.Tx) error {
		return tx.UpdateLineageEntity(lineageEntity(acct, store.LineageAction, "nope", 1))
	}), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		e, _ := tx.LineageEntity(ctx.ARN)
		h.equal("updated LineageEntity", e, &updated)
		return nil
	})
	published := h.record()
	h.update(func(tx store.Tx) error { return tx.DeleteLineageEntity(ctx.ARN) })
	h.equal("changes of DeleteLineageEntity", published(), []store.Change{{Kind: store.ChangeLineageEntity, Key: ctx.ARN}})
	h.view(func(tx store.Tx) error {
		_, err := tx.LineageEntity(ctx.ARN)
		h.is("deleted entity", err, store.ErrNotFound)
		tags, _ := tx.Tags(ctx.ARN)
		h.equal("tags of a deleted entity", len(tags), 0)
		return nil
	})
	h.is("DeleteLineageEntity of a missing entity", h.tryUpdate(func(tx store.Tx) error { return tx.DeleteLineageEntity(ctx.ARN) }), store.ErrNotFound)

	// Two artifacts of one source (each account holds one, but the store does not refuse a
	// second): ArtifactBySource answers the first created, whatever the ARNs' order.
	later := lineageEntity(acct, store.LineageArtifact, "data", 2)
	later.ARN, later.SourceKey, later.CreatedAt = sageMakerARN(acct, "artifact", "0000abcd"), art2.SourceKey, at(30)
	h.update(func(tx store.Tx) error { return tx.CreateLineageEntity(later) })
	h.view(func(tx store.Tx) error {
		e, err := tx.ArtifactBySource(acct, art2.SourceKey)
		h.is("ArtifactBySource of a source with two artifacts", err, nil)
		h.equal("ArtifactBySource of a source with two artifacts, the first created", e, art2)
		return nil
	})
}

func testLineageAssociations(h *h) {
	a, b, c := sageMakerARN(acct, "artifact", "a"), sageMakerARN(acct, "action", "b"), sageMakerARN(acct2, "context", "c")
	ab := &store.LineageAssociation{SourceARN: a, DestinationARN: b, Type: "ContributedTo", SourceAccount: acct, DestinationAccount: acct,
		CreatedBy: "arn:aws:iam::111111111111:user/u", CreatedAt: at(1)}
	bc := &store.LineageAssociation{SourceARN: b, DestinationARN: c, Type: "AssociatedWith", SourceAccount: acct, DestinationAccount: acct2, CreatedAt: at(2)}
	cc := &store.LineageAssociation{SourceARN: c, DestinationARN: sageMakerARN(acct2, "context", "d"), Type: "SameAs", SourceAccount: acct2,
		DestinationAccount: acct2, CreatedAt: at(3)}
	published := h.record()
	h.update(func(tx store.Tx) error {
		for _, x := range []*store.LineageAssociation{ab, bc, cc} {
			h.must("CreateLineageAssociation", tx.CreateLineageAssociation(x))
		}
		return nil
	})
	h.equal("changes of CreateLineageAssociation", published()[0], store.Change{Kind: store.ChangeLineageAssociation, Key: a + " " + b})
	h.is("an association taken", h.tryUpdate(func(tx store.Tx) error {
		return tx.CreateLineageAssociation(&store.LineageAssociation{SourceARN: a, DestinationARN: b, Type: "Produced"})
	}), store.ErrExists)
	h.view(func(tx store.Tx) error {
		got, err := tx.LineageAssociation(a, b)
		h.is("LineageAssociation", err, nil)
		h.equal("LineageAssociation", got, ab)
		_, err = tx.LineageAssociation(b, a)
		h.is("LineageAssociation reversed", err, store.ErrNotFound)
		list, _ := tx.ListLineageAssociations(acct, "", "")
		h.equal("ListLineageAssociations of an account: either end", list, []*store.LineageAssociation{ab, bc})
		list, _ = tx.ListLineageAssociations(acct2, "", "")
		h.equal("ListLineageAssociations of the other account", list, []*store.LineageAssociation{bc, cc})
		list, _ = tx.ListLineageAssociations(acct, b, "")
		h.equal("ListLineageAssociations by source", list, []*store.LineageAssociation{bc})
		list, _ = tx.ListLineageAssociations(acct, "", b)
		h.equal("ListLineageAssociations by destination", list, []*store.LineageAssociation{ab})
		list, _ = tx.ListLineageAssociations(acct, a, b)
		h.equal("ListLineageAssociations by both ends", list, []*store.LineageAssociation{ab})
		list, _ = tx.ListLineageAssociations(acct, c, "")
		h.equal("ListLineageAssociations of another account's edge", len(list), 0)
		edges, _ := tx.LineageEdges([]string{a, b, c}, true)
		h.equal("LineageEdges out", len(edges), 3)
		edges, _ = tx.LineageEdges([]string{b}, false)
		h.equal("LineageEdges into", edges, []*store.LineageAssociation{ab})
		many := make([]string, 300) // more than one chunk
		for i := range many {
			many[i] = sageMakerARN(acct, "action", string(rune('a'+i%26))+string(rune('a'+i/26)))
		}
		edges, _ = tx.LineageEdges(append(many, c), true)
		h.equal("LineageEdges of a large batch", edges, []*store.LineageAssociation{cc})
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.DeleteLineageAssociation(a, b) })
	h.is("DeleteLineageAssociation of a missing association", h.tryUpdate(func(tx store.Tx) error { return tx.DeleteLineageAssociation(a, b) }), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		_, err := tx.LineageAssociation(a, b)
		h.is("deleted association", err, store.ErrNotFound)
		return nil
	})
}

func testLineageGroups(h *h) {
	g := &store.LineageGroup{AccountID: acct, Name: "sagemaker-default-lineage-group", ARN: sageMakerARN(acct, "lineage-group", "sagemaker-default-lineage-group"),
		CreatedBy: "arn:aws:iam::111111111111:user/u", CreatedAt: at(1)}
	h.view(func(tx store.Tx) error {
		_, err := tx.LineageGroup(acct)
		h.is("LineageGroup before any", err, store.ErrNotFound)
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.CreateLineageGroup(g) })
	h.is("a second group", h.tryUpdate(func(tx store.Tx) error { return tx.CreateLineageGroup(g) }), store.ErrExists)
	h.view(func(tx store.Tx) error {
		got, err := tx.LineageGroup(acct)
		h.is("LineageGroup", err, nil)
		h.equal("LineageGroup", got, g)
		return nil
	})
}

func testTrialMembers(h *h) {
	t1, t2 := sageMakerARN(acct, "experiment-trial", "t1"), sageMakerARN(acct, "experiment-trial", "t2")
	c1, c2 := sageMakerARN(acct, "experiment-trial-component", "c1"), sageMakerARN(acct, "experiment-trial-component", "c2")
	h.update(func(tx store.Tx) error {
		h.must("AddTrialMember", tx.AddTrialMember(t2, c1, at(1)))
		h.must("AddTrialMember", tx.AddTrialMember(t1, c1, at(2)))
		return tx.AddTrialMember(t1, c2, at(3))
	})
	h.is("a member added twice", h.tryUpdate(func(tx store.Tx) error { return tx.AddTrialMember(t1, c2, at(4)) }), store.ErrExists)
	h.view(func(tx store.Tx) error {
		trials, _ := tx.TrialsOf(c1)
		h.equal("TrialsOf", trials, []string{t1, t2})
		members, _ := tx.TrialMembers(t1)
		h.equal("TrialMembers", members, []string{c1, c2})
		return nil
	})
	h.update(func(tx store.Tx) error { return tx.RemoveTrialMember(t1, c1) })
	h.is("RemoveTrialMember of a missing member", h.tryUpdate(func(tx store.Tx) error { return tx.RemoveTrialMember(t1, c1) }), store.ErrNotFound)
	h.view(func(tx store.Tx) error {
		members, _ := tx.TrialMembers(t1)
		h.equal("TrialMembers after a removal", members, []string{c2})
		return nil
	})
}

package sagemaker

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/policy"
	"github.com/cairnhq/cairn/internal/store"
)

// Lineage: artifacts, actions, contexts and trial components are the vertices of a graph
// whose edges are associations. Every entity belongs to its account's one lineage group,
// created with the account's first entity; sharing the group through RAM shares them all.

// Resource types of lineage entities in ARNs.
const (
	ArtifactKind       = "artifact"
	ActionKind         = "action"
	ContextKind        = "context"
	TrialComponentKind = "experiment-trial-component"
	ExperimentKind     = "experiment"
	TrialKind          = "experiment-trial"
	LineageGroupKind   = "lineage-group"
)

// DefaultLineageGroup is the name of every account's lineage group.
const DefaultLineageGroup = "sagemaker-default-lineage-group"

// arnKinds maps a lineage kind of the store to its resource type in ARNs, and back.
var arnKinds = map[string]string{
	store.LineageArtifact: ArtifactKind, store.LineageAction: ActionKind, store.LineageContext: ContextKind,
	store.LineageTrialComponent: TrialComponentKind, store.LineageExperiment: ExperimentKind, store.LineageTrial: TrialKind,
}

// lineageKindOf is the store's kind of an ARN's resource type ("" for none).
func lineageKindOf(resourceType string) string {
	for kind, t := range arnKinds {
		if t == resourceType {
			return kind
		}
	}
	return ""
}

// The member shapes lineage requests share.
const (
	// entityNamePattern is ExperimentEntityName's.
	entityNamePattern = `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}`
	// entityRefPattern is ExperimentEntityNameOrArn's.
	entityRefPattern = `(arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:(experiment|experiment-trial|experiment-trial-component|artifact|action|context)\/)?([a-zA-Z0-9](-*[a-zA-Z0-9]){0,119})`
	// associationArnPattern is AssociationEntityArn's.
	associationArnPattern = `arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:(experiment|experiment-trial-component|artifact|action|context)/.*`
)

// lineageRef is a lineage entity a request names, by name or by ARN.
type lineageRef struct {
	account, kind, name string
	// arn is the entity's ARN as SageMaker writes it; asGiven the ARN authorization uses
	// for the caller's own entity.
	arn, asGiven string
	foreign      bool
}

// refLineage reads a member naming an entity of kind (store.Lineage…), by name or ARN. An
// ARN of another resource type is the caller's concern: it names nothing of the kind.
func (s *Service) refLineage(ctx context.Context, kind, nameOrARN string) lineageRef {
	own := caller(ctx).Account
	if a, ok := parseSageMakerARN(nameOrARN); ok {
		typ, name, _ := strings.Cut(a.Resource, "/")
		arn := nameOrARN
		if k := lineageKindOf(typ); k != "" {
			arn = s.lineageARN(a.Account, k, name)
		}
		return lineageRef{account: a.Account, kind: kind, name: name, arn: arn, asGiven: nameOrARN, foreign: a.Account != own}
	}
	return lineageRef{account: own, kind: kind, name: nameOrARN, arn: s.lineageARN(own, kind, nameOrARN),
		asGiven: s.arnAsGiven(own, arnKinds[kind], nameOrARN)}
}

// lineageARN is the ARN of an entity; artifacts are named by their ID as given.
func (s *Service) lineageARN(account, kind, name string) string {
	if kind == store.LineageArtifact {
		return s.arnAsGiven(account, ArtifactKind, name)
	}
	return s.arn(account, arnKinds[kind], name)
}

// lineageGroupARN is the ARN of an account's lineage group.
func (s *Service) lineageGroupARN(account string) string {
	return s.arn(account, LineageGroupKind, DefaultLineageGroup)
}

// lineageResource is what an action on a lineage entity is authorized against: the
// caller's own entity by the ARN as given, with its tags; another account's entity by its
// account's lineage group, with the policy RAM attached to the group when it was shared
// (nil when it is shared with no one, so that nothing tells whether the entity exists).
func (s *Service) lineageResource(tx txn, ref lineageRef) (operation.Resource, error) {
	if !ref.foreign {
		res := operation.Resource{ARN: ref.asGiven, Account: ref.account}
		tags, err := tx.Tags(ref.arn)
		res.Tags = tagMap(tags)
		return res, err
	}
	group := s.lineageGroupARN(ref.account)
	policy, err := tx.ResourcePolicy(group)
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	return operation.Resource{ARN: group, Account: ref.account, Policy: policy}, err
}

// lineageAccess authorizes an action on the entity of kind a request member names.
func lineageAccess[In any](s *Service, kind string, ref func(*In) string) func(context.Context, *In) (*operation.Access, error) {
	return func(ctx context.Context, in *In) (*operation.Access, error) {
		var res operation.Resource
		err := s.store.View(ctx, func(tx txn) error {
			var err error
			res, err = s.lineageResource(tx, s.refLineage(ctx, kind, ref(in)))
			return err
		})
		if err != nil {
			return nil, err
		}
		return &operation.Access{Resources: []operation.Resource{res}}, nil
	}
}

// createLineageAccess authorizes creating an entity of kind named name in the caller's
// account.
func (s *Service) createLineageAccess(ctx context.Context, kind, name string, tags []Tag) (*operation.Access, error) {
	account := caller(ctx).Account
	return &operation.Access{
		Resources: []operation.Resource{{ARN: s.arnAsGiven(account, arnKinds[kind], name), Account: account}},
		Context:   requestTagKeys(tags),
	}, nil
}

// findLineage reads the entity ref names, or ResourceNotFound.
func (s *Service) findLineage(tx txn, ref lineageRef, what string) (*store.LineageEntity, error) {
	var e *store.LineageEntity
	var err error
	if ref.kind == store.LineageArtifact || strings.HasPrefix(ref.asGiven, "arn:") {
		e, err = tx.LineageEntity(ref.arn)
	} else {
		e, err = tx.LineageEntityByName(ref.account, ref.kind, ref.name)
	}
	if errors.Is(err, store.ErrNotFound) || err == nil && e.Kind != ref.kind {
		return nil, notFound("%s %s does not exist.", what, ref.arn)
	}
	return e, err
}

// createLineage creates an entity in one transaction, with its tags, and the account's
// lineage group with its first entity. A name already taken is the ValidationException
// SageMaker answers (clients read "already exists" in it).
func (s *Service) createLineage(tx txn, e *store.LineageEntity, tags []Tag, what string) error {
	if err := s.ensureLineageGroup(tx, e.AccountID, e.CreatedBy); err != nil {
		return err
	}
	if e.Kind != store.LineageArtifact {
		if _, err := tx.LineageEntityByName(e.AccountID, e.Kind, e.Name); err == nil {
			return validation("%s already exists: %s", what, e.ARN)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if err := tx.CreateLineageEntity(e); err != nil {
		if errors.Is(err, store.ErrExists) {
			return validation("%s already exists: %s", what, e.ARN)
		}
		return err
	}
	return tx.SetTags(e.ARN, storeTags(tags))
}

// ensureLineageGroup creates the account's lineage group unless it exists.
func (s *Service) ensureLineageGroup(tx txn, account, by string) error {
	if _, err := tx.LineageGroup(account); !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return tx.CreateLineageGroup(&store.LineageGroup{AccountID: account, Name: DefaultLineageGroup,
		ARN: s.lineageGroupARN(account), CreatedBy: by, CreatedAt: s.now()})
}

// deleteLineage deletes an entity, refused while associations start or end at it: they
// are deleted first with DeleteAssociation. SameAs associations are the exception: they
// join two records of the same data, SageMaker made them (the other end often in an
// account whose group the entity's owner may not touch), and they go with the entity.
// deleteNamed deletes the entity of kind that nameOrARN names, in one transaction, once
// check (nil for none) lets it go, and returns its ARN.
func (s *Service) deleteNamed(ctx context.Context, kind, nameOrARN, what string, check func(tx txn, e *store.LineageEntity) error) (string, error) {
	var arn string
	err := s.store.Update(ctx, func(tx txn) error {
		e, err := s.findLineage(tx, s.refLineage(ctx, kind, nameOrARN), what)
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(tx, e); err != nil {
				return err
			}
		}
		arn = e.ARN
		return s.deleteLineage(tx, e, what)
	})
	return arn, err
}

func (s *Service) deleteLineage(tx txn, e *store.LineageEntity, what string) error {
	var sameAs []*store.LineageAssociation
	for _, outgoing := range []bool{true, false} {
		edges, err := tx.LineageEdges([]string{e.ARN}, outgoing)
		if err != nil {
			return err
		}
		for _, a := range edges {
			if a.Type != "SameAs" {
				return validation("%s %s has associations; delete them with DeleteAssociation before deleting it.", what, e.ARN)
			}
			sameAs = append(sameAs, a)
		}
	}
	for _, a := range sameAs {
		if err := tx.DeleteLineageAssociation(a.SourceARN, a.DestinationARN); err != nil {
			return err
		}
	}
	return tx.DeleteLineageEntity(e.ARN)
}

// updateProperties applies an Update… request's Properties (replacing the entity's when
// given) and then its PropertiesToRemove, and checks the bound on what remains.
func updateProperties(e *store.LineageEntity, props map[string]string, remove []string, limit int) error {
	if props != nil {
		e.Properties = map[string]string{}
		for k, v := range props {
			e.Properties[k] = v
		}
	}
	for _, k := range remove {
		delete(e.Properties, k)
	}
	if len(e.Properties) > limit {
		return limitExceeded("%s would have %d properties; the limit is %d.", e.ARN, len(e.Properties), limit)
	}
	return nil
}

// lineageBody decodes what an entity keeps as JSON into v.
func lineageBody(e *store.LineageEntity, v any) error {
	if e.Body == "" {
		return nil
	}
	return json.Unmarshal([]byte(e.Body), v)
}

// encodeBody encodes what an entity keeps as JSON.
func encodeBody(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // the bodies are plain structures of strings
	}
	return string(b)
}

// modified records a change to an entity by the caller.
func (s *Service) modified(ctx context.Context, e *store.LineageEntity) {
	e.LastModifiedBy, e.LastModifiedAt = caller(ctx).ARN, s.now()
}

// newLineage is an entity of the caller's account, created now.
func (s *Service) newLineage(ctx context.Context, kind, name string) *store.LineageEntity {
	p, now := caller(ctx), s.now()
	return &store.LineageEntity{AccountID: p.Account, Kind: kind, Name: name, ARN: s.lineageARN(p.Account, kind, name),
		CreatedBy: p.ARN, LastModifiedBy: p.ARN, CreatedAt: now, LastModifiedAt: now}
}

// lineageGroupOf is the LineageGroupArn Describe… shows.
func (s *Service) lineageGroupOf(e *store.LineageEntity) string {
	return s.lineageGroupARN(e.AccountID)
}

// properties is a map Describe… shows, never nil.
func properties(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// linkSameAs links a new artifact with a SameAs association to every other account's
// artifact of the same source URI when either account's lineage group is shared with the
// other: the new artifact is the association's source.
func (s *Service) linkSameAs(ctx context.Context, tx txn, e *store.LineageEntity) error {
	return s.linkSameSource(tx, e, map[string]bool{})
}

// LinkSharedArtifacts links, with SameAs, each artifact of an account to every other
// account's artifact of the same source when either account's lineage group is shared with
// the other, unless the two are linked already: what creating the artifacts after the
// share would have linked, for artifacts that existed before it (a share accepted after
// the artifacts exist). The other account's artifact is the association's source. RAM
// calls it, in the transaction that changes who may reach the account's lineage group;
// it reads each of the account's artifacts and the artifacts of their sources.
func (s *Service) LinkSharedArtifacts(tx store.Tx, account string) error {
	arts, err := tx.ListLineageEntities(account, store.LineageArtifact)
	if err != nil {
		return err
	}
	shared := map[string]bool{}
	for _, a := range arts {
		if a.SourceURI == "" {
			continue
		}
		others, err := tx.ArtifactsBySourceURI(a.SourceURI)
		if err != nil {
			return err
		}
		for _, o := range others {
			if o.AccountID == account {
				continue
			}
			if err := s.linkSameSource(tx, o, shared, a); err != nil {
				return err
			}
		}
	}
	return nil
}

// linkSameSource links e with a SameAs association (e its source) to each of others, or
// when none are given to every other account's artifact of e's source, where either
// account's lineage group is shared with the other and the two are not linked either way.
// shared caches the answer per pair of accounts.
func (s *Service) linkSameSource(tx txn, e *store.LineageEntity, shared map[string]bool, others ...*store.LineageEntity) error {
	if others == nil {
		var err error
		if others, err = tx.ArtifactsBySourceURI(e.SourceURI); err != nil {
			return err
		}
	}
	for _, o := range others {
		if o.AccountID == e.AccountID {
			continue
		}
		pair := e.AccountID + " " + o.AccountID
		ok, known := shared[pair]
		if !known {
			var err error
			ok, err = s.groupShared(tx, o.AccountID, e.AccountID)
			if err == nil && !ok {
				ok, err = s.groupShared(tx, e.AccountID, o.AccountID)
			}
			if err != nil {
				return err
			}
			shared[pair] = ok
		}
		if !ok {
			continue
		}
		for _, ends := range [][2]string{{e.ARN, o.ARN}, {o.ARN, e.ARN}} {
			if _, err := tx.LineageAssociation(ends[0], ends[1]); err == nil {
				ok = false
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if !ok {
			continue
		}
		err := tx.CreateLineageAssociation(&store.LineageAssociation{SourceARN: e.ARN, DestinationARN: o.ARN, Type: "SameAs",
			SourceAccount: e.AccountID, DestinationAccount: o.AccountID, CreatedBy: e.CreatedBy, CreatedAt: s.now()})
		if err != nil {
			return err
		}
	}
	return nil
}

// groupShared reports whether owner's lineage group is shared with an account: whether the
// policy RAM attached to it allows the account's root user to query its lineage, evaluated
// as authorization would, with the account's place in the organization — so a group shared
// with the organization or an OU reaches its accounts as one shared with the account does.
func (s *Service) groupShared(tx txn, owner, account string) (bool, error) {
	group := s.lineageGroupARN(owner)
	doc, err := tx.ResourcePolicy(group)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	p, err := policy.ParseWithOptions(doc, policy.Options{Type: policy.ResourceBased})
	if err != nil {
		return false, nil
	}
	principal := policy.Principal{Type: policy.PrincipalRoot, ARN: auth.RootARN(account), Account: account}
	keys := policy.NewContext(nil)
	keys.AddPrincipalKeys(principal)
	if err := orgKeys(tx, account, keys); err != nil {
		return false, err
	}
	d := policy.Evaluate(&policy.Request{Principal: principal, Action: "sagemaker:QueryLineage", Resource: group,
		ResourceAccount: owner, Context: keys},
		&policy.Inputs{Identity: []policy.NamedPolicy{{ID: "any", Policy: allowAll}}, Resource: &policy.NamedPolicy{ID: group, Policy: p}})
	return d.Allowed, nil
}

// allowAll stands for the account's own policies in groupShared, which asks only what the
// group's policy allows.
var allowAll, _ = policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))

// orgKeys sets aws:PrincipalOrgID and aws:PrincipalOrgPaths for an account of the
// organization.
func orgKeys(tx txn, account string, keys *policy.Context) error {
	org, err := tx.Organization()
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := tx.Account(account); errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	path, err := tx.OrgPath(account)
	if err != nil {
		return err
	}
	keys.Set("aws:PrincipalOrgID", org.ID)
	keys.SetMulti("aws:PrincipalOrgPaths", path)
	return nil
}

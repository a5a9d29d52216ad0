package sagemaker

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"

	"github.com/cairnhq/cairn/internal/store"
)

// The model registry: model package groups hold versioned model packages, numbered 1, 2, …
// per group; unversioned model packages stand alone.

// Resource types of the model registry in ARNs.
const (
	ModelPackageGroupKind = "model-package-group"
	ModelPackageKind      = "model-package"
)

// Status of every group and package: they are complete when created.
const registryCompleted = "Completed"

// Approval statuses of model packages.
const (
	ApprovalApproved = "Approved"
	ApprovalRejected = "Rejected"
	ApprovalPending  = "PendingManualApproval"
)

var (
	// registryARNPattern is the ARN part of ArnOrName and VersionedArnOrName.
	registryARNPattern = regexp.MustCompile(`^arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:([0-9]{12}):([a-z\-]*)/(.*)$`)
	// refNamePattern is the name part of ArnOrName (a hyphen may not end it).
	refNamePattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$`)
)

// The patterns of ArnOrName and VersionedArnOrName, as messages show them. Requests'
// members of these shapes declare them; a reference read from elsewhere (a ResourceArn,
// a ModelPackageArn) is checked against them as it is read.
const (
	arnOrNamePatternText    = `(arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:[a-z\-]*\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)`
	versionedRefPatternText = arnOrNamePatternText + `(\/[0-9]{1,9})?`
)

func (s *Service) registryOps() []*operation.Operation {
	groupName := func(in *ModelPackageGroupRef) string { return in.ModelPackageGroupName }
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateModelPackageGroupInput, CreateModelPackageGroupOutput]{
			Name: "CreateModelPackageGroup", Access: s.createModelPackageGroupAccess, Handler: s.createModelPackageGroup}),
		operation.Declare(operation.Op[ModelPackageGroupRef, DescribeModelPackageGroupOutput]{
			Name: "DescribeModelPackageGroup", Access: groupAccess(s, groupName), Handler: s.describeModelPackageGroup}),
		operation.Declare(operation.Op[ListModelPackageGroupsInput, ListModelPackageGroupsOutput]{
			Name: "ListModelPackageGroups", Handler: s.listModelPackageGroups}),
		operation.Declare(operation.Op[ModelPackageGroupRef, struct{}]{
			Name: "DeleteModelPackageGroup", Access: groupAccess(s, groupName), Handler: s.deleteModelPackageGroup}),
	}
}

// groupRef is a model package group named by a request: by name or by ARN.
type groupRef struct {
	account, name string
	// asGiven is the ARN authorization uses: the ARN given, or one built from the name
	// as given.
	asGiven string
}

// splitGroupRef checks an ArnOrName member naming a model package group; the account
// is empty when the member is a name.
func splitGroupRef(member, value string) (groupRef, error) {
	bad := violation(member, value, operation.MatchPattern(arnOrNamePatternText))
	if len(value) < 1 || len(value) > 170 {
		return groupRef{}, bad
	}
	if m := registryARNPattern.FindStringSubmatch(value); m != nil {
		if !refNamePattern.MatchString(m[3]) || strings.HasSuffix(m[3], "-") {
			return groupRef{}, bad
		}
		if m[2] != ModelPackageGroupKind {
			return groupRef{}, validation("%s is not the ARN of a model package group.", value)
		}
		return groupRef{account: m[1], name: m[3], asGiven: value}, nil
	}
	if !refNamePattern.MatchString(value) || strings.HasSuffix(value, "-") {
		return groupRef{}, bad
	}
	return groupRef{name: value}, nil
}

// parseGroupRef reads an ArnOrName member naming a model package group; a name is in
// the caller's account.
func (s *Service) parseGroupRef(ctx context.Context, member, value string) (groupRef, error) {
	ref, err := splitGroupRef(member, value)
	if err != nil || ref.account != "" {
		return ref, err
	}
	ref.account = caller(ctx).Account
	ref.asGiven = s.arnAsGiven(ref.account, ModelPackageGroupKind, ref.name)
	return ref, nil
}

// packageRef is a model package named by a request: a name, a name and version
// ("group/3"), or an ARN.
type packageRef struct {
	account, name string
	version       int // 0: unversioned
	asGiven       string
}

// parsePackageRef reads a VersionedArnOrName member naming a model package.
func (s *Service) parsePackageRef(ctx context.Context, member, value string) (packageRef, error) {
	bad := violation(member, value, operation.MatchPattern(versionedRefPatternText))
	if len(value) < 1 || len(value) > 2048 {
		return packageRef{}, bad
	}
	account, rest, asGiven := caller(ctx).Account, value, ""
	if m := registryARNPattern.FindStringSubmatch(value); m != nil {
		if m[2] != ModelPackageKind {
			return packageRef{}, validation("%s is not the ARN of a model package.", value)
		}
		account, rest, asGiven = m[1], m[3], value
	} else if strings.HasPrefix(value, "arn:") {
		return packageRef{}, bad
	}
	name, versionText, versioned := strings.Cut(rest, "/")
	if !refNamePattern.MatchString(name) || strings.HasSuffix(name, "-") {
		return packageRef{}, bad
	}
	ref := packageRef{account: account, name: name, asGiven: asGiven}
	if versioned {
		v, err := strconv.Atoi(versionText)
		if err != nil || len(versionText) > 9 || v < 1 {
			return packageRef{}, bad
		}
		ref.version = v
	}
	if ref.asGiven == "" {
		ref.asGiven = s.arnAsGiven(account, ModelPackageKind, packagePath(name, ref.version))
	}
	return ref, nil
}

// packagePath is the resource part of a model package's ARN after "model-package/".
func packagePath(name string, version int) string {
	if version == 0 {
		return name
	}
	return name + "/" + strconv.Itoa(version)
}

// groupAccess authorizes an action on the model package group a request member names,
// with the group's tags and its resource policy (registry_policy.go).
func groupAccess[In any](s *Service, name func(*In) string) func(context.Context, *In) (*operation.Access, error) {
	return func(ctx context.Context, in *In) (*operation.Access, error) {
		ref, err := s.parseGroupRef(ctx, "modelPackageGroupName", name(in))
		if err != nil {
			return nil, err
		}
		res, err := s.registryResource(ctx, ref.account, ref.name, ref.asGiven, s.arn(ref.account, ModelPackageGroupKind, ref.name))
		if err != nil {
			return nil, err
		}
		return &operation.Access{Resources: []operation.Resource{res}}, nil
	}
}

// CreateModelPackageGroupInput creates a model package group.
type CreateModelPackageGroupInput struct {
	ModelPackageGroupName        string  `required:"true" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
	ModelPackageGroupDescription *string `max:"1024" pattern:"[\\p{L}\\p{M}\\p{Z}\\p{S}\\p{N}\\p{P}]*"`
	Tags                         []Tag   `max:"50"`
	ManagedConfiguration         *ManagedConfiguration
}

// ManagedConfiguration is how SageMaker manages a group's storage.
type ManagedConfiguration struct {
	ManagedStorageType string `json:",omitempty" enum:"Restricted"`
}

// CreateModelPackageGroupOutput names the group.
type CreateModelPackageGroupOutput struct {
	ModelPackageGroupArn string
}

// Validate checks what the request's constraints cannot say.
func (in *CreateModelPackageGroupInput) Validate() error { return sm.CheckTagKeys(in.Tags) }

func (s *Service) createModelPackageGroupAccess(ctx context.Context, in *CreateModelPackageGroupInput) (*operation.Access, error) {
	account := caller(ctx).Account
	return &operation.Access{
		Resources: []operation.Resource{{ARN: s.arnAsGiven(account, ModelPackageGroupKind, in.ModelPackageGroupName), Account: account}},
		Context:   requestTagKeys(in.Tags),
	}, nil
}

func (s *Service) createModelPackageGroup(ctx context.Context, in *CreateModelPackageGroupInput) (*CreateModelPackageGroupOutput, error) {
	p := caller(ctx)
	g := &store.ModelPackageGroup{AccountID: p.Account, Name: in.ModelPackageGroupName,
		ARN:         s.arn(p.Account, ModelPackageGroupKind, in.ModelPackageGroupName),
		Description: deref(in.ModelPackageGroupDescription, ""), Status: registryCompleted, CreatedBy: p.ARN, CreatedAt: s.now()}
	err := s.store.Update(ctx, func(tx txn) error {
		if _, err := tx.ModelPackageGroup(p.Account, g.Name); err == nil {
			return validation("Model Package Group already exists: %s", g.ARN)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := tx.CreateModelPackageGroup(g); err != nil {
			return err
		}
		return tx.SetTags(g.ARN, storeTags(in.Tags))
	})
	if err != nil {
		return nil, err
	}
	return &CreateModelPackageGroupOutput{ModelPackageGroupArn: g.ARN}, nil
}

// ModelPackageGroupRef names a model package group by name or ARN.
type ModelPackageGroupRef struct {
	ModelPackageGroupName string `required:"true" min:"1" max:"170" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)" re:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"`
}

// DescribeModelPackageGroupOutput describes a group.
type DescribeModelPackageGroupOutput struct {
	ModelPackageGroupName        string
	ModelPackageGroupArn         string
	ModelPackageGroupDescription string `json:",omitempty"`
	CreationTime                 *operation.Timestamp
	CreatedBy                    UserContext
	ModelPackageGroupStatus      string
}

// findGroup reads the group a request names, or the ValidationException AWS answers.
func (s *Service) findGroup(ctx context.Context, tx txn, member, nameOrARN string) (*store.ModelPackageGroup, error) {
	ref, err := s.parseGroupRef(ctx, member, nameOrARN)
	if err != nil {
		return nil, err
	}
	g, err := tx.ModelPackageGroup(ref.account, ref.name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, validation("Model Package Group %s does not exist.", s.arn(ref.account, ModelPackageGroupKind, ref.name))
	}
	return g, err
}

func (s *Service) describeModelPackageGroup(ctx context.Context, in *ModelPackageGroupRef) (*DescribeModelPackageGroupOutput, error) {
	var g *store.ModelPackageGroup
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		g, err = s.findGroup(ctx, tx, "modelPackageGroupName", in.ModelPackageGroupName)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &DescribeModelPackageGroupOutput{ModelPackageGroupName: g.Name, ModelPackageGroupArn: g.ARN,
		ModelPackageGroupDescription: g.Description, CreationTime: operation.NewTimestamp(g.CreatedAt),
		CreatedBy: userContext(g.CreatedBy), ModelPackageGroupStatus: g.Status}, nil
}

func (s *Service) deleteModelPackageGroup(ctx context.Context, in *ModelPackageGroupRef) (*struct{}, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		g, err := s.findGroup(ctx, tx, "modelPackageGroupName", in.ModelPackageGroupName)
		if err != nil {
			return err
		}
		versions, err := tx.ListModelPackages(g.AccountID, g.Name)
		if err != nil {
			return err
		}
		if len(versions) > 0 {
			return conflict("Model Package Group %s still has %d model package version(s); delete them with DeleteModelPackage before deleting the group.", g.ARN, len(versions))
		}
		if err := tx.SetTags(g.ARN, nil); err != nil {
			return err
		}
		return tx.DeleteModelPackageGroup(g.AccountID, g.Name)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// ListModelPackageGroupsInput filters and pages groups.
type ListModelPackageGroupsInput struct {
	CreationTimeAfter        *operation.Timestamp
	CreationTimeBefore       *operation.Timestamp
	MaxResults               *int    `min:"1" max:"100"`
	NameContains             *string `max:"63" pattern:"[a-zA-Z0-9\\-]+"`
	NextToken                *string `max:"8192" pattern:".*"`
	SortBy                   *string `enum:"Name,CreationTime"`
	SortOrder                *string `enum:"Ascending,Descending"`
	CrossAccountFilterOption *string `enum:"SameAccount,CrossAccount"`
}

// ModelPackageGroupSummary is one group of a list.
type ModelPackageGroupSummary struct {
	ModelPackageGroupName        string
	ModelPackageGroupArn         string
	ModelPackageGroupDescription string `json:",omitempty"`
	CreationTime                 *operation.Timestamp
	ModelPackageGroupStatus      string
}

// ListModelPackageGroupsOutput is one page of groups.
type ListModelPackageGroupsOutput struct {
	ModelPackageGroupSummaryList []ModelPackageGroupSummary
	NextToken                    *string `json:",omitempty"`
}

// groupListing is how ListModelPackageGroups filters and orders groups; names are
// ordered ignoring case.
var groupListing = listing[*store.ModelPackageGroup]{
	name:    func(g *store.ModelPackageGroup) string { return g.Name },
	created: func(g *store.ModelPackageGroup) time.Time { return g.CreatedAt },
	orders: map[string]func(a, b *store.ModelPackageGroup) int{
		"Name":         byString(func(g *store.ModelPackageGroup) string { return strings.ToLower(g.Name) }),
		"CreationTime": byTime(func(g *store.ModelPackageGroup) time.Time { return g.CreatedAt }),
	},
	defaultOrder: "CreationTime",
}

func (in *ListModelPackageGroupsInput) query() listQuery {
	return listQuery{NameContains: in.NameContains, CreatedAfter: in.CreationTimeAfter, CreatedBefore: in.CreationTimeBefore,
		SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults}
}

func (s *Service) listModelPackageGroups(ctx context.Context, in *ListModelPackageGroupsInput) (*ListModelPackageGroupsOutput, error) {
	var all []*store.ModelPackageGroup
	// Groups shared from other accounts (CrossAccount) need resource policies, which
	// Cairn does not keep: there are none to list.
	if in.CrossAccountFilterOption == nil || *in.CrossAccountFilterOption == "SameAccount" {
		err := s.store.View(ctx, func(tx txn) error {
			var err error
			all, err = tx.ListModelPackageGroups(caller(ctx).Account)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	page, next, err := groupListing.list(all, in.query())
	if err != nil {
		return nil, err
	}
	out := &ListModelPackageGroupsOutput{ModelPackageGroupSummaryList: []ModelPackageGroupSummary{}, NextToken: next}
	for _, g := range page {
		out.ModelPackageGroupSummaryList = append(out.ModelPackageGroupSummaryList, ModelPackageGroupSummary{
			ModelPackageGroupName: g.Name, ModelPackageGroupArn: g.ARN, ModelPackageGroupDescription: g.Description,
			CreationTime: operation.NewTimestamp(g.CreatedAt), ModelPackageGroupStatus: g.Status})
	}
	return out, nil
}

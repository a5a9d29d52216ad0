package sagemaker

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"

	"github.com/cairnhq/cairn/internal/store"
)

func (s *Service) modelPackageOps() []*operation.Operation {
	packageName := func(in *ModelPackageRef) string { return in.ModelPackageName }
	return []*operation.Operation{
		operation.Declare(operation.Op[CreateModelPackageInput, CreateModelPackageOutput]{
			Name: "CreateModelPackage", Access: s.createModelPackageAccess, Handler: s.createModelPackage}),
		operation.Declare(operation.Op[ModelPackageRef, DescribeModelPackageOutput]{
			Name: "DescribeModelPackage", Access: packageAccess(s, packageName), Handler: s.describeModelPackage}),
		operation.Declare(operation.Op[ListModelPackagesInput, ListModelPackagesOutput]{
			Name: "ListModelPackages", Access: s.listModelPackagesAccess, Handler: s.listModelPackages}),
		operation.Declare(operation.Op[UpdateModelPackageInput, UpdateModelPackageOutput]{
			Name: "UpdateModelPackage", Access: s.updateModelPackageAccess, Handler: s.updateModelPackage}),
		operation.Declare(operation.Op[ModelPackageRef, struct{}]{
			Name: "DeleteModelPackage", Access: packageAccess(s, packageName), Handler: s.deleteModelPackage}),
	}
}

// CreateModelPackageInput is the CreateModelPackage request. Members SageMaker only
// records are kept as given.
type CreateModelPackageInput struct {
	ModelPackageName                  string                                `json:",omitempty" min:"1" max:"63" pattern:"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}"`
	ModelPackageGroupName             string                                `json:",omitempty" min:"1" max:"170" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)" re:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"`
	ModelPackageDescription           *string                               `json:",omitempty" max:"1024" pattern:"[\\p{L}\\p{M}\\p{Z}\\p{S}\\p{N}\\p{P}]*"`
	ModelPackageRegistrationType      string                                `json:",omitempty" enum:"Logged,Registered"`
	InferenceSpecification            *sm.InferenceSpecification            `json:",omitempty"`
	ValidationSpecification           json.RawMessage                       `json:",omitempty"`
	SourceAlgorithmSpecification      json.RawMessage                       `json:",omitempty"`
	CertifyForMarketplace             *bool                                 `json:",omitempty"`
	Tags                              []Tag                                 `json:",omitempty" max:"50"`
	ModelApprovalStatus               string                                `json:",omitempty" enum:"Approved,Rejected,PendingManualApproval"`
	MetadataProperties                *MetadataProperties                   `json:",omitempty"`
	ModelMetrics                      json.RawMessage                       `json:",omitempty"`
	ClientToken                       string                                `json:",omitempty" min:"1" max:"36" pattern:"[a-zA-Z0-9-]+"`
	Domain                            *string                               `json:",omitempty"`
	Task                              *string                               `json:",omitempty"`
	SamplePayloadUrl                  *string                               `json:",omitempty" max:"1024" pattern:"(https|s3)://([^/]+)/?(.*)"`
	CustomerMetadataProperties        map[string]string                     `json:",omitempty" min:"1" max:"50" keyMin:"1" keyMax:"128" keyPattern:"([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}" valueMin:"1" valueMax:"256" valuePattern:"([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,256}"`
	DriftCheckBaselines               json.RawMessage                       `json:",omitempty"`
	AdditionalInferenceSpecifications []sm.AdditionalInferenceSpecification `json:",omitempty" min:"1" max:"15"`
	SkipModelValidation               string                                `json:",omitempty" enum:"All,None"`
	SourceUri                         *string                               `json:",omitempty" max:"1024" pattern:"[\\p{L}\\p{M}\\p{Z}\\p{N}\\p{P}]{0,1024}" re:"[\\p{L}\\p{M}\\p{Z}\\p{N}\\p{P}]*"`
	SecurityConfig                    *ModelPackageSecurityConfig           `json:",omitempty"`
	ModelCard                         *ModelPackageModelCard                `json:",omitempty"`
	ModelLifeCycle                    *ModelLifeCycle                       `json:",omitempty"`
	ManagedStorageType                string                                `json:",omitempty" enum:"Restricted"`
}

// CreateModelPackageOutput names the package.
type CreateModelPackageOutput struct {
	ModelPackageArn string
}

// Validate checks what the request's constraints cannot say, as SageMaker does.
func (in *CreateModelPackageInput) Validate() error {
	switch {
	case in.ModelPackageName != "" && in.ModelPackageGroupName != "":
		return validation("Both ModelPackageName and ModelPackageGroupName are provided in the input. Cannot determine which one to use.")
	case in.ModelPackageName == "" && in.ModelPackageGroupName == "":
		return validation("Missing ARN. Give ModelPackageGroupName to register a version in a model package group, or ModelPackageName for an unversioned model package.")
	case in.ModelPackageGroupName != "":
		if _, err := splitGroupRef("modelPackageGroupName", in.ModelPackageGroupName); err != nil {
			return err
		}
	}
	for member, raw := range map[string]*json.RawMessage{
		"validationSpecification": &in.ValidationSpecification, "sourceAlgorithmSpecification": &in.SourceAlgorithmSpecification,
		"modelMetrics": &in.ModelMetrics, "driftCheckBaselines": &in.DriftCheckBaselines,
	} {
		if err := checkObject(member, raw); err != nil {
			return err
		}
	}
	if err := checkInferenceSpecifications(in.InferenceSpecification, "additionalInferenceSpecifications", in.AdditionalInferenceSpecifications); err != nil {
		return err
	}
	return sm.CheckTagKeys(in.Tags)
}

func (s *Service) createModelPackageAccess(ctx context.Context, in *CreateModelPackageInput) (*operation.Access, error) {
	var res operation.Resource
	if in.ModelPackageGroupName != "" {
		ref, err := s.parseGroupRef(ctx, "modelPackageGroupName", in.ModelPackageGroupName)
		if err != nil {
			return nil, err
		}
		if ref.account != caller(ctx).Account {
			res, err = s.versionsResource(ctx, ref)
		} else {
			res, err = s.registryResource(ctx, ref.account, ref.name, ref.asGiven, s.arn(ref.account, ModelPackageGroupKind, ref.name))
		}
		if err != nil {
			return nil, err
		}
	} else {
		account := caller(ctx).Account
		res = operation.Resource{ARN: s.arnAsGiven(account, ModelPackageKind, in.ModelPackageName), Account: account}
	}
	return &operation.Access{Resources: []operation.Resource{res}, Context: approvalKeys(requestTagKeys(in.Tags), in.ModelApprovalStatus)}, nil
}

// approvalKeys adds sagemaker:ModelApprovalStatus to a request's condition keys when
// the request sets the status.
func approvalKeys(keys map[string][]string, status string) map[string][]string {
	if status == "" {
		return keys
	}
	if keys == nil {
		keys = map[string][]string{}
	}
	keys["sagemaker:ModelApprovalStatus"] = []string{status}
	return keys
}

// record is the request as the package keeps it: without the members the record holds.
func (in *CreateModelPackageInput) record() (string, error) {
	c := *in
	c.ModelPackageName, c.ModelPackageGroupName, c.Tags, c.ClientToken, c.ModelApprovalStatus = "", "", nil, "", ""
	b, err := json.Marshal(&c)
	return string(b), err
}

func (s *Service) createModelPackage(ctx context.Context, in *CreateModelPackageInput) (*CreateModelPackageOutput, error) {
	request, err := in.record()
	if err != nil {
		return nil, err
	}
	p := caller(ctx)
	now := s.now()
	pkg := &store.ModelPackage{AccountID: p.Account, Name: in.ModelPackageName, Request: request, Status: registryCompleted,
		ApprovalStatus: in.ModelApprovalStatus, ClientToken: in.ClientToken, CreatedBy: p.ARN, LastModifiedBy: p.ARN,
		CreatedAt: now, LastModifiedAt: now}
	var group groupRef
	if in.ModelPackageGroupName != "" {
		if group, err = s.parseGroupRef(ctx, "modelPackageGroupName", in.ModelPackageGroupName); err != nil {
			return nil, err
		}
		pkg.AccountID = group.account
		if pkg.ApprovalStatus == "" {
			pkg.ApprovalStatus = ApprovalPending
		}
	}
	var arn string
	err = s.store.Update(ctx, func(tx txn) error {
		if prior, err := tx.ModelPackageByToken(pkg.AccountID, in.ClientToken); err == nil {
			// The same request again: answer as the first time.
			same := prior.Versioned() && strings.EqualFold(prior.Name, group.name) ||
				!prior.Versioned() && strings.EqualFold(prior.Name, in.ModelPackageName)
			if !same {
				return conflict("ClientToken %s was already used to create model package %s.", in.ClientToken, prior.ARN)
			}
			arn = prior.ARN
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if in.ModelPackageGroupName != "" {
			g, err := tx.ModelPackageGroup(group.account, group.name)
			if errors.Is(err, store.ErrNotFound) {
				return validation("Model Package Group %s does not exist.", s.arn(group.account, ModelPackageGroupKind, group.name))
			} else if err != nil {
				return err
			}
			g.LatestVersion++
			if err := tx.UpdateModelPackageGroup(g); err != nil {
				return err
			}
			pkg.Name, pkg.Version = g.Name, g.LatestVersion
		} else if _, err := tx.ModelPackage(pkg.AccountID, pkg.Name, 0); err == nil {
			return validation("Model Package already exists: %s", s.arn(pkg.AccountID, ModelPackageKind, pkg.Name))
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		pkg.ARN = s.arn(pkg.AccountID, ModelPackageKind, packagePath(pkg.Name, pkg.Version))
		if err := tx.CreateModelPackage(pkg); err != nil {
			return err
		}
		if err := s.recordPackageLineage(ctx, tx, pkg, in.InferenceSpecification); err != nil {
			return err
		}
		arn = pkg.ARN
		return tx.SetTags(pkg.ARN, storeTags(in.Tags))
	})
	if err != nil {
		return nil, err
	}
	return &CreateModelPackageOutput{ModelPackageArn: arn}, nil
}

// ModelPackageRef names a model package: a name, "<group>/<version>", or an ARN.
type ModelPackageRef struct {
	ModelPackageName string `required:"true" min:"1" max:"176" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)(\\/[0-9]{1,9})?" re:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\/[0-9]{1,9})?"`
}

// packageAccess authorizes an action on the model package a request member names: the
// caller's own by the ARN as given, another account's by its canonical ARN, with the
// package's tags and its group's resource policy.
func packageAccess[In any](s *Service, name func(*In) string) func(context.Context, *In) (*operation.Access, error) {
	return func(ctx context.Context, in *In) (*operation.Access, error) {
		ref, err := s.parsePackageRef(ctx, "modelPackageName", name(in))
		if err != nil {
			return nil, err
		}
		res, err := s.packageResource(ctx, ref)
		if err != nil {
			return nil, err
		}
		return &operation.Access{Resources: []operation.Resource{res}}, nil
	}
}

// packageResource is what an action on the package ref names is authorized against: a
// version is governed by its group's policy; an unversioned package by none.
func (s *Service) packageResource(ctx context.Context, ref packageRef) (operation.Resource, error) {
	group := ""
	if ref.version > 0 {
		group = ref.name
	}
	return s.registryResource(ctx, ref.account, group, ref.asGiven, s.arn(ref.account, ModelPackageKind, packagePath(ref.name, ref.version)))
}

// findPackage reads the package a request names, or the ValidationException AWS answers.
func (s *Service) findPackage(ctx context.Context, tx txn, member, value string) (*store.ModelPackage, error) {
	ref, err := s.parsePackageRef(ctx, member, value)
	if err != nil {
		return nil, err
	}
	p, err := tx.ModelPackage(ref.account, ref.name, ref.version)
	if errors.Is(err, store.ErrNotFound) {
		return nil, validation("ModelPackage %s does not exist.", s.arn(ref.account, ModelPackageKind, packagePath(ref.name, ref.version)))
	}
	return p, err
}

// DescribeModelPackageOutput is the request the package was created with and its state.
type DescribeModelPackageOutput map[string]any

// DescribeModelPackage renders a package as DescribeModelPackage returns it.
func DescribeModelPackage(p *store.ModelPackage) map[string]any {
	out := map[string]any{}
	json.Unmarshal([]byte(p.Request), &out)
	out["ModelPackageName"] = p.Name
	if p.Versioned() {
		out["ModelPackageGroupName"] = p.Name
		out["ModelPackageVersion"] = p.Version
	}
	out["ModelPackageArn"] = p.ARN
	out["ModelPackageStatus"] = p.Status
	out["ModelPackageStatusDetails"] = map[string]any{"ValidationStatuses": []any{}}
	if p.ApprovalStatus != "" {
		out["ModelApprovalStatus"] = p.ApprovalStatus
	}
	if p.ApprovalDescription != "" {
		out["ApprovalDescription"] = p.ApprovalDescription
	}
	out["CreationTime"] = operation.NewTimestamp(p.CreatedAt)
	out["CreatedBy"] = userContext(p.CreatedBy)
	out["LastModifiedTime"] = operation.NewTimestamp(p.LastModifiedAt)
	out["LastModifiedBy"] = userContext(p.LastModifiedBy)
	return out
}

func (s *Service) describeModelPackage(ctx context.Context, in *ModelPackageRef) (*DescribeModelPackageOutput, error) {
	var p *store.ModelPackage
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		p, err = s.findPackage(ctx, tx, "modelPackageName", in.ModelPackageName)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := DescribeModelPackageOutput(DescribeModelPackage(p))
	return &out, nil
}

func (s *Service) deleteModelPackage(ctx context.Context, in *ModelPackageRef) (*struct{}, error) {
	err := s.store.Update(ctx, func(tx txn) error {
		p, err := s.findPackage(ctx, tx, "modelPackageName", in.ModelPackageName)
		if err != nil {
			return err
		}
		if err := tx.SetTags(p.ARN, nil); err != nil {
			return err
		}
		return tx.DeleteModelPackage(p.AccountID, p.Name, p.Version)
	})
	if err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// ListModelPackagesInput filters and pages model packages.
type ListModelPackagesInput struct {
	CreationTimeAfter     *operation.Timestamp
	CreationTimeBefore    *operation.Timestamp
	MaxResults            *int    `min:"1" max:"100"`
	NameContains          *string `max:"63" pattern:"[a-zA-Z0-9\\-]+"`
	ModelApprovalStatus   *string `enum:"Approved,Rejected,PendingManualApproval"`
	ModelPackageGroupName *string `min:"1" max:"170" pattern:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)" re:"(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"`
	ModelPackageType      *string `enum:"Versioned,Unversioned,Both"`
	NextToken             *string `max:"8192" pattern:".*"`
	SortBy                *string `enum:"Name,CreationTime"`
	SortOrder             *string `enum:"Ascending,Descending"`
}

// Validate checks what the request's constraints cannot say: a group given by ARN is a
// group's.
func (in *ListModelPackagesInput) Validate() error {
	if in.ModelPackageGroupName != nil {
		if _, err := splitGroupRef("modelPackageGroupName", *in.ModelPackageGroupName); err != nil {
			return err
		}
	}
	return nil
}

// ModelPackageSummary is one package of a list. Versions are listed by group and
// version, without a ModelPackageName.
type ModelPackageSummary struct {
	ModelPackageName             string `json:",omitempty"`
	ModelPackageGroupName        string `json:",omitempty"`
	ModelPackageVersion          int    `json:",omitempty"`
	ModelPackageArn              string
	ModelPackageDescription      string `json:",omitempty"`
	CreationTime                 *operation.Timestamp
	ModelPackageStatus           string
	ModelApprovalStatus          string          `json:",omitempty"`
	ModelLifeCycle               *ModelLifeCycle `json:",omitempty"`
	ModelPackageRegistrationType string          `json:",omitempty"`
}

// ListModelPackagesOutput is one page of packages.
type ListModelPackagesOutput struct {
	ModelPackageSummaryList []ModelPackageSummary
	NextToken               *string `json:",omitempty"`
}

// packageListing is how ListModelPackages filters and orders packages: names ignoring
// case, and the versions of a group by number.
var packageListing = listing[*store.ModelPackage]{
	name:    func(p *store.ModelPackage) string { return p.Name },
	created: func(p *store.ModelPackage) time.Time { return p.CreatedAt },
	orders: map[string]func(a, b *store.ModelPackage) int{
		"Name": func(a, b *store.ModelPackage) int {
			return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Version, b.Version))
		},
		"CreationTime": byTime(func(p *store.ModelPackage) time.Time { return p.CreatedAt }),
	},
	defaultOrder: "CreationTime",
}

func (in *ListModelPackagesInput) query() listQuery {
	return listQuery{NameContains: in.NameContains, CreatedAfter: in.CreationTimeAfter, CreatedBefore: in.CreationTimeBefore,
		SortBy: in.SortBy, SortOrder: in.SortOrder, NextToken: in.NextToken, MaxResults: in.MaxResults}
}

// listModelPackagesAccess authorizes a list: of the caller's own packages on "*", of
// another account's group (by ARN) on its versions, with the group's policy.
func (s *Service) listModelPackagesAccess(ctx context.Context, in *ListModelPackagesInput) (*operation.Access, error) {
	if in.ModelPackageGroupName == nil {
		return &operation.Access{}, nil
	}
	ref, err := s.parseGroupRef(ctx, "modelPackageGroupName", *in.ModelPackageGroupName)
	if err != nil || ref.account == caller(ctx).Account {
		return &operation.Access{}, err
	}
	res, err := s.versionsResource(ctx, ref)
	if err != nil {
		return nil, err
	}
	return &operation.Access{Resources: []operation.Resource{res}}, nil
}

func (s *Service) listModelPackages(ctx context.Context, in *ListModelPackagesInput) (*ListModelPackagesOutput, error) {
	// Without a group, only unversioned packages unless ModelPackageType says otherwise;
	// with one, its versions.
	kind := "Unversioned"
	account, group := caller(ctx).Account, ""
	if in.ModelPackageGroupName != nil {
		ref, err := s.parseGroupRef(ctx, "modelPackageGroupName", *in.ModelPackageGroupName)
		if err != nil {
			return nil, err
		}
		account, group, kind = ref.account, ref.name, "Versioned"
	}
	if in.ModelPackageType != nil {
		kind = *in.ModelPackageType
	}
	var all []*store.ModelPackage
	err := s.store.View(ctx, func(tx txn) error {
		var err error
		all, err = tx.ListModelPackages(account, group)
		return err
	})
	if err != nil {
		return nil, err
	}
	var candidates []*store.ModelPackage
	for _, p := range all {
		if kind == "Versioned" && !p.Versioned() || kind == "Unversioned" && p.Versioned() ||
			in.ModelApprovalStatus != nil && p.ApprovalStatus != *in.ModelApprovalStatus {
			continue
		}
		candidates = append(candidates, p)
	}
	page, next, err := packageListing.list(candidates, in.query())
	if err != nil {
		return nil, err
	}
	out := &ListModelPackagesOutput{ModelPackageSummaryList: []ModelPackageSummary{}, NextToken: next}
	for _, p := range page {
		var req CreateModelPackageInput
		json.Unmarshal([]byte(p.Request), &req)
		sum := ModelPackageSummary{ModelPackageArn: p.ARN, ModelPackageDescription: deref(req.ModelPackageDescription, ""),
			CreationTime: operation.NewTimestamp(p.CreatedAt), ModelPackageStatus: p.Status, ModelApprovalStatus: p.ApprovalStatus,
			ModelLifeCycle: req.ModelLifeCycle, ModelPackageRegistrationType: req.ModelPackageRegistrationType}
		if p.Versioned() {
			sum.ModelPackageGroupName, sum.ModelPackageVersion = p.Name, p.Version
		} else {
			sum.ModelPackageName = p.Name
		}
		out.ModelPackageSummaryList = append(out.ModelPackageSummaryList, sum)
	}
	return out, nil
}

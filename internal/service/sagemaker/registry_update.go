package sagemaker

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cairnhq/cairn/internal/operation"
	sm "github.com/cairnhq/cairn/internal/sagemaker"
)

// UpdateModelPackageInput changes a versioned model package: its approval, customer
// metadata, inference specifications, source, model card and life cycle.
type UpdateModelPackageInput struct {
	ModelPackageArn                        string                                `required:"true" min:"1" max:"2048" pattern:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]{9,16}:[0-9]{12}:model-package/[\\S]{1,2048}" re:"arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]{9,16}:[0-9]{12}:model-package/[\\S]+"`
	ModelApprovalStatus                    *string                               `enum:"Approved,Rejected,PendingManualApproval"`
	ModelPackageRegistrationType           *string                               `enum:"Logged,Registered"`
	ApprovalDescription                    *string                               `max:"1024" pattern:".*"`
	CustomerMetadataProperties             map[string]string                     `min:"1" max:"50" keyMin:"1" keyMax:"128" keyPattern:"([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}" valueMin:"1" valueMax:"256" valuePattern:"([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,256}"`
	CustomerMetadataPropertiesToRemove     []string                              `memberMin:"1" memberMax:"128" memberPattern:"([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}"`
	AdditionalInferenceSpecificationsToAdd []sm.AdditionalInferenceSpecification `min:"1" max:"15"`
	InferenceSpecification                 *sm.InferenceSpecification
	SourceUri                              *string `max:"1024" pattern:"[\\p{L}\\p{M}\\p{Z}\\p{N}\\p{P}]{0,1024}" re:"[\\p{L}\\p{M}\\p{Z}\\p{N}\\p{P}]*"`
	ModelCard                              *ModelPackageModelCard
	ModelLifeCycle                         *ModelLifeCycle
	ClientToken                            *string `min:"1" max:"36" pattern:"[a-zA-Z0-9-]+"`
}

// Limits of a model package that an update must keep, as SageMaker sets them.
const (
	maxCustomerMetadataEntries  = 50
	maxAdditionalInferenceSpecs = 15
)

// UpdateModelPackageOutput names the package.
type UpdateModelPackageOutput struct {
	ModelPackageArn string
}

// Validate checks what the request's constraints cannot say.
func (in *UpdateModelPackageInput) Validate() error {
	return checkInferenceSpecifications(in.InferenceSpecification, "additionalInferenceSpecificationsToAdd", in.AdditionalInferenceSpecificationsToAdd)
}

func (s *Service) updateModelPackageAccess(ctx context.Context, in *UpdateModelPackageInput) (*operation.Access, error) {
	a, err := packageAccess(s, func(in *UpdateModelPackageInput) string { return in.ModelPackageArn })(ctx, in)
	if err != nil {
		return nil, err
	}
	if in.ModelApprovalStatus != nil {
		a.Context = approvalKeys(a.Context, *in.ModelApprovalStatus)
	}
	return a, nil
}

func (s *Service) updateModelPackage(ctx context.Context, in *UpdateModelPackageInput) (*UpdateModelPackageOutput, error) {
	var arn string
	err := s.store.Update(ctx, func(tx txn) error {
		p, err := s.findPackage(ctx, tx, "modelPackageArn", in.ModelPackageArn)
		if err != nil {
			return err
		}
		if !p.Versioned() {
			return validation("%s is an unversioned model package; UpdateModelPackage changes versioned model packages (versions of a model package group) only.", p.ARN)
		}
		var req CreateModelPackageInput
		if err := json.Unmarshal([]byte(p.Request), &req); err != nil {
			return fmt.Errorf("model package %s request: %w", p.ARN, err)
		}
		if err := in.apply(&req); err != nil {
			return err
		}
		if p.Request, err = req.record(); err != nil {
			return err
		}
		if in.ModelApprovalStatus != nil {
			p.ApprovalStatus = *in.ModelApprovalStatus
		}
		if in.ApprovalDescription != nil {
			p.ApprovalDescription = *in.ApprovalDescription
		}
		p.LastModifiedAt, p.LastModifiedBy = s.now(), caller(ctx).ARN
		arn = p.ARN
		return tx.UpdateModelPackage(p)
	})
	if err != nil {
		return nil, err
	}
	return &UpdateModelPackageOutput{ModelPackageArn: arn}, nil
}

// apply makes the update's changes to the package's request.
func (in *UpdateModelPackageInput) apply(req *CreateModelPackageInput) error {
	if len(in.CustomerMetadataProperties) > 0 || len(in.CustomerMetadataPropertiesToRemove) > 0 {
		props := map[string]string{}
		for k, v := range req.CustomerMetadataProperties {
			props[k] = v
		}
		for k, v := range in.CustomerMetadataProperties {
			props[k] = v
		}
		for _, k := range in.CustomerMetadataPropertiesToRemove {
			delete(props, k)
		}
		if len(props) > maxCustomerMetadataEntries {
			return validation("A model package can have at most %d customer metadata properties; this update would give it %d.", maxCustomerMetadataEntries, len(props))
		}
		req.CustomerMetadataProperties = props
		if len(props) == 0 {
			req.CustomerMetadataProperties = nil
		}
	}
	if n := len(req.AdditionalInferenceSpecifications) + len(in.AdditionalInferenceSpecificationsToAdd); n > maxAdditionalInferenceSpecs {
		return validation("A model package can have at most %d additional inference specifications; this update would give it %d.", maxAdditionalInferenceSpecs, n)
	}
	req.AdditionalInferenceSpecifications = append(req.AdditionalInferenceSpecifications, in.AdditionalInferenceSpecificationsToAdd...)
	if in.InferenceSpecification != nil {
		req.InferenceSpecification = in.InferenceSpecification
	}
	if in.ModelPackageRegistrationType != nil {
		req.ModelPackageRegistrationType = *in.ModelPackageRegistrationType
	}
	if in.SourceUri != nil {
		req.SourceUri = in.SourceUri
	}
	if in.ModelCard != nil {
		req.ModelCard = in.ModelCard
	}
	if in.ModelLifeCycle != nil {
		req.ModelLifeCycle = in.ModelLifeCycle
	}
	return nil
}

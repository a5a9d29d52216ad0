package sagemaker

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/store"
)

// UpdateModelPackageInput changes a versioned model package: its approval, customer
// metadata, inference specifications, source, model card and life cycle.
type UpdateModelPackageInput struct {
	ModelPackageArn                        string `required:"true"`
	ModelApprovalStatus                    *string
	ModelPackageRegistrationType           *string
	ApprovalDescription                    *string
	CustomerMetadataProperties             map[string]string
	CustomerMetadataPropertiesToRemove     []string
	AdditionalInferenceSpecificationsToAdd []json.RawMessage
	InferenceSpecification                 json.RawMessage
	SourceUri                              *string
	ModelCard                              json.RawMessage
	ModelLifeCycle                         json.RawMessage
	ClientToken                            *string
}

// UpdateModelPackageOutput names the package.
type UpdateModelPackageOutput struct {
	ModelPackageArn string
}

// Validate checks the request as SageMaker does.
func (in *UpdateModelPackageInput) Validate() error {
	if !strings.HasPrefix(in.ModelPackageArn, "arn:") || len(in.ModelPackageArn) > 2048 {
		return validation("1 validation error detected: Value '%s' at 'modelPackageArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]{9,16}:[0-9]{12}:model-package/[\\S]{1,2048}", in.ModelPackageArn)
	}
	if in.ModelApprovalStatus != nil {
		if err := checkEnum("modelApprovalStatus", *in.ModelApprovalStatus, ApprovalApproved, ApprovalRejected, ApprovalPending); err != nil {
			return err
		}
	}
	if in.ModelPackageRegistrationType != nil {
		if err := checkEnum("modelPackageRegistrationType", *in.ModelPackageRegistrationType, "Logged", "Registered"); err != nil {
			return err
		}
	}
	if d := in.ApprovalDescription; d != nil && len(*d) > maxRegistryDescription {
		return validation("1 validation error detected: Value at 'approvalDescription' failed to satisfy constraint: Member must have length less than or equal to %d", maxRegistryDescription)
	}
	if err := checkCustomerMetadata(in.CustomerMetadataProperties); err != nil {
		return err
	}
	if len(in.CustomerMetadataPropertiesToRemove) > maxCustomerMetadataEntries {
		return validation("1 validation error detected: Value at 'customerMetadataPropertiesToRemove' failed to satisfy constraint: Member must have length less than or equal to %d", maxCustomerMetadataEntries)
	}
	for member, raw := range map[string]*json.RawMessage{
		"inferenceSpecification": &in.InferenceSpecification, "modelCard": &in.ModelCard, "modelLifeCycle": &in.ModelLifeCycle,
	} {
		if err := checkObject(member, raw); err != nil {
			return err
		}
	}
	if in.InferenceSpecification != nil {
		if err := checkInferenceSpecification("inferenceSpecification", in.InferenceSpecification, false); err != nil {
			return err
		}
	}
	if in.AdditionalInferenceSpecificationsToAdd != nil && len(in.AdditionalInferenceSpecificationsToAdd) == 0 {
		return validation("1 validation error detected: Value at 'additionalInferenceSpecificationsToAdd' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if err := checkAdditionalSpecifications("additionalInferenceSpecificationsToAdd", in.AdditionalInferenceSpecificationsToAdd); err != nil {
		return err
	}
	if u := in.SourceUri; u != nil && len(*u) > maxPackageURL {
		return validation("1 validation error detected: Value at 'sourceUri' failed to satisfy constraint: Member must have length less than or equal to %d", maxPackageURL)
	}
	if in.ClientToken != nil {
		return checkClientToken(*in.ClientToken)
	}
	return nil
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
	err := s.store.Update(ctx, func(tx store.Tx) error {
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

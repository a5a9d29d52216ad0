package sagemaker

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	sm "github.com/cairnhq/cairn/internal/sagemaker"
)

// Checks of model package requests, with SageMaker's messages.

var (
	s3OrHTTPSURLPattern    = regexp.MustCompile(`^(https|s3)://([^/]+)/?(.*)$`)
	clientTokenPattern     = regexp.MustCompile(`^[a-zA-Z0-9-]+$`)
	packageEnvKeyPattern   = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	frameworkVersionFormat = regexp.MustCompile(`^[0-9]\.[A-Za-z0-9.-]+$`)
	imagePattern           = regexp.MustCompile(`^[\S]+$`)
)

// Limits of model packages, from SageMaker's API.
const (
	maxPackageContainers           = 15
	maxAdditionalInferenceSpecs    = 15
	maxPackageEnvironment          = 100
	maxPackageEnvKeyOrValue        = 1024
	maxPackageURL                  = 1024
	maxCustomerMetadataKeyLength   = 128
	maxCustomerMetadataValueLength = 256
)

func checkEnum(member, value string, allowed ...string) error {
	if value == "" {
		return nil
	}
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", value, member, strings.Join(allowed, ", "))
}

func checkClientToken(token string) error {
	if token != "" && (len(token) > 36 || !clientTokenPattern.MatchString(token)) {
		return validation("1 validation error detected: Value '%s' at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 36 and satisfy regular expression pattern: [a-zA-Z0-9-]+", token)
	}
	return nil
}

// checkObject accepts a member kept as given when it is a JSON object; null is absent.
func checkObject(member string, raw *json.RawMessage) error {
	text := bytes.TrimSpace(*raw)
	switch {
	case len(text) == 0 || string(text) == "null":
		*raw = nil
	case text[0] != '{':
		return validation("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must be a structure", member)
	}
	return nil
}

// decodeMember reads a member kept as given into the shape Cairn checks.
func decodeMember(member string, raw json.RawMessage, v any) error {
	err := json.Unmarshal(raw, v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		at := member
		if te.Field != "" {
			at += "." + lowerFirstMember(te.Field)
		}
		return validation("1 validation error detected: Value %s at '%s' failed to satisfy constraint: Member must be %s", te.Value, at, jsonKind(te.Type))
	default:
		return validation("1 validation error detected: Value at '%s' is not valid: %v", member, err)
	}
}

// lowerFirstMember spells a dotted member path as AWS's messages do: each part with a
// lowercase first letter.
func lowerFirstMember(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToLower(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, ".")
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Map, reflect.Struct:
		return "a structure"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Bool:
		return "a boolean"
	}
	return "a number"
}

func checkInferenceSpecification(member string, raw json.RawMessage, named bool) error {
	var spec sm.InferenceSpecification
	if err := decodeMember(member, raw, &spec); err != nil {
		return err
	}
	if named && (spec.Name == "" || len(spec.Name) > 63 || !entityNamePattern.MatchString(spec.Name)) {
		return validation("1 validation error detected: Value '%s' at '%s.name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", spec.Name, member)
	}
	if len(spec.Containers) == 0 {
		return validation("1 validation error detected: Value null at '%s.containers' failed to satisfy constraint: Member must not be null", member)
	}
	if len(spec.Containers) > maxPackageContainers {
		return validation("1 validation error detected: Value at '%s.containers' failed to satisfy constraint: Member must have length less than or equal to %d", member, maxPackageContainers)
	}
	for i, c := range spec.Containers {
		if err := checkPackageContainer(&c, member+".containers."+strconv.Itoa(i+1)+".member"); err != nil {
			return err
		}
	}
	for _, list := range []struct {
		name  string
		items []string
	}{
		{"supportedTransformInstanceTypes", spec.SupportedTransformInstanceTypes},
		{"supportedRealtimeInferenceInstanceTypes", spec.SupportedRealtimeInferenceInstanceTypes},
		{"supportedContentTypes", spec.SupportedContentTypes},
		{"supportedResponseMIMETypes", spec.SupportedResponseMIMETypes},
	} {
		if len(list.items) > 100 {
			return validation("1 validation error detected: Value at '%s.%s' failed to satisfy constraint: Member must have length less than or equal to 100", member, list.name)
		}
		for _, item := range list.items {
			if len(item) > 1024 || strings.HasSuffix(list.name, "InstanceTypes") && !strings.HasPrefix(item, "ml.") {
				return validation("1 validation error detected: Value '%s' at '%s.%s' failed to satisfy constraint: Member must be a SageMaker instance type (ml.*) of at most 1024 characters", item, member, list.name)
			}
		}
	}
	return nil
}

// checkPackageContainer checks a container of an InferenceSpecification given at member.
func checkPackageContainer(c *sm.ModelPackageContainerDefinition, member string) error {
	if c.Image == "" {
		return validation("1 validation error detected: Value null at '%s.image' failed to satisfy constraint: Member must not be null", member)
	}
	if len(c.Image) > 255 || !imagePattern.MatchString(c.Image) {
		return validation("1 validation error detected: Value '%s' at '%s.image' failed to satisfy constraint: Member must have length less than or equal to 255 and satisfy regular expression pattern: [\\S]+", c.Image, member)
	}
	if c.ContainerHostname != "" && !entityNamePattern.MatchString(c.ContainerHostname) {
		return validation("1 validation error detected: Value '%s' at '%s.containerHostname' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", c.ContainerHostname, member)
	}
	if c.ModelDataUrl != "" && (len(c.ModelDataUrl) > maxPackageURL || !s3OrHTTPSURLPattern.MatchString(c.ModelDataUrl)) {
		return validation("1 validation error detected: Value '%s' at '%s.modelDataUrl' failed to satisfy constraint: Member must satisfy regular expression pattern: (https|s3)://([^/]+)/?(.*)", c.ModelDataUrl, member)
	}
	if c.ModelDataUrl != "" && len(bytes.TrimSpace(c.ModelDataSource)) > 0 && string(bytes.TrimSpace(c.ModelDataSource)) != "null" {
		return validation("Specify either ModelDataUrl or ModelDataSource in %s, not both.", member)
	}
	if c.FrameworkVersion != "" && (len(c.FrameworkVersion) < 3 || len(c.FrameworkVersion) > 10 || !frameworkVersionFormat.MatchString(c.FrameworkVersion)) {
		return validation("1 validation error detected: Value '%s' at '%s.frameworkVersion' failed to satisfy constraint: Member must have length between 3 and 10 and satisfy regular expression pattern: [0-9]\\.[A-Za-z0-9.-]+", c.FrameworkVersion, member)
	}
	if len(c.Environment) > maxPackageEnvironment {
		return validation("1 validation error detected: Value at '%s.environment' failed to satisfy constraint: Member must have length less than or equal to %d", member, maxPackageEnvironment)
	}
	for k, v := range c.Environment {
		if len(k) > maxPackageEnvKeyOrValue || !packageEnvKeyPattern.MatchString(k) {
			return validation("1 validation error detected: Value '%s' at '%s.environment' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_]*]", k, member)
		}
		if len(v) > maxPackageEnvKeyOrValue {
			return validation("1 validation error detected: Value at '%s.environment' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 1024]", member)
		}
	}
	return nil
}

func checkAdditionalSpecifications(member string, specs []json.RawMessage) error {
	if len(specs) > maxAdditionalInferenceSpecs {
		return validation("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", member, maxAdditionalInferenceSpecs)
	}
	for i, raw := range specs {
		m := member + "." + strconv.Itoa(i+1) + ".member"
		if err := checkObject(m, &raw); err != nil {
			return err
		}
		if raw == nil {
			return validation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", m)
		}
		if err := checkInferenceSpecification(m, raw, true); err != nil {
			return err
		}
	}
	return nil
}

func checkCustomerMetadata(props map[string]string) error {
	if props == nil {
		return nil
	}
	if len(props) < 1 || len(props) > maxCustomerMetadataEntries {
		return validation("1 validation error detected: Value at 'customerMetadataProperties' failed to satisfy constraint: Member must have length between 1 and %d", maxCustomerMetadataEntries)
	}
	for k, v := range props {
		if len(k) < 1 || len(k) > maxCustomerMetadataKeyLength || !tagPattern.MatchString(k) {
			return validation("1 validation error detected: Value '%s' at 'customerMetadataProperties' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length between 1 and 128, Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}]", k)
		}
		if len(v) < 1 || len(v) > maxCustomerMetadataValueLength || !tagPattern.MatchString(v) {
			return validation("1 validation error detected: Value '%s' at 'customerMetadataProperties' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length between 1 and 256, Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,256}]", v)
		}
	}
	return nil
}

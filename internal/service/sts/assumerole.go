package sts

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/policy"
	"github.com/cairnhq/cairn/internal/store"
)

// AssumeRoleInput asks for temporary credentials of a role.
type AssumeRoleInput struct {
	RoleArn         string  `required:"true" min:"20" max:"2048" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+"`
	RoleSessionName string  `required:"true" min:"2" max:"64" pattern:"[\\w+=,.@-]*"`
	DurationSeconds *int    `min:"900" max:"43200"`
	Policy          *string `min:"1" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"`
	// PolicyArns has no maximum in the model; 10 is STS's documented quota.
	PolicyArns        []PolicyDescriptor `max:"10"`
	Tags              []Tag              `max:"50"`
	TransitiveTagKeys []string           `max:"50" memberMin:"1" memberMax:"128" memberPattern:"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"`
	ExternalId        *string            `min:"2" max:"1224" pattern:"[\\w+=,.@:\\/-]*"`
	SourceIdentity    *string            `min:"2" max:"64" pattern:"[\\w+=,.@-]*"`
	SerialNumber      *string            `min:"9" max:"256" pattern:"[\\w+=/:,.@-]*"`
	TokenCode         *string            `min:"6" max:"6" pattern:"[\\d]*"`
}

// PolicyDescriptor names a managed policy.
type PolicyDescriptor struct {
	Arn string `query:"arn" min:"20" max:"2048" pattern:"[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+"`
}

// Tag is a session tag.
type Tag struct {
	Key   string `required:"true" min:"1" max:"128" pattern:"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"`
	Value string `required:"true" max:"256" pattern:"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*"`
}

// AssumeRoleOutput holds the session's credentials.
type AssumeRoleOutput struct {
	Credentials      Credentials
	AssumedRoleUser  AssumedRoleUser
	PackedPolicySize int
	SourceIdentity   string `xml:",omitempty"`
}

// Credentials are temporary credentials.
type Credentials struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// AssumedRoleUser names the session.
type AssumedRoleUser struct {
	AssumedRoleId string
	Arn           string
}

// Limits of AssumeRole.
const (
	chainedMaxSeconds = 3600
	maxPolicyChars    = 2048
)

func validation(format string, args ...any) error {
	return operation.Errorf(http.StatusBadRequest, "ValidationError", format, args...)
}

// Validate checks what the input's declared constraints cannot say, before
// authorization: that the ARNs name a role and policies, that tag keys are unique and
// name the transitive ones, and the session policy.
func (in *AssumeRoleInput) Validate() error {
	if a, err := arn.Parse(in.RoleArn); err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") || !arn.IsAccountID(a.Account) {
		return validation("%s is invalid", in.RoleArn)
	}
	seen := map[string]bool{}
	for _, t := range in.Tags {
		lower := strings.ToLower(t.Key)
		if seen[lower] {
			return operation.Errorf(http.StatusBadRequest, "InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[lower] = true
	}
	for _, k := range in.TransitiveTagKeys {
		if !seen[strings.ToLower(k)] {
			return operation.Errorf(http.StatusBadRequest, "InvalidParameterValue", "The transitive tag key %q is not one of the session tags.", k)
		}
	}
	if in.Policy != nil {
		if len(*in.Policy) > maxPolicyChars {
			return operation.Errorf(http.StatusBadRequest, "PackedPolicyTooLarge", "Packed policy consumes more than 100%% of the allotted space: the session policy has %d characters; at most %d are allowed.", len(*in.Policy), maxPolicyChars)
		}
		if _, err := policy.ParseWithOptions([]byte(*in.Policy), policy.Options{Type: policy.SessionPolicy}); err != nil {
			return operation.Errorf(http.StatusBadRequest, "MalformedPolicyDocument", "%s", err.Error())
		}
	}
	for _, p := range in.PolicyArns {
		if a, err := arn.Parse(p.Arn); err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "policy/") {
			return validation("%s is invalid", p.Arn)
		}
	}
	return nil
}

// noTrust is the trust policy of a role that does not exist: it allows only a service
// principal no request carries.
const noTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"nobody.cairn.invalid"},"Action":"sts:AssumeRole"}]}`

// roleOf reads the role an ARN names; nil when it does not exist.
func (s *Service) roleOf(ctx context.Context, roleARN string) (*store.Role, error) {
	a, _ := arn.Parse(roleARN)
	name := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
	var role *store.Role
	err := s.store.View(ctx, func(tx txn) error {
		r, err := tx.Role(a.Account, name)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if roleARNOf(r) != roleARN && arn.Role(r.AccountID, "/", r.Name) != roleARN {
			return nil // same name, other path: not the role asked for
		}
		role = r
		return nil
	})
	return role, err
}

func roleARNOf(r *store.Role) string {
	return arn.Role(r.AccountID, r.Path, r.Name)
}

// assumeRoleAccess asks for sts:AssumeRole on the role, judged against the role's trust
// policy, plus sts:TagSession and sts:SetSourceIdentity when the request uses them.
func (s *Service) assumeRoleAccess(ctx context.Context, in *AssumeRoleInput) (*operation.Access, error) {
	role, err := s.roleOf(ctx, in.RoleArn)
	if err != nil {
		return nil, err
	}
	res := operation.Resource{ARN: in.RoleArn, Account: arn.Account(in.RoleArn), PolicyType: operation.TrustPolicy}
	if role != nil {
		res.Policy = []byte(role.AssumeRolePolicyDocument)
		res.Tags = tagMap(role.Tags)
	} else {
		// A role that does not exist trusts nobody — and is refused in the words of a role
		// whose trust policy does not name the caller ("no resource-based policy allows"),
		// never of an explicit deny, so that the answer does not tell whether it exists.
		res.Policy = []byte(noTrust)
	}
	keys := map[string][]string{"sts:RoleSessionName": {in.RoleSessionName}}
	if in.ExternalId != nil {
		keys["sts:ExternalId"] = []string{*in.ExternalId}
	}
	if in.SourceIdentity != nil {
		keys["sts:SourceIdentity"] = []string{*in.SourceIdentity}
	}
	if len(in.Tags) > 0 {
		tagKeys := make([]string, 0, len(in.Tags))
		for _, t := range in.Tags {
			keys["aws:RequestTag/"+t.Key] = []string{t.Value}
			tagKeys = append(tagKeys, t.Key)
		}
		keys["aws:TagKeys"] = tagKeys
		keys["sts:TransitiveTagKeys"] = in.TransitiveTagKeys
	}
	access := &operation.Access{Action: "sts:AssumeRole", Resources: []operation.Resource{res}, Context: keys}
	if len(in.Tags) > 0 {
		access.Implied = append(access.Implied, operation.Access{Action: "sts:TagSession", Resources: []operation.Resource{res}, Context: keys})
	}
	if in.SourceIdentity != nil {
		access.Implied = append(access.Implied, operation.Access{Action: "sts:SetSourceIdentity", Resources: []operation.Resource{res}, Context: keys})
	}
	return access, nil
}

func (s *Service) assumeRole(ctx context.Context, in *AssumeRoleInput) (*AssumeRoleOutput, error) {
	caller := auth.PrincipalFrom(ctx)
	role, err := s.roleOf(ctx, in.RoleArn)
	if err != nil {
		return nil, err
	}
	if role == nil {
		// Authorization already denies a missing role; this guards direct callers.
		return nil, operation.Errorf(http.StatusForbidden, "AccessDenied",
			"User: %s is not authorized to perform: sts:AssumeRole on resource: %s", caller.ARN, in.RoleArn)
	}
	duration := 3600
	if in.DurationSeconds != nil {
		duration = *in.DurationSeconds
	}
	chained := caller.Kind == auth.AssumedRole
	switch {
	case chained && duration > chainedMaxSeconds:
		return nil, validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	case duration > role.MaxSessionDuration:
		return nil, validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}

	// Session tags: the caller's transitive tags carry over and cannot be overridden.
	tags := make([]store.Tag, 0, len(in.Tags))
	transitive := append([]string(nil), in.TransitiveTagKeys...)
	inherited := map[string]bool{}
	if chained {
		for _, k := range caller.TransitiveTagKeys {
			if v, ok := caller.Tags[k]; ok {
				tags = append(tags, store.Tag{Key: k, Value: v})
				transitive = append(transitive, k)
				inherited[strings.ToLower(k)] = true
			}
		}
	}
	for _, t := range in.Tags {
		if inherited[strings.ToLower(t.Key)] {
			return nil, operation.Errorf(http.StatusBadRequest, "InvalidParameterValue",
				"One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session: %s", t.Key)
		}
		tags = append(tags, store.Tag{Key: t.Key, Value: t.Value})
	}
	sourceIdentity := caller.SourceIdentity
	if in.SourceIdentity != nil {
		if sourceIdentity != "" && sourceIdentity != *in.SourceIdentity {
			return nil, operation.Errorf(http.StatusBadRequest, "InvalidParameterValue",
				"The source identity of a role chain cannot be changed (it is %s).", sourceIdentity)
		}
		sourceIdentity = *in.SourceIdentity
	}

	keys, err := s.newKeys()
	if err != nil {
		return nil, err
	}
	keyID, secret, token := keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken
	hash := sha256.Sum256([]byte(token))
	now := s.now().UTC()
	session := &store.Session{
		AccessKeyID: keyID, Secret: secret, TokenHash: hash[:],
		AccountID: role.AccountID, RoleName: role.Name, RoleARN: roleARNOf(role), RoleID: role.ID,
		SessionName: in.RoleSessionName, Tags: tags, TransitiveTagKeys: transitive,
		SourceIdentity: sourceIdentity, Chained: chained, CallerARN: caller.ARN,
		CreatedAt: now, ExpiresAt: now.Add(time.Duration(duration) * time.Second),
	}
	if in.Policy != nil {
		session.Policy = *in.Policy
	}
	for _, p := range in.PolicyArns {
		session.PolicyARNs = append(session.PolicyARNs, p.Arn)
	}
	err = s.store.Update(ctx, func(tx txn) error {
		if _, err := tx.DeleteExpiredSessions(now); err != nil {
			return err
		}
		return tx.CreateSession(session)
	})
	if err != nil {
		return nil, err
	}
	p := auth.SessionPrincipal(session)
	return &AssumeRoleOutput{
		Credentials:      Credentials{AccessKeyId: keyID, SecretAccessKey: secret, SessionToken: token, Expiration: session.ExpiresAt.Truncate(time.Second)},
		AssumedRoleUser:  AssumedRoleUser{AssumedRoleId: p.UserID, Arn: p.ARN},
		PackedPolicySize: packedPolicySize(in),
		SourceIdentity:   sourceIdentity,
	}, nil
}

// newKeys draws a session's access key ID, secret and token (Expiration left unset).
func (s *Service) newKeys() (Credentials, error) {
	keyID, err := auth.NewAccessKeyID(s.random, "ASIA")
	if err != nil {
		return Credentials{}, err
	}
	secret, err := auth.NewSecretAccessKey(s.random)
	if err != nil {
		return Credentials{}, err
	}
	raw := make([]byte, 96)
	if _, err := io.ReadFull(s.random, raw); err != nil {
		return Credentials{}, fmt.Errorf("session token: %w", err)
	}
	return Credentials{AccessKeyId: keyID, SecretAccessKey: secret, SessionToken: base64.StdEncoding.EncodeToString(raw)}, nil
}

// packedPolicySize reports, as a percentage, how much of the allowed space the session
// policies and tags use.
func packedPolicySize(in *AssumeRoleInput) int {
	n := 0
	if in.Policy != nil {
		n += len(*in.Policy)
	}
	for _, p := range in.PolicyArns {
		n += len(p.Arn)
	}
	for _, t := range in.Tags {
		n += len(t.Key) + len(t.Value)
	}
	return n * 100 / (maxPolicyChars * 2)
}

func tagMap(tags []store.Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// Package authz decides whether a principal may perform an operation's access. It gathers
// every policy that applies to the request — the principal's identity policies, permissions
// boundary and session policies, the SCPs and RCPs of the organization, the resource's own
// policy — builds the request's condition keys, and asks package policy to decide.
package authz

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/policy"
	"github.com/cairnhq/cairn/internal/store"
)

// Options configures an Authorizer.
type Options struct {
	Store  store.Store
	Now    func() time.Time
	Region string
}

// Authorizer implements operation.Authorizer with the IAM evaluation logic.
type Authorizer struct {
	store  store.Store
	now    func() time.Time
	region string

	mu         sync.Mutex
	principals map[string]*principalPolicies // by principal cache key
	rcps       map[string]*chain             // by resource account
	parsed     map[parsedKey]*policy.Policy  // documents already parsed
}

var _ operation.Authorizer = (*Authorizer)(nil)

// New returns an Authorizer that reads policies from o.Store and forgets what it cached
// whenever a committed change touches identities or policies.
//
// It caches what it reads itself: each principal's identity policies, boundary and
// session policies, and each account's RCPs. A resource's own policy (a bucket policy, a
// trust policy, the policy RAM attaches to a shared resource) comes with each request in
// operation.Resource.Policy, read by the service in that request, and is not cached; so
// RAM's changes (ChangeRAMShare, ChangeResourcePolicy, …) and S3's ChangeBucket reset
// nothing here. Parsed documents are cached by their text, which a change cannot make
// stale.
func New(o Options) *Authorizer {
	a := &Authorizer{store: o.Store, now: o.Now, region: o.Region}
	a.reset()
	o.Store.Subscribe(func(changes []store.Change) {
		for _, c := range changes {
			switch c.Kind {
			case store.ChangeUser, store.ChangeRole, store.ChangeGroup, store.ChangePolicy, store.ChangeOrgPolicy, store.ChangeAccount, store.ChangeOrganization:
				a.mu.Lock()
				a.reset()
				a.mu.Unlock()
				return
			}
		}
	})
	return a
}

// reset empties the caches; callers hold mu (or own a).
func (a *Authorizer) reset() {
	a.principals = map[string]*principalPolicies{}
	a.rcps = map[string]*chain{}
	if len(a.parsed) > maxParsed || a.parsed == nil {
		a.parsed = map[parsedKey]*policy.Policy{}
	}
}

// maxParsed bounds the parsed-document cache.
const maxParsed = 10_000

// Authorize implements operation.Authorizer: every resource of access, every role it passes
// and every action it implies must be allowed.
func (a *Authorizer) Authorize(ctx context.Context, svc *operation.Service, access *operation.Access) error {
	p := auth.PrincipalFrom(ctx)
	if p == nil {
		return svc.AccessDenied("Access denied: the request is not authenticated.")
	}
	pp, err := a.principalPolicies(ctx, p)
	if err != nil {
		return fmt.Errorf("authorize %s: %w", access.Action, err)
	}
	base := a.requestContext(ctx, p, pp)
	for _, r := range access.Resources {
		if err := a.decide(ctx, svc, p, pp, base, access.Action, r, access.Context); err != nil {
			return err
		}
	}
	for _, role := range access.PassRoles {
		if err := a.authorizePassRole(ctx, svc, p, pp, base, role, access); err != nil {
			return err
		}
	}
	for i := range access.Implied {
		if err := a.Authorize(ctx, svc, &access.Implied[i]); err != nil {
			return err
		}
	}
	return nil
}

// decide evaluates one action on one resource.
func (a *Authorizer) decide(ctx context.Context, svc *operation.Service, p *auth.Principal, pp *principalPolicies,
	base *policy.Context, action string, r operation.Resource, extra map[string][]string) error {
	req := policy.Request{Principal: pp.principal, Action: action, Resource: r.ARN, ResourceAccount: r.Account}
	if req.ResourceAccount == "" && r.ARN != "*" && r.ARN != "" {
		req.ResourceAccount = arn.Account(r.ARN)
	}
	undo := withResource(base, req.ResourceAccount, r.Tags, extra)
	defer undo()
	req.Context = base
	in := pp.inputs
	if r.Policy != nil {
		typ := policy.ResourceBased
		if r.PolicyType == operation.TrustPolicy {
			typ = policy.TrustPolicy
		}
		doc, err := a.parse(r.Policy, typ)
		if err != nil {
			return fmt.Errorf("resource policy of %s: %w", r.ARN, err)
		}
		in.Resource = &policy.NamedPolicy{ID: r.ARN, Policy: doc}
	}
	if req.ResourceAccount != "" && rcpServices[svc.Name] {
		rcps, err := a.resourceControlPolicies(ctx, req.ResourceAccount)
		if err != nil {
			return err
		}
		in.RCPs = rcps.levels
	}
	in.ResourceRequired = r.PolicyType == operation.TrustPolicy || r.PolicyType == operation.KeyPolicy
	d := policy.Evaluate(&req, &in)
	if d.Allowed {
		return nil
	}
	resource := r.ARN
	if resource == "" {
		resource = "*"
	}
	deciding := d.PolicyType
	if deciding == 0 {
		deciding = policy.IdentityBased // what failed to allow, as the message says
	}
	denied := svc.AccessDenied(d.Message(action, resource, p.ARN))
	denied.Denial = &operation.Denial{Principal: p.ARN, Action: action, Resource: resource,
		Decision: d.Kind.String(), PolicyType: deciding.String()}
	if m := d.Matched(); d.Kind == policy.ExplicitlyDenied && len(m) > 0 {
		denied.Denial.PolicyID, denied.Denial.Statement = m[0].PolicyID, "#"+strconv.Itoa(m[0].Index+1)
		if m[0].Statement != nil && m[0].Statement.Sid != "" {
			denied.Denial.Statement = m[0].Statement.Sid
		}
	}
	return denied
}

// authorizePassRole checks iam:PassRole for a role handed to the service: the role must be
// in the caller's account and the caller's policies must allow passing it to this service.
func (a *Authorizer) authorizePassRole(ctx context.Context, svc *operation.Service, p *auth.Principal, pp *principalPolicies,
	base *policy.Context, role string, access *operation.Access) error {
	service := svc.Name + ".amazonaws.com"
	parsed, err := arn.Parse(role)
	if err != nil || parsed.Service != "iam" || len(parsed.Resource) < 6 || parsed.Resource[:5] != "role/" {
		return operation.Errorf(400, svc.ValidationCode, "%q is not a role ARN.", role)
	}
	if parsed.Account != p.Account && p.Kind != auth.Service {
		return svc.AccessDenied(fmt.Sprintf("User: %s is not authorized to perform: iam:PassRole on resource: %s because a role can be passed only to a service in the role's own account", p.ARN, role))
	}
	extra := map[string][]string{"iam:PassedToService": {service}}
	if len(access.Resources) > 0 && access.Resources[0].ARN != "*" {
		extra["iam:AssociatedResourceArn"] = []string{access.Resources[0].ARN}
	}
	iamSvc := svc.For("iam")
	return a.decide(ctx, iamSvc, p, pp, base, "iam:PassRole", operation.Resource{ARN: role, Account: parsed.Account}, extra)
}

// rcpServices are the services whose resources resource control policies govern.
var rcpServices = map[string]bool{"s3": true, "sts": true, "kms": true, "sqs": true, "secretsmanager": true}

type parsedKey struct {
	doc string
	typ policy.PolicyType
}

// parse returns the parsed policy for doc, parsing each distinct document once.
func (a *Authorizer) parse(doc []byte, typ policy.PolicyType) (*policy.Policy, error) {
	key := parsedKey{string(doc), typ}
	a.mu.Lock()
	p := a.parsed[key]
	a.mu.Unlock()
	if p != nil {
		return p, nil
	}
	p, err := policy.ParseWithOptions(doc, policy.Options{Type: typ})
	if err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("stored policy is malformed: %w", err)
		}
		return nil, err
	}
	a.mu.Lock()
	if len(a.parsed) >= maxParsed {
		a.parsed = map[parsedKey]*policy.Policy{}
	}
	a.parsed[key] = p
	a.mu.Unlock()
	return p, nil
}

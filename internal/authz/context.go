package authz

import (
	"context"
	"strconv"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/policy"
)

// principalContext builds the condition keys that follow from the principal alone; they
// are kept with its cached policies.
func principalContext(p *auth.Principal, pp *principalPolicies) *policy.Context {
	c := policy.NewContext(nil)
	c.AddPrincipalKeys(pp.principal)
	if p.UserID != "" && p.Kind != auth.Service {
		c.Set("aws:userid", p.UserID)
	}
	for k, v := range p.Tags {
		c.Set("aws:PrincipalTag/"+k, v)
	}
	if pp.orgID != "" {
		c.Set("aws:PrincipalOrgID", pp.orgID)
		c.SetMulti("aws:PrincipalOrgPaths", pp.orgPath)
	}
	if p.SourceIdentity != "" {
		c.Set("aws:SourceIdentity", p.SourceIdentity)
	}
	if !p.Expires.IsZero() {
		c.Set("aws:MultiFactorAuthPresent", "false")
	}
	return c
}

// requestContext returns the condition keys of a request that do not depend on the
// resource: the principal's, and the request's own.
func (a *Authorizer) requestContext(ctx context.Context, p *auth.Principal, pp *principalPolicies) *policy.Context {
	c := pp.keys.Overlay() // pp.keys stays as principalContext made it
	if len(p.CalledVia) > 0 {
		c.SetMulti("aws:CalledVia", p.CalledVia...)
		c.Set("aws:CalledViaFirst", p.CalledVia[0])
		c.Set("aws:CalledViaLast", p.CalledVia[len(p.CalledVia)-1])
		c.Set("aws:ViaAWSService", "true")
	} else {
		c.Set("aws:ViaAWSService", "false")
	}
	now := a.now()
	if info := operation.RequestInfoFrom(ctx); info != nil {
		if info.SourceIP != "" && len(p.CalledVia) == 0 {
			c.Set("aws:SourceIp", info.SourceIP)
		}
		c.Set("aws:SecureTransport", strconv.FormatBool(info.Secure))
		if info.UserAgent != "" {
			c.Set("aws:UserAgent", info.UserAgent)
		}
		if !info.Received.IsZero() {
			now = info.Received
		}
	}
	c.Set("aws:RequestedRegion", a.region)
	c.Set("aws:CurrentTime", now.UTC().Format(time.RFC3339))
	c.Set("aws:EpochTime", strconv.FormatInt(now.Unix(), 10))
	return c
}

// withResource adds the keys of one resource and the operation's own keys to c, and
// returns a function that takes them out again, so one Context serves every resource of
// a request without a copy each.
func withResource(c *policy.Context, account string, tags map[string]string, extra map[string][]string) (undo func()) {
	var added []string
	var saved []savedKey
	set := func(key string, multi bool, vs ...string) {
		if old, ok := c.Lookup(key); ok {
			saved = append(saved, savedKey{key, old})
		} else {
			added = append(added, key)
		}
		if multi {
			c.SetMulti(key, vs...)
		} else {
			c.Set(key, vs[0])
		}
	}
	if account != "" {
		set("aws:ResourceAccount", false, account)
	}
	for k, v := range tags {
		set("aws:ResourceTag/"+k, false, v)
	}
	for k, vs := range extra {
		if multi := isMultiValued(k); multi || len(vs) > 0 {
			set(k, multi, vs...)
		}
	}
	return func() {
		for _, k := range added {
			c.Delete(k)
		}
		for _, s := range saved {
			if s.value.IsMulti() {
				c.SetMulti(s.key, s.value.Strings()...)
			} else {
				c.Set(s.key, s.value.At(0))
			}
		}
	}
}

type savedKey struct {
	key   string
	value policy.Value
}

// isMultiValued reports whether a condition key carries a list.
func isMultiValued(key string) bool {
	switch key {
	case "aws:TagKeys", "aws:CalledVia", "aws:PrincipalOrgPaths", "sts:TransitiveTagKeys",
		"kms:EncryptionContextKeys", "kms:GrantOperations":
		return true
	}
	return false
}

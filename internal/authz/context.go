package authz

import (
	"context"
	"strconv"
	"time"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/policy"
)

// requestContext builds the global condition keys of a request that do not depend on the
// resource.
func (a *Authorizer) requestContext(ctx context.Context, p *auth.Principal, pp *principalPolicies) *policy.Context {
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
	if len(p.CalledVia) > 0 {
		c.SetMulti("aws:CalledVia", p.CalledVia...)
		c.Set("aws:CalledViaFirst", p.CalledVia[0])
		c.Set("aws:CalledViaLast", p.CalledVia[len(p.CalledVia)-1])
		c.Set("aws:ViaAWSService", "true")
	} else {
		c.Set("aws:ViaAWSService", "false")
	}
	now := a.now()
	if info := awsproto.RequestInfoFrom(ctx); info != nil {
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
	if !p.Expires.IsZero() {
		c.Set("aws:MultiFactorAuthPresent", "false")
	}
	return c
}

// resourceContext adds the keys of one resource and the operation's own keys to base.
func resourceContext(base *policy.Context, account string, tags map[string]string, extra map[string][]string) *policy.Context {
	if account == "" && len(tags) == 0 && len(extra) == 0 {
		return base
	}
	c := base.Clone()
	if account != "" {
		c.Set("aws:ResourceAccount", account)
	}
	for k, v := range tags {
		c.Set("aws:ResourceTag/"+k, v)
	}
	for k, vs := range extra {
		if isMultiValued(k) {
			c.SetMulti(k, vs...)
		} else if len(vs) > 0 {
			c.Set(k, vs[0])
		}
	}
	return c
}

// isMultiValued reports whether a condition key carries a list.
func isMultiValued(key string) bool {
	switch key {
	case "aws:TagKeys", "aws:CalledVia", "aws:PrincipalOrgPaths", "sts:TransitiveTagKeys":
		return true
	}
	return false
}

package console

import (
	"net/http"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
)

type share struct {
	ResourceShareArn string
	Name             string
	OwningAccountId  string
	Status           string
	CreationTime     *operation.Timestamp
	Principals       []string
	Resources        []string
	Permissions      []string
}

type invitation struct {
	ResourceShareInvitationArn string
	ResourceShareName          string
	ResourceShareArn           string
	SenderAccountId            string
	Status                     string
	InvitationTimestamp        *operation.Timestamp
}

type sharingView struct {
	Owned, Received []share
	Invitations     []invitation
	OwnedError      string
	ReceivedError   string
	InvitationError string
	// Each list pages on its own, its token in the URL (otoken, rtoken, itoken): the
	// addresses of the next page of each, and of the first when the page is not it.
	OwnedNext, ReceivedNext, InvitationsNext    string
	OwnedFirst, ReceivedFirst, InvitationsFirst string
}

// sharingPage is how many shares or invitations a list of the sharing page shows; each
// share costs three more reads (its principals, resources and permissions).
const sharingPage = 20

// sharing shows the account's resource shares, those it received, and its invitations.
func (c *Console) sharing(w http.ResponseWriter, r *http.Request, s *session) error {
	var v sharingView
	q := r.URL.Query()
	tokens := map[string]string{"otoken": q.Get("otoken"), "rtoken": q.Get("rtoken"), "itoken": q.Get("itoken")}
	// link is this page with one list's token replaced.
	link := func(name, token string) string {
		kv := []string{}
		for _, k := range []string{"otoken", "rtoken", "itoken"} {
			value := tokens[k]
			if k == name {
				value = token
			}
			kv = append(kv, k, value)
		}
		return Prefix + "sharing?" + queryString(kv...)
	}
	var err error
	var next string
	if v.Owned, next, err = c.shares(r, s, "SELF", tokens["otoken"]); err != nil {
		if v.OwnedError, err = awsMessage(err); err != nil {
			return err
		}
	}
	if next != "" {
		v.OwnedNext = link("otoken", next)
	}
	if v.Received, next, err = c.shares(r, s, "OTHER-ACCOUNTS", tokens["rtoken"]); err != nil {
		if v.ReceivedError, err = awsMessage(err); err != nil {
			return err
		}
	}
	if next != "" {
		v.ReceivedNext = link("rtoken", next)
	}
	in := map[string]any{"maxResults": sharingPage}
	if tokens["itoken"] != "" {
		in["nextToken"] = tokens["itoken"]
	}
	var inv struct {
		ResourceShareInvitations []invitation
		NextToken                string
	}
	if err := c.call(r.Context(), r, s, "ram", "GetResourceShareInvitations", in, &inv); err != nil {
		if v.InvitationError, err = awsMessage(err); err != nil {
			return err
		}
	}
	v.Invitations = inv.ResourceShareInvitations
	if inv.NextToken != "" {
		v.InvitationsNext = link("itoken", inv.NextToken)
	}
	if tokens["otoken"] != "" {
		v.OwnedFirst = link("otoken", "")
	}
	if tokens["rtoken"] != "" {
		v.ReceivedFirst = link("rtoken", "")
	}
	if tokens["itoken"] != "" {
		v.InvitationsFirst = link("itoken", "")
	}
	c.render(w, http.StatusOK, "sharing", s, v)
	return nil
}

// shares reads a page of shares with their principals, resources and permissions, and the
// token of the next page.
func (c *Console) shares(r *http.Request, s *session, owner, token string) ([]share, string, error) {
	var out struct {
		ResourceShares []share
		NextToken      string
	}
	in := map[string]any{"resourceOwner": owner, "maxResults": sharingPage}
	if token != "" {
		in["nextToken"] = token
	}
	if err := c.call(r.Context(), r, s, "ram", "GetResourceShares", in, &out); err != nil {
		return nil, "", err
	}
	for i := range out.ResourceShares {
		sh := &out.ResourceShares[i]
		if sh.Status == "DELETED" {
			continue
		}
		for _, kind := range []string{"PRINCIPAL", "RESOURCE"} {
			var assoc struct {
				ResourceShareAssociations []struct{ AssociatedEntity, Status string }
			}
			err := c.call(r.Context(), r, s, "ram", "GetResourceShareAssociations",
				map[string]any{"associationType": kind, "resourceShareArns": []string{sh.ResourceShareArn}, "maxResults": 100}, &assoc)
			if err != nil {
				continue // what the caller may not read is left out
			}
			for _, a := range assoc.ResourceShareAssociations {
				entry := a.AssociatedEntity + " (" + strings.ToLower(a.Status) + ")"
				if kind == "PRINCIPAL" {
					sh.Principals = append(sh.Principals, entry)
				} else {
					sh.Resources = append(sh.Resources, entry)
				}
			}
		}
		var perms struct {
			Permissions []struct{ Name, Arn string }
		}
		if err := c.call(r.Context(), r, s, "ram", "ListResourceSharePermissions",
			map[string]any{"resourceShareArn": sh.ResourceShareArn}, &perms); err == nil {
			for _, p := range perms.Permissions {
				sh.Permissions = append(sh.Permissions, p.Name)
			}
		}
	}
	return out.ResourceShares, out.NextToken, nil
}

// invitation accepts or rejects a resource share invitation.
func (c *Console) invitation(w http.ResponseWriter, r *http.Request, s *session) error {
	op := "RejectResourceShareInvitation"
	if r.PostFormValue("decision") == "accept" {
		op = "AcceptResourceShareInvitation"
	}
	in := map[string]any{"resourceShareInvitationArn": r.PostFormValue("arn"), "clientToken": clientToken()}
	if err := c.call(r.Context(), r, s, "ram", op, in, nil); err != nil {
		return err
	}
	http.Redirect(w, r, Prefix+"sharing", http.StatusSeeOther)
	return nil
}

type accessView struct {
	Denials       []Denial
	DenialScope   string
	Principal     string
	Actions       string
	Resources     string
	Results       []simulateResult
	SimulateError string
}

type simulateResult struct {
	EvalActionName       string
	EvalResourceName     string
	EvalDecision         string
	MatchedStatements    []struct{ SourcePolicyId, SourcePolicyType string }
	MissingContextValues []string
}

// access shows the iam simulate form for the signed-in principal (or another principal
// of the account the caller may simulate).
func (c *Console) access(w http.ResponseWriter, r *http.Request, s *session) error {
	v := accessView{Principal: simulationSource(s)}
	c.recentDenials(s, &v)
	c.render(w, http.StatusOK, "access", s, v)
	return nil
}

// maxDenialsShown bounds the denials the access page lists.
const maxDenialsShown = 50

// recentDenials fills in the denials the session may see: an account's root user sees
// every principal's of the account, any other principal its own (a role session, those of
// every session of its role).
func (c *Console) recentDenials(s *session, v *accessView) {
	if c.opts.Denials == nil {
		return
	}
	p := s.principal
	mine := func(d Denial) bool { return d.Principal == p.ARN }
	v.DenialScope = "your own requests"
	switch {
	case p.ARN == "arn:aws:iam::"+p.Account+":root":
		mine = func(Denial) bool { return true }
		v.DenialScope = "every principal of account " + p.Account
	case p.RoleARN != "":
		prefix := p.ARN[:strings.LastIndexByte(p.ARN, '/')+1]
		mine = func(d Denial) bool { return strings.HasPrefix(d.Principal, prefix) }
		v.DenialScope = "every session of your role"
	}
	for _, d := range c.opts.Denials(p.Account) {
		if mine(d) {
			v.Denials = append(v.Denials, d)
			if len(v.Denials) == maxDenialsShown {
				break
			}
		}
	}
}

// simulationSource is the ARN SimulatePrincipalPolicy takes for the session's principal:
// a session's role, or the user.
func simulationSource(s *session) string {
	if s.principal.RoleARN != "" {
		return s.principal.RoleARN
	}
	return s.principal.ARN
}

// simulate runs SimulatePrincipalPolicy, as `iam simulate` answers a request: which
// statement of which policy decided.
func (c *Console) simulate(w http.ResponseWriter, r *http.Request, s *session) error {
	v := accessView{Principal: strings.TrimSpace(r.PostFormValue("principal")), Actions: r.PostFormValue("actions"), Resources: r.PostFormValue("resources")}
	in := map[string]any{"PolicySourceArn": v.Principal, "ActionNames": fields(v.Actions)}
	if res := fields(v.Resources); len(res) > 0 {
		in["ResourceArns"] = res
	}
	var out struct{ EvaluationResults []simulateResult }
	if err := c.call(r.Context(), r, s, "iam", "SimulatePrincipalPolicy", in, &out); err != nil {
		msg, err := awsMessage(err)
		if err != nil {
			return err
		}
		v.SimulateError = msg
	}
	v.Results = out.EvaluationResults
	c.recentDenials(s, &v)
	c.render(w, http.StatusOK, "access", s, v)
	return nil
}

func fields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ' ' || r == '\r' || r == '\t' })
}

// awsMessage returns the AWS error's code and message, or err itself when it is not one.
func awsMessage(err error) (string, error) {
	if ae := asAWSError(err); ae != nil {
		return ae.Code + ": " + ae.Message, nil
	}
	return "", err
}

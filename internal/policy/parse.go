package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"
)

// Options selects how [ParseWithOptions] validates a document.
type Options struct {
	// Type is the kind of policy the document is; the zero value means
	// IdentityBased. PermissionsBoundary and SessionPolicy follow the
	// rules of identity-based policies.
	Type PolicyType
}

// Parse parses and validates doc as an identity-based policy (the rules of
// IAM CreatePolicy and PutUserPolicy). A malformed document yields an
// [*Error].
func Parse(doc []byte) (*Policy, error) {
	return ParseWithOptions(doc, Options{})
}

// ParseWithOptions parses and validates doc as the kind of policy
// opts.Type names:
//
//   - identity-based, permissions boundary, session: no Principal or
//     NotPrincipal; Resource or NotResource required;
//   - resource-based: Principal or NotPrincipal required (NotPrincipal with
//     Allow grants everyone it does not name: discouraged, but valid);
//     Resource or NotResource required;
//   - trust: Principal required; no NotPrincipal, Resource or NotResource;
//   - SCP: no Principal or NotPrincipal; Resource optional (all resources);
//   - RCP: Version 2012-10-17, "Principal": "*", no NotPrincipal or
//     NotAction, and Allow only in the RCPFullAWSAccess statement
//     (Principal, Action and Resource "*", no Condition).
//
// Every list element may be given as a single string. A malformed document
// yields an [*Error].
func ParseWithOptions(doc []byte, opts Options) (*Policy, error) {
	typ := opts.Type
	if typ == 0 {
		typ = IdentityBased
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, syntaxError(-1, "")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, syntaxError(-1, "")
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, syntaxError(-1, "")
	}
	for _, k := range sortedKeys(top) {
		switch k {
		case "Version", "Id", "Statement":
		default:
			return nil, errorf(-1, k, "Unknown field %s", k)
		}
	}
	p := &Policy{}
	if raw, ok := top["Version"]; ok {
		s, ok := raw.(string)
		if !ok {
			return nil, syntaxError(-1, "Version")
		}
		if s != Version2012 && s != Version2008 {
			return nil, &Error{Message: msgLegacy, Statement: -1, Field: "Version"}
		}
		p.Version = s
	}
	if typ == ResourceControlPolicy && p.Version != Version2012 {
		if p.Version == "" {
			return nil, errorf(-1, "Version", "Missing required field Version")
		}
		return nil, &Error{Message: msgLegacy, Statement: -1, Field: "Version"}
	}
	if raw, ok := top["Id"]; ok {
		s, ok := raw.(string)
		if !ok {
			return nil, syntaxError(-1, "Id")
		}
		p.ID = s
	}
	raw, ok := top["Statement"]
	if !ok {
		return nil, errorf(-1, "Statement", "Missing required field Statement")
	}
	var stmts []any
	switch s := raw.(type) {
	case map[string]any:
		stmts = []any{s}
	case []any:
		stmts = s
	default:
		return nil, syntaxError(-1, "Statement")
	}
	if len(stmts) == 0 {
		return nil, syntaxError(-1, "Statement")
	}
	p.Statements = make([]Statement, len(stmts))
	sids := make(map[string]bool)
	for i, s := range stmts {
		m, ok := s.(map[string]any)
		if !ok {
			return nil, syntaxError(i, "Statement")
		}
		if err := parseStatement(&p.Statements[i], m, i, typ, p.Version == Version2012); err != nil {
			return nil, err
		}
		if sid := p.Statements[i].Sid; sid != "" && typ != ResourceBased {
			if sids[sid] {
				return nil, errorf(i, "Sid", "%s", msgSidUnique)
			}
			sids[sid] = true
		}
	}
	return p, nil
}

// parseStatement validates and compiles one statement.
func parseStatement(st *Statement, m map[string]any, i int, typ PolicyType, vars bool) *Error {
	for _, k := range sortedKeys(m) {
		switch k {
		case "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
			"Resource", "NotResource", "Condition":
		default:
			return errorf(i, k, "Unknown field %s", k)
		}
	}
	iam := typ == IdentityBased || typ == PermissionsBoundary || typ == SessionPolicy || typ == TrustPolicy

	if raw, ok := m["Sid"]; ok {
		s, ok := raw.(string)
		if !ok {
			return syntaxError(i, "Sid")
		}
		if iam && !isAlnum(s) {
			return errorf(i, "Sid", "%s", msgSidAlnum)
		}
		st.Sid = s
	}

	raw, ok := m["Effect"]
	if !ok {
		return errorf(i, "Effect", "Missing required field Effect")
	}
	switch raw {
	case "Allow":
		st.Effect = Allow
	case "Deny":
		st.Effect = Deny
	default:
		s, ok := raw.(string)
		if !ok {
			return syntaxError(i, "Effect")
		}
		return errorf(i, "Effect", "Invalid effect: %s", s)
	}

	if err := parsePrincipalElement(st, m, i, typ); err != nil {
		return err
	}
	if err := parseActionElement(st, m, i, typ); err != nil {
		return err
	}
	if err := parseResourceElement(st, m, i, typ, vars); err != nil {
		return err
	}
	if err := parseConditionElement(st, m, i, vars); err != nil {
		return err
	}
	if typ == ResourceControlPolicy && st.Effect == Allow && !isRCPFullAccess(st) {
		return errorf(i, "Effect", "Invalid effect: Allow (a resource control policy allows only in RCPFullAWSAccess)")
	}
	return nil
}

func parsePrincipalElement(st *Statement, m map[string]any, i int, typ PolicyType) *Error {
	rawP, hasP := m["Principal"]
	rawN, hasN := m["NotPrincipal"]
	switch typ {
	case IdentityBased, PermissionsBoundary, SessionPolicy, ServiceControlPolicy:
		if hasP || hasN {
			field := "Principal"
			if !hasP {
				field = "NotPrincipal"
			}
			return errorf(i, field, "%s", msgNoPrincipal)
		}
		return nil
	case TrustPolicy, ResourceControlPolicy:
		if hasN {
			return errorf(i, "NotPrincipal", "Has prohibited field NotPrincipal")
		}
	}
	if hasP && hasN {
		return errorf(i, "NotPrincipal", "Statement can not contain both Principal and NotPrincipal")
	}
	if !hasP && !hasN {
		return errorf(i, "Principal", "Missing required field Principal")
	}
	field, raw := "Principal", rawP
	if hasN {
		field, raw = "NotPrincipal", rawN
		st.NotPrincipal = true
	}
	pr, err := decodePrincipals(raw, i, field)
	if err != nil {
		return err
	}
	if typ == ResourceControlPolicy && !(pr.All && len(pr.AWS)+len(pr.Service)+len(pr.Federated)+len(pr.CanonicalUser) == 0) &&
		!(len(pr.AWS) == 1 && pr.AWS[0] == "*" && len(pr.Service)+len(pr.Federated)+len(pr.CanonicalUser) == 0) {
		return errorf(i, field, `Invalid principal in policy: a resource control policy must use "Principal": "*"`)
	}
	ps, err := compilePrincipals(pr, i, field)
	if err != nil {
		return err
	}
	st.Principal, st.principals = pr, ps
	return nil
}

// decodePrincipals reads "*" or {"AWS": ..., "Service": ..., ...}.
func decodePrincipals(raw any, i int, field string) (*Principals, *Error) {
	pr := &Principals{}
	switch v := raw.(type) {
	case string:
		if v != "*" {
			return nil, errorf(i, field, "Invalid principal in policy: \"%s\"", v)
		}
		pr.All = true
		return pr, nil
	case map[string]any:
		if len(v) == 0 {
			return nil, syntaxError(i, field)
		}
		for _, k := range sortedKeys(v) {
			list, ok := stringList(v[k])
			if !ok {
				return nil, syntaxError(i, field)
			}
			if len(list) == 0 {
				return nil, errorf(i, field, "Invalid principal in policy: \"%s\":[]", k)
			}
			switch k {
			case "AWS":
				pr.AWS = list
			case "Service":
				pr.Service = list
			case "Federated":
				pr.Federated = list
			case "CanonicalUser":
				pr.CanonicalUser = list
			default:
				return nil, errorf(i, field, "Invalid principal in policy: \"%s\":\"%s\"", k, strings.Join(list, ","))
			}
		}
		return pr, nil
	}
	return nil, syntaxError(i, field)
}

func parseActionElement(st *Statement, m map[string]any, i int, typ PolicyType) *Error {
	rawA, hasA := m["Action"]
	rawN, hasN := m["NotAction"]
	if hasA && hasN {
		return errorf(i, "NotAction", "Statement can not contain both Action and NotAction")
	}
	if !hasA && !hasN {
		return errorf(i, "Action", "%s", msgMissingAction)
	}
	field, raw := "Action", rawA
	if hasN {
		if typ == ResourceControlPolicy {
			return errorf(i, "NotAction", "Has prohibited field NotAction")
		}
		field, raw = "NotAction", rawN
		st.NotAction = true
	}
	list, ok := stringList(raw)
	if !ok {
		return syntaxError(i, field)
	}
	if len(list) == 0 {
		return errorf(i, field, "%s", msgNeedActions)
	}
	st.Actions = list
	st.actions = make([]pattern, len(list))
	for j, a := range list {
		if a == "*" {
			st.svcMask = ^uint64(0)
		} else {
			vendor, name, ok := strings.Cut(a, ":")
			if !ok || vendor == "" || strings.ContainsAny(vendor, " ") || name == "" {
				return errorf(i, field, "%s", msgVendor)
			}
			if strings.ContainsAny(vendor, "*?") {
				st.svcMask = ^uint64(0)
			} else {
				st.svcMask |= serviceBit(vendor)
			}
		}
		st.actions[j] = compilePattern(a, false, true, true)
	}
	if st.NotAction {
		st.svcMask = ^uint64(0)
	}
	return nil
}

func parseResourceElement(st *Statement, m map[string]any, i int, typ PolicyType, vars bool) *Error {
	rawR, hasR := m["Resource"]
	rawN, hasN := m["NotResource"]
	if typ == TrustPolicy {
		if hasR {
			return errorf(i, "Resource", "Has prohibited field Resource")
		}
		if hasN {
			return errorf(i, "NotResource", "Has prohibited field NotResource")
		}
		return nil
	}
	if hasR && hasN {
		return errorf(i, "NotResource", "Statement can not contain both Resource and NotResource")
	}
	if !hasR && !hasN {
		if typ == ServiceControlPolicy {
			st.Resources = []string{"*"}
			st.resources = []pattern{{kind: patAll}}
			return nil
		}
		return errorf(i, "Resource", "%s", msgNeedResources)
	}
	field, raw := "Resource", rawR
	if hasN {
		field, raw = "NotResource", rawN
		st.NotResource = true
	}
	list, ok := stringList(raw)
	if !ok {
		return syntaxError(i, field)
	}
	if len(list) == 0 {
		return errorf(i, field, "%s", msgNeedResources)
	}
	st.Resources = list
	st.resources = make([]pattern, len(list))
	for j, r := range list {
		if !validResource(r) {
			return errorf(i, field, "Resource %s must be in ARN format or \"*\".", r)
		}
		st.resources[j] = compilePattern(r, vars, true, false)
	}
	return nil
}

// validResource accepts "*" and ARNs: "arn:" and at least six
// colon-separated parts, or fewer when a wildcard covers the rest
// ("arn:aws:s3:::*", "arn:*").
func validResource(r string) bool {
	if r == "*" {
		return true
	}
	if !strings.HasPrefix(r, "arn:") || len(r) == 4 {
		return false
	}
	return strings.Count(r, ":") >= 5 || strings.HasSuffix(r, "*")
}

func parseConditionElement(st *Statement, m map[string]any, i int, vars bool) *Error {
	raw, ok := m["Condition"]
	if !ok {
		return nil
	}
	block, ok := raw.(map[string]any)
	if !ok {
		return syntaxError(i, "Condition")
	}
	for _, name := range sortedKeys(block) {
		op, ok := parseOperator(name)
		if !ok {
			return errorf(i, "Condition", "Invalid Condition type : %s", name)
		}
		keys, ok := block[name].(map[string]any)
		if !ok {
			return syntaxError(i, "Condition")
		}
		for _, key := range sortedKeys(keys) {
			vendor, rest, ok := strings.Cut(key, ":")
			if !ok || vendor == "" || rest == "" {
				return errorf(i, "Condition", "%s", msgVendor)
			}
			values, ok := scalarList(keys[key])
			if !ok {
				return syntaxError(i, "Condition")
			}
			st.Conditions = append(st.Conditions, Condition{Operator: name, Key: key, Values: values})
			st.conditions = append(st.conditions, compileCondition(op, key, values, vars))
		}
	}
	return nil
}

func isRCPFullAccess(st *Statement) bool {
	return st.Principal != nil && !st.NotAction && !st.NotResource && len(st.Conditions) == 0 &&
		len(st.Actions) == 1 && st.Actions[0] == "*" &&
		len(st.Resources) == 1 && st.Resources[0] == "*"
}

// stringList reads a string or a list of strings.
func stringList(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, true
	case []any:
		out := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// scalarList reads a condition value: a string, number or boolean, or a
// list of them, as text.
func scalarList(v any) ([]string, bool) {
	if list, ok := v.([]any); ok {
		out := make([]string, len(list))
		for i, e := range list {
			s, ok := scalarText(e)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	s, ok := scalarText(v)
	if !ok {
		return nil, false
	}
	return []string{s}, true
}

func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

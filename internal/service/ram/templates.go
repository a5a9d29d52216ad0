package ram

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"github.com/cairnhq/cairn/internal/operation"
	"github.com/cairnhq/cairn/internal/policy"
)

// A permission's policy template is one statement without Principal or Resource, which RAM
// fills in when it attaches the permission to a shared resource:
//
//	{"Effect":"Allow","Action":["sagemaker:DescribePipeline", …],"Condition":{…}}

// template is a parsed policy template.
type template struct {
	Actions []string
	// Condition is the template's condition block, by operator and key.
	Condition map[string]map[string]json.RawMessage
}

// managedTemplate renders an AWS managed permission's template.
func managedTemplate(actions []string) string {
	doc, _ := json.Marshal(struct {
		Effect string   `json:"Effect"`
		Action []string `json:"Action"`
	}{"Allow", actions})
	return string(doc)
}

// reservedConditionKey reports whether RAM itself conditions statements on key: a
// template may not use it, or it could change who a share reaches.
func reservedConditionKey(key string) bool {
	return strings.EqualFold(key, "aws:PrincipalOrgID") || strings.EqualFold(key, "aws:PrincipalOrgPaths")
}

// parseTemplate reads a customer managed permission's template for resource type t. A
// template that is not a well-formed statement is a MalformedPolicyTemplateException; one
// that grants what the type does not allow is an InvalidPolicyException: a customer
// managed permission narrows the type's actions, never widens them.
func parseTemplate(doc string, t *ResourceType) (*template, *operation.Error) {
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(strings.NewReader(doc))
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return nil, malformedPolicyTemplate("The policy template is not a JSON object: it must hold Effect, Action and optionally Condition.")
	}
	if dec.More() {
		return nil, malformedPolicyTemplate("The policy template has content after its JSON object.")
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch k {
		case "Effect", "Action", "Condition":
		case "Principal", "NotPrincipal", "Resource", "NotResource":
			return nil, malformedPolicyTemplate("The policy template can't include %s: RAM fills in the principals and resources of each share.", k)
		case "NotAction":
			return nil, invalidPolicy("The policy template can't use NotAction: list the actions it allows in Action.")
		default:
			return nil, malformedPolicyTemplate("The policy template has an unknown element %s; it takes Effect, Action and Condition.", k)
		}
	}
	var effect string
	if err := json.Unmarshal(fields["Effect"], &effect); err != nil || !strings.EqualFold(effect, "Allow") {
		return nil, malformedPolicyTemplate("The policy template's Effect must be Allow.")
	}
	actions, err := stringOrList(fields["Action"])
	if err != nil || len(actions) == 0 {
		return nil, malformedPolicyTemplate("The policy template's Action must be an action or a non-empty list of actions.")
	}
	seen := map[string]bool{}
	tpl := &template{}
	for _, a := range actions {
		if strings.ContainsAny(a, "*?") {
			return nil, invalidPolicy("The action %s has a wildcard: a permission of %s names each action it allows, from %s.", a, t.Name, strings.Join(t.Actions, ", "))
		}
		if !containsFold(t.Actions, a) {
			return nil, invalidPolicy("The action %s is not one a permission of %s can grant; it can grant %s.", a, t.Name, strings.Join(t.Actions, ", "))
		}
		if !seen[strings.ToLower(a)] {
			seen[strings.ToLower(a)] = true
			tpl.Actions = append(tpl.Actions, a)
		}
	}
	if raw, ok := fields["Condition"]; ok {
		if err := json.Unmarshal(raw, &tpl.Condition); err != nil {
			return nil, malformedPolicyTemplate("The policy template's Condition must map operators to condition keys and values.")
		}
		for _, keys := range tpl.Condition {
			for k := range keys {
				if reservedConditionKey(k) {
					return nil, invalidPolicy("The condition key %s is set by RAM from the share's principals; a permission can't use it.", k)
				}
			}
		}
		// The policy engine checks the operators and values, as it will evaluate them.
		probe, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
			"Effect": "Allow", "Action": tpl.Actions, "Resource": "*", "Condition": tpl.Condition}}})
		if _, err := policy.ParseWithOptions(probe, policy.Options{Type: policy.IdentityBased}); err != nil {
			var pe *policy.Error
			if errors.As(err, &pe) {
				return nil, malformedPolicyTemplate("The policy template's Condition is not valid: %s.", strings.TrimSuffix(pe.Message, "."))
			}
			return nil, malformedPolicyTemplate("The policy template's Condition is not valid.")
		}
	}
	return tpl, nil
}

// stringOrList reads a JSON string or list of strings.
func stringOrList(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return []string{s}, err
	}
	var list []string
	err := json.Unmarshal(raw, &list)
	return list, err
}

package ram

import (
	"fmt"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/arn"

	"github.com/cairnhq/cairn/internal/store"
)

// ResourceType is a kind of resource RAM can share. RAM knows nothing of the service that
// owns the resources: the wiring declares each type (see PipelineType and
// LineageGroupType) with what RAM needs to ask of it.
type ResourceType struct {
	// Name is the type as RAM spells it: "sagemaker:Pipeline".
	Name string
	// Service is the owning service's name, as ListResourceTypes reports it ("sagemaker").
	Service string
	// Scope is REGIONAL or GLOBAL.
	Scope string
	// Parse recognises an ARN of the type and returns the resource it names, with its
	// owner and its ARN in canonical form (the form RAM stores and keys its policy by).
	Parse func(arn string) (Ref, bool)
	// Exists reports whether the resource exists, read in the transaction that shares it.
	Exists ExistsFunc
	// Covers returns the ARNs the policy of a shared resource names: the resource itself
	// and what sharing it shares implicitly (a pipeline's executions).
	Covers func(r Ref) []string
	// Actions are every action a permission of the type may grant: customer managed
	// permissions may narrow them, never widen them.
	Actions []string
	// Permissions are the type's AWS managed permissions; exactly one is the Default.
	Permissions []ManagedPermission
	// Reached, when set, is called in the transaction that changes a resource's policy,
	// after the new policy is written: what the owning service does when who may reach the
	// resource changes (SageMaker links the artifacts of a lineage group newly shared).
	Reached func(tx store.Tx, r Ref) error
}

// Ref names one resource of a shareable type.
type Ref struct {
	ARN     string // canonical
	Account string // the owner
	Name    string // the resource's name within its account
}

// ExistsFunc reports whether a resource exists, reading the transaction of the request
// that shares it as the service owning the resource needs (RAM itself sees only txn).
type ExistsFunc func(tx store.Tx, r Ref) (bool, error)

// ManagedPermission is an AWS managed permission, arn:aws:ram::aws:permission/<Name>.
type ManagedPermission struct {
	Name    string
	Actions []string
	// Default marks the type's default permission, attached when a share names none.
	Default bool
	// Created is when AWS published the permission (its creation and update time).
	Created time.Time
}

// ARN is the permission's ARN.
func (m ManagedPermission) ARN() string { return arn.ManagedPermission(m.Name) }

// check reports what is wrong with a declaration.
func (t *ResourceType) check() error {
	if t.Name == "" || !strings.Contains(t.Name, ":") || t.Service == "" {
		return fmt.Errorf("ram: resource type %q needs a name <service>:<Type> and a service", t.Name)
	}
	if t.Parse == nil || t.Exists == nil || t.Covers == nil {
		return fmt.Errorf("ram: resource type %s needs Parse, Exists and Covers", t.Name)
	}
	defaults := 0
	for _, p := range t.Permissions {
		if p.Default {
			defaults++
		}
		for _, a := range p.Actions {
			if !containsFold(t.Actions, a) {
				return fmt.Errorf("ram: permission %s grants %s, which %s does not allow", p.Name, a, t.Name)
			}
		}
	}
	if defaults != 1 {
		return fmt.Errorf("ram: resource type %s has %d default permissions, want 1", t.Name, defaults)
	}
	return nil
}

// defaultPermission is the type's default managed permission.
func (t *ResourceType) defaultPermission() ManagedPermission {
	for _, p := range t.Permissions {
		if p.Default {
			return p
		}
	}
	return ManagedPermission{}
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// types is the registry of shareable types.
type types struct {
	list []*ResourceType
	// managed indexes every AWS managed permission by ARN, with its type.
	managed map[string]managedEntry
}

type managedEntry struct {
	perm ManagedPermission
	typ  *ResourceType
}

func newTypes(list []ResourceType) (*types, error) {
	r := &types{managed: map[string]managedEntry{}}
	seen := map[string]bool{}
	for i := range list {
		t := &list[i]
		if err := t.check(); err != nil {
			return nil, err
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("ram: resource type %s declared twice", t.Name)
		}
		seen[t.Name] = true
		if t.Scope == "" {
			t.Scope = "REGIONAL"
		}
		r.list = append(r.list, t)
		for _, p := range t.Permissions {
			if _, dup := r.managed[p.ARN()]; dup {
				return nil, fmt.Errorf("ram: managed permission %s declared twice", p.Name)
			}
			r.managed[p.ARN()] = managedEntry{perm: p, typ: t}
		}
	}
	return r, nil
}

// byName returns the type named name (as AWS compares them, ignoring case), or nil.
func (r *types) byName(name string) *ResourceType {
	for _, t := range r.list {
		if strings.EqualFold(t.Name, name) {
			return t
		}
	}
	return nil
}

// resolve finds the type of an ARN and the resource it names.
func (r *types) resolve(arn string) (*ResourceType, Ref, bool) {
	for _, t := range r.list {
		if ref, ok := t.Parse(arn); ok {
			return t, ref, true
		}
	}
	return nil, Ref{}, false
}

// names lists the registered types, for messages.
func (r *types) names() string {
	var n []string
	for _, t := range r.list {
		n = append(n, t.Name)
	}
	return strings.Join(n, ", ")
}

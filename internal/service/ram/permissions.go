package ram

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/arn"
	"github.com/cairnhq/cairn/internal/store"
)

// Permission types and statuses.
const (
	awsManaged      = "AWS_MANAGED"
	customerManaged = "CUSTOMER_MANAGED"
	attachable      = "ATTACHABLE"
	standard        = "STANDARD"
)

// perm is a permission as the operations see it, AWS or customer managed.
type perm struct {
	ARN, Name, ResourceType string
	Type                    string
	FeatureSet, Status      string
	DefaultVersion          int
	TypeDefault             bool
	Created, Updated        time.Time
	typ                     *ResourceType
	managed                 *ManagedPermission
	stored                  *store.RAMPermission
}

// checkPermissionARN reports a malformed permission ARN.
func checkPermissionARN(v string) error {
	a, err := arn.Parse(v)
	if err != nil || a.Service != "ram" || !strings.HasPrefix(a.Resource, "permission/") || len(a.Resource) == len("permission/") ||
		(a.Account != "aws" && !arn.IsAccountID(a.Account)) {
		return malformedARN("%s is not a permission ARN.", v)
	}
	return nil
}

// permission finds a permission the account can see: an AWS managed one, or one of its
// own customer managed permissions.
func (s *Service) permission(tx txn, account, permissionARN string) (*perm, error) {
	if err := checkPermissionARN(permissionARN); err != nil {
		return nil, err
	}
	if m, ok := s.types.managed[permissionARN]; ok {
		mp := m.perm
		return &perm{ARN: permissionARN, Name: mp.Name, ResourceType: m.typ.Name, Type: awsManaged, FeatureSet: standard,
			Status: attachable, DefaultVersion: 1, TypeDefault: mp.Default, Created: mp.Created, Updated: mp.Created,
			typ: m.typ, managed: &mp}, nil
	}
	p, err := tx.RAMPermission(permissionARN)
	if err != nil || p.OwnerAccount != account {
		if err == nil || isNotFound(err) {
			return nil, unknownResource("The permission %s does not exist.", permissionARN)
		}
		return nil, err
	}
	return s.storedPerm(p), nil
}

func (s *Service) storedPerm(p *store.RAMPermission) *perm {
	return &perm{ARN: p.ARN, Name: p.Name, ResourceType: p.ResourceType, Type: customerManaged, FeatureSet: p.FeatureSet,
		Status: p.Status, DefaultVersion: p.DefaultVersion, Created: p.CreatedAt, Updated: p.UpdatedAt,
		typ: s.types.byName(p.ResourceType), stored: p}
}

// permissions lists what an account can attach, AWS managed first, each in ARN order.
func (s *Service) permissions(tx txn, account string) ([]*perm, error) {
	var out []*perm
	var managed []string
	for a := range s.types.managed {
		managed = append(managed, a)
	}
	sort.Strings(managed)
	for _, a := range managed {
		p, err := s.permission(tx, account, a)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	stored, err := tx.ListRAMPermissions(account)
	if err != nil {
		return nil, err
	}
	for _, p := range stored {
		out = append(out, s.storedPerm(p))
	}
	return out, nil
}

// summary renders a permission's default version (or version, when not zero) for lists.
func (s *Service) summary(tx txn, p *perm, version int, withTags bool) (ResourceSharePermissionSummary, error) {
	if version == 0 {
		version = p.DefaultVersion
	}
	out := ResourceSharePermissionSummary{Arn: p.ARN, Version: strconv.Itoa(version), DefaultVersion: boolp(version == p.DefaultVersion),
		Name: p.Name, ResourceType: p.ResourceType, Status: p.Status, CreationTime: ts(p.Created), LastUpdatedTime: ts(p.Updated),
		IsResourceTypeDefault: boolp(p.TypeDefault), PermissionType: p.Type, FeatureSet: p.FeatureSet}
	if p.stored != nil {
		if v, err := tx.RAMPermissionVersion(p.ARN, version); err == nil {
			out.CreationTime, out.LastUpdatedTime = ts(v.CreatedAt), ts(v.UpdatedAt)
		} else if !isNotFound(err) {
			return out, err
		}
		if withTags {
			tags, err := tx.Tags(p.ARN)
			if err != nil {
				return out, err
			}
			out.Tags = wireTags(tags)
		}
	}
	return out, nil
}

// detail renders one version of a permission with its template.
func (s *Service) detail(tx txn, p *perm, version int) (*ResourceSharePermissionDetail, error) {
	if version == 0 {
		version = p.DefaultVersion
	}
	out := &ResourceSharePermissionDetail{Arn: p.ARN, Version: strconv.Itoa(version), DefaultVersion: boolp(version == p.DefaultVersion),
		Name: p.Name, ResourceType: p.ResourceType, CreationTime: ts(p.Created), LastUpdatedTime: ts(p.Updated),
		IsResourceTypeDefault: boolp(p.TypeDefault), PermissionType: p.Type, FeatureSet: p.FeatureSet, Status: p.Status}
	if p.managed != nil {
		if version != 1 {
			return nil, unknownResource("The permission %s has no version %d.", p.ARN, version)
		}
		out.Permission = managedTemplate(p.managed.Actions)
		return out, nil
	}
	v, err := tx.RAMPermissionVersion(p.ARN, version)
	if isNotFound(err) {
		return nil, unknownResource("The permission %s has no version %d.", p.ARN, version)
	}
	if err != nil {
		return nil, err
	}
	out.Permission, out.CreationTime, out.LastUpdatedTime = v.Template, ts(v.CreatedAt), ts(v.UpdatedAt)
	tags, err := tx.Tags(p.ARN)
	if err != nil {
		return nil, err
	}
	out.Tags = wireTags(tags)
	return out, nil
}

// listPermissions lists the permissions the caller can attach.
func (s *Service) listPermissions(ctx context.Context, in *ListPermissionsInput) (*PermissionsOutput, error) {
	var typ *ResourceType
	if in.ResourceType != "" {
		if typ = s.types.byName(in.ResourceType); typ == nil {
			return nil, invalidParameter("%s is not a resource type RAM shares here; the types are %s.", in.ResourceType, s.types.names())
		}
	}
	out := &PermissionsOutput{}
	err := s.store.View(ctx, func(tx txn) error {
		all, err := s.permissions(tx, caller(ctx).Account)
		if err != nil {
			return err
		}
		var list []ResourceSharePermissionSummary
		for _, p := range all {
			if typ != nil && p.ResourceType != typ.Name {
				continue
			}
			switch in.PermissionType {
			case awsManaged, customerManaged:
				if p.Type != in.PermissionType {
					continue
				}
			}
			sum, err := s.summary(tx, p, 0, false)
			if err != nil {
				return err
			}
			list = append(list, sum)
		}
		out.Permissions, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// getPermission returns a version of a permission with its policy template.
func (s *Service) getPermission(ctx context.Context, in *GetPermissionInput) (*GetPermissionOutput, error) {
	out := &GetPermissionOutput{}
	err := s.store.View(ctx, func(tx txn) error {
		p, err := s.permission(tx, caller(ctx).Account, in.PermissionArn)
		if err != nil {
			return err
		}
		version := 0
		if in.PermissionVersion != nil {
			if version = int(*in.PermissionVersion); version < 1 {
				return invalidParameter("The permissionVersion must be 1 or more.")
			}
		}
		out.Permission, err = s.detail(tx, p, version)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// listPermissionVersions lists every version of a permission.
func (s *Service) listPermissionVersions(ctx context.Context, in *ListPermissionVersionsInput) (*PermissionsOutput, error) {
	out := &PermissionsOutput{}
	err := s.store.View(ctx, func(tx txn) error {
		p, err := s.permission(tx, caller(ctx).Account, in.PermissionArn)
		if err != nil {
			return err
		}
		var list []ResourceSharePermissionSummary
		if p.managed != nil {
			sum, err := s.summary(tx, p, 1, false)
			if err != nil {
				return err
			}
			list = append(list, sum)
		} else {
			versions, err := tx.ListRAMPermissionVersions(p.ARN)
			if err != nil {
				return err
			}
			for _, v := range versions {
				sum, err := s.summary(tx, p, v.Version, false)
				if err != nil {
					return err
				}
				sum.Status = v.Status
				list = append(list, sum)
			}
		}
		out.Permissions, out.NextToken, err = page(list, in.NextToken, in.MaxResults)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

package iam

import (
	"encoding/xml"
	"strings"
	"time"

	"github.com/cairnhq/cairn/internal/store"
)

// members is a list as awsQuery XML carries it: <Name><member>…</member></Name>. An
// empty list is written as an empty element (AWS sends required lists that way), unless
// the field is tagged omitempty.
type members[T any] []T

// MarshalXML writes each element as a <member>.
func (m members[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	for i := range m {
		if err := e.EncodeElement(m[i], xml.StartElement{Name: xml.Name{Local: "member"}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// isoTime is a timestamp as IAM writes it: ISO 8601 in UTC, to the second.
type isoTime time.Time

// MarshalText writes 2006-01-02T15:04:05Z.
func (t isoTime) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format("2006-01-02T15:04:05Z")), nil
}

// optionalTime returns nil for the zero time.
func optionalTime(t time.Time) *isoTime {
	if t.IsZero() {
		return nil
	}
	it := isoTime(t)
	return &it
}

// encodeDocument percent-encodes a policy document as IAM returns it (RFC 3986: every byte
// but unreserved characters), so that every URL decoder gives back the document as stored.
func encodeDocument(doc string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(doc) * 2)
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// Tag is a tag on the wire.
type Tag struct {
	Key   string `required:"true" min:"1" max:"128" pattern:"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"`
	Value string `required:"true" max:"256" pattern:"[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*"`
}

func wireTags(tags []store.Tag) members[Tag] {
	out := make(members[Tag], len(tags))
	for i, t := range tags {
		out[i] = Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

// AttachedPermissionsBoundary names a user's or role's permissions boundary.
type AttachedPermissionsBoundary struct {
	PermissionsBoundaryType string
	PermissionsBoundaryArn  string
}

func wireBoundary(arn string) *AttachedPermissionsBoundary {
	if arn == "" {
		return nil
	}
	return &AttachedPermissionsBoundary{PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: arn}
}

// User is an IAM user on the wire. UserName and Path are absent for an account's root user.
type User struct {
	Path                string `xml:",omitempty"`
	UserName            string `xml:",omitempty"`
	UserId              string
	Arn                 string
	CreateDate          isoTime
	PasswordLastUsed    *isoTime                     `xml:",omitempty"`
	PermissionsBoundary *AttachedPermissionsBoundary `xml:",omitempty"`
	Tags                members[Tag]                 `xml:",omitempty"`
}

// wireUser is the user as GetUser and CreateUser show it; lists leave out the boundary
// and tags, as AWS's do.
func wireUser(u *store.User, full bool) User {
	w := User{Path: u.Path, UserName: u.Name, UserId: u.ID, Arn: u.ARN(), CreateDate: isoTime(u.CreatedAt)}
	if full {
		w.PermissionsBoundary = wireBoundary(u.PermissionsBoundaryARN)
		w.Tags = wireTags(u.Tags)
	}
	return w
}

// Group is an IAM group on the wire.
type Group struct {
	Path       string
	GroupName  string
	GroupId    string
	Arn        string
	CreateDate isoTime
}

func wireGroup(g *store.Group) Group {
	return Group{Path: g.Path, GroupName: g.Name, GroupId: g.ID, Arn: g.ARN(), CreateDate: isoTime(g.CreatedAt)}
}

// RoleLastUsed says when a role was last used.
type RoleLastUsed struct {
	LastUsedDate *isoTime `xml:",omitempty"`
	Region       string   `xml:",omitempty"`
}

// Role is an IAM role on the wire.
type Role struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               isoTime
	AssumeRolePolicyDocument string                       `xml:",omitempty"`
	Description              string                       `xml:",omitempty"`
	MaxSessionDuration       int                          `xml:",omitempty"`
	PermissionsBoundary      *AttachedPermissionsBoundary `xml:",omitempty"`
	Tags                     members[Tag]                 `xml:",omitempty"`
	RoleLastUsed             *RoleLastUsed                `xml:",omitempty"`
}

// wireRole is the role as GetRole and CreateRole show it; ListRoles leaves out the
// boundary, tags and last use, as AWS does.
func wireRole(r *store.Role, full bool) Role {
	w := Role{Path: r.Path, RoleName: r.Name, RoleId: r.ID, Arn: r.ARN(), CreateDate: isoTime(r.CreatedAt),
		AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicyDocument), Description: r.Description,
		MaxSessionDuration: r.MaxSessionDuration}
	if full {
		w.PermissionsBoundary = wireBoundary(r.PermissionsBoundaryARN)
		w.Tags = wireTags(r.Tags)
		w.RoleLastUsed = &RoleLastUsed{LastUsedDate: optionalTime(r.LastUsedAt), Region: r.LastUsedRegion}
	}
	return w
}

// Policy is a managed policy on the wire.
type Policy struct {
	PolicyName                    string
	PolicyId                      string
	Arn                           string
	Path                          string
	DefaultVersionId              string
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string `xml:",omitempty"`
	CreateDate                    isoTime
	UpdateDate                    isoTime
	Tags                          members[Tag] `xml:",omitempty"`
}

// wirePolicy is the policy as GetPolicy and CreatePolicy show it; ListPolicies leaves
// out the description and tags, as AWS does.
func wirePolicy(p *store.ManagedPolicy, usage store.PolicyUsage, full bool) Policy {
	w := Policy{PolicyName: p.Name, PolicyId: p.ID, Arn: p.ARN, Path: p.Path, DefaultVersionId: p.DefaultVersionID,
		AttachmentCount: usage.Attachments, PermissionsBoundaryUsageCount: usage.Boundaries, IsAttachable: true,
		CreateDate: isoTime(p.CreatedAt), UpdateDate: isoTime(p.UpdatedAt)}
	if full {
		w.Description = p.Description
		w.Tags = wireTags(p.Tags)
	}
	return w
}

// PolicyVersion is one version of a managed policy on the wire; Document is URL-encoded.
type PolicyVersion struct {
	Document         string `xml:",omitempty"`
	VersionId        string
	IsDefaultVersion bool
	CreateDate       isoTime
}

func wireVersion(v *store.PolicyVersion, defaultID string, withDocument bool) PolicyVersion {
	w := PolicyVersion{VersionId: v.VersionID, IsDefaultVersion: v.VersionID == defaultID, CreateDate: isoTime(v.CreatedAt)}
	if withDocument {
		w.Document = encodeDocument(v.Document)
	}
	return w
}

// AttachedPolicy names a managed policy attached to an entity.
type AttachedPolicy struct {
	PolicyName string
	PolicyArn  string
}

func wireAttached(ps []*store.ManagedPolicy) members[AttachedPolicy] {
	out := make(members[AttachedPolicy], len(ps))
	for i, p := range ps {
		out[i] = AttachedPolicy{PolicyName: p.Name, PolicyArn: p.ARN}
	}
	return out
}

// AccessKey is a new access key with its secret.
type AccessKey struct {
	UserName        string `xml:",omitempty"`
	AccessKeyId     string
	Status          string
	SecretAccessKey string
	CreateDate      isoTime
}

// AccessKeyMetadata describes an access key without its secret.
type AccessKeyMetadata struct {
	UserName    string `xml:",omitempty"`
	AccessKeyId string
	Status      string
	CreateDate  isoTime
}

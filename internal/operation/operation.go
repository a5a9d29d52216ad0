package operation

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
)

// Access is what an operation asks of the authorizer for one request: the IAM action, the
// resources it touches, the request's extra condition keys, and the roles it passes to the
// service.
type Access struct {
	Action    string
	Resources []Resource
	// Context holds request-specific condition keys (aws:RequestTag/…, aws:TagKeys,
	// service keys such as s3:prefix). Keys as AWS spells them.
	Context map[string][]string
	// PassRoles lists role ARNs the request hands to the service; each needs iam:PassRole.
	PassRoles []string
	// Implied lists further actions the request needs, such as sts:TagSession for an
	// AssumeRole with session tags.
	Implied []Access
	// EachResource marks a batch operation whose resources are authorized one by one:
	// the operation runs whatever is denied, and its handler asks Denied about each item
	// (S3's DeleteObjects answers AccessDenied per key).
	EachResource bool
}

// Resource is one resource an operation acts on, with what the service that owns it knows
// of it for authorization.
type Resource struct {
	ARN string
	// Account owns the resource; empty means the caller's account (or no owner, as "*").
	Account string
	// Policy is the resource-based policy governing the resource (an S3 bucket policy, a
	// role's trust policy, a RAM share's policy) as a JSON document; nil for none.
	Policy []byte
	// PolicyType says what kind of policy Policy is (a resource-based policy unless it
	// is a role's trust policy).
	PolicyType PolicyType
	// Tags are the resource's tags, for aws:ResourceTag/<key>.
	Tags map[string]string
}

// PolicyType is the kind of a resource's policy.
type PolicyType int

// Resource policy kinds.
const (
	ResourcePolicy PolicyType = iota
	TrustPolicy
	// KeyPolicy is a KMS key policy: a resource-based policy that must allow every
	// request, in the key's own account too; identity policies count only when it
	// delegates to the account (names its root).
	KeyPolicy
)

// Authorizer decides whether the principal in ctx may perform access. It returns nil
// or an *Error (the service's AccessDenied, see Service.AccessDenied).
type Authorizer interface {
	Authorize(ctx context.Context, svc *Service, access *Access) error
}

// Op declares one operation of a service: its wire name, its IAM action, how to compute
// what authorization needs from the typed input, and the handler. It is the only place
// the rest of Cairn learns about the operation.
type Op[In, Out any] struct {
	Name string
	// Action is the IAM action; empty means "<service>:<Name>".
	Action string
	// Route is the HTTP method and path template of REST protocols.
	Route Route
	// Access computes resources, condition keys and passed roles from the input. Nil
	// means the action on resource "*".
	Access func(ctx context.Context, in *In) (*Access, error)
	// Unauthorized marks operations every authenticated caller may call whatever its
	// policies say (sts:GetCallerIdentity).
	Unauthorized bool
	Handler      func(ctx context.Context, in *In) (*Out, error)
}

// Operation is the untyped form of an Op, as services and the protocol layer use it.
type Operation struct {
	Name         string
	Action       string
	Route        Route
	Unauthorized bool

	newInput func() any
	shape    *plan // the input's constraints
	access   func(context.Context, any) (*Access, error)
	handle   func(context.Context, any) (any, error)
}

// Declare turns a typed Op into an Operation.
func Declare[In, Out any](op Op[In, Out]) *Operation {
	if op.Handler == nil {
		panic(fmt.Sprintf("operation: %s has no handler", op.Name))
	}
	o := &Operation{
		Name:         op.Name,
		Action:       op.Action,
		Route:        op.Route,
		Unauthorized: op.Unauthorized,
		newInput:     func() any { return new(In) },
		shape:        shapeOf(reflect.TypeFor[In]()),
		handle: func(ctx context.Context, in any) (any, error) {
			return op.Handler(ctx, in.(*In))
		},
	}
	if op.Access != nil {
		o.access = func(ctx context.Context, in any) (*Access, error) { return op.Access(ctx, in.(*In)) }
	}
	return o
}

// NewInput returns a new, empty input of the operation (a pointer to its In).
func (o *Operation) NewInput() any { return o.newInput() }

// Access computes the authorization request for a decoded input.
func (o *Operation) Access(ctx context.Context, in any) (*Access, error) {
	if o.access == nil {
		return &Access{Action: o.Action, Resources: []Resource{{ARN: "*"}}}, nil
	}
	a, err := o.access(ctx, in)
	if err != nil {
		return nil, err
	}
	if a.Action == "" {
		a.Action = o.Action
	}
	if len(a.Resources) == 0 {
		a.Resources = []Resource{{ARN: "*"}}
	}
	return a, nil
}

// Route is where a REST operation lives: "GET /{Bucket}/{Key+}?tagging". It is part of the
// declaration; the REST codecs compile it.
type Route struct {
	Method string
	Path   string
	// Header names a request header the route requires (S3's x-amz-copy-source tells
	// CopyObject from PutObject); routes that require one are tried first.
	Header string
	// Status is the success status (200 when zero).
	Status int
}

// SuccessStatus is the status of a successful answer.
func (r Route) SuccessStatus() int {
	if r.Status == 0 {
		return http.StatusOK
	}
	return r.Status
}

package server

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/cairnhq/cairn/internal/operation"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/jobs"
	s3svc "github.com/cairnhq/cairn/internal/service/s3"
	stssvc "github.com/cairnhq/cairn/internal/service/sts"
)

// Work Cairn does on a principal's behalf (a pipeline reading a property file, a job
// staging its inputs) calls the owning service's operations in process, with that
// principal in the context, through the same authorization a client's request gets.

// objects reads and writes S3 as the principal in the context.
type objects struct {
	s3     *operation.Service
	authz  operation.Authorizer
	region string
}

func (o *objects) ctx(ctx context.Context) context.Context {
	if operation.RequestInfoFrom(ctx) != nil {
		return ctx
	}
	return operation.WithRequestInfo(ctx, &operation.RequestInfo{Service: "s3", Region: o.region, Received: time.Now()})
}

// GetObject returns an object's body.
func (o *objects) GetObject(ctx context.Context, bucket, key, versionID string) (io.ReadCloser, error) {
	out, err := o.s3.Invoke(o.ctx(ctx), o.authz, "GetObject", &s3svc.GetObjectInput{Bucket: bucket, Key: key, VersionID: versionID})
	if err != nil {
		return nil, err
	}
	return out.(*s3svc.GetObjectOutput).Body, nil
}

// PutObject stores an object.
func (o *objects) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error {
	in := &s3svc.PutObjectInput{Bucket: bucket, Key: key, Body: awsproto.NewBody(body, size)}
	if k := jobs.OutputKMSKey(ctx); k != "" {
		// A job's KmsKeyId: its outputs are stored SSE-KMS under that key, as the job's role.
		in.ServerSideEncryption, in.SSEKMSKeyID = "aws:kms", k
	}
	_, err := o.s3.Invoke(o.ctx(ctx), o.authz, "PutObject", in)
	return err
}

// ListObjects lists every key under prefix.
func (o *objects) ListObjects(ctx context.Context, bucket, prefix string) ([]jobs.ObjectInfo, error) {
	var out []jobs.ObjectInfo
	token := ""
	for {
		res, err := o.s3.Invoke(o.ctx(ctx), o.authz, "ListObjectsV2", &s3svc.ListObjectsV2Input{Bucket: bucket, Prefix: prefix, ContinuationToken: token})
		if err != nil {
			return nil, err
		}
		page := res.(*s3svc.ListObjectsV2Output)
		for _, c := range page.Contents {
			out = append(out, jobs.ObjectInfo{Key: c.Key, Size: c.Size})
		}
		if !page.IsTruncated || page.NextContinuationToken == "" {
			return out, nil
		}
		token = page.NextContinuationToken
	}
}

// roles assumes roles as the SageMaker service principal, through STS's AssumeRole, and
// keeps each session until shortly before it expires.
type roles struct {
	sts   *operation.Service
	authz operation.Authorizer
	authn *auth.Authenticator
	now   func() time.Time

	mu       sync.Mutex
	sessions map[string]*auth.Principal
}

// sessionMargin is how long before expiry a cached session is replaced.
const sessionMargin = 10 * time.Minute

// AssumeRole returns a session of roleARN, acting through SageMaker.
func (r *roles) AssumeRole(ctx context.Context, roleARN, sessionName string) (*auth.Principal, error) {
	key := roleARN + "\x00" + sessionName
	r.mu.Lock()
	p := r.sessions[key]
	r.mu.Unlock()
	if p != nil && r.now().Add(sessionMargin).Before(p.Expires) {
		return p, nil
	}
	ctx = auth.WithPrincipal(ctx, auth.ServicePrincipal("sagemaker.amazonaws.com"))
	out, err := r.sts.Invoke(ctx, r.authz, "AssumeRole", &stssvc.AssumeRoleInput{RoleArn: roleARN, RoleSessionName: sessionName})
	if err != nil {
		return nil, err
	}
	creds := out.(*stssvc.AssumeRoleOutput).Credentials
	session, err := r.authn.Principal(ctx, creds.AccessKeyId)
	if err != nil {
		return nil, fmt.Errorf("session of %s: %w", roleARN, err)
	}
	// SageMaker makes the session's requests: aws:CalledVia names it.
	acting := *session
	acting.CalledVia = []string{"sagemaker.amazonaws.com"}
	p = &acting
	r.mu.Lock()
	if len(r.sessions) > 10_000 {
		clear(r.sessions)
	}
	r.sessions[key] = p
	r.mu.Unlock()
	return p, nil
}

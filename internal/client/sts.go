package client

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// assumeRoleProvider assumes a role through the Cairn server's STS with a source
// profile's credentials, as the AWS CLI does for a profile with role_arn.
type assumeRoleProvider struct {
	source      aws.CredentialsProvider
	endpoint    string
	region      string
	roleARN     string
	sessionName string
}

// Retrieve implements aws.CredentialsProvider.
func (p *assumeRoleProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c := New(&Profile{Endpoint: p.endpoint, Region: p.region, Credentials: p.source})
	form := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"},
		"RoleArn": {p.roleARN}, "RoleSessionName": {p.sessionName}}
	body := []byte(form.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/", strings.NewReader(string(body)))
	if err != nil {
		return aws.Credentials{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	resp, err := c.do(ctx, "sts", req, body)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("assume role %s: %w", p.roleARN, err)
	}
	defer resp.Body.Close()
	var out struct {
		Result struct {
			Credentials struct {
				AccessKeyId     string
				SecretAccessKey string
				SessionToken    string
				Expiration      time.Time
			}
		} `xml:"AssumeRoleResult"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&out); err != nil {
		return aws.Credentials{}, fmt.Errorf("assume role %s: decode the answer: %w", p.roleARN, err)
	}
	cr := out.Result.Credentials
	return aws.Credentials{AccessKeyID: cr.AccessKeyId, SecretAccessKey: cr.SecretAccessKey, SessionToken: cr.SessionToken,
		CanExpire: true, Expires: cr.Expiration, Source: "assumed role " + p.roleARN}, nil
}

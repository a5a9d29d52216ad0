package client

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Files says where the AWS shared files are.
type Files struct {
	Config      string // the shared config file (profile regions, endpoint_url, role_arn)
	Credentials string // the shared credentials file (keys)
}

// FilesFor returns the files Cairn writes into dataDir.
func FilesFor(dataDir string) Files {
	return Files{Config: filepath.Join(dataDir, "config"), Credentials: filepath.Join(dataDir, "credentials")}
}

// FilesFromEnv returns the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name, and
// whether either is set; an unset one is the data dir's.
func FilesFromEnv(dataDir string) (Files, bool) {
	f := FilesFor(dataDir)
	cfg, okCfg := os.LookupEnv("AWS_CONFIG_FILE")
	creds, okCreds := os.LookupEnv("AWS_SHARED_CREDENTIALS_FILE")
	if okCfg {
		f.Config = cfg
	}
	if okCreds {
		f.Credentials = creds
	}
	return f, okCfg || okCreds
}

// Profile is what a client needs of a profile: where Cairn is, the region, and whose
// credentials sign.
type Profile struct {
	Name        string
	Endpoint    string
	Region      string
	Credentials aws.CredentialsProvider
}

// maxSourceDepth bounds chains of role profiles (source_profile of source_profile…).
const maxSourceDepth = 5

// LoadProfile reads profile name from files. Profiles with keys and profiles that assume
// a role from another (role_arn and source_profile, as Cairn writes "<name>-admin") are
// understood. endpoint overrides the profile's endpoint_url; without either the profile is
// refused, so that Cairn's commands never send a request, or keys, anywhere but to Cairn.
func LoadProfile(files Files, name, endpoint string) (*Profile, error) {
	config, err := readINI(files.Config)
	if err != nil {
		return nil, err
	}
	creds, err := readINI(files.Credentials)
	if err != nil {
		return nil, err
	}
	r := resolver{files: files, config: config, creds: creds}
	settings := r.settings(name)
	if settings == nil {
		return nil, fmt.Errorf("no profile %q in %s or %s", name, files.Config, files.Credentials)
	}
	p := &Profile{Name: name, Endpoint: endpoint, Region: settings["region"]}
	if p.Endpoint == "" {
		p.Endpoint = settings["endpoint_url"]
	}
	if p.Endpoint == "" {
		return nil, fmt.Errorf("profile %q (%s) has no endpoint_url: Cairn's commands talk only to a Cairn server; "+
			"use the profiles Cairn writes (<data-dir>/config and <data-dir>/credentials) or give --endpoint-url", name, files.Config)
	}
	if p.Region == "" {
		p.Region = os.Getenv("AWS_REGION")
	}
	if p.Region == "" {
		p.Region = "us-east-1"
	}
	provider, err := r.credentials(name, p, 0)
	if err != nil {
		return nil, err
	}
	p.Credentials = aws.NewCredentialsCache(provider)
	return p, nil
}

// resolver reads profiles from the two files.
type resolver struct {
	files         Files
	config, creds sections
}

// settings merges a profile's config section and credentials section (keys from the
// credentials file win), or returns nil when neither exists.
func (r resolver) settings(name string) map[string]string {
	section := "profile " + name
	if name == "default" {
		if r.config[section] == nil {
			section = "default"
		}
	}
	cfg, cr := r.config[section], r.creds[name]
	if cfg == nil && cr == nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range cfg {
		out[k] = v
	}
	for k, v := range cr {
		out[k] = v
	}
	return out
}

// credentials returns the provider of profile name's credentials.
func (r resolver) credentials(name string, p *Profile, depth int) (aws.CredentialsProvider, error) {
	s := r.settings(name)
	if s == nil {
		return nil, fmt.Errorf("no profile %q in %s or %s", name, r.files.Config, r.files.Credentials)
	}
	if roleARN := s["role_arn"]; roleARN != "" {
		source := s["source_profile"]
		if source == "" {
			return nil, fmt.Errorf("profile %q has role_arn but no source_profile; Cairn's commands assume roles only from a source profile", name)
		}
		if depth >= maxSourceDepth {
			return nil, fmt.Errorf("profile %q: source_profile chains deeper than %d", name, maxSourceDepth)
		}
		src, err := r.credentials(source, p, depth+1)
		if err != nil {
			return nil, err
		}
		return &assumeRoleProvider{source: aws.NewCredentialsCache(src), endpoint: p.Endpoint, region: p.Region,
			roleARN: roleARN, sessionName: "cairn-cli"}, nil
	}
	id, secret := s["aws_access_key_id"], s["aws_secret_access_key"]
	if id == "" || secret == "" {
		return nil, fmt.Errorf("profile %q has no aws_access_key_id and aws_secret_access_key (nor role_arn with source_profile)", name)
	}
	return staticProvider(aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: s["aws_session_token"], Source: "profile " + name}), nil
}

// staticProvider hands out fixed credentials.
type staticProvider aws.Credentials

func (s staticProvider) Retrieve(context.Context) (aws.Credentials, error) {
	if s.AccessKeyID == "" {
		return aws.Credentials{}, errors.New("no credentials")
	}
	return aws.Credentials(s), nil
}

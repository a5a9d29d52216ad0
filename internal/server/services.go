package server

import (
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/service/iam"
	"github.com/cairnhq/cairn/internal/service/organizations"
	"github.com/cairnhq/cairn/internal/service/s3"
	"github.com/cairnhq/cairn/internal/service/sts"
)

// services builds every AWS service Cairn serves, one line each.
func (s *Server) services(orgs *organizations.Service) []*awsproto.Service {
	return []*awsproto.Service{
		sts.New(sts.Options{Store: s.store, Now: s.opts.Now, Random: s.opts.Random}).API(),
		orgs.API(),
		iam.New(iam.Options{Store: s.store, Now: s.opts.Now, Random: s.opts.Random}).API(),
		s3.New(s3.Options{Store: s.store, Blobs: s.blobs, Region: s.opts.Region, Now: s.opts.Now, Random: s.opts.Random, Logger: s.log, Domains: s.opts.S3Domains}).API(),
	}
}

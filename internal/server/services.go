package server

import (
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/service/iam"
	"github.com/cairnhq/cairn/internal/service/organizations"
	"github.com/cairnhq/cairn/internal/service/sts"
)

// services builds every AWS service Cairn serves, one line each.
func (s *Server) services(orgs *organizations.Service) []*awsproto.Service {
	return []*awsproto.Service{
		sts.New(sts.Options{Store: s.store, Now: s.opts.Now, Random: s.opts.Random}).API(),
		orgs.API(),
		iam.New(iam.Options{Store: s.store, Now: s.opts.Now, Random: s.opts.Random}).API(),
	}
}

package server

import (
	"errors"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/sigv4"
)

// authError turns an authentication failure from auth or sigv4 into the error svc's
// protocol answers with (see awsproto's quirks table); other errors pass through.
func authError(svc *awsproto.Service, err error) error {
	var ae *auth.Error
	if errors.As(err, &ae) {
		switch ae.Code {
		case auth.ExpiredToken:
			return svc.AuthError(awsproto.ExpiredToken, "")
		case auth.InvalidToken:
			return svc.AuthError(awsproto.InvalidToken, "")
		default:
			return svc.AuthError(awsproto.UnknownAccessKey, "")
		}
	}
	var se *sigv4.Error
	if !errors.As(err, &se) {
		return err
	}
	failure, ok := sigv4Failures[se.Code]
	if !ok {
		failure = awsproto.IncompleteBody // InvalidChunk, IncompleteBody
	}
	return svc.AuthError(failure, se.Message)
}

// sigv4Failures classifies SigV4's failures.
var sigv4Failures = map[sigv4.Code]awsproto.AuthFailure{
	sigv4.MissingAuthentication:   awsproto.MissingAuthentication,
	sigv4.SignatureDoesNotMatch:   awsproto.SignatureDoesNotMatch,
	sigv4.RequestTimeTooSkewed:    awsproto.RequestTimeTooSkewed,
	sigv4.RequestExpired:          awsproto.RequestExpired,
	sigv4.ContentSHA256Mismatch:   awsproto.ContentSHA256Mismatch,
	sigv4.IncompleteSignature:     awsproto.IncompleteSignature,
	sigv4.UnsupportedAlgorithm:    awsproto.IncompleteSignature,
	sigv4.AmbiguousAuthentication: awsproto.AmbiguousAuthentication,
	sigv4.InvalidContentSHA256:    awsproto.InvalidContentSHA256,
}

package server

import (
	"errors"
	"net/http"

	"github.com/cairnhq/cairn/internal/auth"
	"github.com/cairnhq/cairn/internal/awsproto"
	"github.com/cairnhq/cairn/internal/sigv4"
)

// authError spells an authentication failure the way svc's protocol does: awsQuery services
// (IAM, STS) answer 403 InvalidClientTokenId/SignatureDoesNotMatch, awsJson services 400
// UnrecognizedClientException/InvalidSignatureException, S3 403 InvalidAccessKeyId/
// SignatureDoesNotMatch.
func authError(svc *awsproto.Service, err error) error {
	proto := svc.Protocol
	json := proto == awsproto.JSON10 || proto == awsproto.JSON11 || proto == awsproto.RestJSON
	s3 := proto == awsproto.RestXML
	pick := func(query, jsonCode, s3Code string) string {
		switch {
		case s3:
			return s3Code
		case json:
			return jsonCode
		}
		return query
	}
	status := http.StatusForbidden
	if json {
		status = http.StatusBadRequest
	}
	var ae *auth.Error
	if errors.As(err, &ae) {
		switch ae.Code {
		case auth.ExpiredToken:
			s := status
			if s3 {
				s = http.StatusBadRequest
			}
			return &awsproto.Error{Code: pick("ExpiredToken", "ExpiredTokenException", "ExpiredToken"), Status: s,
				Message: "The security token included in the request is expired"}
		case auth.InvalidToken:
			return &awsproto.Error{Code: pick("InvalidClientTokenId", "UnrecognizedClientException", "InvalidToken"), Status: status,
				Message: "The security token included in the request is invalid."}
		default:
			msg := "The security token included in the request is invalid."
			if s3 {
				msg = "The AWS Access Key Id you provided does not exist in our records."
			}
			return &awsproto.Error{Code: pick("InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId"), Status: status, Message: msg}
		}
	}
	var se *sigv4.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code {
	case sigv4.MissingAuthentication:
		if s3 {
			return &awsproto.Error{Code: "AccessDenied", Status: http.StatusForbidden, Message: "Access Denied"}
		}
		return &awsproto.Error{Code: pick("MissingAuthenticationToken", "MissingAuthenticationTokenException", ""), Status: status,
			Message: "Request is missing Authentication Token"}
	case sigv4.SignatureDoesNotMatch:
		return &awsproto.Error{Code: pick("SignatureDoesNotMatch", "InvalidSignatureException", "SignatureDoesNotMatch"), Status: status, Message: se.Message}
	case sigv4.RequestTimeTooSkewed:
		if s3 {
			return &awsproto.Error{Code: "RequestTimeTooSkewed", Status: http.StatusForbidden,
				Message: "The difference between the request time and the current time is too large."}
		}
		return &awsproto.Error{Code: pick("SignatureDoesNotMatch", "InvalidSignatureException", ""), Status: status, Message: se.Message}
	case sigv4.RequestExpired:
		if s3 {
			return &awsproto.Error{Code: "AccessDenied", Status: http.StatusForbidden, Message: se.Message}
		}
		return &awsproto.Error{Code: pick("SignatureDoesNotMatch", "InvalidSignatureException", ""), Status: status, Message: se.Message}
	case sigv4.ContentSHA256Mismatch:
		return &awsproto.Error{Code: pick("SignatureDoesNotMatch", "InvalidSignatureException", "XAmzContentSHA256Mismatch"), Status: http.StatusBadRequest, Message: se.Message}
	case sigv4.IncompleteSignature, sigv4.UnsupportedAlgorithm:
		if s3 {
			return &awsproto.Error{Code: "AuthorizationHeaderMalformed", Status: http.StatusBadRequest, Message: se.Message}
		}
		return &awsproto.Error{Code: pick("IncompleteSignature", "IncompleteSignatureException", ""), Status: status, Message: se.Message}
	case sigv4.AmbiguousAuthentication, sigv4.InvalidContentSHA256:
		if s3 {
			code := "InvalidArgument"
			if se.Code == sigv4.InvalidContentSHA256 {
				code = "InvalidRequest"
			}
			return &awsproto.Error{Code: code, Status: http.StatusBadRequest, Message: se.Message}
		}
		return &awsproto.Error{Code: pick("IncompleteSignature", "IncompleteSignatureException", ""), Status: status, Message: se.Message}
	default: // InvalidChunk, IncompleteBody
		return &awsproto.Error{Code: pick("IncompleteSignature", "IncompleteSignatureException", "IncompleteBody"), Status: http.StatusBadRequest, Message: se.Message}
	}
}

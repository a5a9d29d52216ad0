package s3

import (
	"net/http"
	"strconv"

	"github.com/cairnhq/cairn/internal/awsproto"
)

// s3Error returns an S3 error with its code, status and message.
func s3Error(status int, code, message string) *awsproto.Error {
	return &awsproto.Error{Code: code, Status: status, Message: message}
}

func errNoSuchBucket(bucket string) *awsproto.Error {
	return s3Error(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist").With("BucketName", bucket)
}

func errNoSuchKey(key string) *awsproto.Error {
	return s3Error(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.").With("Key", key)
}

func errNoSuchUpload(id string) *awsproto.Error {
	return s3Error(http.StatusNotFound, "NoSuchUpload",
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.").
		With("UploadId", id)
}

func errInvalidBucketName(bucket string) *awsproto.Error {
	return s3Error(http.StatusBadRequest, "InvalidBucketName", "The specified bucket is not valid.").With("BucketName", bucket)
}

func errAccessDenied() *awsproto.Error {
	return s3Error(http.StatusForbidden, "AccessDenied", "Access Denied")
}

func errPreconditionFailed(condition string) *awsproto.Error {
	return s3Error(http.StatusPreconditionFailed, "PreconditionFailed",
		"At least one of the pre-conditions you specified did not hold").With("Condition", condition)
}

func errInvalidArgument(message, name, value string) *awsproto.Error {
	e := s3Error(http.StatusBadRequest, "InvalidArgument", message)
	if name != "" {
		e = e.With("ArgumentName", name).With("ArgumentValue", value)
	}
	return e
}

func errInvalidRequest(message string) *awsproto.Error {
	return s3Error(http.StatusBadRequest, "InvalidRequest", message)
}

func errMalformedXML() *awsproto.Error {
	return s3Error(http.StatusBadRequest, "MalformedXML",
		"The XML you provided was not well-formed or did not validate against our published schema")
}

func errBadDigest(message string) *awsproto.Error {
	return s3Error(http.StatusBadRequest, "BadDigest", message)
}

func errInvalidDigest() *awsproto.Error {
	return s3Error(http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified is not valid.")
}

func errEntityTooLarge(proposed, max int64) *awsproto.Error {
	return s3Error(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size").
		With("ProposedSize", strconv.FormatInt(proposed, 10)).With("MaxSizeAllowed", strconv.FormatInt(max, 10))
}

func errIncompleteBody() *awsproto.Error {
	return s3Error(http.StatusBadRequest, "IncompleteBody",
		"You did not provide the number of bytes specified by the Content-Length HTTP header.")
}

func errMissingContentLength() *awsproto.Error {
	return s3Error(http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.")
}

func errInvalidTag(message string) *awsproto.Error {
	return s3Error(http.StatusBadRequest, "InvalidTag", message)
}

func errNotImplemented(message string) *awsproto.Error {
	return s3Error(http.StatusNotImplemented, "NotImplemented", message)
}

func errACLNotSupported() *awsproto.Error {
	return s3Error(http.StatusBadRequest, "AccessControlListNotSupported", "The bucket does not allow ACLs")
}

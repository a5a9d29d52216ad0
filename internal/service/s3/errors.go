package s3

import (
	"net/http"
	"strconv"

	"github.com/cairnhq/cairn/internal/operation"
)

// s3Error returns an S3 error with its code, status and message.
func s3Error(status int, code, message string) *operation.Error {
	return &operation.Error{Code: code, Status: status, Message: message}
}

func errNoSuchBucket(bucket string) *operation.Error {
	return s3Error(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist").With("BucketName", bucket)
}

func errNoSuchKey(key string) *operation.Error {
	return s3Error(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.").With("Key", key)
}

func errNoSuchUpload(id string) *operation.Error {
	return s3Error(http.StatusNotFound, "NoSuchUpload",
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.").
		With("UploadId", id)
}

func errInvalidBucketName(bucket string) *operation.Error {
	return s3Error(http.StatusBadRequest, "InvalidBucketName", "The specified bucket is not valid.").With("BucketName", bucket)
}

func errAccessDenied() *operation.Error {
	return s3Error(http.StatusForbidden, "AccessDenied", "Access Denied")
}

func errPreconditionFailed(condition string) *operation.Error {
	return s3Error(http.StatusPreconditionFailed, "PreconditionFailed",
		"At least one of the pre-conditions you specified did not hold").With("Condition", condition)
}

func errInvalidArgument(message, name, value string) *operation.Error {
	e := s3Error(http.StatusBadRequest, "InvalidArgument", message)
	if name != "" {
		e = e.With("ArgumentName", name).With("ArgumentValue", value)
	}
	return e
}

func errInvalidRequest(message string) *operation.Error {
	return s3Error(http.StatusBadRequest, "InvalidRequest", message)
}

func errMalformedXML() *operation.Error {
	return s3Error(http.StatusBadRequest, "MalformedXML",
		"The XML you provided was not well-formed or did not validate against our published schema")
}

func errBadDigest(message string) *operation.Error {
	return s3Error(http.StatusBadRequest, "BadDigest", message)
}

func errInvalidDigest() *operation.Error {
	return s3Error(http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified is not valid.")
}

func errEntityTooLarge(proposed, max int64) *operation.Error {
	return s3Error(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size").
		With("ProposedSize", strconv.FormatInt(proposed, 10)).With("MaxSizeAllowed", strconv.FormatInt(max, 10))
}

func errIncompleteBody() *operation.Error {
	return s3Error(http.StatusBadRequest, "IncompleteBody",
		"You did not provide the number of bytes specified by the Content-Length HTTP header.")
}

func errMissingContentLength() *operation.Error {
	return s3Error(http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.")
}

func errInvalidTag(message string) *operation.Error {
	return s3Error(http.StatusBadRequest, "InvalidTag", message)
}

func errNotImplemented(message string) *operation.Error {
	return s3Error(http.StatusNotImplemented, "NotImplemented", message)
}

func errACLNotSupported() *operation.Error {
	return s3Error(http.StatusBadRequest, "AccessControlListNotSupported", "The bucket does not allow ACLs")
}
